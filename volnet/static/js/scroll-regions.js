// A wide table scrolls sideways inside its region (templates: class="table-scroll" role="region"
// tabindex="0" aria-labelledby="…"): the server makes every region a tab stop, so a keyboard reaches and
// scrolls it even without this script. Here a region whose table fits loses that tab stop, and gets it
// back when the window narrows and the table no longer fits.
(function () {
  "use strict";
  function update() {
    document.querySelectorAll(".table-scroll").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth) {
        region.setAttribute("tabindex", "0");
      } else if (region !== document.activeElement) {
        region.removeAttribute("tabindex");
      }
    });
  }
  update();
  window.addEventListener("resize", update);
})();
