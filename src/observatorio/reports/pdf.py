"""The PDF: pandoc's Typst body inside the observatory template (templates/report.typ), compiled by the typst wheel."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..errors import UserError
from ..fonts import font_dir
from ..i18n import Strings, parse_date
from .pandoc import TEMPLATES


def typst_string(value) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{text}"'


def typst_region(s: Strings) -> str:
    """Typst's `region` for the language: the territory of its locale (`pt_PT` → "pt"), or none."""
    territory = s.locale.territory
    return typst_string(territory.lower()) if territory else "none"


def main_typ(meta: dict, body: str, s: Strings, names: list[str], language_name: str,
             about_data: list[dict] | None = None) -> str:
    """main.typ: the body inside `report.typ`, or `brief.typ` for `type: brief` (with its box about the data)."""
    day = parse_date(meta.get("date"))
    doc_date = f"datetime(year: {day.year}, month: {day.month}, day: {day.day})" if day else "none"
    kind = s[f"reports.types.{meta.get('type', 'report')}"]
    keywords = meta.get("keywords") or []
    toc = meta.get("toc", meta.get("type", "report") != "brief")
    fields = {
        "title": typst_string(meta.get("title", "")),
        "subtitle": typst_string(meta["subtitle"]) if meta.get("subtitle") else "none",
        "authors": "(" + "".join(f"{typst_string(n)}, " for n in names) + ")",
        "date": typst_string(s.long_date(meta.get("date"))),
        "doc-date": doc_date,
        "lang": typst_string(s.code),
        "region": typst_region(s),
        "language-name": typst_string(language_name),
        "kind": typst_string(kind),
        "organisation": typst_string(s["organisation"]),
        "abstract": typst_string(meta["abstract"]) if meta.get("abstract") else "none",
        "abstract-title": typst_string(s["reports.abstract"]),
        "keywords": "(" + "".join(f"{typst_string(k)}, " for k in keywords) + ")",
        "keywords-title": typst_string(s["reports.keywords"]),
        "toc": "true" if toc else "false",
        "toc-title": typst_string(meta.get("toc-title") or s["reports.contents"]),
        "labels": f"(date: {typst_string(s['reports.date'])}, language: {typst_string(s['reports.language'])})",
    }
    template = "brief.typ" if meta.get("type") == "brief" else "report.typ"
    if template == "brief.typ":
        entries = "".join(
            f"(title: {typst_string(d['title'])}, sources: {typst_string('; '.join(d['sources']))}), " for d in about_data or []
        )
        fields["about-data"] = f"({entries})"
        fields["about-title"] = typst_string(s["publications.about_data"])
        fields["about-intro"] = typst_string(s["publications.about_data_intro"])
        fields["sources-label"] = typst_string(s["common.sources"])
    arguments = ",\n  ".join(f"{key}: {value}" for key, value in fields.items())
    return f'#import "{template}": report, callout, horizontalrule\n#show: report.with(\n  {arguments},\n)\n\n{body}'


TEXT_WIDTH_PT = (210 - 2 * 24) / 25.4 * 72  # A4 minus the template's side margins


def svg_width_percent(svg: bytes) -> int:
    """The SVG's natural width (CSS px = 0.75 pt, or pt as matplotlib writes it) as a share of the text width, at most 100."""
    match = re.search(rb'<svg[^>]*\swidth="([0-9.]+)(pt)?', svg[:2000])
    if not match:
        return 100
    return width_percent(float(match.group(1)) * (1 if match.group(2) else 0.75))


def png_width_percent(png: bytes, dpi: int) -> int:
    """A PNG drawn at `dpi` (its pixel width in the IHDR header) as a share of the text width, at most 100."""
    return width_percent(int.from_bytes(png[16:20], "big") / dpi * 72)


def width_percent(points: float) -> int:
    return max(20, min(100, round(points / TEXT_WIDTH_PT * 100)))


def add_alt_text(body: str, alts: dict[str, str], widths: dict[str, int] | None = None) -> str:
    """pandoc's `image("figures/x.svg")` calls with the figure's alt text and natural width."""
    widths = widths or {}

    def replace(match: re.Match) -> str:
        path = match.group(1)
        extra = ""
        if alts.get(path):
            extra += f", alt: {typst_string(alts[path])}"
        if path in widths:
            extra += f", width: {widths[path]}%"
        return f'image("{path}"{extra})'

    return re.sub(r'image\("([^"]+)"\)', replace, body)


def compile_pdf(workdir: Path, main: str, label: str) -> bytes:
    import typst

    workdir.mkdir(parents=True, exist_ok=True)
    for name in ("report.typ", "brief.typ"):
        shutil.copyfile(TEMPLATES / name, workdir / name)
    (workdir / "main.typ").write_text(main, encoding="utf-8")
    try:
        return typst.compile(
            str(workdir / "main.typ"), root=str(workdir), font_paths=[str(font_dir())], ignore_system_fonts=True, timestamp=0
        )
    except Exception as exc:  # typst.TypstError carries the message
        raise UserError(f"{label}: the PDF failed to compile (Typst): {exc}. The Typst source is {workdir / 'main.typ'}.") from None
