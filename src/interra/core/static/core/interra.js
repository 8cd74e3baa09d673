/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Submit the language switcher as soon as a language is chosen.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // The menu on phones: the no-JS checkbox becomes a button that says whether it is open.
  var header = document.getElementById("site-header");
  var menuButton = document.querySelector("[data-menu-button]");
  if (header && menuButton) {
    document.querySelectorAll("[data-menu-nojs]").forEach(function (el) { el.remove(); });
    menuButton.hidden = false;
    var setOpen = function (open) {
      menuButton.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    };
    menuButton.addEventListener("click", function () {
      setOpen(menuButton.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        setOpen(false);
        menuButton.focus();
      }
    });
  }
  // Installable app: a service worker that only keeps static files and the offline page
  // (core/pwa.py), registered once the page has loaded.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () {});
    });
  }
  // After a failed submit, the error summary (first in the page) takes the focus.
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) { summary.focus(); }
  // "Copy the link": copy, then say so in a live region and on the button.
  document.querySelectorAll("[data-copy]").forEach(function (copyButton) {
    copyButton.addEventListener("click", function () {
      var status = document.querySelector("[data-copy-status]");
      var done = function () {
        var original = copyButton.dataset.label || copyButton.textContent;
        copyButton.dataset.label = original;
        copyButton.textContent = copyButton.dataset.copied;
        if (status) { status.textContent = copyButton.dataset.copied; }
        window.setTimeout(function () { copyButton.textContent = original; }, 3000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(copyButton.dataset.copy).then(done, function () {
          if (status) { status.textContent = copyButton.dataset.copy; }
        });
      } else if (status) {
        status.textContent = copyButton.dataset.copy;
      }
    });
  });
  // "Listen": read the page's main text aloud with the browser's own speech synthesis,
  // in the page's language. Hidden where the browser cannot speak.
  var button = document.querySelector("[data-listen]");
  if (button && "speechSynthesis" in window && window.SpeechSynthesisUtterance) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (window.speechSynthesis.speaking) { window.speechSynthesis.cancel(); return; }
      var parts = document.querySelectorAll("[data-listen-text]");
      var source = parts.length ? Array.prototype.map.call(parts, function (el) { return el.innerText; }).join("\n")
                                : document.getElementById("main").innerText;
      var utterance = new SpeechSynthesisUtterance(source);
      utterance.lang = document.documentElement.lang;
      window.speechSynthesis.speak(utterance);
    });
  }
})();
