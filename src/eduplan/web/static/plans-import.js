// eduplan — import progress (导入进度): while a draft is being parsed, poll its progress.json and
// move the bar; open the preview when it is done.  Without this file the page refreshes itself.
"use strict";
(function () {
  var box = document.getElementById("draft-progress");
  if (!box || !window.fetch) return;
  var refresh = document.querySelector('meta[http-equiv="refresh"]');
  if (refresh) refresh.parentNode.removeChild(refresh);
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector(".bar");
  var fill = box.querySelector(".bar-fill");
  var text = box.querySelector(".bar-text");
  var stage = box.querySelector(".stage");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (d) {
        fill.style.width = d.progress + "%";
        text.textContent = d.progress + "%";
        bar.setAttribute("aria-valuenow", String(d.progress));
        stage.textContent = d.stage;
        if (d.state === "parsing") { window.setTimeout(poll, 700); } else { window.location.assign(d.url); }
      })
      .catch(function () { window.setTimeout(function () { window.location.reload(); }, 2000); });
  }
  window.setTimeout(poll, 300);
})();
