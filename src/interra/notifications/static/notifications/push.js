/* "Notifications on my phone" (notifications/_push_section.html): subscribe this browser
   to web push with the platform's VAPID key, store the subscription, or forget it.
   Loaded only on the person's space; without JavaScript the block says so. */
(function () {
  "use strict";
  var section = document.getElementById("push");
  if (!section) { return; }
  var subscribeButton = section.querySelector("[data-push-subscribe]");
  var unsubscribeButton = section.querySelector("[data-push-unsubscribe]");
  var devices = section.querySelector("[data-push-devices]");

  function show(state) {
    section.querySelectorAll("[data-push-state]").forEach(function (el) {
      el.hidden = el.getAttribute("data-push-state") !== state;
    });
    section.setAttribute("data-push", state);
  }
  function buttons(subscribed) {
    subscribeButton.hidden = subscribed;
    unsubscribeButton.hidden = !subscribed;
  }
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }
  function applicationServerKey() {
    var text = section.getAttribute("data-public-key").replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(text + "===".slice((text.length + 3) % 4));
    var key = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { key[i] = raw.charCodeAt(i); }
    return key;
  }
  function registration() {
    return navigator.serviceWorker.register("/sw.js").then(function () {
      return navigator.serviceWorker.ready;
    });
  }
  var hint = section.querySelector("[data-push-hint]");
  function stored(answer) {
    if (devices && answer.text) { devices.textContent = answer.text; }
    if (hint && typeof answer.devices === "number") { hint.hidden = answer.devices === 0; }
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) ||
      !("Notification" in window) || !window.isSecureContext) {
    show("unsupported");
    return;
  }
  if (Notification.permission === "denied") { show("denied"); }

  registration().then(function (reg) {
    return reg.pushManager.getSubscription();
  }).then(function (subscription) {
    buttons(Boolean(subscription));
    if (subscription) { show("on"); }
  }).catch(function () { buttons(false); });

  subscribeButton.addEventListener("click", function () {
    subscribeButton.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw new Error("denied"); }
      return registration();
    }).then(function (reg) {
      return reg.pushManager.getSubscription().then(function (existing) {
        return existing || reg.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: applicationServerKey()
        });
      });
    }).then(function (subscription) {
      return post(section.getAttribute("data-subscribe-url"), subscription.toJSON());
    }).then(function (answer) {
      stored(answer);
      buttons(true);
      show("on");
    }).catch(function (error) {
      show(error && error.message === "denied" ? "denied" : "failed");
    }).then(function () { subscribeButton.disabled = false; });
  });

  unsubscribeButton.addEventListener("click", function () {
    unsubscribeButton.disabled = true;
    registration().then(function (reg) {
      return reg.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) { return {}; }
      return post(section.getAttribute("data-unsubscribe-url"),
                  {endpoint: subscription.endpoint}).then(function (answer) {
        return subscription.unsubscribe().then(function () { return answer; });
      });
    }).then(function (answer) {
      stored(answer);
      buttons(false);
      show("off");
    }).catch(function () { show("failed"); })
      .then(function () { unsubscribeButton.disabled = false; });
  });
}());
