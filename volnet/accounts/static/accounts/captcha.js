/* Captcha: "new image" without leaving the page, and "play the code aloud" plays in the page.
   Without JavaScript both are plain links (reload the form / open the WAV).
   What it announces comes from the widget's data-playing-text and data-refreshed-text, which the
   template translated. */
(function () {
  "use strict";

  function setup(box) {
    var form = box.closest("form");
    var keyInput = form ? form.querySelector("[data-captcha-key]") : null;
    var image = box.querySelector("[data-captcha-image]");
    var audio = box.querySelector("[data-captcha-audio]");
    var play = box.querySelector("[data-captcha-play]");
    var refresh = box.querySelector("[data-captcha-refresh]");
    var status = box.querySelector("[data-captcha-status]");

    function say(text) {
      if (status) { status.textContent = ""; window.setTimeout(function () { status.textContent = text; }, 50); }
    }

    if (play && audio) {
      play.addEventListener("click", function (event) {
        event.preventDefault();
        audio.currentTime = 0;
        var started = audio.play();
        say(box.getAttribute("data-playing-text") || "");
        if (started && started.catch) {
          started.catch(function () { window.location.href = play.href; });
        }
      });
    }

    if (refresh && keyInput) {
      refresh.addEventListener("click", function (event) {
        event.preventDefault();
        var url = box.getAttribute("data-refresh-url") + "?old=" + encodeURIComponent(keyInput.value);
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (response) {
            if (!response.ok) { throw new Error("refresh failed"); }
            return response.json();
          })
          .then(function (data) {
            keyInput.value = data.key;
            image.src = data.image;
            if (audio) { audio.pause(); audio.src = data.audio; }
            if (play) { play.href = data.audio; }
            var answer = form.querySelector("input[name='" + keyInput.name.replace(/_key$/, "") + "']");
            if (answer) { answer.value = ""; answer.focus(); }
            say(box.getAttribute("data-refreshed-text") || "");
          })
          .catch(function () { window.location.href = refresh.href; });
      });
    }
  }

  document.querySelectorAll("[data-captcha]").forEach(setup);
})();
