// Interactive charts, loaded only when needed. Each figure keeps its SVG image, alt text and data
// table; when a chart is in view (its top above the lowest quarter of the window) or gets the
// keyboard focus, the self-hosted Vega bundle (vega, vega-lite, vega-embed) is loaded once and the
// chart replaces the image, one chart per task so that the page stays responsive.
// `ast: true` makes Vega interpret expressions instead of compiling them with `new Function`, so the
// page's Content-Security-Policy needs no 'unsafe-eval'.
(function () {
  var charts = document.querySelectorAll("figure.obs-figure .obs-chart");
  if (!charts.length) return;
  var bundle = new URL("vega-bundle.js", document.currentScript.src).href;
  var loading = null;
  var queue = Promise.resolve();

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

  function render(target) {
    if (target.dataset.rendered) return;
    var specNode = target.closest("figure.obs-figure").querySelector("script.obs-chart-spec");
    if (!specNode) return;
    target.dataset.rendered = "loading";
    var fallback = target.innerHTML;
    var label = target.getAttribute("aria-label") || "";
    queue = queue.then(loadBundle).then(function () {
      return new Promise(function (resolve) { setTimeout(resolve, 0); });
    }).then(function () {
      var spec = JSON.parse(specNode.textContent);
      spec.description = label;  // Vega labels its SVG with the spec's description
      return window.vegaEmbed(target, spec, { actions: false, renderer: "svg", ast: true });
    }).then(function () {
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
})();
