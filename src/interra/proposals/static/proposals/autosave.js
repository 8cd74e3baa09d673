/* Keep what is typed in the proposal form as it is typed, so that a reload or a dropped
   connection loses nothing: each step's fields go to sessionStorage (this tab only, gone
   when the tab is closed) and come back on load. The page that confirms the proposal
   clears them. Without JavaScript, steps confirmed with "Next" are kept by the server. */
(function () {
  "use strict";
  var store;
  try { store = window.sessionStorage; } catch (e) { return; }
  if (!store) { return; }

  document.querySelectorAll("[data-autosave-clear]").forEach(function (el) {
    var prefix = "interra:" + el.dataset.autosaveClear;
    Object.keys(store).forEach(function (key) {
      if (key.indexOf(prefix) === 0) { store.removeItem(key); }
    });
  });

  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var key = "interra:" + form.dataset.autosave;
  var skip = function (field) {
    return !field.name || field.type === "hidden" || field.type === "file" ||
      field.type === "password" || field.type === "submit" || field.type === "button" ||
      field.closest("[hidden]");
  };
  var fields = function () {
    return Array.prototype.filter.call(form.elements, function (f) { return !skip(f); });
  };

  var save = function () {
    var values = {};
    fields().forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        values[field.name] = values[field.name] || [];
        if (field.checked) { values[field.name].push(field.value); }
      } else if (field.multiple) {
        values[field.name] = Array.prototype.filter.call(field.options, function (o) {
          return o.selected; }).map(function (o) { return o.value; });
      } else {
        values[field.name] = field.value;
      }
    });
    try { store.setItem(key, JSON.stringify(values)); } catch (e) { /* storage full */ }
  };

  var restore = function () {
    var saved;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved) { return; }
    fields().forEach(function (field) {
      if (!(field.name in saved)) { return; }
      var value = saved[field.name];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = value.indexOf(field.value) !== -1;
      } else if (field.multiple) {
        Array.prototype.forEach.call(field.options, function (o) {
          o.selected = value.indexOf(o.value) !== -1; });
      } else {
        field.value = value;
      }
    });
  };

  // After a failed submit the server shows what was sent (and its errors): keep that.
  if (!document.querySelector("[data-error-summary]")) { restore(); }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
})();
