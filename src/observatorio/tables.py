"""Every table a reader sees, formatted one way: chart data tables, DataFrames shown by report and
notebook cells, profile tables and the preview on each dataset page.

`formatted` turns columns of values into cell texts for a page's language: whole numbers without
`.0`, thousands separated and the decimal mark of the language (`16 515`, `2,64` in Portuguese),
the same number of decimals in a whole column, years never grouped (`2024`), missing values as
"–", suppressed counts as the disclosure marker ("< 5"), column titles from the data catalogue.
`html` and `pandoc_table` write the result with the classes `obs-table obs-sortable`; both mark
numeric cells (`obs-num`, right-aligned, with their value in `data-value`) so that
`site/assets/javascripts/tables.js` can sort by any column.
"""

from __future__ import annotations

import html as html_lib
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .i18n import format_number

MISSING = "–"
MAX_DECIMALS = 2  # for values of at least 1; smaller values keep two significant digits
TABLE_CLASSES = ("obs-table", "obs-sortable")  # Material leaves a table with a class alone; tables.js sorts these
NUMBER_CLASS = "obs-num"
LONG_CLASS, LONG_TEXT = "obs-long", 40  # a text column with a cell over 40 characters: given room, so its rows stay short
YEAR_NAME = re.compile(r"^(?:.*_)?year$|^ano$|^year$", re.IGNORECASE)
MARKER = re.compile(r"^< \d+$")  # `disclosure.marker`: a suppressed count


@dataclass(frozen=True)
class Table:
    titles: list[str]
    numeric: list[bool]
    rows: list[list[str]]  # cell texts, as the reader sees them
    values: list[list[float | None]]  # the number behind each numeric cell (None: text, missing or suppressed)

    def head(self, count: int) -> Table:
        return Table(self.titles, self.numeric, self.rows[:count], self.values[:count])


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def plain(value):
    """A pandas or NumPy cell as a plain Python value (None when missing)."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def formatted(columns: list[str], rows: list[list], style: tuple[str, str], titles: dict[str, str] | None = None,
              decimals: dict[str, int] | None = None) -> Table:
    """The table's cell texts for one language: `style` is (decimal mark, thousands separator),
    `titles` the column titles by column name, `decimals` a fixed number of decimals by column name."""
    titles, decimals = titles or {}, decimals or {}
    texts: list[list[str]] = []
    numbers: list[list[float | None]] = []
    numeric: list[bool] = []
    for index, name in enumerate(columns):
        values = [row[index] for row in rows]
        column_numeric = any(is_number(v) for v in values) and all(is_number(v) or _blank(v) or _suppressed(v) for v in values)
        year = column_numeric and _is_year_column(name, titles.get(name, ""), values)
        if column_numeric:
            places = 0 if year else decimals.get(name, column_decimals([v for v in values if is_number(v) and not _blank(v)]))
            texts.append([_number_text(v, style, places, year) for v in values])
            numbers.append([None if not is_number(v) or _blank(v) else float(v) for v in values])
        else:
            texts.append([MISSING if _blank(v) else str(v) for v in values])
            numbers.append([None] * len(values))
        numeric.append(column_numeric)
    return Table(
        titles=[titles.get(name) or name for name in columns],
        numeric=numeric,
        rows=[list(r) for r in zip(*texts, strict=True)] if columns else [],
        values=[list(r) for r in zip(*numbers, strict=True)] if columns else [],
    )


def column_decimals(values: list[float]) -> int:
    """Decimals for a column: none for whole numbers; else as many as the values need, at most
    MAX_DECIMALS (two significant digits for a column whose values are all below 1)."""
    if all(float(v).is_integer() for v in values):
        return 0
    needed = max(_decimals(v) for v in values)
    largest = max(abs(float(v)) for v in values)
    cap = MAX_DECIMALS if largest >= 1 else min(6, 1 - math.floor(math.log10(largest)))
    return min(needed, cap)


def _decimals(value: float) -> int:
    text = repr(float(value))
    if "e" in text:
        return 6
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _suppressed(value) -> bool:
    return isinstance(value, str) and bool(MARKER.match(value))


def _is_year_column(name: str, title: str, values: list) -> bool:
    """A year column by its name (`year`, `reference_year`), its title (`Ano`), or whole numbers all between 1800 and 2100."""
    if YEAR_NAME.match(str(name)) or YEAR_NAME.match(title.split(" ")[0] if title else ""):
        return True
    present = [v for v in values if is_number(v)]
    return bool(present) and all(float(v).is_integer() and 1800 <= v <= 2100 for v in present)


def _number_text(value, style: tuple[str, str], places: int, year: bool) -> str:
    if not is_number(value):
        return MISSING if _blank(value) else str(value)
    if isinstance(value, float) and math.isnan(value):
        return MISSING
    if year:
        return str(int(value))
    return format_number(value, style, places).replace("-", "\u2212")  # a true minus sign


# --- column titles from the data catalogue ------------------------------------------------------

def catalogue_titles(root: Path, lang: str) -> dict[str, str]:
    """Column titles from `data/datapackage.yaml`: a field name → its title in `lang`, for every field
    whose title is the same in every dataset that has it; with its unit when that is the same too."""
    from .data import load_package

    found: dict[str, set[tuple[str, str]]] = {}
    for resource in load_package(root).resources:
        for field in resource.fields:
            found.setdefault(field["name"], set()).add((field_title(field, lang, unit=False), _unit(field, lang)))
    out = {}
    for name, pairs in found.items():
        titles, units = {title for title, _ in pairs}, {unit for _, unit in pairs}
        if len(titles) == 1:
            out[name] = _with_unit(titles.pop(), units.pop() if len(units) == 1 else "")
    return out


def field_title(field: dict, lang: str, unit: bool = True) -> str:
    """A schema field's title in `lang` (its name when it has none), with its unit in brackets when it has one."""
    title = str((field.get("titles") or {}).get(lang) or field["name"])
    return _with_unit(title, _unit(field, lang)) if unit else title


def _unit(field: dict, lang: str) -> str:
    unit = field.get("unit")
    return str(unit.get(lang, "")) if isinstance(unit, dict) else str(unit or "")


def _with_unit(title: str, unit: str) -> str:
    return f"{title} ({unit})" if unit else title


# --- chart data ---------------------------------------------------------------------------------

D3_FIXED = re.compile(r"^[^.]*\.(\d+)f$")


def chart_titles(spec) -> tuple[dict[str, str], dict[str, int]]:
    """The titles the chart's author gave its fields (axes, legends, tooltips) and the decimals of
    their `.Nf` formats, by field name."""
    titles: dict[str, str] = {}
    decimals: dict[str, int] = {}

    def visit(node) -> None:
        if isinstance(node, dict):
            name = node.get("field")
            if isinstance(name, str):
                if isinstance(node.get("title"), str) and node["title"]:
                    titles.setdefault(name, node["title"])
                match = D3_FIXED.match(str(node.get("format") or ""))
                if match:
                    decimals.setdefault(name, int(match.group(1)))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(spec)
    return titles, decimals


def chart_table(spec, style: tuple[str, str], titles: dict[str, str], limit: int) -> Table:
    """A chart's data as a table: suppressed counts as the marker, their flag columns left out
    (the marker says it), titles from the chart, then from `titles` (the catalogue)."""
    from . import charts, disclosure

    rows = charts.data_rows(spec)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    flags = disclosure.flagged(columns)
    shown = [c for c in columns if c not in flags.values()]
    marker = disclosure.marker(limit)
    values = [[marker if c in flags and disclosure._true(row.get(flags[c])) else row.get(c) for c in shown] for row in rows]
    own_titles, decimals = chart_titles(spec)
    return formatted(shown, values, style, {**titles, **own_titles}, decimals)


# --- writers ------------------------------------------------------------------------------------

def html(table: Table, caption: str = "") -> str:
    """The table as HTML: numeric cells right-aligned, each with its number for sorting."""

    def cell(tag: str, text: str, numeric: bool, value: float | None = None, long: bool = False) -> str:
        classes = [NUMBER_CLASS] if numeric else [LONG_CLASS] if long else []
        attributes = f' class="{" ".join(classes)}"' if classes else ""
        if value is not None:
            attributes += f' data-value="{value!r}"'
        if tag == "th":
            attributes += ' scope="col"'
        return f"<{tag}{attributes}>{html_lib.escape(text)}</{tag}>"

    long = [any(len(row[i]) > LONG_TEXT for row in table.rows) for i in range(len(table.titles))]
    head = "".join(cell("th", title, numeric, long=wide) for title, numeric, wide in zip(table.titles, table.numeric, long, strict=True))
    body = "".join(
        "<tr>" + "".join(cell("td", text, numeric, value) for text, numeric, value in zip(texts, table.numeric, values, strict=True)) + "</tr>"
        for texts, values in zip(table.rows, table.values, strict=True)
    )
    caption_html = f"<caption>{html_lib.escape(caption)}</caption>" if caption else ""
    return f'<table class="{" ".join(TABLE_CLASSES)}">{caption_html}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def pandoc_table(table: Table) -> dict:
    """The table as a pandoc Table node (for the web page and the PDF), marked as `html` marks it."""
    from .reports import tree

    node = tree.table(table.titles, table.rows, table.numeric)
    node["c"][0] = tree.attr(classes=TABLE_CLASSES)
    for body in node["c"][4]:
        for row, values in zip(body[3], table.values, strict=True):
            for cell, numeric, value in zip(row[1], table.numeric, values, strict=True):
                if numeric:
                    cell[0] = tree.attr(classes=[NUMBER_CLASS], attributes=[("data-value", repr(value))] if value is not None else [])
    return node

