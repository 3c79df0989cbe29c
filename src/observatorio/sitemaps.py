"""Sitemaps per language, cut from the site-wide sitemap that mkdocs-static-i18n writes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def language_sitemap(sitemap: bytes, prefix: str) -> bytes:
    """The `<url>` entries of `sitemap` whose location starts with `prefix`, alternates kept."""
    for name, uri in NS.items():
        ET.register_namespace("" if name == "sm" else name, uri)
    tree = ET.fromstring(sitemap)
    for url in list(tree.findall("sm:url", NS)):
        loc = url.find("sm:loc", NS)
        if loc is None or not (loc.text or "").strip().startswith(prefix):
            tree.remove(url)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="utf-8") + b"\n"
