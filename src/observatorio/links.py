"""Internal link check over a built site: every href and src inside the site must resolve."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

SKIPPED_SCHEMES = ("mailto", "tel", "javascript", "data")


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and ((name == "href" and tag in ("a", "link")) or (name == "src" and tag in ("img", "script", "source", "iframe"))):
                self.links.append(value)


def _target(site_dir: Path, page: Path, link: str, site_url: str) -> Path | None:
    """The file a link points to inside the site, or None when it leaves the site."""
    if site_url and link.startswith(site_url):
        link = "/" + link[len(site_url):]
    parts = urlsplit(link)
    if parts.scheme in SKIPPED_SCHEMES or parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return None
    base = site_dir if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(site_dir: Path, site_url: str = "") -> list[str]:
    site_dir = site_dir.resolve()
    if not site_url:
        site_url = _site_url(site_dir)
    problems = []
    for page in sorted(site_dir.rglob("*.html")):
        parser = _LinkParser()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for link in sorted(set(parser.links)):
            target = _target(site_dir, page, link, site_url)
            if target is None:
                continue
            if not str(target).startswith(str(site_dir)) or not target.exists():
                problems.append(f"{page.relative_to(site_dir)}: broken link {link}")
    return problems


def _site_url(site_dir: Path) -> str:
    """The site's own URL, read from its sitemap (links to it are internal)."""
    sitemap = site_dir / "sitemap.xml"
    if sitemap.is_file():
        text = sitemap.read_text(encoding="utf-8")
        start = text.find("<loc>")
        if start >= 0:
            loc = text[start + 5 : text.find("</loc>", start)]
            parts = urlsplit(loc)
            return f"{parts.scheme}://{parts.netloc}/"
    return ""
