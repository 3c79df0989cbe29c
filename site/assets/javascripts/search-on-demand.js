// Material for MkDocs requests the search index as soon as a page loads (over http; it waits
// only for file://). This holds that one request until the reader opens search, as Material
// itself does for file://: the search toggle changes when the search box gets focus, is clicked,
// or is opened with the keyboard ("s", "/"). Loaded in <head>, before Material's bundle.
(function () {
  var INDEX = /\/search\/search_index\.json$/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  XMLHttpRequest.prototype.open = function (method, url) {
    this.searchIndex = INDEX.test(new URL(url, location.href).pathname);
    return open.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function () {
    var request = this, args = arguments;
    var toggle = document.querySelector('input[data-md-toggle="search"]');
    if (!request.searchIndex || !toggle || toggle.checked) {
      return send.apply(request, args);
    }
    toggle.addEventListener("change", function opened() {
      if (!toggle.checked) return;
      toggle.removeEventListener("change", opened);
      send.apply(request, args);
    });
  };
})();
