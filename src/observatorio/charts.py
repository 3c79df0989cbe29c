"""The observatory's charts: one Altair theme, translated labels, locale number formats, publishing.

In a report or notebook:

    from observatorio import charts
    t = charts.texts("pt")                       # labels and number formats for one language
    chart = alt.Chart(df).mark_line().encode(x=alt.X("year:O", title=t["year"]), …)
    charts.finish(chart, "pt", source="UN DESA, International Migrant Stock 2024")

`finish` applies the language's number format to axes and tooltips and writes the source under the
chart, so every figure names its source on the web, in the PDF and in the downloaded image.
`publish` writes one chart for web and print: Vega-Lite spec, SVG, PNG and the data as CSV.

The theme uses the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies),
the site's font (Source Sans Pro) and text colours with at least 4.5:1 contrast on white.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

import altair as alt

from .errors import UserError
from .fonts import FAMILY, font_dir
from .i18n import strings
from .paths import project_root

# Okabe & Ito (2008), "Color Universal Design"; blue first: 4.9:1 on white for marks and text.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
TEXT = "#1f1f1f"
MUTED = "#595959"  # 7:1 on white
GRID = "#dddddd"
THEME = "observatorio"
WIDTH, HEIGHT = 560, 300


def theme_config() -> dict:
    """The Vega-Lite config of the observatory theme."""
    return {
        "config": {
            "font": FAMILY,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT, "discreteWidth": WIDTH},
            "range": {"category": PALETTE},
            "mark": {"color": PALETTE[0]},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 2.5},
            "point": {"color": PALETTE[0], "filled": True, "size": 50},
            "axis": {
                "labelFont": FAMILY, "titleFont": FAMILY, "labelFontSize": 12, "titleFontSize": 12,
                "labelColor": TEXT, "titleColor": TEXT, "titleFontWeight": 600,
                "gridColor": GRID, "domainColor": MUTED, "tickColor": MUTED,
            },
            "axisX": {"grid": False},
            "legend": {"labelFont": FAMILY, "titleFont": FAMILY, "labelFontSize": 12, "titleFontSize": 12,
                       "labelColor": TEXT, "titleColor": TEXT, "orient": "bottom", "symbolStrokeWidth": 3},
            "title": {"font": FAMILY, "fontSize": 14, "color": TEXT, "anchor": "start", "subtitleColor": MUTED},
            "header": {"labelFont": FAMILY, "titleFont": FAMILY},
            "text": {"font": FAMILY, "color": TEXT},
        }
    }


@alt.theme.register(THEME, enable=True)
def _observatorio_theme() -> alt.theme.ThemeConfig:
    return theme_config()


class Formatted(str):
    """A formatted number. As an inline value under Quarto it shows as written: Quarto prints a plain
    string's repr, so `16\xa0515` (the no-break space of pt) would reach the page escaped."""

    def _repr_markdown_(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Texts:
    """Chart labels and number formats of one language, from `site/i18n/<lang>.yml` (key `charts:`)."""

    lang: str
    root: Path

    def __getitem__(self, key: str) -> str:
        return str(strings(self.root, self.lang)[f"charts.{key}"])

    def number(self, value, decimals: int = 0) -> str:
        """`16 515` (pt) or `16,515` (en)."""
        return Formatted(strings(self.root, self.lang).number(float(value), decimals))

    def percent(self, value, decimals: int = 1) -> str:
        """`value` already in percent: `84,9 %` (pt) or `84.9%` (en)."""
        return Formatted(strings(self.root, self.lang).percent(float(value), decimals))

    def locale(self) -> dict:
        """The d3-format locale for Vega: the same marks as `number` and `percent`."""
        decimal, group = strings(self.root, self.lang).number_style()
        percent_suffix = str(strings(self.root, self.lang)["number.percent"]).replace("{}", "")
        return {"decimal": decimal, "thousands": group, "grouping": [3], "currency": ["", ""], "percent": percent_suffix}

    def source(self, text: str) -> str:
        return f"{self['source']}: {text}"


def texts(lang: str, root: Path | None = None) -> Texts:
    return Texts(lang, Path(root or project_root()).resolve())


def number(value, lang: str, decimals: int = 0, root: Path | None = None) -> str:
    return texts(lang, root).number(value, decimals)


def percent(value, lang: str, decimals: int = 1, root: Path | None = None) -> str:
    return texts(lang, root).percent(value, decimals)


def frame(df):
    """A copy with plain NumPy dtypes (Altair does not take pandas' nullable Int64/Float64/string)."""
    import pandas as pd

    out = df.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype):
            out[column] = out[column].astype("float64")
        elif pd.api.types.is_string_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def finish(chart, lang: str, source: str, root: Path | None = None):
    """The chart with the language's number format and its source written under it.

    When the chart's data holds suppressed counts (`<count>_suppressed` true, see
    `observatorio.disclosure`), a note under the source says what the marker ("< 5") means, and
    the threshold is recorded in the spec (`usermeta`) for the data file. A flagged cell that still
    holds a number, or an unflagged small count beside a flag, stops here (UserError).
    """
    from . import disclosure

    t = texts(lang, root)
    limit = disclosure.project_threshold(t.root)
    rows = data_rows(chart if isinstance(chart, dict) else chart.to_dict(validate=False))
    problems = disclosure.row_problems(rows, limit, "chart data")
    if problems:
        raise UserError("a chart would publish a suppressed value:\n  " + "\n  ".join(problems) + "\n" + SUPPRESS_HINT)
    lines = [t.source(source)]
    if suppressed_cells(rows):
        lines.append(t["suppressed_note"].format(marker=disclosure.marker(limit), threshold=t.number(limit)))
    return chart.properties(
        title=alt.TitleParams(
            text=lines if len(lines) > 1 else lines[0], orient="bottom", anchor="start", fontSize=11, fontWeight="normal", color=MUTED, dy=6
        ),
        usermeta={"observatorio": {"disclosure_threshold": limit}},
    ).configure(locale={"number": t.locale()})


# -- labels: wrapped, never cut ---------------------------------------------------------------------

ELLIPSIS = "\u2026"  # what Vega writes at the end of a label it cut to its `labelLimit`


def wrapped_axis(labels, width: int = 28, channel: str = "y", **axis) -> alt.Axis:
    """An axis that writes each long category label over lines of at most `width` characters, instead of cutting it.

    `labels` are the category values; `axis` takes any other `alt.Axis` option. On a y axis each
    label's lines are centred on its tick. The data, tooltip and table keep the full text.
    """
    import textwrap

    text, offset = "datum.label", "0"
    half_line = (axis.get("labelFontSize", 12) + 2) / 2  # Vega's line height is the font size + 2 px
    for label in dict.fromkeys(str(value) for value in labels):
        lines = textwrap.wrap(label, width)
        if len(lines) > 1:
            text = f"datum.label === {_js(label)} ? {_js(lines)} : {text}"
            offset = f"datum.label === {_js(label)} ? {-half_line * (len(lines) - 1):g} : {offset}"
    if channel == "y" and offset != "0":
        axis.setdefault("labelOffset", {"expr": offset})
    return alt.Axis(labelExpr=text, **axis)


def _js(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def truncated_labels(svg_text: str) -> list[str]:
    """The texts of a drawn chart that Vega cut to fit, each ending in "…"."""
    import xml.etree.ElementTree as ET

    texts = ("".join(node.itertext()) for node in ET.fromstring(svg_text).iter() if str(node.tag).endswith("}text") or node.tag == "text")
    return [text for text in texts if text.endswith(ELLIPSIS)]


def check_labels(svg_text: str, spec: dict, figure: str) -> None:
    """Stop (UserError naming `figure` and each label) when the drawn chart cut a label instead of showing it whole."""
    cut = truncated_labels(svg_text)
    if not cut:
        return
    values = {str(v) for row in data_rows(spec) for v in row.values() if isinstance(v, str)}
    named = []
    for text in cut:
        whole = sorted(v for v in values if v.startswith(text[:-1]) and v != text)
        named.append(f'"{whole[0]}" (drawn as "{text}")' if whole else f'"{text}"')
    raise UserError(
        f"{figure}: the chart cuts {len(cut)} label(s) to fit: " + "; ".join(named) + ".\n"
        "Shorten the label, or write it over several lines with `axis=charts.wrapped_axis(values)` in the chart's encoding."
    )


# -- disclosure control: suppressed counts in charts -----------------------------------------------

SUPPRESS_HINT = "Chart the aggregate made by observatorio.disclosure.aggregate (or suppress), whose small counts are empty and flagged."


def suppressed_cells(rows: list[dict]) -> int:
    """How many cells of `rows` are flagged suppressed."""
    from . import disclosure

    flags = disclosure.flagged(dict.fromkeys(key for row in rows for key in row)).values()
    return sum(1 for row in rows for flag in flags if disclosure._true(row.get(flag)))


def mark_suppressed(chart, count: str, root: Path | None = None):
    """`chart` with the marker ("< 5") written at the base of each suppressed bar or point.

    `chart` is a bar, point or line chart of a frame with `count` and `<count>_suppressed` (from
    `observatorio.disclosure.aggregate` or `suppress`, passed through `frame`) whose x or y encodes
    `count`. Call it before `finish`. The marker is a text mark at zero on the count axis, so a
    suppressed category keeps its place on the other axis instead of silently disappearing.
    """
    from . import disclosure

    spec = chart.to_dict()
    encoding = spec.get("encoding") or {}
    channel = next((c for c in ("x", "y") if (encoding.get(c) or {}).get("field") == count), None)
    if channel is None:
        raise UserError(f"mark_suppressed: neither x nor y of the chart encodes `{count}`; pass the count field the chart draws.")
    flag = f"{count}{disclosure.FLAG}"
    marker = disclosure.marker(disclosure.project_threshold(root))
    horizontal = channel == "x"
    labels = chart.mark_text(
        align="left" if horizontal else "center", baseline="middle" if horizontal else "bottom",
        dx=4 if horizontal else 0, dy=0 if horizontal else -4, fontSize=12, fontWeight=600, color=TEXT,
    ).encode(
        **{channel: alt.datum(0)}, text=alt.value(marker), color=alt.value(TEXT),
    ).transform_filter(f"datum[{json.dumps(flag)}] === true")
    return alt.layer(chart, labels)


# -- publishing: one chart, for web and print ------------------------------------------------------

_fonts_registered = False


def _register_fonts() -> None:
    global _fonts_registered
    if not _fonts_registered:
        import vl_convert

        vl_convert.register_font_directory(str(font_dir()))
        _fonts_registered = True


def to_spec(chart) -> dict:
    return chart if isinstance(chart, dict) else chart.to_dict()


def _vl_version(spec: dict) -> str | None:
    schema = spec.get("$schema", "")
    if "/v5" in schema:
        return "v5.20"
    return None


def svg(chart) -> str:
    import vl_convert

    _register_fonts()
    spec = to_spec(chart)
    return vl_convert.vegalite_to_svg(spec, vl_version=_vl_version(spec))


def png(chart, scale: float = 2) -> bytes:
    import vl_convert

    _register_fonts()
    spec = to_spec(chart)
    return vl_convert.vegalite_to_png(spec, vl_version=_vl_version(spec), scale=scale)


def svg_png(svg_text: str, scale: float = 2) -> bytes:
    """A PNG of an SVG made by `svg` (no second Vega render)."""
    import vl_convert

    _register_fonts()
    return vl_convert.svg_to_png(svg_text, scale=scale)


def drawing(chart, cache: Path | None = None) -> str:
    """The chart's SVG. With `cache` (a folder), a spec drawn before is read back, not drawn again.

    Files in the cache are named by a digest of the spec and of the versions of vl-convert and of the
    font package, so any change to the chart, the renderer or the font draws it afresh.
    """
    spec = json.dumps(to_spec(chart), sort_keys=True, ensure_ascii=False)
    return _cached(cache, spec, "svg", lambda: svg(chart).encode("utf-8")).decode("utf-8")


def picture(svg_text: str, cache: Path | None = None) -> bytes:
    """A PNG (2×) of an SVG made by `drawing` or `framed_svg` (no second Vega render), cached like `drawing`."""
    return _cached(cache, svg_text, "png", lambda: svg_png(svg_text))


def _cached(cache: Path | None, source: str, ext: str, make) -> bytes:
    if cache is None:
        return make()
    from importlib.metadata import version

    from . import steps

    return steps.memo(cache, f".{ext}", make, source, version("vl-convert-python"), version("font-source-sans-pro"))


VALUES_LAYER = "obs-values"


def data_rows(chart) -> list[dict]:
    """The chart's data as records: its inline dataset (the largest one if several), or the layer named
    `VALUES_LAYER` (a map's circles: its other datasets, such as the countries' points, are not its data)."""
    spec = to_spec(chart)
    for layer in spec.get("layer") or []:
        if layer.get("name") == VALUES_LAYER:
            data = layer.get("data") or {}
            return data.get("values") or (spec.get("datasets") or {}).get(data.get("name"), [])
    candidates = list((spec.get("datasets") or {}).values())
    values = (spec.get("data") or {}).get("values")
    if values:
        candidates.append(values)
    return max(candidates, key=len) if candidates else []


def data_csv(chart) -> str:
    """The chart's data as CSV, as shown in its data table (a published file adds `data_file`'s header).

    A column whose numbers are all whole is written as integers (1990, not 1990.0: Altair's data
    holds floats). A suppressed count (its `<count>_suppressed` flag true) is written as the marker
    ("< 5"), never as an empty cell or a number. A flagged cell that holds a number, or a count below
    the threshold left unflagged in a column that has a flag, stops the build (UserError).
    """
    from . import disclosure

    rows = data_rows(chart)
    if not rows:
        return ""
    spec = to_spec(chart)
    limit = ((spec.get("usermeta") or {}).get("observatorio") or {}).get("disclosure_threshold") or disclosure.project_threshold()
    problems = disclosure.row_problems(rows, int(limit), "chart data")
    if problems:
        raise UserError("a chart's data file would publish a suppressed value:\n  " + "\n  ".join(problems) + "\n" + SUPPRESS_HINT)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    whole = [c for c in columns if _all_whole(row.get(c) for row in rows)]
    rows = [{**row, **{c: _whole(row.get(c)) for c in whole}} for row in rows]
    flags = disclosure.flagged(columns)
    if flags:
        shown = disclosure.marker(int(limit))
        rows = [
            {**row, **{count: shown if disclosure._true(row.get(flag)) else _whole(row.get(count)) for count, flag in flags.items()}}
            for row in rows
        ]
    # pandas' `comment="#"` skips the rest of a line from an unquoted "#": quote every text then
    hashed = any("#" in str(value) for row in rows for value in row.values() if isinstance(value, str))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC if hashed else csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _all_whole(values) -> bool:
    numbers = [v for v in values if v is not None]
    return bool(numbers) and all(isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() for v in numbers)


def _whole(value):
    """A count as it is counted: 6, not 6.0 (Altair's data holds floats)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


# -- downloads that carry their context ------------------------------------------------------------

@dataclass(frozen=True)
class Context:
    """What a downloaded figure carries: its title, its address on the site and the licences of its data."""

    lang: str
    title: str = ""
    address: str = ""
    licences: tuple[str, ...] = ()


def source_lines(spec: dict) -> list[str]:
    """The source line (and any note) that `finish` wrote under the chart."""
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    if not text:
        return []
    return [str(line) for line in (text if isinstance(text, list) else [text])]


def column_titles(spec: dict) -> dict[str, str]:
    """Each data field's title (with its unit) as the chart's encodings name it: {"value": "Pessoas", …}."""
    titles: dict[str, str] = {}

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("field"), str) and isinstance(node.get("title"), str):
                titles.setdefault(node["field"], node["title"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in spec.items() if k not in ("datasets", "data", "config")})
    return titles


def data_file(spec: dict, context: Context, root: Path | None = None) -> str:
    """The figure's CSV as published: a header block of `#` lines (title, source, column titles and
    units, licence, observatory and address), then the data. `pandas.read_csv(path, comment="#")` reads it."""
    table = data_csv(spec)
    if not table:
        return ""
    t = texts(context.lang, root)
    s = strings(t.root, context.lang)
    columns = column_titles(spec)
    lines = [context.title, *source_lines(spec)]
    if columns:
        lines.append(f"{t['columns']}: " + "; ".join(f"{field} = {title}" for field, title in columns.items()))
    if context.licences:
        lines.append(f"{t['licence']}: " + "; ".join(context.licences))
    lines += [f"{s['organisation']}: {context.address}" if context.address else str(s["organisation"]), t["read_with"]]
    header = "".join(f"# {' '.join(line.split())}\n" for line in lines if line)
    return header + table


def framed_svg(svg_text: str, context: Context, root: Path | None = None) -> str:
    """The drawn chart with its title above and the observatory's name and the figure's address below,
    for the SVG and PNG downloads (the source line is in the chart, from `finish`)."""
    import html
    import re
    import textwrap

    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg_text)
    if not match:
        raise UserError("charts.framed_svg: the drawing has no width and height (not an SVG from vl-convert).")
    width, height = float(match.group(1)), float(match.group(2))
    title = textwrap.wrap(context.title, max(30, int(width / 8.5)))  # 16 px semibold: about 8.5 px a character
    footer = [str(strings(texts(context.lang, root).root, context.lang)["organisation"]), context.address]
    top = 10 + 20 * len(title)
    total = top + height + 8 + 14 * len([line for line in footer if line])

    def text(x: float, y: float, content: str, size: int, colour: str, weight: str = "normal") -> str:
        return (f'<text x="{x:g}" y="{y:g}" font-family="{FAMILY}" font-size="{size}px" font-weight="{weight}" fill="{colour}">'
                f"{html.escape(content)}</text>")

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{total:g}" viewBox="0 0 {width:g} {total:g}">',
        f'<rect width="{width:g}" height="{total:g}" fill="white"/>',
        *(text(5, 26 + 20 * i, line, 16, TEXT, "600") for i, line in enumerate(title)),
        re.sub(r"^\s*<svg\b", f'<svg x="0" y="{top:g}"', svg_text.split("?>", 1)[-1] if svg_text.lstrip().startswith("<?xml") else svg_text, count=1),
        *(text(5, top + height + 4 + 14 * (i + 1), line, 11, MUTED) for i, line in enumerate(line for line in footer if line)),
        "</svg>",
    ]
    return "\n".join(parts)


def figure_files(spec: dict, stem: str, context: Context, figure: str = "", cache: Path | None = None,
                 root: Path | None = None) -> dict[str, bytes]:
    """The files published for one chart, by name: `<stem>-vegalite.json` (spec), `<stem>.svg` (as drawn,
    for the page and the PDF), `<stem>-download.svg` and `<stem>.png` (with title, source, observatory and
    address) and `<stem>.csv` (`data_file`). A label Vega cut to fit stops the build (`check_labels`).
    A world map (`observatorio.maps`) is drawn with its basemap put into the spec; its published spec keeps the basemap's URL on the site."""
    from . import maps

    drawn = drawing(maps.inline_geometry(spec, root), cache)  # a map's basemap is written into the spec it draws
    check_labels(drawn, spec, figure or stem)
    framed = framed_svg(drawn, context, root)
    return {
        f"{stem}-vegalite.json": json.dumps(spec, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"),
        f"{stem}.svg": drawn.encode("utf-8"),
        f"{stem}-download.svg": framed.encode("utf-8"),
        f"{stem}.png": picture(framed, cache),
        f"{stem}.csv": data_file(spec, context, root).encode("utf-8"),
    }


@dataclass(frozen=True)
class Published:
    spec: Path
    svg: Path
    download_svg: Path
    png: Path
    csv: Path


def publish(chart, folder: Path, stem: str, context: Context | None = None) -> Published:
    """Write the files of `figure_files` into `folder`; only files whose content changed are rewritten.

    (No dotted language suffix in the names: the site's i18n plugin would read `fig.en.svg` as a
    translation of `fig.svg`.)
    """
    from .files import write_if_changed

    folder = Path(folder)
    for name, content in figure_files(to_spec(chart), stem, context or Context("pt")).items():
        write_if_changed(folder / name, content)
    return Published(spec=folder / f"{stem}-vegalite.json", svg=folder / f"{stem}.svg", download_svg=folder / f"{stem}-download.svg",
                     png=folder / f"{stem}.png", csv=folder / f"{stem}.csv")


QUARTO_SPECS = "OBSERVATORIO_QUARTO_SPECS"  # set by the Quarto engine: a folder for the spec of every chart drawn


def quarto_svg(spec: dict, **_options) -> dict:
    """The chart as SVG; under the Quarto engine its spec is also kept as `<SHA-256 of the SVG>.json`,
    so that the engine finds each figure's spec (data, PNG, downloads) from the image Quarto saved."""
    import hashlib

    drawn = svg(spec)
    folder = os.environ.get(QUARTO_SPECS)
    if folder:
        name = hashlib.sha256(drawn.encode("utf-8")).hexdigest() + ".json"
        (Path(folder) / name).write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return {"image/svg+xml": drawn, "text/plain": "<Altair chart>"}


def _quarto_static_renderer() -> None:
    """Under the real Quarto CLI, render Altair as SVG for non-HTML formats (else PDFs get `alt.Chart(...)` text)."""
    info = os.environ.get("QUARTO_EXECUTE_INFO")
    if not info:
        return
    try:
        target = json.loads(Path(info).read_text(encoding="utf-8"))["format"]["pandoc"]["to"]
    except (OSError, KeyError, ValueError, TypeError):
        return
    if "html" not in str(target):
        alt.renderers.register("observatorio-quarto", quarto_svg)
        alt.renderers.enable("observatorio-quarto")


_quarto_static_renderer()
