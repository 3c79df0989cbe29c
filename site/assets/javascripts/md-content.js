// Material for MkDocs's inline script from partials/javascripts/content.html, moved to a file so that the
// Content-Security-Policy allows no inline script (observatorio.csp). Same code, same order.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
