"""One executed profile → its web page, figures (spec, SVG, PNG, CSV) and a one- or two-page A4 PDF.

The reports engine does the work: `assemble` (cell outputs → Markdown), `pandoc` (→ HTML and
Typst), `web` (figures with data tables and downloads; MkDocs Markdown) and `pdf` (Typst
compilation). Only the page header and the Typst template (`templates/profiles/profile.typ`: no cover, no table of
contents) are the profiles' own.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from .. import sharing
from ..clock import build_date
from ..errors import UserError
from ..i18n import Strings
from ..markup import md_text
from ..paths import build_dir
from ..reports import pdf, web
from ..reports.assemble import Context, assemble
from ..reports.figure_view import FigurePage
from ..reports.pandoc import convert
from ..updated import last_changed, updated_line
from .template import Template

FOLDER = "perfis"
TYPST_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "profiles" / "profile.typ"  # package data


def slug(iso3: str) -> str:
    return iso3.lower()


def page_dir(iso3: str) -> str:
    return f"{FOLDER}/{slug(iso3)}"


def page_name(lang: str, default_lang: str) -> str:
    return "index.md" if lang == default_lang else f"index.{lang}.md"


def pdf_name(iso3: str, lang: str) -> str:
    return f"{slug(iso3)}-{lang}.pdf"


def asset_prefix(iso3: str, lang: str, default_lang: str) -> str:
    """How a page reaches the files stored once beside the default-language page (raw HTML is not rewritten)."""
    return "" if lang == default_lang else f"../../../{page_dir(iso3)}/"


def page_url(site_url: str, folder: str, lang: str, default_lang: str) -> str:
    """The profile page's absolute address, or "" without a `site_url`."""
    return site_url.rstrip("/") + "/" + ("" if lang == default_lang else f"{lang}/") + folder + "/" if site_url else ""


def render(root: Path, template: Template, iso3: str, name: str, result: dict, s: Strings, default_lang: str,
           site_url: str, work: Path) -> dict[str, bytes]:
    """The files of one profile in one language (docs-relative path → bytes)."""
    lang = template.lang
    label = f"{template.path.relative_to(root)} ({lang}, iso3={iso3})"
    folder = page_dir(iso3)
    prefix = asset_prefix(iso3, lang, default_lang)
    files: dict[str, bytes] = {}
    from .. import alt_text
    from .. import datasets_used as datasets

    figure_page = FigurePage(title=f"{s['profiles.subtitle']}: {name}", url=page_url(site_url, folder, lang, default_lang), folder=folder,
                             default_lang=lang == default_lang, year=build_date(root).year)
    page_figures = web.PageFigures(s, prefix, drawings=build_dir(root) / "drawings", page=figure_page,
                                   licences=datasets.licences(root, datasets.from_reads(root, result.get("reads") or []), lang))

    prefixes = {"fig": s["reports.figure"], "tbl": s["reports.table"], "sec": s["reports.section"], "eq": s["reports.equation"]}
    ctx = Context(lang=lang, prefixes=prefixes, delim=":", bib_keys=set(), notebook=lambda path: {}, label=label,
                  figure_html=page_figures.placeholder, echo_default=False, number_style=s.number_style(), root=root,
                  describe=lambda spec: alt_text.describe(spec, s))
    assembled = assemble(template.doc, result, ctx, stem_prefix=f"{slug(iso3)}-")
    files.update(page_figures.files(assembled.figures, folder))
    callouts = {f"obs-callout-{k}": s[f"reports.callouts.{k}"] for k in ("note", "tip", "warning", "important", "caution")}
    work.mkdir(parents=True, exist_ok=True)
    fragment = convert(assembled.web, "html5", lang=lang, bibliography=None, meta=callouts, label=label, cwd=work)
    fragment = page_figures.restore(fragment)
    sources = [template.path, *(Path(f) for f in result.get("reads", []) if Path(f).is_file())]
    updated = updated_line(s, last_changed(root, sources))
    card = f"{slug(iso3)}-card-{lang}.png"
    files[f"{folder}/{card}"] = sharing.card(root, label, s, s["profiles.subtitle"], name)
    front = [
        f"tags: {json.dumps(search_names(iso3, root), ensure_ascii=False)}",  # searched with a high boost, not shown (no tags plugin)
        "search:",
        "  boost: 0.5",  # publications come first for topic words; the names above still find the profile
        *sharing.front_matter(f"{site_url.rstrip('/')}/{folder}/{card}",
                              s.format("publications.card_alt_plain", title=name, kind=s["profiles.subtitle"]), ""),
    ]
    files[f"{folder}/{page_name(lang, default_lang)}"] = page_markdown(iso3, name, lang, default_lang, fragment, s, updated, front).encode("utf-8")
    files[f"{folder}/{pdf_name(iso3, lang)}"] = render_pdf(root, iso3, name, lang, default_lang, assembled, files, s, site_url, work, label, callouts)
    return files


def page_markdown(iso3: str, name: str, lang: str, default_lang: str, fragment: str, s: Strings, updated: str,
                  front: list[str] = ()) -> str:
    prefix = asset_prefix(iso3, lang, default_lang)
    lines = [
        "---",
        f"title: {json.dumps(name, ensure_ascii=False)}",
        f"description: {json.dumps(s['profiles.subtitle'] + ': ' + name, ensure_ascii=False)}",
        *front,
        "---",
        "",
        f"# {md_text(name)}",
        "",
        f'<p class="obs-subtitle">{html.escape(str(s["profiles.subtitle"]))}</p>',
        updated,
        f'<p class="obs-pdf"><a href="{prefix}{pdf_name(iso3, lang)}" download>{html.escape(str(s["profiles.download_pdf"]))}</a></p>',
        "",
    ]
    body = web.mkdocs_markdown(fragment)
    depth = "../" * (page_dir(iso3).count("/") + 1 + (0 if lang == default_lang else 1))
    scripts = web.scripts_html(depth) if "obs-chart-spec" in body else ""
    return "\n".join(lines) + body + ("\n" + scripts + "\n" if scripts else "")


def absolute_links(document: dict, site_url: str, lang: str, default_lang: str) -> dict:
    """Relative links (`../../dados/x/`) as absolute addresses: a PDF has no page to be relative to."""
    from ..reports.tree import transform

    base = site_url.rstrip("/") + "/" + ("" if lang == default_lang else f"{lang}/")

    def visit(node: dict):
        if node["t"] == "Link" and node["c"][2][0].startswith("../"):
            target = re.sub(r"^(?:\.\./)+", base, node["c"][2][0])
            return [{"t": "Link", "c": [node["c"][0], transform(node["c"][1], visit), [target, node["c"][2][1]]]}]
        return None

    return {**document, "blocks": transform(document["blocks"], visit)}


def render_pdf(root: Path, iso3: str, name: str, lang: str, default_lang: str, assembled, files: dict, s: Strings,
               site_url: str, work: Path, label: str, callouts: dict) -> bytes:
    printed = absolute_links(assembled.print, site_url, lang, default_lang) if site_url else assembled.print
    body = convert(printed, "typst", lang=lang, bibliography=None, meta=callouts, label=label, cwd=work)
    folder = page_dir(iso3)
    alts = {f"figures/{f.stem}.{'svg' if f.spec is not None else f.ext}": f.alt for f in assembled.figures}
    widths = {path: min(55, pdf.svg_width_percent(files[f"{folder}/{path}"])) for path in alts if path.endswith(".svg")}
    body = pdf.add_alt_text(body, alts, widths)
    for figure in assembled.figures:
        ext = "svg" if figure.spec is not None else figure.ext
        target = work / "figures" / f"{figure.stem}.{ext}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[f"{folder}/figures/{figure.stem}.{ext}"])
    shutil.copyfile(TYPST_TEMPLATE, work / "profile.typ")
    address = page_url(site_url, folder, lang, default_lang)
    fields = {
        "title": pdf.typst_string(name),
        "subtitle": pdf.typst_string(s["profiles.subtitle"]),
        "code": pdf.typst_string(iso3),
        "lang": pdf.typst_string(lang),
        "region": pdf.typst_region(s),
        "organisation": pdf.typst_string(s["organisation"]),
        "url": pdf.typst_string(address),
    }
    arguments = ",\n  ".join(f"{key}: {value}" for key, value in fields.items())
    main = f'#import "profile.typ": profile, callout, horizontalrule\n#show: profile.with(\n  {arguments},\n)\n\n{body}'
    return pdf.compile_pdf(work, main, label)


SEARCH_NAMES = Path("profiles") / "search_names.yml"


def search_names(iso3: str, root: Path) -> list[str]:
    """Every name a reader may search a country by: its names in every language and `profiles/search_names.yml`."""
    from ..files import load_yaml
    from .model import country_names

    names = [value for key, value in country_names(root)[iso3].items() if key != "aggregate"]
    path = root / SEARCH_NAMES
    extra = (load_yaml(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}
    if not isinstance(extra, dict) or not all(isinstance(v, list) for v in extra.values()):
        raise UserError(f"{SEARCH_NAMES}: must map ISO3 codes to lists of names, such as `USA: [EUA, Estados Unidos]`.")
    return list(dict.fromkeys([*names, iso3, *(str(n) for n in extra.get(iso3, []))]))
