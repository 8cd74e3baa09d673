/* On a session page, choosing "I am new in Belgium" (or another answer) highlights the
   seats that answer can take, so the person knows before sending whether they will be
   registered or waitlisted. The page already lists every group without this file. */
(function () {
  "use strict";
  var lines = document.querySelectorAll("#seats [data-group]");
  if (!lines.length) { return; }
  document.querySelectorAll("input[type=radio][name=group]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      lines.forEach(function (line) {
        line.classList.toggle("mine", line.dataset.group === radio.value);
      });
    });
  });
})();
