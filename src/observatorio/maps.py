"""World maps: where the immigrants in Cabo Verde come from, and where Cabo Verdeans abroad live.

`world_map` returns a Vega-Lite chart (Altair) of proportional symbols over a grey basemap, with a
year selector: a circle per country, sized by its value (square-root scale, so the area reads as
the number), placed at the country's point of `data/geo/country_points.csv`, inside its largest
polygon; Cabo Verde is marked apart, as the destination or origin of every circle; a profile's
country is drawn in the accent colour. A country too small to see on the basemap (Cabo Verde, São
Tomé and Príncipe, the Virgin Islands) still has its circle, which is never smaller than `MIN_AREA`.

Geometry: world-atlas 2.0.2 (ISC licence; Natural Earth, public domain), committed in `data/geo`
(see its README). On the web the chart loads the basemap from the site itself,
`assets/geo/countries-110m.json`, a URL relative to the site's root that
`observatorio-charts.js` resolves from its own address, so it works at any page depth and never
leaves the site's origin. For SVG, PNG and PDF, `inline_geometry` puts the basemap into the spec
before vl-convert draws it (`charts.figure_files` does so).
"""

from __future__ import annotations

import csv
import functools
import json
from dataclasses import dataclass
from pathlib import Path

import altair as alt

from . import charts
from .errors import UserError
from .paths import project_root

GEOMETRY = Path("data") / "geo" / "countries-110m.json"
POINTS = Path("data") / "geo" / "country_points.csv"
GEOMETRY_URL = "assets/geo/countries-110m.json"  # in the built site; relative to its root
CABO_VERDE = "CPV"
WIDTH, HEIGHT = 560, 300
MIN_AREA, MAX_AREA = 24, 1400  # px² of the smallest and largest circle
LAND, BORDER = "#e4e4e4", "#ffffff"
CIRCLE = charts.PALETTE[0]
HIGHLIGHT = charts.PALETTE[3]  # the profile's country
HIGHLIGHT_LAND = "#f3c9ad"
CABO_VERDE_COLOUR = charts.PALETTE[2]


@dataclass(frozen=True)
class MapData:
    key: str  # immigrants | emigrants: the UI strings `maps.<key>`
    resource: str
    country: str  # the field holding the other country's ISO3 code
    where: tuple[tuple[str, str], ...] = ()


DATASETS = {
    "immigrants": MapData("immigrants", "immigrant_stock_by_origin", "origin_iso3", (("sex", "both"),)),
    "emigrants": MapData("emigrants", "emigrant_stock_by_destination", "destination_iso3",
                         (("indicator", "emigrant_stock_by_destination"), ("sex", "both"))),
}


def _root(root: Path | None) -> Path:
    return Path(root or project_root()).resolve()


@functools.lru_cache(maxsize=4)
def _points(path: Path, _mtime: float) -> dict[str, tuple[float, float, str]]:
    with path.open(encoding="utf-8") as handle:
        return {row["iso3"]: (float(row["lon"]), float(row["lat"]), row["iso_numeric"]) for row in csv.DictReader(handle)}


def points(root: Path | None = None) -> dict[str, tuple[float, float, str]]:
    """ISO3 → (longitude, latitude, ISO numeric) from `data/geo/country_points.csv`."""
    path = _root(root) / POINTS
    if not path.is_file():
        raise UserError(f"{POINTS}: missing; it holds the countries' points for the world maps. "
                        "Make it with data/scripts/world_geometry.py (see data/geo/README.md).")
    return _points(path, path.stat().st_mtime)


def geometry(root: Path | None = None) -> dict:
    """The basemap's TopoJSON (`data/geo/countries-110m.json`)."""
    path = _root(root) / GEOMETRY
    if not path.is_file():
        raise UserError(f"{GEOMETRY}: missing; it is the basemap of the world maps. "
                        "Copy it from the world-atlas 2.0.2 package with data/scripts/world_geometry.py (see data/geo/README.md).")
    return json.loads(path.read_text(encoding="utf-8"))


def rows(which: str, lang: str, root: Path | None = None) -> list[dict]:
    """The map's data: one row per country and year (`iso3`, `country` in the page's language, `year`, `value`)."""
    from .data import load_package
    from .profiles.model import country_names, load

    root = _root(root)
    spec = DATASETS[which]
    frame = load(spec.resource, root)
    file = load_package(root).resource(spec.resource).path.relative_to(root)
    for field in (spec.country, "year", "value", *(f for f, _ in spec.where)):
        if field not in frame.columns:
            raise UserError(f"{file}: field `{field}` is missing; the world map `{which}` needs it.")
    for field, value in spec.where:
        frame = frame[frame[field] == value]
    frame = frame[frame["value"].notna() & (frame[spec.country] != CABO_VERDE)]
    if frame.empty:
        raise UserError(f"{file}: no row with a value for the world map `{which}` "
                        f"({', '.join(f'{f} = {v}' for f, v in spec.where)}).")
    twice = frame[frame.duplicated([spec.country, "year"], keep=False)]
    if not twice.empty:
        first = twice.iloc[0]
        raise UserError(f"{file}: field `{spec.country}`: {first[spec.country]} has several rows for {int(first['year'])} "
                        f"(another edition or breakdown?); the world map `{which}` needs one, named in maps.DATASETS (`where`).")
    names = country_names(root)
    where = points(root)
    out = []
    for record in frame.sort_values(["year", spec.country]).to_dict("records"):
        iso3 = str(record[spec.country])
        if iso3 not in where:
            raise UserError(f"{file}: field `{spec.country}`: {iso3} has no point in {POINTS}; "
                            "add it with data/scripts/world_geometry.py (see data/geo/README.md).")
        if iso3 not in names or lang not in names[iso3]:
            raise UserError(f"{file}: field `{spec.country}`: {iso3} has no name_{lang} in the countries dataset.")
        value = float(record["value"])
        out.append({"iso3": iso3, "country": names[iso3][lang], "year": int(record["year"]), "value": int(value) if value.is_integer() else value})
    return out


def source(which: str, lang: str, root: Path | None = None) -> str:
    """The source line's text in `lang` (UI string `maps.source_<which>`), with the edition of the rows drawn."""
    from .data import load_package
    from .profiles.model import load

    spec, root = DATASETS[which], _root(root)
    frame = load(spec.resource, root)
    for field, value in spec.where:
        frame = frame[frame[field].astype(str) == value]
    editions = sorted({int(y) for y in frame["source_year"].dropna()}) if "source_year" in frame.columns else []
    if len(editions) != 1:
        raise UserError(f"{load_package(root).resource(spec.resource).path.relative_to(root)}, field `source_year`: the world map "
                        f"`{which}` draws one edition, and its rows hold {editions or 'none'}. Keep the rows of one edition (maps.DATASETS, `where`).")
    return _strings(lang, root).format(f"maps.source_{which}", edition=editions[0])


def title(which: str, lang: str, root: Path | None = None) -> str:
    return str(_strings(lang, root)[f"maps.{which}"])


def _strings(lang: str, root: Path | None):
    from .i18n import strings

    return strings(_root(root), lang)


def world_map(which: str, lang: str, root: Path | None = None, highlight: str | None = None,
              geometry_url: str = GEOMETRY_URL):
    """The proportional-symbol world map of `which` (`immigrants` or `emigrants`) in `lang`, with `highlight`
    (an ISO3 code, on a country profile) in the accent colour and a year selector (the latest year first)."""
    if which not in DATASETS:
        raise UserError(f"world map `{which}`: unknown; choose one of {', '.join(DATASETS)}.")
    root = _root(root)
    t = charts.texts(lang, root)
    s = _strings(lang, root)
    data = rows(which, lang, root)
    years = sorted({row["year"] for row in data})
    where = points(root)
    here = {row["iso3"] for row in data}
    lookup = [{"iso3": code, "lon": where[code][0], "lat": where[code][1]} for code in sorted(here)]
    largest = max(row["value"] for row in data)
    year = alt.param(name="year", value=years[-1],
                     bind=alt.binding_select(options=years, name=f"{s['maps.year']} "))
    numeric = where[highlight][2] if highlight and highlight in where else None

    land = alt.Chart(alt.Data(url=geometry_url, format=alt.DataFormat(type="topojson", feature="countries"))).mark_geoshape(
        stroke=BORDER, strokeWidth=0.5, aria=False  # the basemap is decoration: the circles carry the data
    ).encode(
        fill=alt.condition(f"datum.id === {json.dumps(numeric)}", alt.value(HIGHLIGHT_LAND), alt.value(LAND)) if numeric else alt.value(LAND),
    )
    fill = (alt.condition(f"datum.iso3 === {json.dumps(highlight)}", alt.value(HIGHLIGHT), alt.value(CIRCLE)) if highlight else alt.value(CIRCLE))
    circles = alt.Chart(alt.Data(values=data)).mark_circle(opacity=0.75, stroke="white", strokeWidth=0.8).encode(
        longitude="lon:Q",
        latitude="lat:Q",
        size=alt.Size("value:Q", title=t["persons"], scale=alt.Scale(type="sqrt", domain=[0, largest], range=[MIN_AREA, MAX_AREA]),
                      legend=alt.Legend(orient="bottom-left", direction="vertical", format=",.0f", values=legend_values(largest), padding=2)),
        color=fill,
        order=alt.Order("value:Q", sort="descending"),  # small circles over large ones
        tooltip=[alt.Tooltip("country:N", title=t["country"]), alt.Tooltip("iso3:N", title="ISO 3166"),
                 alt.Tooltip("year:O", title=t["year"]), alt.Tooltip("value:Q", title=t["persons"], format=",.0f")],
    ).transform_filter(alt.datum.year == year).transform_lookup(
        lookup="iso3", from_=alt.LookupData(data=alt.InlineData(values=lookup), key="iso3", fields=["lon", "lat"])
    ).add_params(year).properties(name=charts.VALUES_LAYER)
    lon, lat, _ = where[CABO_VERDE]
    from .profiles.model import country_names

    cabo_verde_name = country_names(root)[CABO_VERDE][lang]
    marker = alt.Chart(alt.Data(values=[{"lon": lon, "lat": lat, "label": cabo_verde_name}])).mark_point(
        shape="diamond", filled=True, size=90, color=CABO_VERDE_COLOUR, stroke="white", strokeWidth=1, opacity=1
    ).encode(longitude="lon:Q", latitude="lat:Q", tooltip=alt.value(s[f"maps.cabo_verde_{which}"]))
    label = marker.mark_text(align="right", dx=-8, dy=0, fontSize=11, fontWeight="bold", color=charts.TEXT).encode(text="label:N")
    # the year shown, written on the map: the selector sets it on the web; a static drawing (PDF, PNG, no script) shows the latest
    shown_year = alt.Chart(alt.Data(values=[{}])).mark_text(
        align="left", baseline="top", fontSize=13, fontWeight="bold", color=charts.TEXT, text=alt.ExprRef(expr="year"), aria=False
    ).encode(x=alt.value(0), y=alt.value(0))
    chart = alt.layer(land, circles, marker, label, shown_year).properties(
        width=WIDTH, height=HEIGHT, projection=alt.Projection(type="equalEarth")
    ).configure_view(stroke=None)
    chart = charts.finish(chart, lang, source=source(which, lang, root), root=root)
    meta = dict(chart.usermeta) if chart.usermeta is not alt.Undefined else {}
    meta = {**meta, "observatorio": {**meta.get("observatorio", {}), "map": {"data": which, "highlight": highlight or "", "geometry": geometry_url}}}
    return chart.properties(usermeta=meta)


def legend_values(largest: float) -> list[int]:
    """Three round values for the size legend, the largest not above the data's maximum: 1 000, 5 000, 10 000."""
    step = 10 ** max(0, len(str(int(largest))) - 1)
    top = max(1, int(largest // step)) * step
    return sorted({v for v in (max(1, top // 10), max(1, top // 2), top) if v > 0})


def is_map(spec: dict) -> bool:
    return bool(((spec.get("usermeta") or {}).get("observatorio") or {}).get("map"))


def inline_geometry(spec: dict, root: Path | None = None) -> dict:
    """The spec with the basemap's TopoJSON written into it in place of its URL (for vl-convert: SVG, PNG, PDF)."""
    if not is_map(spec):
        return spec
    url = spec["usermeta"]["observatorio"]["map"]["geometry"]
    topology = geometry(root)

    def walk(node):
        if isinstance(node, dict):
            if node.get("url") == url and "format" in node:
                return {"values": topology, "format": node["format"]}
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return node

    return walk(spec)


def describe(spec: dict, s) -> str:
    """Alt text: the map's title, the year shown and the largest values."""
    from . import charts as c

    meta = spec["usermeta"]["observatorio"]["map"]
    data = c.data_rows(spec)
    if not data:
        return ""
    year = max(row["year"] for row in data)
    shown = sorted((row for row in data if row["year"] == year), key=lambda row: -row["value"])
    items = "; ".join(f"{row['country']} {s.number(row['value'])}" for row in shown[:5])
    return s.format("maps.alt", title=s[f"maps.{meta['data']}"], year=year, count=len(shown), items=items)


@dataclass(frozen=True)
class PageMap:
    """A map placed on a generated page: its figure HTML (chart, table, download, cite tabs) and its files."""

    html: str
    files: dict[str, bytes]


def page_map(root: Path, s, which: str, folder: str, default_lang: bool, site_url: str, page_title: str,
             highlight: str | None = None, caption: str | None = None) -> PageMap:
    """The map `which` as a figure of the page in docs folder `folder` ("" for the home page), in the language of `s`.

    The figure's files (spec, SVG, PNG, CSV) are stored once per language beside the default-language
    page (`<folder>/figures/`), with an embed page, like every figure of a publication or profile.
    """
    from .clock import build_date
    from .paths import build_dir
    from .reports import web
    from .reports.assemble import Figure
    from .reports.figure_view import FigurePage

    root = _root(root)
    lang = s.code
    depth = (folder.count("/") + 1) if folder else 0
    prefix = "" if default_lang else "../" * (depth + 1) + (f"{folder}/" if folder else "")
    url = (site_url.rstrip("/") + "/" + ("" if default_lang else f"{lang}/") + (f"{folder}/" if folder else "")) if site_url else ""
    page = FigurePage(title=page_title, url=url, folder=folder, default_lang=default_lang, year=build_date(root).year)
    spec = world_map(which, lang, root, highlight).to_dict(validate=False)  # validated in tests (test_maps), not at every build
    stem = f"mapa-{which}" + (f"-{highlight.lower()}" if highlight else "") + f"-{lang}"
    figure = Figure(stem=stem, label=f"fig-mapa-{which}", caption=caption or title(which, lang, root), alt=describe(spec, s), spec=spec)
    figures = web.PageFigures(s, prefix, drawings=build_dir(root) / "drawings", page=page)
    return PageMap(html=figures.html(figure), files=figures.files([figure], folder))


def scripts(folder: str, default_lang: bool) -> str:
    """The chart script for a page in `folder` that shows a map (it loads the Vega bundle when a map comes into view)."""
    from .reports import web

    depth = ((folder.count("/") + 1) if folder else 0) + (0 if default_lang else 1)
    return web.scripts_html("../" * depth)


def for_resource(name: str) -> str | None:
    """The map (`immigrants`, `emigrants`) drawn from the resource `name`, if any."""
    return next((which for which, spec in DATASETS.items() if spec.resource == name), None)


def map_panel(root: Path, s, which: str, stem: str, folder: str, asset_prefix: str):
    """A figure's "Mapa" view (`Panel("map", …)` for `web.figure_html(..., extra_panels=...)`): the map of
    `which` as an SVG image, drawn as a Vega-Lite chart when JavaScript runs; and the image's file."""
    from .paths import build_dir
    from .reports import web
    from .reports.figure_view import Panel, in_folder

    root = _root(root)
    spec = world_map(which, s.code, root).to_dict(validate=False)
    svg = charts.drawing(inline_geometry(spec, root), build_dir(root) / "drawings")
    charts.check_labels(svg, spec, f"{folder}: map `{stem}`")
    body = f"<p><strong>{_escape(title(which, s.code, root))}</strong></p>\n" + web.chart_html(spec, f"{asset_prefix}figures/{stem}.svg", describe(spec, s))
    return Panel("map", body), {in_folder(folder, f"figures/{stem}.svg"): svg.encode("utf-8")}


def _escape(text: str) -> str:
    import html

    return html.escape(text)
