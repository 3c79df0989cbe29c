"""World maps: the committed geometry (data/scripts/world_geometry.py), the Vega-Lite spec of
`observatorio.maps` and its static drawing."""

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from observatorio import charts, maps
from observatorio.errors import UserError
from observatorio.i18n import strings

ROOT = Path(__file__).resolve().parents[1]
IMMIGRANTS = ROOT / "data" / "raw" / "un_desa_immigrant_stock_cabo_verde_by_origin.csv"
EMIGRANTS = ROOT / "data" / "raw" / "un_desa_emigrant_stock_cabo_verde_by_destination.csv"


def point_rows() -> dict[str, dict]:
    with (ROOT / maps.POINTS).open(encoding="utf-8") as handle:
        return {row["iso3"]: row for row in csv.DictReader(handle)}


# --- the geometry ---------------------------------------------------------------------------------

def test_every_country_of_both_datasets_has_a_point_on_land():
    found = point_rows()
    wanted = set(pd.read_csv(IMMIGRANTS, keep_default_na=False)["origin_iso3"]) | set(pd.read_csv(EMIGRANTS, keep_default_na=False)["destination_iso3"])
    wanted -= {"WLD"}  # the world total, not a country
    assert wanted and not wanted - set(found), f"no point for {sorted(wanted - set(found))}"
    for code in ("CPV", "STP"):  # small island states absent from the 110m basemap
        assert code in found
    for row in found.values():
        assert -180 <= float(row["lon"]) <= 180 and -90 <= float(row["lat"]) <= 90
        assert re.fullmatch(r"\d{3}", row["iso_numeric"])
    # Cabo Verde's point lies in the archipelago (14.8–17.2 N, 22.7–25.4 W), São Tomé's near the equator
    assert 14.8 <= float(found["CPV"]["lat"]) <= 17.2 and -25.4 <= float(found["CPV"]["lon"]) <= -22.7
    assert (found["CPV"]["iso_numeric"], found["STP"]["iso_numeric"], found["PRT"]["iso_numeric"]) == ("132", "678", "620")
    assert abs(float(found["STP"]["lat"])) < 2


def test_basemap_is_world_atlas_countries_110m_as_shipped():
    topology = json.loads((ROOT / maps.GEOMETRY).read_text(encoding="utf-8"))
    assert topology["type"] == "Topology" and set(topology["objects"]) == {"countries", "land"}
    ids = {g.get("id") for g in topology["objects"]["countries"]["geometries"]}
    assert "620" in ids and "132" not in ids  # Portugal is drawn; Cabo Verde is too small for 110m (its circle shows it)
    readme = (ROOT / "data" / "geo" / "README.md").read_text(encoding="utf-8")
    assert "world-atlas" in readme and "2.0.2" in readme and "ISC" in readme and "public domain" in readme
    assert json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["world-atlas"] == "2.0.2"


def test_geometry_script_rebuilds_the_committed_files(tmp_path):
    """The script reads a world-atlas package folder; a package made from the committed basemap and a
    50m file that lacks a dataset's country stops, naming it."""
    package = tmp_path / "package"
    package.mkdir()
    shutil.copyfile(ROOT / maps.GEOMETRY, package / "countries-110m.json")
    small = json.loads((ROOT / maps.GEOMETRY).read_text(encoding="utf-8"))  # no Cabo Verde, no São Tomé
    (package / "countries-50m.json").write_text(json.dumps(small), encoding="utf-8")
    script = ROOT / "data" / "scripts" / "world_geometry.py"
    copy = tmp_path / "project"
    for part in ("data/raw", "data/scripts"):
        shutil.copytree(ROOT / part, copy / part)
    result = subprocess.run([sys.executable, str(copy / "data/scripts/world_geometry.py"), str(package)], capture_output=True, text=True)
    assert result.returncode != 0 and "no point for" in result.stderr and "STP" in result.stderr
    assert script.is_file() and not (copy / "data" / "geo").exists()  # nothing written when a country lacks its point


# --- the spec -------------------------------------------------------------------------------------

def layer(spec: dict, mark: str) -> dict:
    return next(view for view in spec["layer"] if (view["mark"]["type"] if isinstance(view["mark"], dict) else view["mark"]) == mark)


def test_circles_hold_the_csv_values_of_the_chosen_year():
    spec = maps.world_map("immigrants", "pt", ROOT).to_dict()
    raw = pd.read_csv(IMMIGRANTS)
    raw = raw[raw["sex"] == "both"]
    latest = int(raw["year"].max())
    param = next(p for p in spec["params"] if p["name"] == "year")
    assert param["value"] == latest and param["bind"]["input"] == "select" and param["bind"]["name"].strip() == "Ano"
    assert param["bind"]["options"] == sorted(int(y) for y in raw["year"].unique())
    circles = layer(spec, "circle")
    assert {"filter": "(datum.year === year)"} in circles["transform"]
    rows = charts.data_rows(spec)
    shown = {row["iso3"]: row["value"] for row in rows if row["year"] == latest}
    expected = dict(zip(raw[raw["year"] == latest]["origin_iso3"], raw[raw["year"] == latest]["value"], strict=True))
    assert shown == expected
    assert {row["country"] for row in rows if row["iso3"] == "MOZ"} == {"Moçambique"}
    assert circles["encoding"]["size"]["scale"]["type"] == "sqrt"
    assert spec["projection"]["type"] == "equalEarth"


def test_emigrants_map_leaves_out_the_world_total_and_names_countries_in_english():
    spec = maps.world_map("emigrants", "en", ROOT).to_dict()
    rows = charts.data_rows(spec)
    raw = pd.read_csv(EMIGRANTS)
    raw = raw[(raw["indicator"] == "emigrant_stock_by_destination") & (raw["sex"] == "both")]
    assert len(rows) == len(raw) and "WLD" not in {row["iso3"] for row in rows}
    portugal = {row["year"]: row["value"] for row in rows if row["iso3"] == "PRT"}
    assert portugal == dict(zip(raw[raw["destination_iso3"] == "PRT"]["year"], raw[raw["destination_iso3"] == "PRT"]["value"], strict=True))
    assert {row["country"] for row in rows if row["iso3"] == "STP"} == {"Sao Tome and Principe"}  # name_en of the countries dataset
    tooltip = layer(spec, "circle")["encoding"]["tooltip"]
    assert [t["title"] for t in tooltip] == ["Country", "ISO 3166", "Year", "Persons"]
    assert spec["config"]["locale"]["number"]["thousands"] == ","  # the tooltip's ",.0f" writes texts("en").number's marks


def test_profile_country_is_highlighted_and_cabo_verde_marked():
    spec = maps.world_map("immigrants", "pt", ROOT, highlight="PRT").to_dict()
    circles = layer(spec, "circle")
    assert circles["encoding"]["color"]["condition"] == {"test": 'datum.iso3 === "PRT"', "value": maps.HIGHLIGHT}
    land = layer(spec, "geoshape")
    assert land["encoding"]["fill"]["condition"]["test"] == 'datum.id === "620"'
    marker = layer(spec, "point")
    cpv = point_rows()["CPV"]
    values = marker["data"]["values"] if "values" in marker["data"] else spec["datasets"][marker["data"]["name"]]
    assert values[0]["lon"] == float(cpv["lon"]) and marker["mark"]["color"] == maps.CABO_VERDE_COLOUR
    assert maps.world_map("immigrants", "pt", ROOT).to_dict()["layer"][1]["encoding"]["color"] == {"value": maps.CIRCLE}


def test_geometry_is_fetched_from_the_site_itself_and_nothing_from_another_origin():
    spec = maps.world_map("emigrants", "pt", ROOT, highlight="FRA").to_dict()
    land = layer(spec, "geoshape")
    assert land["data"]["url"] == "assets/geo/countries-110m.json" and not land["data"]["url"].startswith(("/", "http"))
    assert land["data"]["format"] == {"type": "topojson", "feature": "countries"}
    # `$schema` names the Vega-Lite version and is never requested; nothing else may be an address
    text = json.dumps({k: v for k, v in spec.items() if k != "$schema"})
    assert not re.search(r"https?://", text)
    static = maps.inline_geometry(spec, ROOT)
    assert "url" not in layer(static, "geoshape")["data"] and layer(static, "geoshape")["data"]["values"]["type"] == "Topology"
    assert spec["layer"][0]["data"]["url"]  # the published spec is left as it was


def test_static_drawing_has_the_circles_the_basemap_and_the_source(tmp_path):
    spec = maps.world_map("emigrants", "pt", ROOT).to_dict()
    files = charts.figure_files(spec, "mapa", charts.Context("pt", "Teste"), root=ROOT)
    svg = files["mapa.svg"].decode("utf-8")
    latest = max(row["year"] for row in charts.data_rows(spec))
    count = len([row for row in charts.data_rows(spec) if row["year"] == latest])
    assert svg.count('fill="#0072B2"') >= count  # one circle per country of the year shown (and the legend's)
    assert svg.count('fill="#e4e4e4"') > 100  # the basemap's countries
    assert "Fonte: Nações Unidas (UN DESA)" in svg and "Cabo Verde" in svg
    csv_text = files["mapa.csv"].decode("utf-8")
    assert "iso3,country,year,value" in csv_text and "lon" not in csv_text
    assert files["mapa.png"][:4] == b"\x89PNG"


def test_alt_text_names_the_largest_values():
    spec = maps.world_map("emigrants", "en", ROOT).to_dict()
    text = maps.describe(spec, strings(ROOT, "en"))
    assert text.startswith("World map: Cabo Verdeans abroad by country of destination, in 2024") and "Portugal" in text


def test_missing_geometry_names_the_file(tmp_path):
    with pytest.raises(UserError, match="countries-110m.json: missing"):
        maps.geometry(tmp_path)
    with pytest.raises(UserError, match="world map `nowhere`: unknown"):
        maps.world_map("nowhere", "pt", ROOT)


def test_page_map_has_the_figure_views_and_files():
    made = maps.page_map(ROOT, strings(ROOT, "en"), "immigrants", "perfis", False, "https://example.org/", "Profiles", highlight="AGO")
    assert 'id="fig-mapa-immigrants"' in made.html and 'src="../../perfis/figures/mapa-immigrants-ago-en.svg"' in made.html
    for key in ("chart", "table", "download", "cite"):
        assert f'data-panel="{key}"' in made.html
    assert "perfis/figures/mapa-immigrants-ago-en.png" in made.files
    assert "perfis/figures/fig-mapa-immigrants/index.en.html" in made.files


# --- the built site -------------------------------------------------------------------------------

@pytest.mark.slow
def test_built_home_page_profiles_index_and_profile_show_the_maps(built_site):
    from bs4 import BeautifulSoup

    _, site = built_site
    assert (site / "assets" / "geo" / "countries-110m.json").read_bytes() == (ROOT / maps.GEOMETRY).read_bytes()
    for prefix, lang, caption in (("", "pt", "Imigrantes em Cabo Verde por país de origem"), ("en/", "en", "Immigrants in Cabo Verde by country of origin")):
        for page, figures in ((f"{prefix}index.html", 2), (f"{prefix}perfis/index.html", 2), (f"{prefix}perfis/prt/index.html", 1)):
            soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
            found = [f for f in soup.select("figure.obs-figure")
                     if f.select_one("script.obs-chart-spec") and maps.is_map(json.loads(f.select_one("script.obs-chart-spec").string))]
            assert len(found) == figures, page
            first = found[0]
            assert {s["data-panel"] for s in first.select("section.obs-view-panel")} == {"chart", "table", "download", "cite"}
            spec = json.loads(first.select_one("script.obs-chart-spec").string)
            assert maps.is_map(spec) and spec["layer"][0]["data"]["url"] == maps.GEOMETRY_URL
            image = first.select_one(".obs-chart img")["src"]
            assert (site / page).parent.joinpath(image).resolve().is_file(), f"{page}: {image}"
            assert soup.select_one('script[src$="assets/javascripts/observatorio-charts.js"]') is not None
            if "prt" in page:
                assert spec["usermeta"]["observatorio"]["map"]["highlight"] == "PRT"
                pdf = site / "perfis" / "prt" / f"prt-{lang}.pdf"
                assert pdf.is_file()
            else:
                assert caption in first.select_one("figcaption").get_text()


def test_dataset_of_countries_gets_a_map_view_beside_its_chart():
    from observatorio import catalogue
    from observatorio.data import load_package, read_typed
    from observatorio.i18n import languages

    package = load_package(ROOT)
    english = languages(ROOT)[1]
    resource = package.resource("emigrant_stock_by_destination")
    html, files = catalogue.default_chart(ROOT, resource, read_typed(resource), strings(ROOT, "en"), english, "https://example.org/en/dados/x/", 2026)
    panels = re.findall(r'data-panel="(\w+)"', html)
    assert panels == ["chart", "table", "map", "download", "cite"]
    assert html.count('class="obs-chart-spec"') == 2 and 'src="../../../dados/emigrant_stock_by_destination/figures/emigrant_stock_by_destination-map-en.svg"' in html
    svg = files["dados/emigrant_stock_by_destination/figures/emigrant_stock_by_destination-map-en.svg"].decode("utf-8")
    assert "Source: United Nations" in svg
    other = package.resource("remittances")
    html, _ = catalogue.default_chart(ROOT, other, read_typed(other), strings(ROOT, "en"), english, "https://example.org/en/dados/y/", 2026)
    assert 'data-panel="map"' not in html


def test_two_rows_for_one_country_and_year_stop_the_map(data_project):
    path = data_project / "data" / "raw" / "un_desa_emigrant_stock_cabo_verde_by_destination.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(line for line in lines if ",PRT," in line and line.startswith("emigrant_stock_by_destination,2024"))
    path.write_text("".join(lines) + row.replace(",persons,2024,", ",persons,2020,"), encoding="utf-8")  # the same row in another edition
    with pytest.raises(UserError, match=r"un_desa_emigrant_stock_cabo_verde_by_destination.csv: field `destination_iso3`: PRT has several rows for 2024"):
        maps.rows("emigrants", "pt", data_project)


def test_a_change_to_the_map_geometry_renders_the_profiles_again(tmp_path):
    """Profiles are cached as a whole: their key covers the map files in data/geo, as it covers the data."""
    from conftest import copy_project

    from observatorio import profiles

    root = copy_project(tmp_path / "project", parts=("data", "site", "mkdocs.yml", "profiles", "reports"))
    from observatorio import steps

    folder = tmp_path / "stored"
    steps.store(folder, "country profiles", profiles.cache_inputs(root, "pt", ["GNB"]), {"a.md": b"x"})
    points = root / "data" / "geo" / "country_points.csv"
    points.write_text(points.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # any change of the bytes
    assert steps.stored(folder, profiles.cache_inputs(root, "pt", ["GNB"]))[2] == "changed: data/geo/country_points.csv"


def test_the_static_map_writes_its_year_and_a_source_in_the_pages_language():
    """A PDF or a PNG has no selector: the drawing itself says which year it shows, and where the data come from."""
    for lang, words in (("pt", "Fonte: Nações Unidas (UN DESA), International Migrant Stock 2024, destino e origem"),
                        ("en", "Source: United Nations (UN DESA), International Migrant Stock 2024, destination and origin")):
        svg = charts.drawing(maps.inline_geometry(charts.to_spec(maps.world_map("emigrants", lang))))
        assert ">2024<" in svg and words in svg.replace("&amp;", "&"), lang
