// Live reload of the preview, as a file so that the site's Content-Security-Policy
// (script-src 'self', no inline script) lets it run. MkDocs' own script is inline.
// The page's build number comes from the tag's data-epoch; MkDocs answers /livereload/<epoch>/<id>
// with a newer number as soon as a rebuild finishes.
(function () {
  "use strict";
  var script = document.currentScript;
  var epoch = parseInt(script.dataset.epoch, 10);
  var requestId = script.dataset.request;
  var request, timeout;

  function poll() {
    request = new XMLHttpRequest();
    request.onloadend = function () {
      if (parseFloat(this.responseText) > epoch) {
        location.reload();
      } else {
        timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    request.open("GET", "/livereload/" + epoch + "/" + requestId);
    request.send();
  }

  function stop() {
    if (request) request.abort();
    if (timeout) clearTimeout(timeout);
    request = timeout = undefined;
  }

  window.addEventListener("load", function () {
    if (document.visibilityState === "visible") poll();
  });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") poll(); else stop();
  });
  window.addEventListener("beforeunload", stop);
})();
