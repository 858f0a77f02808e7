/* The four password rules as a checklist that ticks while the user types (manual B-2).
   The server checks them again; this only helps. */
(function () {
  "use strict";
  var TESTS = {
    length: function (v) { return v.length >= 12; },
    digit: function (v) { return /[0-9]/.test(v); },
    lower: function (v) { return /[a-z]/.test(v); },
    upper: function (v) { return /[A-Z]/.test(v); }
  };

  document.querySelectorAll("[data-password-rules]").forEach(function (list) {
    var input = document.getElementById(list.getAttribute("data-for"));
    var status = list.parentNode.querySelector("[data-rules-status]");
    if (!input) { return; }
    var lastMet = -1;
    var timer = null;

    function update(silent) {
      var value = input.value;
      var met = 0;
      var total = 0;
      list.querySelectorAll("[data-rule]").forEach(function (item) {
        var test = TESTS[item.getAttribute("data-rule")];
        if (!test) { return; }
        total += 1;
        var ok = test(value);
        if (ok) { met += 1; }
        item.classList.toggle("is-met", ok);
        var state = item.querySelector("[data-rule-state]");
        if (state) { state.textContent = ok ? "（已符合）" : "（尚未符合）"; }
      });
      if (silent === true) { lastMet = met; }
      if (status && met !== lastMet) {
        lastMet = met;
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          status.textContent = met === total ? "密碼設定原則已全部符合" : "已符合 " + met + " 項，共 " + total + " 項";
        }, 400);
      }
    }

    input.addEventListener("input", update);
    update(true);
  });
})();
