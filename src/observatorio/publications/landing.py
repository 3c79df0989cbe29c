"""The landing page of a publication in one language: the rendered text framed by what readers look for.

Above the text: type, date, version, authors, topics, abstract and the PDFs in every language with
their size. Below it: the figures with their data, the datasets used (the brief's "about the data"
box), how to cite (text, BibTeX, CSL-JSON) and the version with its corrections log.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass, field

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


def header(ctx: Context, here: str) -> list[str]:
    p, s, code = ctx.publication, ctx.s, ctx.lang.code
    kind = s[f"reports.types.{p.type}"]
    lines = [f"# {md(p.title(code))}", ""]
    if p.subtitle(code):
        lines += [f'<p class="obs-subtitle">{html.escape(p.subtitle(code))}</p>', ""]
    when = f'<time datetime="{p.date(code).isoformat()}">{html.escape(s.long_date(p.date(code)))}</time>'
    lines += [f'<p class="obs-meta">{html.escape(kind)} · {when} · {html.escape(s.format("publications.version_n", version=p.version))}</p>', ""]
    lines += [updated_line(s, p.updated(code)), ""]  # the publication's own dates: front matter and corrections
    facts = []
    if p.authors(code):
        facts.append(f"**{s['publications.authors']}:** {md(', '.join(p.authors(code)))}")
    if p.topics:
        topics = ", ".join(f"[{md(t.label(code))}]({link(here, localized(f'publicacoes/tema/{t.id}', ctx.lang))})" for t in p.topics)
        facts.append(f"**{s['publications.topics']}:** {topics}")
    if facts:
        lines += ["  \n".join(facts), ""]
    lines += ['<div class="obs-abstract" markdown>', "", md(p.abstract(code)), "", "</div>", ""]
    if ctx.pdfs:
        ordered = sorted(ctx.pdfs.items(), key=lambda kv: kv[0] != code)
        names = {lang.code: lang.name for lang in ctx.langs}
        downloads = " · ".join(
            f"[{md(s.format('publications.pdf_in', language=names.get(other, other), size=size_text(size, s)))}]"
            f"({p.slug}-{other}.pdf){{ download hreflang=\"{other}\" type=\"application/pdf\" }}"
            for other, size in ordered
        )
        lines += [f'<p class="obs-downloads" markdown>**{s["publications.downloads"]}:** {downloads}</p>', ""]
    sections = [("figures_and_data", "figuras"), ("datasets_used" if p.type != "brief" else "about_data", "dados"),
                ("cite", "citar"), ("versions", "versoes")]
    nav = " · ".join(f"[{s['publications.' + key]}](#{anchor})" for key, anchor in sections)
    lines += [f"**{s['publications.on_this_page']}:** {nav}", ""]
    return lines


def figures_section(ctx: Context) -> list[str]:
    s = ctx.s
    lines = [f"## {s['publications.figures_and_data']} {{ #figuras }}", ""]
    if not ctx.figures:
        return lines + [s["publications.no_figures"], ""]
    lines += [s["publications.figures_intro"], ""]
    for figure in ctx.figures:
        caption = md(figure.get("caption") or figure["stem"])
        title = f"[{caption}](#{figure['label']})" if figure.get("label") else caption
        base = f"figures/{figure['stem']}"
        downloads = []
        if figure.get("data"):
            downloads += [(f"{base}.csv", s["reports.data_csv"]), (f"{base}-download.svg", s["reports.image_svg"]),
                          (f"{base}.png", s["reports.image_png"]), (f"{base}-vegalite.json", s["reports.spec_json"])]
        elif figure.get("ext"):
            downloads.append((f"{base}.{figure['ext']}", figure["ext"].upper()))
        links = " · ".join(f"[{md(text)}]({href})" for href, text in downloads)
        lines.append(f"- {title}" + (f" — {links}" if links else ""))
    return lines + [""]


def datasets_section(ctx: Context, here: str) -> list[str]:
    s, brief = ctx.s, ctx.publication.type == "brief"
    title = s["publications.about_data"] if brief else s["publications.datasets_used"]
    lines = [f"## {title} {{ #dados }}", ""]
    items = [s["publications.about_data_intro"], ""]
    for dataset in ctx.datasets:
        target = link(here, localized(f"dados/{dataset['name']}", ctx.lang))
        sources = "; ".join(md(x) for x in dataset["sources"])
        items.append(f"- [{md(dataset['title'])}]({target})" + (f". {s['common.sources']}: {sources}." if sources else ""))
    if brief:
        lines += ['<div class="admonition info obs-about-data" markdown>', f'<p class="admonition-title">{html.escape(title)}</p>', "",
                  *items, "", "</div>", ""]
    else:
        lines += [*items, ""]
    return lines


def cite_section(ctx: Context) -> list[str]:
    """Text, then BibTeX and CSL-JSON folded (they take screens on a phone); the code blocks are plain text
    (the highlighter's colours fail WCAG contrast)."""
    s, p, code = ctx.s, ctx.publication, ctx.lang.code
    return [
        f"## {s['publications.cite']} {{ #citar }}", "",
        f'<blockquote class="obs-citation"><p>{html.escape(ctx.citation_text)}</p></blockquote>', "",
        *folded_code(s["publications.bibtex"], f"[{s['publications.download_bibtex']}]({p.slug}-{code}.bib){{ download }}", ctx.bibtex),
        *folded_code(s["publications.csl_json"], f"[{s['publications.download_csl']}]({p.slug}-{code}-csl.json){{ download }}", ctx.csl),
    ]


def folded_code(title: str, download: str, code: str) -> list[str]:
    """A closed `<details>` block: its title, a download link and the code as plain text."""
    return ['<details class="obs-cite-code" markdown>', f"<summary><strong>{html.escape(title)}</strong></summary>", "",
            download, "", "```text", code.rstrip("\n"), "```", "", "</details>", ""]


def versions_section(ctx: Context) -> list[str]:
    s, p, code = ctx.s, ctx.publication, ctx.lang.code
    lines = [f"## {s['publications.versions']} {{ #versoes }}", "",
             s.format("publications.current_version", version=p.version, date=s.long_date(p.updated(code))), ""]
    corrections = p.corrections(code)
    if not corrections:
        return lines + [s["publications.no_corrections"], ""]
    lines += [s["publications.corrections"], ""]
    for item in corrections:
        version = f" ({s.format('publications.version_n', version=item.version)})" if item.version else ""
        lines.append(f'- <time datetime="{item.date.isoformat()}">{html.escape(s.long_date(item.date))}</time>{version}: {md(item.text)}')
    return lines + [""]


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
    """The landing page (Markdown for MkDocs) around the rendered text of `rendered_page`."""
    p, code = ctx.publication, ctx.lang.code
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
    lines = ["---", *yaml_lines(front), "---", ""]
    lines += header(ctx, here)
    lines += [body.rstrip("\n"), ""]
    lines += figures_section(ctx)
    lines += datasets_section(ctx, here)
    lines += cite_section(ctx)
    lines += versions_section(ctx)
    return "\n".join(lines)
