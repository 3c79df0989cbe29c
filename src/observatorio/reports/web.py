"""The web side: figure HTML (interactive chart, SVG fallback, data table, downloads) and MkDocs pages.

pandoc writes an HTML fragment; `mkdocs_markdown` turns its top-level headings back into Markdown
headings (so MkDocs builds the page's table of contents) and keeps every other block as raw HTML.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from ..i18n import Strings
from .assemble import Figure

MAX_TABLE_ROWS = 200


class PageFigures:
    """The figures of one web page: a placeholder for pandoc, the figure HTML put back afterwards,
    and each figure's published files (Vega-Lite spec, SVG, PNG, data CSV)."""

    def __init__(self, s: Strings, asset_prefix: str, drawings: Path | None = None, page_url: str = "", licences: tuple[str, ...] = ()):
        self.s, self.asset_prefix, self.drawings = s, asset_prefix, drawings  # drawings: cache folder for SVG and PNG
        self.page_url, self.licences = page_url, licences  # carried by each figure's downloads
        self.snippets: dict[str, str] = {}
        self.csvs: dict[str, str] = {}

    def placeholder(self, figure: Figure) -> str:
        from .. import charts

        if figure.spec is not None:
            self.csvs[figure.stem] = charts.data_csv(figure.spec)
        marker = f"<!--obs-figure:{figure.stem}-->"
        self.snippets[marker] = figure_html(figure, self.s, self.asset_prefix, self.csvs.get(figure.stem))
        return marker

    def restore(self, fragment: str) -> str:
        for marker, snippet in self.snippets.items():
            fragment = fragment.replace(marker, snippet)
        return fragment

    def files(self, figures: list[Figure], folder: str) -> dict[str, bytes]:
        files: dict[str, bytes] = {}
        for figure in figures:
            base = f"{folder}/figures/{figure.stem}"
            if figure.spec is not None:
                files.update(self.chart_files(figure.spec, figure.stem, figure.label, figure.caption, f"{folder}/figures"))
            else:
                files[f"{base}.{figure.ext}"] = figure.image
        return files

    def chart_files(self, spec: dict, stem: str, label: str | None, caption: str, folder: str) -> dict[str, bytes]:
        """One chart's published files (`charts.figure_files`), each carrying the figure's title, address and licences."""
        from .. import charts

        address = self.page_url + (f"#{label}" if label and self.page_url else "")
        context = charts.Context(self.s.code, title=NUMBER_PREFIX.sub("", " ".join(caption.split())) if label else caption, address=address, licences=self.licences)
        drawn = charts.figure_files(spec, stem, context, f"{folder}: figure `{label or stem}`", self.drawings, self.s.root)
        return {f"{folder}/{name}": content for name, content in drawn.items()}


NUMBER_PREFIX = re.compile(r"^[^:]*\d+\s*:\s*")  # "Figura 2: " before a numbered caption
SCRIPTS = ("observatorio-charts.js",)  # it loads vega-bundle.js itself, when a chart comes into view
CONTAINERS = ("div", "figure", "section", "details", "blockquote", "table", "ul", "ol", "pre", "script", "dl")


def figure_html(figure: Figure, s: Strings, asset_prefix: str, csv_text: str | None) -> str:
    """A <figure>: the SVG image (replaced by the Vega-Lite chart when JavaScript runs), caption, data, downloads."""
    base = f"{asset_prefix}figures/{figure.stem}"
    ident = f' id="{figure.label}"' if figure.label else ""
    alt = html.escape(figure.alt or figure.caption, quote=True)
    parts = [f'<figure class="obs-figure"{ident}>']
    if figure.spec is not None:
        spec = json.dumps(figure.spec, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
        parts += [
            f'<div class="obs-chart" role="img" tabindex="0" aria-label="{alt}">',
            f'<img src="{base}.svg" alt="{alt}" loading="lazy">',
            "</div>",
            f'<script type="application/json" class="obs-chart-spec">{spec}</script>',
        ]
    else:
        parts.append(f'<img src="{base}.{figure.ext}" alt="{alt}" loading="lazy">')
    if figure.caption:
        parts.append(f"<figcaption>{html.escape(figure.caption)}</figcaption>")
    if figure.spec is not None and csv_text:
        parts.append(data_table(figure.spec, s))
        links = [
            (f"{base}.csv", s["reports.data_csv"]),
            (f"{base}-download.svg", s["reports.image_svg"]),
            (f"{base}.png", s["reports.image_png"]),
            (f"{base}-vegalite.json", s["reports.spec_json"]),
        ]
        anchors = " · ".join(f'<a href="{href}" download>{html.escape(text)}</a>' for href, text in links)
        parts.append(f'<p class="obs-figure-downloads">{html.escape(s["reports.figure_downloads"])} {anchors}</p>')
    parts.append("</figure>")
    return "\n".join(parts)


def data_table(chart, s: Strings) -> str:
    """The chart's data (a spec or an Altair chart) as a table formatted for the page's language (`observatorio.tables`)."""
    from .. import charts, disclosure, tables

    spec = charts.to_spec(chart)
    limit = ((spec.get("usermeta") or {}).get("observatorio") or {}).get("disclosure_threshold") or disclosure.project_threshold(s.root)
    table = tables.chart_table(spec, s.number_style(), tables.catalogue_titles(s.root, s.code), int(limit))
    shown = table.head(MAX_TABLE_ROWS)
    note = ""
    if len(table.rows) > len(shown.rows):
        note = f"<p>{html.escape(s.format('reports.rows_shown', shown=len(shown.rows), total=len(table.rows)))}</p>"
    return f'<details class="obs-data"><summary>{html.escape(s["reports.show_data"])}</summary>{tables.html(shown)}{note}</details>'


HEADING = re.compile(r"^<h([1-6])((?:\s+[\w-]+=\"[^\"]*\")*)>(.*)</h\1>$")
ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def mkdocs_markdown(fragment: str) -> str:
    """pandoc's HTML fragment as MkDocs Markdown: top-level headings as `##` lines, the rest raw HTML."""
    out: list[str] = []
    depth = 0
    for line in fragment.split("\n"):
        match = HEADING.match(line.strip()) if depth == 0 else None
        if match:
            level, attributes, inner = match.groups()
            found = dict(ATTR.findall(attributes))
            ident, classes = found.get("id"), found.get("class")
            attrs = " ".join(x for x in [f"#{ident}" if ident else "", *(f".{c}" for c in (classes or "").split())] if x)
            out += ["", f"{'#' * int(level)} {inner}" + (f" {{ {attrs} }}" if attrs else ""), ""]
            continue
        out.append(line)
        depth += _depth_change(line)
        depth = max(depth, 0)
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _depth_change(line: str) -> int:
    change = 0
    for tag in CONTAINERS:
        change += len(re.findall(rf"<{tag}[\s>]", line)) - len(re.findall(rf"</{tag}>", line))
    return change


def scripts_html(prefix: str) -> str:
    return "\n".join(f'<script src="{prefix}assets/javascripts/{name}" defer></script>' for name in SCRIPTS)
