/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Submit the language switcher as soon as a language is chosen.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // "Copy the link" buttons (share a session): the address goes to the clipboard.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (navigator.clipboard) { navigator.clipboard.writeText(button.dataset.copy); }
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
