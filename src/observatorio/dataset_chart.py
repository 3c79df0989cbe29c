"""The default chart of a dataset page, chosen from the table schema, shown in a figure view.

The measure is the first number field outside the primary key. Rows are those of the resource's
`default_chart.where` (field: value) in `data/datapackage.yaml`. The other primary-key fields must
then leave at most one varying category: with a year field, one line per category (at most
`MAX_LINES`), else bars of the `TOP` largest categories of the latest year. Anything else (two
varying categories, mixed units) would draw a wrong chart, so the build stops and says which
values to fix in `where`. A resource without a number field (a code list) has no chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from .data import Resource
from .errors import UserError
from .i18n import Strings

YEAR_FIELDS = ("year", "reference_year")
MAX_LINES = 6
TOP = 10


@dataclass(frozen=True)
class Choice:
    measure: str
    year: str | None
    category: str | None  # the field that still varies (None: one series)
    label: str | None  # the field shown for the category (its name in the page's language when the data has one)


def choose(resource: Resource, frame, lang: str) -> Choice | None:
    """What to draw: measure, year and category fields (None when the resource has no measure)."""
    fields = {f["name"]: f for f in resource.fields}
    key = list((resource.descriptor.get("schema") or {}).get("primaryKey") or [])
    measures = [n for n, f in fields.items() if f.get("type") in ("number", "integer") and n not in key and n not in YEAR_FIELDS
                and not n.endswith("_year")]
    if not measures:
        return None
    year = next((n for n in YEAR_FIELDS if n in fields), None)
    varying = [n for n in key if n != year and frame[n].nunique(dropna=False) > 1]
    if "unit" in frame.columns and frame["unit"].nunique() > 1:
        varying.append("unit")
    if len(varying) > 1:
        values = "; ".join(f"{n}: {', '.join(map(str, frame[n].dropna().unique()[:3]))}" for n in varying)
        raise UserError(
            f"data/datapackage.yaml, resource `{resource.name}`: its default chart would mix rows of {', '.join(varying)} ({values}). "
            "Name one value of all but one of these fields under `default_chart: where:` (for example `where: {indicator: …, sex: both}`)."
        )
    category = varying[0] if varying else None
    label = None
    if category:
        named = f"{category.removesuffix('_iso3')}_name_{lang}"
        label = named if named in frame.columns else category
    return Choice(measures[0], year, category, label)


def rows(resource: Resource, frame):
    """The resource's rows named by `default_chart.where` (an unknown field or a value that matches nothing stops the build)."""
    where = (resource.descriptor.get("default_chart") or {}).get("where") or {}
    for name, value in where.items():
        if name not in frame.columns:
            raise UserError(f"data/datapackage.yaml, resource `{resource.name}`: default_chart.where names `{name}`, "
                            f"which is not a field. Fields: {', '.join(frame.columns)}.")
        matched = frame[frame[name].astype(str) == str(value)]
        if matched.empty:
            raise UserError(f"data/datapackage.yaml, resource `{resource.name}`: default_chart.where `{name}: {value}` matches no row. "
                            f"Values of `{name}`: {', '.join(map(str, frame[name].dropna().unique()[:8]))}.")
        frame = matched
    return frame


def chart(resource: Resource, frame, s: Strings, source: str):
    """(spec, caption, alt text) of the dataset's default chart, or None when it has no measure."""
    import altair as alt

    from . import charts

    lang = s.code
    frame = rows(resource, frame)
    choice = choose(resource, frame, lang)
    if choice is None:
        return None
    titles = (resource.descriptor.get("default_chart") or {}).get("titles") or {}
    fields = {f["name"]: f for f in resource.fields}
    measure = titles.get(lang) or (fields[choice.measure].get("titles") or {}).get(lang) or choice.measure
    data = frame.dropna(subset=[choice.measure])
    y = alt.Y(f"{choice.measure}:Q", title=measure, axis=alt.Axis(format=",d" if is_whole(data[choice.measure]) else ",.1f"))
    over_years = choice.year and data[choice.year].nunique() > 1
    if over_years and (choice.category is None or data[choice.category].nunique() <= MAX_LINES):
        columns = [choice.year, choice.measure] + ([choice.label] if choice.label else [])
        data = data[columns].sort_values(columns[:1])
        encoding = {"x": alt.X(f"{choice.year}:O", title=None, axis=alt.Axis(labelAngle=0)), "y": y}
        if choice.label:
            encoding["color"] = alt.Color(f"{choice.label}:N", title=None, legend=alt.Legend(orient="bottom"))
        drawn = alt.Chart(charts.frame(data)).mark_line(point=True).encode(**encoding)
        first, last = data.iloc[0], data.iloc[-1]
        caption = s.format("figure_view.dataset_chart", measure=measure, first=int(first[choice.year]), last=int(last[choice.year]))
        alt_text = s.format("figure_view.dataset_chart_alt", measure=measure, first=int(first[choice.year]),
                            last=int(last[choice.year]), low=s.number(data[choice.measure].min()), high=s.number(data[choice.measure].max()))
    else:
        if choice.category is None:
            return None
        if choice.year:  # the latest year's categories
            latest = data[choice.year].max()
            data = data[data[choice.year] == latest]
        data = data.nlargest(TOP, choice.measure)[[choice.label, choice.measure]]
        drawn = alt.Chart(charts.frame(data)).mark_bar().encode(
            x=alt.X(f"{choice.measure}:Q", title=measure, axis=alt.Axis(format=",d" if is_whole(data[choice.measure]) else ",.1f")),
            y=alt.Y(f"{choice.label}:N", title=None, sort="-x"),
        )
        caption = s.format("figure_view.dataset_chart_top", measure=measure, count=len(data)) + (f" ({int(latest)})" if choice.year else "")
        top = data.iloc[0]
        alt_text = s.format("figure_view.dataset_chart_top_alt", count=len(data), first=top[choice.label], value=s.number(top[choice.measure]))
    spec = charts.to_spec(charts.finish(drawn.properties(width=560, height=260), lang, source, s.root))
    return spec, caption, alt_text


def is_whole(values) -> bool:
    return bool(((values.dropna() % 1) == 0).all())
