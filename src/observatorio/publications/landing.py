"""The landing page of a publication in one language: the rendered text framed by what readers look for.

Above the text: type, date, version, authors, topics, abstract and the PDFs in every language with
their size. Below it: the figures with their data, the datasets used (the brief's "about the data"
box), how to cite (text, BibTeX, CSL-JSON) and the version with its corrections log.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

from .. import pages
from ..files import load_yaml
from ..i18n import Language, Strings
from ..markup import md_text as md
from ..updated import updated_line
from .model import Publication


@dataclass
class Context:
    publication: Publication
    lang: Language
    s: Strings
    langs: tuple[Language, ...]
    url: str  # absolute URL of this page
    card_url: str
    card_alt: str
    pdfs: dict[str, int] = field(default_factory=dict)  # language code -> size in bytes
    figures: list[dict] = field(default_factory=list)
    datasets: list[dict] = field(default_factory=list)  # name, title, sources (list of str)
    citation_text: str = ""
    bibtex: str = ""
    csl: str = ""


def split_page(page: str) -> tuple[dict, str]:
    """Front matter and the body after the page's `# title` line."""
    front, body = {}, page
    if page.startswith("---\n"):
        end = page.index("\n---", 4)
        front = load_yaml(page[4:end]) or {}
        body = page[end + 4 :].lstrip("\n")
    match = re.match(r"# .*\n", body)
    if match:
        body = body[match.end() :]
    return front, body.lstrip("\n")


def localized(folder: str, lang: Language) -> str:
    """The page file of `folder` in `lang`: `index.md`, `index.en.md`."""
    return f"{folder}/index.md" if lang.default else f"{folder}/index.{lang.code}.md"


def link(start: str, target: str) -> str:
    """A relative Markdown link from the docs file `start` to the docs file `target`."""
    return os.path.relpath(target, start=os.path.dirname(start) or ".")


def size_text(size: int, s: Strings) -> str:
    from ..files import human_size

    return human_size(size, str(s["number.decimal"]))


def facts(ctx: Context, here: str) -> list[str]:
    """Authors and topics, each a line under the abstract's heading."""
    p, s, code = ctx.publication, ctx.s, ctx.lang.code
    lines = []
    if p.authors(code):
        lines.append(f"**{s['publications.authors']}:** {md(', '.join(p.authors(code)))}")
    if p.topics:
        topics = ", ".join(f"[{md(t.label(code))}]({link(here, localized(f'publicacoes/tema/{t.id}', ctx.lang))})" for t in p.topics)
        lines.append(f"**{s['publications.topics']}:** {topics}")
    return lines


def pdf_links(ctx: Context) -> list[str]:
    """The PDF in every language, the page's own first."""
    p, s, code = ctx.publication, ctx.s, ctx.lang.code
    names = {lang.code: lang.name for lang in ctx.langs}
    return [f"[{md(s.format('publications.pdf_in', language=names.get(other, other), size=size_text(size, s)))}]"
            f"({p.slug}-{other}.pdf){{ download hreflang=\"{other}\" type=\"application/pdf\" }}"
            for other, size in sorted(ctx.pdfs.items(), key=lambda kv: kv[0] != code)]


def figure_items(ctx: Context) -> list[dict]:
    """Each figure: its title (linked to it when it has a label) and its downloads."""
    s, items = ctx.s, []
    for figure in ctx.figures:
        caption = md(figure.get("caption") or figure["stem"])
        base = f"figures/{figure['stem']}"
        downloads = []
        if figure.get("data"):
            downloads += [(f"{base}.csv", s["reports.data_csv"]), (f"{base}-download.svg", s["reports.image_svg"]),
                          (f"{base}.png", s["reports.image_png"]), (f"{base}-vegalite.json", s["reports.spec_json"])]
        elif figure.get("ext"):
            downloads.append((f"{base}.{figure['ext']}", figure["ext"].upper()))
        items.append({"title": f"[{caption}](#{figure['label']})" if figure.get("label") else caption,
                      "links": [f"[{md(text)}]({href})" for href, text in downloads]})
    return items


def cite_blocks(ctx: Context) -> list[dict]:
    """BibTeX and CSL-JSON, folded (they take screens on a phone), as plain text (the highlighter's
    colours fail WCAG contrast)."""
    s, p, code = ctx.s, ctx.publication, ctx.lang.code
    return [{"title": s["publications.bibtex"], "download": f"[{s['publications.download_bibtex']}]({p.slug}-{code}.bib){{ download }}",
             "code": ctx.bibtex.rstrip("\n")},
            {"title": s["publications.csl_json"], "download": f"[{s['publications.download_csl']}]({p.slug}-{code}-csl.json){{ download }}",
             "code": ctx.csl.rstrip("\n")}]


def yaml_lines(mapping: dict, indent: str = "") -> list[str]:
    """Front matter lines, strings JSON-quoted (a JSON string is a YAML string)."""
    lines = []
    for key, value in mapping.items():
        if isinstance(value, dict):
            lines += [f"{indent}{key}:", *yaml_lines(value, indent + "  ")]
        elif isinstance(value, bool):
            lines.append(f"{indent}{key}: {'true' if value else 'false'}")
        elif isinstance(value, (int, float)):
            lines.append(f"{indent}{key}: {value}")
        else:
            lines.append(f"{indent}{key}: {json.dumps(str(value), ensure_ascii=False)}")
    return lines


def page(ctx: Context, rendered_page: str) -> str:
    """The landing page (Markdown for MkDocs, template `publication`) around the rendered text of `rendered_page`."""
    p, s, code = ctx.publication, ctx.s, ctx.lang.code
    here = localized(f"publicacoes/{p.slug}", ctx.lang)
    _, body = split_page(rendered_page)
    front = {
        "title": p.title(code),
        "description": p.abstract(code),
        "social": {"image": ctx.card_url, "alt": ctx.card_alt, "type": "article", "url": ctx.url,
                   "published": p.date(code).isoformat(), "modified": p.updated(code).isoformat()},
        "feeds": True,
        "search": {"boost": 3},  # above profiles (0.5) and other pages (1) for the same words
    }
    brief = p.type == "brief"
    sections = [("figures_and_data", "figuras"), ("about_data" if brief else "datasets_used", "dados"), ("cite", "citar"), ("versions", "versoes")]
    datasets = [{"title": d["title"], "href": link(here, localized(f"dados/{d['name']}", ctx.lang)), "sources": "; ".join(md(x) for x in d["sources"])}
                for d in ctx.datasets]
    return pages.render(
        "publication", s=s, p=p, code=code, front_matter=yaml_lines(front), updated=updated_line(s, p.updated(code)),  # its own dates
        facts=facts(ctx, here), pdf_links=pdf_links(ctx) if ctx.pdfs else [], sections=sections, body=body.rstrip("\n"),
        figures=figure_items(ctx), brief=brief, data_title=s["publications.about_data"] if brief else s["publications.datasets_used"],
        datasets=datasets, citation_text=ctx.citation_text, cite_blocks=cite_blocks(ctx), corrections=p.corrections(code))
