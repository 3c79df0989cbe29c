"""Publications on the site: landing pages, the catalogue with its facet pages, citations, feeds and social cards.

`write_pages` is the build's publications step: it checks every front matter, has the reports engine
(`reports.render_documents`) render the documents, then frames each rendered page as a landing page
and writes everything around it (`write_landing_pages`). Modules: `model` (front matter, topics, checks),
`landing`, `catalogue`, `citation`, `feeds`, `social`; the datasets a document used: `observatorio.datasets_used`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from .. import datasets_used, reports
from ..errors import UserError
from ..files import write_if_changed
from ..i18n import Language, languages, read_mkdocs_config, strings
from . import catalogue, citation, feeds, landing, social
from .model import Publication, collect, load_topics

__all__ = ["Publication", "collect", "latest_markdown", "write_pages"]


def site_url(root: Path) -> str:
    url = str(read_mkdocs_config(root).get("site_url") or "").rstrip("/")
    if not url:
        raise UserError("mkdocs.yml: `site_url` is needed for the feeds and social cards (absolute addresses).")
    return url + "/"


def page_url(base: str, lang: Language, slug: str) -> str:
    return f"{base}{lang.prefix()}publicacoes/{slug}/"


def write_pages(root: Path, docs: Path, jobs: int | None = None, engine: str = "auto",
                progress: Callable[[str], None] = lambda message: None) -> list[str]:
    """The publications step: every report and notebook rendered into `docs`, then their landing pages and all
    around them; return what was rebuilt and why. Front matter, topics and slugs are checked before any cell runs."""
    langs = languages(root)
    collect(Path(root).resolve(), langs)
    lines, rendered = reports.render_documents(root, docs, jobs=jobs, engine=engine, progress=progress)
    write_landing_pages(root, docs, rendered, langs)
    return lines


def write_landing_pages(root: Path, docs: Path, rendered: list, langs: tuple[Language, ...] | None = None) -> list[str]:
    """Landing pages, catalogue pages, feeds, citations and cards for every rendered publication."""
    root = Path(root).resolve()
    langs = langs or languages(root)
    publications = collect(root, langs)
    base = site_url(root)
    by_slug: dict[str, dict[str, object]] = {}
    for item in rendered:
        if item.source.kind == "report":
            by_slug.setdefault(item.source.slug, {})[item.source.lang] = item
    publications = [p for p in publications if p.slug in by_slug]
    pdfs = {p.slug: pdf_sizes(p, by_slug[p.slug]) for p in publications}
    for publication in publications:
        if publication.type == "brief":
            check_brief_length(root, publication, by_slug[publication.slug])
    cards = social.Cards() if publications else None
    topics = load_topics(root, langs)
    for publication in publications:
        for lang in langs:
            item = by_slug[publication.slug].get(lang.code)
            if item is None:
                continue  # published in one language only: the main-language page stands in
            write_landing(root, docs, publication, lang, langs, item, base, pdfs[publication.slug], cards)
    for lang in langs:
        s = strings(root, lang.code)
        labels = {t.id: t.label(lang.code) for t in topics.values()}
        pages = catalogue.write(publications, lang, s, langs, labels, list(topics), pdfs)
        for relative, text in pages.items():
            write_if_changed(docs / relative, text)
        title = f"{s['reports.publications']} · {s['organisation']}"
        def url_of(p, lang=lang):
            return page_url(base, lang, p.slug)
        write_if_changed(docs / "publicacoes" / feeds.rss_name(lang.code), feeds.rss(publications, lang, s, base, title, url_of))
        write_if_changed(docs / "publicacoes" / feeds.atom_name(lang.code),
                         feeds.atom(publications, lang, s, base, title, url_of, s["organisation"]))
    return [f"publications: {len(publications)} landing pages, catalogue and feeds in {len(langs)} languages"]


def pdf_sizes(publication: Publication, items: dict) -> dict[str, int]:
    sizes = {}
    for code, item in items.items():
        content = item.files.get(f"publicacoes/{publication.slug}/{publication.slug}-{code}.pdf")
        if content is not None:
            sizes[code] = len(content)
    return sizes


MAX_BRIEF_PAGES = 4
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


def check_brief_length(root: Path, publication: Publication, items: dict) -> None:
    """A policy brief is short: its PDF has at most four A4 pages in every language."""
    for code, item in items.items():
        content = item.files.get(f"publicacoes/{publication.slug}/{publication.slug}-{code}.pdf")
        pages = len(PDF_PAGE.findall(content)) if content else 0
        if pages > MAX_BRIEF_PAGES:
            where = os.path.relpath(publication.paths.get(code, publication.folder), root)
            raise UserError(f"{where}: the policy brief's PDF has {pages} pages; a brief has at most {MAX_BRIEF_PAGES}. "
                            "Shorten it, or make it `type: report`.")


def page_file(publication: Publication, lang: Language) -> str:
    return f"publicacoes/{publication.slug}/{'index.md' if lang.default else f'index.{lang.code}.md'}"


def write_landing(root: Path, docs: Path, publication: Publication, lang: Language, langs, item, base: str,
                  pdfs: dict[str, int], cards: social.Cards) -> None:
    s = strings(root, lang.code)
    code = lang.code
    relative = page_file(publication, lang)
    rendered_page = item.files.get(relative, b"").decode("utf-8")
    url = page_url(base, lang, publication.slug)
    kind = str(s[f"reports.types.{publication.type}"])
    figure = social.key_figure(rendered_page)
    card = social.card_name(publication.slug, code)
    data = {
        "org": s["organisation"], "kind": kind, "title": publication.title(code),
        "value": figure.value if figure else "", "label": figure.label if figure else "",
        "date": s.long_date(publication.date(code)), "site": base.split("//", 1)[-1].rstrip("/"), "lang": code,
    }
    write_if_changed(docs / "publicacoes" / publication.slug / card, cards.render(f"{publication.folder.name}: {card}", data))
    if figure:
        alt = s.format("publications.card_alt", title=publication.title(code), kind=kind, figure=figure.label)
    else:
        alt = s.format("publications.card_alt_plain", title=publication.title(code), kind=kind)
    names = list(item.meta.get("datasets") or []) + publication.datasets_declared()
    label = str(publication.paths.get(code, publication.folder))
    ctx = landing.Context(
        publication=publication, lang=lang, s=s, langs=langs, url=url,
        card_url=f"{base}publicacoes/{publication.slug}/{card}", card_alt=alt, pdfs=pdfs,
        figures=list(item.meta.get("figure_list") or []),
        datasets=datasets_used.entries(root, names, code, os.path.relpath(label, root)),
        citation_text=citation.text(publication, code, s, url),
        bibtex=citation.bibtex(publication, code, s, url),
        csl=citation.csl_json(publication, code, s, url),
    )
    folder = docs / "publicacoes" / publication.slug
    write_if_changed(folder / f"{publication.slug}-{code}.bib", ctx.bibtex)
    write_if_changed(folder / f"{publication.slug}-{code}-csl.json", ctx.csl)
    write_if_changed(docs / relative, landing.page(ctx, rendered_page))


def latest_markdown(root: Path, lang: Language, here: str, count: int = 3) -> str:
    """The home page's latest publications, from front matter alone (nothing is rendered)."""
    s = strings(root, lang.code)
    return catalogue.latest(collect(root), lang, s, str(here), count)
