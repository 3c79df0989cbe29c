// Publications catalogue: filter the list in place by type, year and topic (progressive enhancement).
// Without JavaScript the form stays hidden and the facet pages linked above it do the filtering.
(function () {
  "use strict";
  function init() {
    var form = document.querySelector("form.obs-filter");
    if (!form) { return; }
    var items = Array.prototype.slice.call(document.querySelectorAll(".obs-publication"));
    var count = document.querySelector(".obs-count");
    var none = document.querySelector(".obs-none");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted) { select.value = wanted; }
    });
    function apply() {
      var shown = 0;
      var query = new URLSearchParams();
      items.forEach(function (item) {
        var ok = selects.every(function (select) {
          var value = select.value;
          if (!value) { return true; }
          var have = (item.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
          return have.indexOf(value) !== -1;
        });
        item.hidden = !ok;
        if (ok) { shown += 1; }
      });
      selects.forEach(function (select) { if (select.value) { query.set(select.name, select.value); } });
      if (count) {
        var text = count.getAttribute(shown === 1 ? "data-one" : "data-many") || "";
        count.textContent = text.replace("{count}", String(shown));
      }
      if (none) { none.hidden = shown !== 0; }
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    }
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.hidden = false;
    apply();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
