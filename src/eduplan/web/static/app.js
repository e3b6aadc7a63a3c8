// eduplan — progressive enhancements only: every form works without this file.
// - a form with data-confirm asks before it is sent;
// - a form being sent disables its submit buttons (no double submission) and says so;
// - the menu starts closed on small screens.
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
document.addEventListener("DOMContentLoaded", function () {
  var menu = document.querySelector(".nav-toggle");
  if (menu && window.matchMedia("(max-width: 720px)").matches) menu.removeAttribute("open");
});
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form button[disabled]").forEach(function (b) { b.disabled = false; });
});
