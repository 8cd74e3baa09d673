/* The interactive elements smaller than 44x44 px on the current page (see
   test_participants.py). */
(() => {
  const small = [];
  const box = (el) => el.getBoundingClientRect();
  const visible = (el) => { const r = box(el); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && r.bottom > 0 && r.left < innerWidth && r.right > 0; };
  const inlineInText = (el) => getComputedStyle(el).display === "inline" && el.parentElement &&
    el.parentElement.textContent.trim().length > el.textContent.trim().length;
  document.querySelectorAll("a[href], button, select, input:not([type=hidden]), textarea, summary, [tabindex]:not([tabindex='-1'])").forEach((el) => {
    if (!visible(el) || el.closest(".skip-link") || el.classList.contains("skip-link")) return;
    if (el.tagName === "A" && inlineInText(el)) return;
    let r = box(el);
    if (el.type === "checkbox" || el.type === "radio") {
      const label = el.closest("label") || (el.id && document.querySelector(`label[for='${el.id}']`));
      if (label) { const l = box(label); r = {width: Math.max(l.right, r.right) - Math.min(l.left, r.left),
                                            height: Math.max(l.bottom, r.bottom) - Math.min(l.top, r.top)}; }
    }
    if (r.width < 44 || r.height < 44) small.push(`${el.tagName.toLowerCase()}#${el.id || ""}.${el.className || ""} "${(el.textContent || el.value || "").trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  });
  return small;
})()
