// Interactive charts, loaded only when needed. Each figure keeps its SVG image, alt text and data
// table; when a chart is in view (its top above the lowest quarter of the window) or gets the
// keyboard focus, the self-hosted Vega bundle (vega, vega-lite, vega-embed) is loaded once and the
// chart replaces the image, one chart per task so that the page stays responsive.
// `ast: true` makes Vega interpret expressions instead of compiling them with `new Function`, so the
// page's Content-Security-Policy needs no 'unsafe-eval'.
// Each chart fills its container (`width: "container"`, axes and legend included) and, below NARROW
// pixels, is laid out for a phone: horizontal axis labels (fewer of them instead of rotated ones) and
// long category labels written over several lines (the tooltip and the data table keep the full
// text), and the source line under the chart over as many lines as it needs. When the window crosses that width, the chart is drawn again. The static SVG and PNG files
// and the PDF keep the print layout.
(function () {
  var charts = document.querySelectorAll("figure.obs-figure .obs-chart");
  if (!charts.length) return;
  var bundle = new URL("vega-bundle.js", document.currentScript.src).href;
  // A chart's data URL (a world map's basemap, `assets/geo/countries-110m.json`) is relative to the
  // site's root, found from this script's own address, so it works from any page depth and never
  // leaves the site's origin.
  var siteRoot = new URL("../../", document.currentScript.src).href;
  var loading = null;
  var queue = Promise.resolve();
  var NARROW = 560;  // px: the charts' print width (charts.WIDTH)
  var WRAP = 18;  // characters per line of a long category label on a narrow chart
  var views = new Map();  // container -> the Vega view drawn in it

  function loadBundle() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = bundle;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function layout(target) { return target.clientWidth < NARROW ? "narrow" : "wide"; }

  // The spec for the container's width: single and layered views fill it; a narrow one gets the phone layout.
  function responsive(spec, width) {
    var narrow = width < NARROW;
    var single = !["hconcat", "vconcat", "concat", "facet", "repeat"].some(function (k) { return k in spec; });
    if (spec.projection) {
      // a world map: as wide as its container, and half as high (the Equal Earth world is about 2:1)
      spec.width = Math.max(240, width - 16);  // its padding and the legend's stroke must fit too: drawn wider, it would be scaled down
      spec.height = Math.round(spec.width / 2);
      spec.autosize = { type: "pad" };
      if (narrow) {  // on a phone the size legend goes under the map, off the continents
        (spec.layer || []).forEach(function (layer) {
          var size = layer.encoding && layer.encoding.size;
          if (size && size.legend) Object.assign(size.legend, { orient: "bottom", direction: "horizontal" });
        });
      }
    } else if (single) {
      spec.width = "container";
      spec.autosize = { type: "fit-x", contains: "padding" };
    }
    if (!narrow) return spec;
    var config = spec.config = spec.config || {};
    config.axisX = Object.assign({}, config.axisX, { labelAngle: 0, labelOverlap: "greedy", labelSeparation: 6 });
    config.legend = Object.assign({}, config.legend, { orient: "bottom", direction: "vertical" });
    wrapTitle(spec, Math.max(24, Math.floor(width / 5.8)));  // the source line: under 6 px a character at 11 px
    var values = allRows(spec);
    eachEncoding(spec, function (encoding) {
      ["x", "y"].forEach(function (channel) {
        var e = encoding[channel];
        if (!e || !e.field || (e.type !== "nominal" && e.type !== "ordinal") || e.axis === null) return;
        if (e.axis && e.axis.labelExpr) return;  // the author's own labels
        var labels = wrapped(values, e.field);
        if (!labels) return;
        e.axis = Object.assign({}, e.axis, { labelExpr: labels.text });
        if (channel === "y") e.axis.labelOffset = { expr: labels.offset };  // lines centred on the tick
      });
    });
    return spec;
  }

  // The source line (and notes) under the chart, written over lines that fit the width (Vega does not wrap titles).
  function wrapTitle(spec, perLine) {
    var title = spec.title;
    if (!title) return;
    var text = typeof title === "object" && !Array.isArray(title) ? title.text : title;
    if (!text) return;
    var lines = [];
    (Array.isArray(text) ? text : [text]).forEach(function (paragraph) { lines = lines.concat(splitWords(String(paragraph), perLine)); });
    if (typeof title === "object" && !Array.isArray(title)) title.text = lines; else spec.title = lines;
  }

  function splitWords(text, perLine) {
    var lines = [], line = "";
    text.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > perLine) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return lines;
  }

  function allRows(spec) {
    var rows = [];
    Object.keys(spec.datasets || {}).forEach(function (k) { rows = rows.concat(spec.datasets[k]); });
    if (spec.data && spec.data.values) rows = rows.concat(spec.data.values);
    return rows;
  }

  function eachEncoding(spec, visit) {
    if (spec.encoding) visit(spec.encoding);
    (spec.layer || []).forEach(function (layer) { eachEncoding(layer, visit); });
  }

  // Vega expressions writing each long value of `field` over lines of at most WRAP characters
  // (`text`), and moving each up by half its extra lines (`offset`, 7 px a line at 12 px).
  function wrapped(rows, field) {
    var seen = {};
    var expression = "datum.label", offset = "0";
    var changed = false;
    rows.forEach(function (row) {
      var text = row[field];
      if (typeof text !== "string" || seen[text] || text.length <= WRAP) return;
      seen[text] = true;
      var lines = splitWords(text, WRAP);
      if (lines.length < 2) return;
      expression = "datum.label === " + JSON.stringify(text) + " ? " + JSON.stringify(lines) + " : " + expression;
      offset = "datum.label === " + JSON.stringify(text) + " ? " + (-7 * (lines.length - 1)) + " : " + offset;
      changed = true;
    });
    return changed ? { text: expression, offset: offset } : null;
  }

  // The box for a chart's inputs (a map's year selector), right after its spec: outside the chart's
  // role="img" container, where a control would be hidden from assistive technology.
  function controls(specNode) {
    var box = specNode.nextElementSibling;
    if (!box || !box.classList.contains("obs-chart-controls")) {
      box = document.createElement("div");
      box.className = "obs-chart-controls";
      specNode.parentNode.insertBefore(box, specNode.nextSibling);
    }
    box.innerHTML = "";
    return box;
  }

  function render(target) {
    if (target.dataset.rendered && target.dataset.rendered !== "again") return;
    // the spec written right after the chart (a figure's map view has its own), else the figure's first
    var specNode = target.nextElementSibling && target.nextElementSibling.matches("script.obs-chart-spec")
      ? target.nextElementSibling : target.closest("figure.obs-figure").querySelector("script.obs-chart-spec");
    if (!specNode) return;
    target.dataset.rendered = "loading";
    var fallback = target.innerHTML;
    var label = target.getAttribute("aria-label") || "";
    queue = queue.then(loadBundle).then(function () {
      return new Promise(function (resolve) { setTimeout(resolve, 0); });
    }).then(function () {
      var spec = responsive(JSON.parse(specNode.textContent), target.clientWidth);
      spec.description = label;  // Vega labels its SVG with the spec's description
      target.dataset.layout = layout(target);
      if (views.has(target)) { views.get(target).finalize(); target.innerHTML = ""; }
      var options = { actions: false, renderer: "svg", ast: true, loader: { baseURL: siteRoot } };
      var bound = (spec.params || []).some(function (p) { return p.bind; });
      if (bound) options.bind = controls(specNode);  // a map's year selector: beside the image, not inside it
      return window.vegaEmbed(target, spec, options);
    }).then(function (result) {
      views.set(target, result);
      // vega-embed makes the container a "graphics-document"; it stays one image with the figure's alt text
      target.setAttribute("role", "img");
      target.setAttribute("aria-label", label);
      target.removeAttribute("aria-roledescription");
      var svg = target.querySelector("svg");
      if (svg) { svg.setAttribute("role", "img"); svg.setAttribute("aria-label", label); }
      target.dataset.rendered = "1";
    }).catch(function () {
      target.innerHTML = fallback;
      target.dataset.rendered = "fallback";
    });
  }

  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { observer.unobserve(entry.target); render(entry.target); }
    });
  }, { rootMargin: "0px 0px -25% 0px" }) : null;
  charts.forEach(function (target) {
    target.addEventListener("focus", function () { render(target); });
    if (observer) observer.observe(target); else render(target);
  });

  // A phone turned, a window resized across NARROW: draw those charts again for their new width.
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      views.forEach(function (_view, target) {
        if (target.dataset.rendered === "1" && target.dataset.layout !== layout(target)) {
          target.dataset.rendered = "again";
          render(target);
        }
      });
    }, 200);
  });
})();
