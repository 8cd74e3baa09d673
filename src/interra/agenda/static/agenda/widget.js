/* <interra-agenda>: Interra's next sessions on a partner's website.

   <interra-agenda city="liege" lang="ar" limit="5"><a href="…/agenda/">…</a></interra-agenda>
   <script src="https://interra.example/static/agenda/widget.js" async></script>

   No framework, no cookie, no storage: one request to the public API (without
   credentials), whose answer carries every word in the page's language. The element's
   children (a plain link to the agenda) show until the sessions arrive, and stay if they
   cannot. The host page styles it with CSS custom properties (--interra-agenda-*) and
   ::part(). See docs/widget.md. */
(function () {
  "use strict";
  if (!window.customElements || customElements.get("interra-agenda")) return;

  var script = document.currentScript;
  var ORIGIN = new URL(script && script.src ? script.src : location.href).origin;

  var CSS = [
    ":host{display:block;font-family:var(--interra-agenda-font,inherit);",
    "color:var(--interra-agenda-color,inherit);line-height:1.5}",
    ":host([hidden]){display:none}",
    "section{background:var(--interra-agenda-background,transparent)}",
    "h2,h3,h4,h5,h6{font-size:var(--interra-agenda-heading-size,1.25em);margin:0 0 .5em}",
    "ul{list-style:none;margin:0;padding:0;display:grid;gap:var(--interra-agenda-gap,.75em)}",
    "li{border:1px solid var(--interra-agenda-border,#d9d4c7);",
    "border-radius:var(--interra-agenda-radius,8px);padding:.75em 1em;",
    "background:var(--interra-agenda-card,transparent)}",
    "p{margin:0 0 .4em}",
    ".title{font-weight:700;font-size:1.05em}",
    ".meta{font-size:.95em}",
    ".full{font-weight:700}",
    "a{color:var(--interra-agenda-link,inherit)}",
    ".register{display:inline-block;min-height:44px;box-sizing:border-box;padding:.6em 1.1em;",
    "background:var(--interra-agenda-accent,#8a2716);color:var(--interra-agenda-accent-text,#fff);",
    "border-radius:var(--interra-agenda-radius,8px);font-weight:700;text-decoration:none}",
    "a:focus-visible{outline:3px solid var(--interra-agenda-focus,#1a56db);outline-offset:2px}",
    ".vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);",
    "white-space:nowrap}",
    ".more{margin-block-start:.75em}"
  ].join("");
  // A constructed style sheet: a host page whose CSP forbids inline styles still styles it.
  var sheet = null;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  } catch (error) {
    sheet = null;
  }

  function make(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (attributes[name] !== "" && attributes[name] != null) node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.append(child);  // strings become text: nothing from the API is parsed as HTML
    });
    return node;
  }

  function safeUrl(url, origin) {
    try {
      var parsed = new URL(url, origin);
      return /^https?:$/.test(parsed.protocol) ? parsed.href : origin;
    } catch (error) {
      return origin;
    }
  }

  function dateFormat(language, timeZone) {
    var options = {weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
      hour12: false};  // 24-hour clock, as on the platform
    try {
      return new Intl.DateTimeFormat(language, Object.assign({timeZone: timeZone}, options));
    } catch (error) {
      return new Intl.DateTimeFormat(language, options);
    }
  }

  function when(format, start, end) {
    try {
      return format.formatRange(start, end);
    } catch (error) {
      return format.format(start);
    }
  }

  class InterraAgenda extends HTMLElement {
    static get observedAttributes() {
      return ["city", "lang", "limit", "theme", "origin"];
    }

    constructor() {
      super();
      this.attachShadow({mode: "open"});
      if (sheet) this.shadowRoot.adoptedStyleSheets = [sheet];
      this.request = 0;
    }

    connectedCallback() {
      this.schedule();
    }

    attributeChangedCallback(name, before, after) {
      if (before !== after) this.schedule();
    }

    // Attributes set together (as when the element is upgraded) make one request.
    schedule() {
      if (this.pending) return;
      this.pending = true;
      queueMicrotask(function () {
        this.pending = false;
        if (this.isConnected) this.load();
      }.bind(this));
    }

    language() {
      var holder = this.closest("[lang]");
      return (holder && holder.lang) || navigator.language || "fr";
    }

    load() {
      var origin = this.getAttribute("origin") || ORIGIN;
      var params = new URLSearchParams({lang: this.language(), limit: this.getAttribute("limit") || "5"});
      ["city", "theme"].forEach(function (name) {
        if (this.getAttribute(name)) params.set(name, this.getAttribute(name));
      }, this);
      var request = ++this.request;
      this.fallback();
      fetch(origin + "/api/v1/sessions/widget?" + params, {
        credentials: "omit", mode: "cors", headers: {Accept: "application/json"}
      }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (data) {
        if (request === this.request) this.render(data, origin);
      }.bind(this)).catch(function () {});  // the plain link to the agenda stays
    }

    fallback() {
      this.shadowRoot.replaceChildren(make("slot"));
    }

    render(data, origin) {
      var texts = data.texts;
      var level = Math.min(6, Math.max(2, parseInt(this.getAttribute("heading-level"), 10) || 2));
      var format = dateFormat(data.language, data.time_zone);
      var items = data.sessions.map(function (session) {
        var start = new Date(session.starts_at);
        var date = when(format, start, new Date(session.ends_at));
        var meta = [session.theme, session.neighbourhood || session.place].filter(Boolean).join(" · ");
        return make("li", {part: "session"}, [
          make("p", {part: "when"}, [make("time", {datetime: session.starts_at}, [date])]),
          make("p", {class: "title", part: "title", dir: "auto"}, [session.title]),
          make("p", {class: "meta", part: "meta"}, [meta]),
          make("p", {class: session.full ? "full" : "", part: "seats"}, [session.seats_text]),
          make("a", {class: "register", part: "register", href: safeUrl(session.url, origin)}, [
            texts.register_link,
            make("span", {class: "vh"}, [": " + session.title + ", " + date])
          ])
        ]);
      });
      var body = items.length ? make("ul", {part: "list"}, items) : make("p", {part: "empty"}, [texts.empty]);
      this.shadowRoot.replaceChildren(
        sheet ? "" : make("style", {}, [CSS]),
        make("section", {part: "agenda", lang: data.language, dir: data.direction, "aria-labelledby": "heading"}, [
          make("h" + level, {id: "heading", part: "heading"}, [texts.heading]),
          body,
          make("p", {class: "more"}, [
            make("a", {part: "more", href: safeUrl(data.agenda_url, origin)}, [texts.all_sessions])
          ])
        ])
      );
    }
  }

  customElements.define("interra-agenda", InterraAgenda);
})();
