/* The four password rules as a checklist that ticks while the user types (manual B-2).
   The server checks them again; this only helps. Its words come from the list's data-met-text,
   data-unmet-text, data-all-met-text and data-count-text ("{met}" and "{total}" filled in), which the
   template translated. */
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
    var words = {
      met: list.getAttribute("data-met-text") || "",
      unmet: list.getAttribute("data-unmet-text") || "",
      allMet: list.getAttribute("data-all-met-text") || "",
      count: list.getAttribute("data-count-text") || ""
    };
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
        if (state) { state.textContent = ok ? words.met : words.unmet; }
      });
      if (silent === true) { lastMet = met; }
      if (status && met !== lastMet) {
        lastMet = met;
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          status.textContent = met === total
            ? words.allMet
            : words.count.replace("{met}", String(met)).replace("{total}", String(total));
        }, 400);
      }
    }

    input.addEventListener("input", update);
    update(true);
  });
})();
