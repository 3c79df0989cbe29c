"""Alt texts written from a chart's data: what the figure shows, for readers who cannot see it.

`describe(spec, s)` reads a Vega-Lite spec (as `observatorio.charts` makes them) and says, in the
language of `s` (`site/i18n/<lang>.yml`, keys `charts.alt.*`):
- line and area charts: each series' first and last values and its maximum, and, for two series,
  where they cross ("between 2010 and 2015": between the two points where the order changes);
- bar and point charts: the categories from the largest value down (at most `MAX_ITEMS`).
An author's `fig-alt` replaces it. A chart it cannot read (no quantitative axis, facets, concat)
gets the caption, as before.
"""

from __future__ import annotations

from .charts import data_rows
from .i18n import Strings

MAX_ITEMS = 6
MAX_SERIES = 6
LINES = ("line", "area", "trail")


def describe(spec: dict, s: Strings) -> str:
    """The chart's alt text, or "" when the chart is not one it can describe."""
    from . import maps

    if maps.is_map(spec):
        return maps.describe(spec, s)
    view = _main_view(spec)
    if view is None:
        return ""
    encoding = view.get("encoding") or {}
    mark = view["mark"].get("type") if isinstance(view.get("mark"), dict) else str(view.get("mark"))
    value_channel = _value_channel(encoding, mark)
    if value_channel is None:
        return ""
    key_channel = "y" if value_channel == "x" else "x"
    value, key = encoding[value_channel], encoding.get(key_channel) or {}
    if not key.get("field"):
        return ""
    series_field = next((encoding[c]["field"] for c in ("color", "strokeDash") if (encoding.get(c) or {}).get("field")), None)
    rows = [r for r in data_rows(spec) if r.get(value["field"]) is not None and r.get(key["field"]) is not None]
    if not rows:
        return ""
    title = key.get("title", key["field"])  # `title=None` in the chart: the categories say it
    names = {"value": _title(value), "by": s.format("charts.alt.by", by=_title(key)) if title else "",
             "chart": s[f"charts.alt.{'line' if mark in LINES else 'bar' if mark == 'bar' else 'other'}_chart"]}
    numbers = _formatter([r[value["field"]] for r in rows], s)
    in_order = mark in LINES or (key.get("type") in ("ordinal", "temporal") and all(_sort_key(r[key["field"]])[0] == 0 for r in rows))
    if in_order:
        return _describe_series(rows, key["field"], value["field"], series_field, names, numbers, s)
    return _describe_categories(rows, key["field"], value["field"], series_field, names, numbers, s)


def _main_view(spec: dict) -> dict | None:
    """The view that draws the data: the spec itself, or its first layer that is not a text mark."""
    if "mark" in spec:
        return spec
    for layer in spec.get("layer") or []:
        mark = layer.get("mark")
        kind = mark.get("type") if isinstance(mark, dict) else mark
        if kind and kind != "text":
            return {**layer, "encoding": {**(spec.get("encoding") or {}), **(layer.get("encoding") or {})}}
    return None


def _value_channel(encoding: dict, mark: str) -> str | None:
    """The channel of the values: y (or x for horizontal bars); None for a scatter plot or a chart without one."""
    kinds = {c: (encoding.get(c) or {}).get("type") for c in ("x", "y")}
    if kinds["y"] == "quantitative" and (kinds["x"] in ("ordinal", "temporal", "nominal") or (kinds["x"] == "quantitative" and mark in LINES)):
        return "y"
    if kinds["x"] == "quantitative" and kinds["y"] in ("ordinal", "temporal", "nominal"):
        return "x"
    return None


def _title(channel: dict) -> str:
    title = channel.get("title")
    return " ".join(title) if isinstance(title, list) else str(title or channel.get("field"))


def _formatter(values: list, s: Strings):
    decimals = 0 if all(float(v).is_integer() for v in values) else 1
    return lambda v: s.number(float(v), decimals)


def _key_text(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _sort_key(value):
    try:
        return (0, float(value), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(value))


def _series(rows: list[dict], key: str, value: str, series: str | None) -> dict[str, list[tuple]]:
    """{series name: [(key, value), …] in key order}; one unnamed series without a series field."""
    grouped: dict[str, list[tuple]] = {}
    for row in rows:
        grouped.setdefault(str(row.get(series)) if series else "", []).append((row[key], float(row[value])))
    return {name: sorted(points, key=lambda p: _sort_key(p[0])) for name, points in grouped.items()}


def _describe_series(rows, key, value, series_field, names, number, s: Strings) -> str:
    grouped = _series(rows, key, value, series_field)
    keys = sorted({row[key] for row in rows}, key=_sort_key)
    parts = [s.format("charts.alt.over_time", **names, first=_key_text(keys[0]), last=_key_text(keys[-1]))]
    for name, points in list(grouped.items())[:MAX_SERIES]:
        top = max(points, key=lambda p: p[1])
        parts.append(s.format("charts.alt.series" if name else "charts.alt.one_series", series=name,
                              first=_key_text(points[0][0]), first_value=number(points[0][1]),
                              last=_key_text(points[-1][0]), last_value=number(points[-1][1]),
                              top=_key_text(top[0]), top_value=number(top[1])))
    if len(grouped) == 2:
        parts.append(_crossings(*grouped.items(), s))
    return " ".join(p for p in parts if p)


def crossings(a: list[tuple], b: list[tuple]) -> list[tuple]:
    """Where two series change order, over the keys both have: (key before, key after), or (key, key) where they are equal
    between an order and its reverse."""
    b_values = dict(b)
    common = [(k, v - b_values[k]) for k, v in a if k in b_values]
    found, last = [], None  # last: (key, sign) of the last point where they differ
    for k, difference in common:
        sign = (difference > 0) - (difference < 0)
        if sign == 0:
            continue
        if last is not None and sign != last[1]:
            equal = [k2 for k2, d in common if d == 0 and _sort_key(last[0]) < _sort_key(k2) < _sort_key(k)]
            found.append((equal[0], equal[0]) if equal else (last[0], k))
        last = (k, sign)
    return found


def _crossings(first: tuple, second: tuple, s: Strings) -> str:
    (a, a_points), (b, b_points) = first, second
    found = crossings(a_points, b_points)
    if not found:
        b_values = dict(b_points)
        common = [(k, v) for k, v in a_points if k in b_values]
        if not common:
            return ""
        higher, lower = (a, b) if common[0][1] > b_values[common[0][0]] else (b, a)
        return s.format("charts.alt.always_above", higher=higher, lower=lower)
    places = [s.format("charts.alt.at", at=_key_text(start)) if start == end else
              s.format("charts.alt.between", start=_key_text(start), end=_key_text(end)) for start, end in found]
    return s.format("charts.alt.cross", a=a, b=b, places=_join(places, s))


def _describe_categories(rows, key, value, series_field, names, number, s: Strings) -> str:
    items = sorted(rows, key=lambda r: -float(r[value]))
    shown = [_key_text(r[key]) + (f" ({r[series_field]})" if series_field else "") + f" {number(r[value])}" for r in items[:MAX_ITEMS]]
    more = len(items) - len(shown)
    listed = _join(shown + ([s.format("charts.alt.more", count=more)] if more else []), s)
    return s.format("charts.alt.by_category", **names, items=listed)


def _join(items: list[str], s: Strings) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {s['charts.alt.and']} " + items[-1]
