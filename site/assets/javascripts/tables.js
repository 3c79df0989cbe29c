// Sortable tables (progressive enhancement). Every table written by observatorio.tables carries the
// classes obs-table and obs-sortable; its numeric cells carry the class obs-num and their number in
// data-value. Here each column title becomes a button: the first press sorts the rows by that column
// in ascending order, the next one in descending order, and the title says which with aria-sort.
// Without this script the table reads as it was written. Missing and suppressed cells ("–", "< 5")
// stay last.
document$.subscribe(function () {
  var lang = document.documentElement.lang || undefined;

  function key(cell, numeric) {
    if (!cell) return null;
    if (numeric) {
      var value = cell.getAttribute("data-value");
      return value === null || value === "" ? null : parseFloat(value);
    }
    var text = cell.textContent.trim();
    return text === "" || text === "–" ? null : text;
  }

  function compare(a, b, numeric) {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    return numeric ? a - b : a.localeCompare(b, lang, { numeric: true, sensitivity: "base" });
  }

  function sort(table, index, button) {
    var header = button.parentNode;
    var descending = header.getAttribute("aria-sort") === "ascending";
    var numeric = header.classList.contains("obs-num");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, key: key(row.cells[index], numeric), position: position };
    });
    rows.sort(function (x, y) {
      if (x.key === null || y.key === null) return compare(x.key, y.key, numeric) || x.position - y.position;
      return (descending ? -1 : 1) * compare(x.key, y.key, numeric) || x.position - y.position;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  document.querySelectorAll("table.obs-sortable").forEach(function (table) {
    if (table.dataset.sortReady || !table.tHead || table.tHead.rows.length !== 1 || table.tBodies.length !== 1) return;
    if (table.tBodies[0].rows.length < 2) return;
    table.dataset.sortReady = "1";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      if (numericCells(table, index)) header.classList.add("obs-num");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "obs-sort";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sort(table, index, button); });
    });
    if (table.scrollWidth > table.clientWidth) table.tabIndex = 0;  // a box that scrolls sideways is reachable by keyboard
  });

  function numericCells(table, index) {
    var first = table.tBodies[0].rows[0].cells[index];
    return !!first && first.classList.contains("obs-num");
  }
});
