// 匯入進度: ask the page's JSON every second and move the bar; once the import is no longer queued or running,
// reload, and the page becomes its outcome. Without JavaScript the page's own link does the same by hand.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box || !window.fetch) {
    return;
  }
  var bar = box.querySelector("progress");
  var status = box.querySelector("[role=status]");
  var spoken = -1;

  function show(job) {
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    var step = Math.floor(job.percent / 10) * 10; // a screen reader hears every tenth, not every second
    if (job.state === "running" && step !== spoken) {
      spoken = step;
      status.textContent = box.getAttribute("data-running-text").replace("{percent}", job.percent);
    }
  }

  function poll() {
    fetch(box.getAttribute("data-progress-url"), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.state !== "queued" && job.state !== "running") {
          window.location.reload();
          return;
        }
        show(job);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  window.setTimeout(poll, 1000);
})();
