"""Sitemaps per language, cut from the site-wide sitemap that mkdocs-static-i18n writes."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

NOINDEX = '<meta name="robots" content="noindex">'
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def language_sitemap(sitemap: bytes, prefix: str, unlisted: frozenset[str] = frozenset()) -> bytes:
    """The `<url>` entries of `sitemap` whose location starts with `prefix` and is not `unlisted`, alternates kept."""
    for name, uri in NS.items():
        ET.register_namespace("" if name == "sm" else name, uri)
    tree = ET.fromstring(sitemap)
    for url in list(tree.findall("sm:url", NS)):
        loc = url.find("sm:loc", NS)
        where = (loc.text or "").strip() if loc is not None else ""
        if not where.startswith(prefix) or where in unlisted:
            tree.remove(url)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="utf-8") + b"\n"


def unlisted_pages(sitemap: bytes, site_url: str, site_dir: Path) -> frozenset[str]:
    """Locations of `sitemap` whose built page asks search engines not to index it (front matter `unlisted: true`)."""
    found = set()
    for loc in ET.fromstring(sitemap).iterfind("sm:url/sm:loc", NS):
        where = (loc.text or "").strip()
        if not where.startswith(site_url):
            continue
        page = site_dir / where[len(site_url):].lstrip("/")
        page = page / "index.html" if where.endswith("/") or not page.suffix else page
        if page.is_file() and NOINDEX in page.read_text(encoding="utf-8"):
            found.add(where)
    return frozenset(found)


def write_sitemap(path: Path, sitemap: bytes) -> None:
    """`sitemap.xml`, and its `.gz` beside it when MkDocs wrote one (same bytes for the same sitemap: no timestamp)."""
    path.write_bytes(sitemap)
    packed = path.with_name(path.name + ".gz")
    if packed.exists():
        packed.write_bytes(gzip.compress(sitemap, mtime=0))
