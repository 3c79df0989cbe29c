// Figure views as tabs (WAI-ARIA tabs pattern, automatic activation) and copy buttons.
// Without this script every figure shows its panels one under the other, each with its heading,
// and the tab list stays hidden. With it, the tab list shows, the sections become tab panels and
// one panel shows at a time: Left/Right arrows move between tabs, Home and End go to the first
// and last, Tab moves into the panel. The table panel's "show data" box opens, since the tab
// already is the reader's choice to see the data.
(function () {
  function select(tabs, tab, focus) {
    tabs.forEach(function (other) {
      var on = other === tab;
      other.setAttribute("aria-selected", on ? "true" : "false");
      other.tabIndex = on ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !on;
    });
    if (focus) tab.focus();
  }

  function setUp(view) {
    var tablist = view.querySelector(":scope > [role=tablist]");
    if (!tablist || view.classList.contains("obs-view--tabs")) return;
    var tabs = Array.prototype.slice.call(tablist.querySelectorAll("[role=tab]"));
    tabs.forEach(function (tab) {
      var panel = document.getElementById(tab.getAttribute("aria-controls"));
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      panel.querySelectorAll(":scope > details.obs-data").forEach(function (box) { box.open = true; });
      tab.addEventListener("click", function () { select(tabs, tab, false); });
      tab.addEventListener("keydown", function (event) {
        var index = tabs.indexOf(tab);
        var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
        if (next === undefined) return;
        event.preventDefault();
        select(tabs, tabs[(next + tabs.length) % tabs.length], true);
      });
    });
    view.classList.add("obs-view--tabs");
    tablist.hidden = false;
    select(tabs, tabs.filter(function (t) { return t.getAttribute("aria-selected") === "true"; })[0] || tabs[0], false);
  }

  function copy(button) {
    var text = button.getAttribute("data-copy");
    var label = button.textContent;
    navigator.clipboard.writeText(text).then(function () {
      button.textContent = button.getAttribute("data-copied");
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  }

  document.querySelectorAll(".obs-view").forEach(setUp);
  if (navigator.clipboard) {
    document.querySelectorAll("button.obs-copy[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  }
  // A link to a panel's tab (or to something inside a hidden panel) shows that panel.
  function showTarget() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var panel = target && target.closest && target.closest(".obs-view-panel[role=tabpanel]");
    if (panel && panel.hidden) {
      var tab = document.getElementById(panel.getAttribute("aria-labelledby"));
      select(Array.prototype.slice.call(tab.parentNode.querySelectorAll("[role=tab]")), tab, false);
    }
  }
  window.addEventListener("hashchange", showTarget);
  showTarget();
})();
