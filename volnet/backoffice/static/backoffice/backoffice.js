// Back office: small conveniences; every page works without them.
(function () {
  "use strict";
  // "Check all" / "Uncheck all" buttons next to long checkbox lists (insurance, approvals); their words
  // come translated from the page.
  document.querySelectorAll(".check-all").forEach(function (bar) {
    bar.hidden = false;
    var group = bar.closest("fieldset, form");
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-check]");
      if (!button || !group) { return; }
      var on = button.getAttribute("data-check") === "all";
      group.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = on; });
    });
  });
  // Show the first problem of a refused form to keyboard and screen-reader users.
  var problems = document.getElementById("form-errors");
  if (problems) { problems.focus(); }
})();
