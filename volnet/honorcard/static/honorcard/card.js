// The electronic honor card (電子榮譽卡): count down the QR code's 5 minutes and notice when a venue has used it.
// Without this script the page still says until when the code is good.
(function () {
  "use strict";
  var figure = document.getElementById("qr");
  if (!figure) { return; }
  var countdown = document.getElementById("qr-countdown");
  var status = document.getElementById("qr-status");
  var statusUrl = figure.getAttribute("data-status-url");
  var remaining = parseInt(figure.getAttribute("data-remaining"), 10) || 0;
  var started = Date.now();
  var done = false;
  var timer = null;
  var poll = null;
  // The words come from the page (data-used, data-expired, data-voided), in the reader's language.
  var messages = {
    used: status.getAttribute("data-used"),
    expired: status.getAttribute("data-expired"),
    voided: status.getAttribute("data-voided")
  };

  function left() {
    return Math.max(0, remaining - Math.floor((Date.now() - started) / 1000));
  }

  function stop(state) {
    if (done) { return; }
    done = true;
    window.clearInterval(timer);
    window.clearInterval(poll);
    figure.classList.add("qr--stale");
    countdown.textContent = "0:00";
    status.textContent = messages[state] || messages.expired;
  }

  function tick() {
    var seconds = left();
    countdown.textContent = Math.floor(seconds / 60) + ":" + ("0" + (seconds % 60)).slice(-2);
    if (seconds <= 0) { stop("expired"); }
  }

  function ask() {
    if (done || document.hidden) { return; }
    window.fetch(statusUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (data.state !== "live") { stop(data.state); return; }
        remaining = data.remaining;
        started = Date.now();
      })
      .catch(function () { /* offline for a moment: the countdown keeps going */ });
  }

  timer = window.setInterval(tick, 1000);
  poll = window.setInterval(ask, 4000);
  document.addEventListener("visibilitychange", ask);
  tick();
})();
