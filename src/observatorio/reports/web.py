"""The web side: figure HTML (interactive chart, SVG fallback, data table, downloads) and MkDocs pages.

pandoc writes an HTML fragment; `mkdocs_markdown` turns its top-level headings back into Markdown
headings (so MkDocs builds the page's table of contents) and keeps every other block as raw HTML.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from pathlib import Path

from ..i18n import Strings
from . import figure_view
from .assemble import Figure
from .figure_view import FigurePage, Panel

MAX_TABLE_ROWS = 200


class PageFigures:
    """The figures of one web page: a placeholder for pandoc, the figure HTML put back afterwards,
    and each figure's published files (Vega-Lite spec, SVG, PNG, data CSV)."""

    def __init__(self, s: Strings, asset_prefix: str, drawings: Path | None = None, page: FigurePage | None = None,
                 licences: tuple[str, ...] = ()):
        self.s, self.asset_prefix, self.drawings = s, asset_prefix, drawings  # drawings: cache folder for SVG and PNG
        self.page = page  # the page's title and address: citation, share links and embed pages of its figures
        self.licences = licences  # the licences of the data the page read, carried by each figure's downloads
        self.snippets: dict[str, str] = {}
        self.csvs: dict[str, str] = {}

    def placeholder(self, figure: Figure, extra_panels: Sequence[Panel] = ()) -> tuple[str, str]:
        """Markers for what comes before and after the figure's caption: pandoc writes the caption between them,
        in the page's pass (its cross-references are links), and `restore` puts the figure's HTML back."""
        from .. import charts

        if figure.spec is not None:
            self.csvs[figure.stem] = charts.data_csv(figure.spec)
        head, tail = figure_parts(figure, self.s, self.asset_prefix, self.csvs.get(figure.stem), self.page, extra_panels)
        markers = (f"<!--obs-figure:{figure.stem}-->", f"<!--obs-figure-end:{figure.stem}-->")
        self.snippets.update(zip(markers, (head, tail)))
        return markers

    def html(self, figure: Figure, extra_panels: Sequence[Panel] = ()) -> str:
        """The figure's whole HTML, for a page written without pandoc (a map, a dataset page): its caption as plain text."""
        head, tail = self.placeholder(figure, extra_panels)
        return self.restore(joined(figure, head, tail))

    def restore(self, fragment: str) -> str:
        for marker, snippet in self.snippets.items():
            fragment = fragment.replace(marker, snippet)
        return fragment

    def files(self, figures: list[Figure], folder: str) -> dict[str, bytes]:
        files: dict[str, bytes] = {}
        for figure in figures:
            base = figure_view.in_folder(folder, f"figures/{figure.stem}")
            if figure.spec is not None:
                files.update(self.chart_files(figure.spec, figure.stem, figure.label, figure.caption, figure_view.in_folder(folder, "figures")))
            else:
                files[f"{base}.{figure.ext}"] = figure.image
            if self.page is not None:
                ident = figure_view.figure_id(figure.label, figure.stem, self.s.code)
                image = figure_view.in_folder(folder, f"figures/{figure.stem}.{'svg' if figure.spec is not None else figure.ext}")
                page = figure_view.embed_page(self.page, ident, figure.caption or ident, figure.alt, image,
                                              figure_view.source_line(figure.spec), self.s)
                files[figure_view.embed_path(self.page, ident, self.s)] = page.encode("utf-8")
        return files

    def chart_files(self, spec: dict, stem: str, label: str | None, caption: str, folder: str) -> dict[str, bytes]:
        """One chart's published files (`charts.figure_files`), each carrying the figure's title, address and licences."""
        from .. import charts

        address = f"{self.page.url}#{figure_view.figure_id(label, stem, self.s.code)}" if self.page and self.page.url else ""
        context = charts.Context(self.s.code, title=NUMBER_PREFIX.sub("", " ".join(caption.split())) if label else caption, address=address, licences=self.licences)
        drawn = charts.figure_files(spec, stem, context, f"{folder}: figure `{label or stem}`", self.drawings, self.s.root)
        return {f"{folder}/{name}": content for name, content in drawn.items()}


NUMBER_PREFIX = re.compile(r"^[^:]*\d+\s*:\s*")  # "Figura 2: " before a numbered caption
SCRIPTS = ("observatorio-charts.js",)  # it loads vega-bundle.js itself, when a chart comes into view
CONTAINERS = ("div", "figure", "section", "details", "blockquote", "table", "ul", "ol", "pre", "script", "dl", "aside")


def chart_html(spec: dict, src: str, alt: str) -> str:
    """The chart's SVG image, replaced by the Vega-Lite chart of `spec` (written right after it) when JavaScript runs."""
    from .. import maps

    alt = html.escape(alt, quote=True)
    data = json.dumps(spec, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    classes = "obs-chart obs-map" if maps.is_map(spec) else "obs-chart"  # a map takes the page's width (observatorio.css)
    return "\n".join([
        f'<div class="{classes}" role="img" tabindex="0" aria-label="{alt}">',
        f'<img src="{src}" alt="{alt}" loading="lazy">',
        "</div>",
        f'<script type="application/json" class="obs-chart-spec">{data}</script>',
    ])


def figure_html(figure: Figure, s: Strings, asset_prefix: str, csv_text: str | None, page: FigurePage | None = None,
                extra_panels: Sequence[Panel] = (), caption_html: str | None = None) -> str:
    """A <figure> with its anchor, caption and views: chart (the SVG image, replaced by the Vega-Lite chart when
    JavaScript runs), table, `extra_panels` (a map), downloads, and, when the page is known, cite and share.
    The caption is `caption_html` when given (HTML already written, with its links), else the plain caption."""
    head, tail = figure_parts(figure, s, asset_prefix, csv_text, page, extra_panels)
    return joined(figure, head, tail, caption_html)


def joined(figure: Figure, head: str, tail: str, caption_html: str | None = None) -> str:
    caption = html.escape(figure.caption) if caption_html is None else caption_html
    return "\n".join([head, f"<figcaption>{caption}</figcaption>", tail] if figure.caption else [head, tail])


def figure_parts(figure: Figure, s: Strings, asset_prefix: str, csv_text: str | None, page: FigurePage | None,
                 extra_panels: Sequence[Panel]) -> tuple[str, str]:
    """The figure's HTML before its caption (the opening `<figure>` with its anchor) and after it (the views)."""
    base = f"{asset_prefix}figures/{figure.stem}"
    ident = figure_view.figure_id(figure.label, figure.stem, s.code)
    alt = html.escape(figure.alt or figure.caption, quote=True)
    if figure.spec is not None:
        chart = chart_html(figure.spec, f"{base}.svg", figure.alt or figure.caption)
    else:
        chart = f'<img src="{base}.{figure.ext}" alt="{alt}" loading="lazy">'
    panels = [Panel("chart", chart)]
    if figure.spec is not None and csv_text:
        panels.append(Panel("table", data_table(figure.spec, s)))
    panels += list(extra_panels)
    panels.append(Panel("download", downloads_html(figure, s, base)))
    if page is not None:
        panels.append(figure_view.cite_panel(page, ident, figure.caption or ident, s))
    return f'<figure class="obs-figure" id="{ident}">', "\n".join([figure_view.view_html(ident, panels, s), "</figure>"])


def downloads_html(figure: Figure, s: Strings, base: str) -> str:
    """Links to the figure's files: data, images and Vega-Lite spec (or the image it was made as)."""
    if figure.spec is not None:
        links = [
            (f"{base}.csv", s["reports.data_csv"]),
            (f"{base}-download.svg", s["reports.image_svg"]),
            (f"{base}.png", s["reports.image_png"]),
            (f"{base}-vegalite.json", s["reports.spec_json"]),
        ]
    else:
        links = [(f"{base}.{figure.ext}", figure.ext.upper())]
    anchors = " · ".join(f'<a href="{href}" download>{html.escape(text)}</a>' for href, text in links)
    return f'<p class="obs-figure-downloads">{html.escape(s["reports.figure_downloads"])} {anchors}</p>'


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
