/* The print view: show the Print button (it needs script) and open the print dialog once on arrival,
   as the manual shows. A static file because the Content-Security-Policy forbids inline script.
   No words live here: the button's label is in the template. */
(function () {
  "use strict";
  function openPrintDialog() {
    window.print();
  }
  function start() {
    var buttons = document.querySelectorAll("[data-print]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", openPrintDialog);
    });
    if (buttons.length) {
      window.setTimeout(openPrintDialog, 300);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
