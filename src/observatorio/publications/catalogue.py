"""The publications catalogue: one page per language, newest first, plus a static page per facet.

Without JavaScript, filtering is following links: `publicacoes/tipo/<type>/`, `publicacoes/ano/<year>/`
and `publicacoes/tema/<topic>/` are real pages. With JavaScript, a form (in the page, hidden until the
script runs) filters the list in place by type, year and topic together.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass

from .. import pages
from ..i18n import Language, Strings
from ..markup import md_text as md
from .feeds import atom_name, rss_name
from .model import Publication

SCRIPT = "assets/javascripts/observatorio-publications.js"  # the filter form (site/assets/javascripts/)
FACETS = ("tipo", "ano", "tema")


@dataclass(frozen=True)
class Facet:
    kind: str  # tipo | ano | tema
    value: str  # type id, year or topic id

    def folder(self) -> str:
        return f"publicacoes/{self.kind}/{self.value}"


def page_file(folder: str, lang: Language) -> str:
    return f"{folder}/index.md" if lang.default else f"{folder}/index.{lang.code}.md"


def landing_file(publication: Publication, lang: Language) -> str:
    """The landing page in `lang`, or in the main language for a publication published in that one only."""
    folder = f"publicacoes/{publication.slug}"
    return page_file(folder, lang) if lang.code in publication.metas else f"{folder}/index.md"


def rel(here: str, target: str) -> str:
    return os.path.relpath(target, start=os.path.dirname(here) or ".")


def facet_values(publications: list[Publication], topics_order: list[str]) -> dict[str, list[str]]:
    types = sorted({p.type for p in publications})
    years = sorted({str(p.date().year) for p in publications}, reverse=True)
    used = {t.id for p in publications for t in p.topics}
    return {"tipo": types, "ano": years, "tema": [t for t in topics_order if t in used]}


def label(facet_kind: str, value: str, s: Strings, topic_labels: dict[str, str]) -> str:
    if facet_kind == "tipo":
        return str(s[f"reports.types.{value}"])
    if facet_kind == "tema":
        return topic_labels[value]
    return value


def matches(publication: Publication, facet: Facet | None) -> bool:
    if facet is None:
        return True
    if facet.kind == "tipo":
        return publication.type == facet.value
    if facet.kind == "ano":
        return str(publication.date().year) == facet.value
    return facet.value in {t.id for t in publication.topics}


def item(publication: Publication, lang: Language, s: Strings, here: str, langs, pdfs: dict[str, int]) -> dict:
    """One publication in a catalogue page (template `publications-catalogue`)."""
    code = lang.code
    p = publication
    topic_links = ", ".join(f"[{md(t.label(code))}]({rel(here, page_file(f'publicacoes/tema/{t.id}', lang))})" for t in p.topics)
    extras = []
    if topic_links:
        extras.append(f"**{s['publications.topics']}:** {topic_links}")
    if pdfs:
        from .landing import size_text

        names = {x.code: x.name for x in langs}
        pdf_links = " · ".join(
            f"[{md(s.format('publications.pdf_in', language=names.get(other, other), size=size_text(size, s)))}]"
            f"({rel(here, f'publicacoes/{p.slug}/{p.slug}-{other}.pdf')}){{ download hreflang=\"{other}\" }}"
            for other, size in sorted(pdfs.items(), key=lambda kv: kv[0] != code)
        )
        extras.append(f"**{s['publications.downloads']}:** {pdf_links}")
    return {"type": p.type, "year": p.date().year, "topics": " ".join(t.id for t in p.topics), "title": p.title(code),
            "href": rel(here, landing_file(p, lang)), "kind": s[f"reports.types.{p.type}"], "date": p.date(code).isoformat(),
            "date_text": s.long_date(p.date(code)), "abstract": p.abstract(code), "extras": extras}


def facet_groups(facet: Facet | None, values: dict[str, list[str]], counts: dict[tuple[str, str], int], s: Strings,
                 topic_labels: dict[str, str], here: str, lang: Language) -> list[dict]:
    """Links to every facet page (the filter without JavaScript); the current one in bold."""
    titles = {"tipo": s["publications.filter_by_type"], "ano": s["publications.filter_by_year"], "tema": s["publications.filter_by_topic"]}
    groups = []
    for kind in FACETS:
        links = []
        for value in values[kind]:
            text = f"{md(label(kind, value, s, topic_labels))} ({counts[(kind, value)]})"
            links.append(f"**{text}**" if facet == Facet(kind, value) else f"[{text}]({rel(here, page_file(Facet(kind, value).folder(), lang))})")
        if links:
            groups.append({"title": titles[kind], "links": links})
    return groups


def filter_form(values: dict[str, list[str]], s: Strings, topic_labels: dict[str, str]) -> list[dict]:
    """The JavaScript filter's selects: the form is hidden until the script runs, so readers without it never see a dead form."""
    titles = {"tipo": s["publications.filter_by_type"], "ano": s["publications.filter_by_year"], "tema": s["publications.filter_by_topic"]}
    names = {"tipo": "type", "ano": "year", "tema": "topics"}
    return [{"title": titles[kind], "name": names[kind], "options": [(v, label(kind, v, s, topic_labels)) for v in values[kind]]} for kind in FACETS]


def write(publications: list[Publication], lang: Language, s: Strings, langs, topic_labels: dict[str, str],
          topics_order: list[str], pdfs: dict[str, dict[str, int]]) -> dict[str, str]:
    """Every catalogue page of one language (template `publications-catalogue`): docs-relative path -> Markdown."""
    values = facet_values(publications, topics_order)
    counts = {(kind, value): sum(matches(p, Facet(kind, value)) for p in publications) for kind in FACETS for value in values[kind]}
    written = {}
    facets: list[Facet | None] = [None, *(Facet(kind, value) for kind in FACETS for value in values[kind])]
    for facet in facets:
        folder = "publicacoes" if facet is None else facet.folder()
        here = page_file(folder, lang)
        if facet is None:
            title = str(s["reports.publications"])
        else:
            key = {"tipo": "facet_type", "ano": "facet_year", "tema": "facet_topic"}[facet.kind]
            title = s.format(f"publications.{key}", label=label(facet.kind, facet.value, s, topic_labels))
        chosen = [p for p in publications if matches(p, facet)]
        count = s["publications.count_one"] if len(chosen) == 1 else s.format("publications.count", count=s.number(len(chosen)))
        all_link = f"**{s['publications.all']}**" if facet is None else f"[{s['publications.all']}]({rel(here, page_file('publicacoes', lang))})"
        script = "../" * (here.count("/") + (0 if lang.default else 1)) + SCRIPT if facet is None else ""
        written[here] = pages.render(
            "publications-catalogue", s=s, title=title, all_link=all_link, count=count,
            rss=rel(here, f"publicacoes/{rss_name(lang.code)}"), atom=rel(here, f"publicacoes/{atom_name(lang.code)}"),
            facet_groups=facet_groups(facet, values, counts, s, topic_labels, here, lang),
            form=filter_form(values, s, topic_labels) if facet is None else [],
            count_one=str(s["publications.count_one"]), count_many=s.format("publications.count", count="{count}"),
            items=[item(p, lang, s, here, langs, pdfs.get(p.slug, {})) for p in chosen], script=script)
    return written


def latest(publications: list[Publication], lang: Language, s: Strings, here: str, count: int = 3) -> str:
    """The home page's list of the latest publications (marker `<!-- observatorio:latest-publications -->`)."""
    if not publications:
        return ""
    lines = [f"## {s['publications.latest']}", "", '<div class="grid cards obs-latest" markdown>', ""]
    for p in publications[:count]:
        kind = s[f"reports.types.{p.type}"]
        lines += [
            f"-   **[{md(p.title(lang.code))}]({rel(here, landing_file(p, lang))})**",
            "",
            f"    {html.escape(kind)} · {html.escape(s.long_date(p.date(lang.code)))}",
            "",
            f"    {md(p.abstract(lang.code))}",
            "",
        ]
    lines += ["</div>", "", f"[{s['publications.see_all']}]({rel(here, page_file('publicacoes', lang))})", ""]
    return "\n".join(lines)
