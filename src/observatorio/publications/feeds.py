"""RSS 2.0 and Atom 1.0 feeds of the publications, one of each per language, with absolute URLs.

Written with ElementTree, so the XML is well formed whatever the titles hold. Dates come from
the front matter (publication date, corrections), never from the clock, so builds repeat.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from email.utils import format_datetime

from ..i18n import Language, Strings
from .model import Publication

ATOM = "http://www.w3.org/2005/Atom"


def rss_name(lang: str) -> str:
    return f"rss-{lang}.xml"


def atom_name(lang: str) -> str:
    return f"atom-{lang}.xml"


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def rss(publications: list[Publication], lang: Language, s: Strings, site_url: str, title: str, page_url) -> bytes:
    """`page_url(publication)` is the absolute URL of its landing page in this language."""
    ET.register_namespace("atom", ATOM)
    root = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(root, "channel")
    home = f"{site_url}{lang.prefix()}publicacoes/"
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = home
    ET.SubElement(channel, "description").text = str(s["reports.publications_intro"])
    ET.SubElement(channel, "language").text = lang.code
    ET.SubElement(channel, f"{{{ATOM}}}link", {"href": f"{site_url}publicacoes/{rss_name(lang.code)}", "rel": "self", "type": "application/rss+xml"})
    if publications:
        ET.SubElement(channel, "lastBuildDate").text = format_datetime(_moment(max(p.updated(lang.code) for p in publications)))
    for publication in publications:
        item = ET.SubElement(channel, "item")
        url = page_url(publication)
        ET.SubElement(item, "title").text = publication.title(lang.code)
        ET.SubElement(item, "link").text = url
        ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = url
        ET.SubElement(item, "pubDate").text = format_datetime(_moment(publication.date(lang.code)))
        ET.SubElement(item, "description").text = publication.abstract(lang.code)
        ET.SubElement(item, "category").text = str(s[f"reports.types.{publication.type}"])
        for topic in publication.topics:
            ET.SubElement(item, "category").text = topic.label(lang.code)
    return _xml(root)


def atom(publications: list[Publication], lang: Language, s: Strings, site_url: str, title: str, page_url, organisation: str) -> bytes:
    ET.register_namespace("", ATOM)
    def a(name):
        return f"{{{ATOM}}}{name}"
    root = ET.Element(a("feed"), {"{http://www.w3.org/XML/1998/namespace}lang": lang.code})
    home = f"{site_url}{lang.prefix()}publicacoes/"
    ET.SubElement(root, a("title")).text = title
    ET.SubElement(root, a("subtitle")).text = str(s["reports.publications_intro"])
    ET.SubElement(root, a("id")).text = f"{site_url}publicacoes/{atom_name(lang.code)}"
    ET.SubElement(root, a("link"), {"rel": "alternate", "type": "text/html", "href": home})
    ET.SubElement(root, a("link"), {"rel": "self", "type": "application/atom+xml", "href": f"{site_url}publicacoes/{atom_name(lang.code)}"})
    newest = max((p.updated(lang.code) for p in publications), default=dt.date(2000, 1, 1))
    ET.SubElement(root, a("updated")).text = _moment(newest).isoformat()
    author = ET.SubElement(root, a("author"))
    ET.SubElement(author, a("name")).text = organisation
    for publication in publications:
        entry = ET.SubElement(root, a("entry"))
        url = page_url(publication)
        ET.SubElement(entry, a("title")).text = publication.title(lang.code)
        ET.SubElement(entry, a("id")).text = url
        ET.SubElement(entry, a("link"), {"rel": "alternate", "type": "text/html", "href": url})
        ET.SubElement(entry, a("published")).text = _moment(publication.date(lang.code)).isoformat()
        ET.SubElement(entry, a("updated")).text = _moment(publication.updated(lang.code)).isoformat()
        for name in publication.authors(lang.code) or [organisation]:
            ET.SubElement(ET.SubElement(entry, a("author")), a("name")).text = name
        ET.SubElement(entry, a("summary")).text = publication.abstract(lang.code)
        ET.SubElement(entry, a("category"), {"term": publication.type, "label": str(s[f"reports.types.{publication.type}"])})
        for topic in publication.topics:
            ET.SubElement(entry, a("category"), {"term": topic.id, "label": topic.label(lang.code)})
    return _xml(root)
