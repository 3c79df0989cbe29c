// Country profiles index: shows the filter box. Run (not deferred) right after the box, before the table is
// laid out: unhiding it later would lay the long table out a second time. A file, since the CSP allows no inline script.
document.querySelector(".obs-profile-filter").hidden = false;
