"""How to cite a publication: formatted text, BibTeX and CSL-JSON, in the language of the page."""

from __future__ import annotations

import json

from ..bibtex import escape as bibtex_escape
from ..i18n import Strings
from .model import Publication


def cite_key(publication: Publication) -> str:
    return f"omcv{publication.date().year}{publication.slug.replace('-', '')}"


def text(publication: Publication, lang: str, s: Strings, url: str) -> str:
    """`Authors (2026). Title: subtitle [Policy brief, version 1.0]. Organisation. URL`"""
    names = "; ".join(publication.authors(lang)) or s["organisation"]
    title = publication.title(lang)
    if publication.subtitle(lang):
        title += f": {publication.subtitle(lang)}"
    kind = s[f"reports.types.{publication.type}"]
    version = s.format("publications.version_n", version=publication.version)
    return f"{names} ({publication.date(lang).year}). {title} [{kind}, {version}]. {s['organisation']}. {url}"


def bibtex(publication: Publication, lang: str, s: Strings, url: str) -> str:
    """A `@techreport` entry; corporate authors in double braces so BibTeX keeps them whole."""
    day = publication.date(lang)
    title = publication.title(lang)
    if publication.subtitle(lang):
        title += f": {publication.subtitle(lang)}"
    authors = " and ".join("{" + bibtex_escape(a) + "}" for a in publication.authors(lang)) or "{" + bibtex_escape(s["organisation"]) + "}"
    fields = [
        ("author", authors),
        ("title", "{" + bibtex_escape(title) + "}"),
        ("institution", bibtex_escape(s["organisation"])),
        ("type", bibtex_escape(s[f"reports.types.{publication.type}"])),
        ("year", str(day.year)),
        ("month", ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")[day.month - 1]),
        ("date", day.isoformat()),
        ("version", bibtex_escape(publication.version)),
        ("language", str(s["bibtex_language"])),
        ("url", url),
        ("abstract", bibtex_escape(publication.abstract(lang))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@techreport{{{cite_key(publication)}-{lang},\n{body}\n}}\n"


def csl_json(publication: Publication, lang: str, s: Strings, url: str) -> str:
    """A one-item CSL-JSON array (what Zotero and pandoc read)."""
    day = publication.date(lang)
    item = {
        "id": f"{cite_key(publication)}-{lang}",
        "type": "report",
        "title": publication.title(lang) + (f": {publication.subtitle(lang)}" if publication.subtitle(lang) else ""),
        "author": [{"literal": name} for name in publication.authors(lang)] or [{"literal": s["organisation"]}],
        "issued": {"date-parts": [[day.year, day.month, day.day]]},
        "publisher": s["organisation"],
        "genre": s[f"reports.types.{publication.type}"],
        "version": publication.version,
        "language": str(s["citation_locale"]),
        "abstract": publication.abstract(lang),
        "URL": url,
    }
    if publication.keywords(lang):
        item["keyword"] = ", ".join(publication.keywords(lang))
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"
