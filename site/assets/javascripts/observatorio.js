// Small enhancements on top of Material's own script, run on every page load.
document$.subscribe(function () {
  // Wide tables scroll sideways: make each scrolling box reachable with the keyboard (WCAG 2.1.1).
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
    box.tabIndex = 0;
  });
});
