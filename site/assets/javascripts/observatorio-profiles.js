// Country profiles index: a filter box over the table (progressive enhancement: without JavaScript
// the box stays hidden and the full table is shown; a small inline script on the page shows it).
(function () {
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function init() {
    var box = document.querySelector(".obs-profile-filter");
    var table = document.getElementById("obs-profiles");
    if (!box || !table) return;
    var input = box.querySelector("input");
    var none = box.querySelector(".obs-profile-none");
    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      var shown = 0;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var match = !query || fold(row.getAttribute("data-search")).indexOf(query) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      none.hidden = shown !== 0;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
