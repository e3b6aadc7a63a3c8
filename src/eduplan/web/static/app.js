// eduplan — progressive enhancements only: every form works without this file.
// - a form with data-confirm asks before it is sent;
// - a form being sent disables its submit buttons (no double submission) and says so.
// (The phone menu is folded by HTML and CSS alone: base.html.)
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) { event.preventDefault(); return; }
  if (form.method.toLowerCase() !== "post") return;
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
      b.disabled = true;
      if (b.dataset.busy) b.textContent = b.dataset.busy;
    });
  }, 0);
});
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form button[disabled]").forEach(function (b) { b.disabled = false; });
});
