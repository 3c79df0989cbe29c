"""Country geometry for the world maps, from the world-atlas npm package (version 2.0.2, ISC licence;
data from Natural Earth, public domain).

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python data/scripts/world_geometry.py package/

writes two files, committed with the project (the build reads only them, no node needed):

- `data/geo/countries-110m.json`: the basemap, world-atlas's `countries-110m.json` as shipped;
- `data/geo/country_points.csv`: `iso3, iso_numeric, lon, lat`, one point per country, inside the
  largest polygon of the country in `countries-50m.json` (the 110m file lacks small states such as
  Cabo Verde, 132, and São Tomé and Príncipe, 678).

world-atlas ids are ISO 3166-1 numeric codes; the ISO3 code of each one is matched by name with
`data/raw/countries.csv` (English names), with the spellings that differ written out in `NAMES`.
Every ISO3 code of the two map datasets must get a point, or the script stops naming the country.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GEO = ROOT / "data" / "geo"
DATASETS = {
    "data/raw/un_desa_immigrant_stock_cabo_verde_by_origin.csv": "origin_iso3",
    "data/raw/un_desa_emigrant_stock_cabo_verde_by_destination.csv": "destination_iso3",
}

# world-atlas (Natural Earth) names that differ from the English names of data/raw/countries.csv
NAMES = {
    "Antigua and Barb.": "ATG", "Bosnia and Herz.": "BIH", "Br. Indian Ocean Ter.": "IOT", "British Virgin Is.": "VGB",
    "Cayman Is.": "CYM", "Central African Rep.": "CAF", "Cook Is.": "COK", "Côte d'Ivoire": "CIV", "Curaçao": "CUW",
    "Czechia": "CZE", "Dem. Rep. Congo": "COD", "Dominican Rep.": "DOM", "Eq. Guinea": "GNQ", "eSwatini": "SWZ",
    "Falkland Is.": "FLK", "Faeroe Is.": "FRO", "Fr. Polynesia": "PYF", "Fr. S. Antarctic Lands": "ATF",
    "Heard I. and McDonald Is.": "HMD", "Marshall Is.": "MHL", "N. Mariana Is.": "MNP", "Pitcairn Is.": "PCN",
    "S. Geo. and the Is.": "SGS", "S. Sudan": "SSD", "Solomon Is.": "SLB", "St-Barthélemy": "BLM", "St-Martin": "MAF",
    "St. Kitts and Nevis": "KNA", "St. Pierre and Miquelon": "SPM", "St. Vin. and Gren.": "VCT", "São Tomé and Principe": "STP",
    "Turks and Caicos Is.": "TCA", "U.S. Virgin Is.": "VIR", "United States of America": "USA", "W. Sahara": "ESH",
    "Wallis and Futuna Is.": "WLF", "Åland": "ALA", "Macedonia": "MKD", "Vatican": "VAT", "Sint Maarten": "SXM",
    "Micronesia": "FSM", "Russia": "RUS", "Syria": "SYR", "Iran": "IRN", "Laos": "LAO", "Moldova": "MDA",
    "Tanzania": "TZA", "Vietnam": "VNM", "Venezuela": "VEN", "Bolivia": "BOL", "North Korea": "PRK",
    "South Korea": "KOR", "Brunei": "BRN", "Congo": "COG", "Palestine": "PSE", "Taiwan": "TWN", "Macao": "MAC",
    "Hong Kong": "HKG", "United Kingdom": "GBR", "Netherlands": "NLD", "Gambia": "GMB", "Bahamas": "BHS",
    "Cabo Verde": "CPV", "Saint Helena": "SHN", "Turkey": "TUR", "Kyrgyzstan": "KGZ", "Slovakia": "SVK", "Timor-Leste": "TLS",
}


def fold(name: str) -> str:
    return unicodedata.normalize("NFD", name).encode("ascii", "ignore").decode().casefold().replace("the ", "").strip()


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Each arc as longitude/latitude points (quantized, delta-encoded arcs: TopoJSON specification)."""
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def area_and_centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Shoelace area (absolute, in square degrees) and centroid of a closed ring."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        xs, ys = zip(*points, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def inside(x: float, y: float, points: list[tuple[float, float]]) -> bool:
    result = False
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            result = not result
    return result


def point_in(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The centroid when it lies inside the ring, else the middle of the widest horizontal chord through its centroid's latitude."""
    _, cx, cy = area_and_centroid(points)
    if inside(cx, cy, points):
        return cx, cy
    crossings = sorted(
        (x1 - x0) * (cy - y0) / (y1 - y0) + x0
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True)
        if (y0 > cy) != (y1 > cy)
    )
    pairs = list(zip(crossings[::2], crossings[1::2], strict=False))
    if not pairs:
        return cx, cy
    left, right = max(pairs, key=lambda p: p[1] - p[0])
    return (left + right) / 2, cy


def largest_polygon_point(geometry: dict, arcs: list) -> tuple[float, float]:
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    outer = [ring(polygon[0], arcs) for polygon in polygons]
    biggest = max(outer, key=lambda points: area_and_centroid(points)[0])
    return point_in(biggest)


def main(package: Path) -> None:
    with (ROOT / "data" / "raw" / "countries.csv").open(encoding="utf-8") as handle:
        by_name = {fold(row["name_en"]): row["iso3"] for row in csv.DictReader(handle) if row["is_aggregate"] != "true"}
    by_name.update({fold(name): iso3 for name, iso3 in NAMES.items()})
    topology = json.loads((package / "countries-50m.json").read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    rows = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if "id" not in geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue  # territories without an ISO code (Kosovo, N. Cyprus, Somaliland…)
        iso3 = by_name.get(fold(geometry["properties"]["name"]))
        if iso3 is None:
            continue  # not in data/raw/countries.csv
        lon, lat = largest_polygon_point(geometry, arcs)
        rows[iso3] = {"iso3": iso3, "iso_numeric": geometry["id"], "lon": round(lon, 3), "lat": round(lat, 3)}
    missing = []
    for path, column in DATASETS.items():
        with (ROOT / path).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                code = row[column]
                if code != "WLD" and code not in rows and code not in missing:
                    missing.append(code)
    for code in ("CPV",):
        if code not in rows:
            missing.append(code)
    if missing:
        sys.exit(f"no point for {', '.join(missing)}: add its world-atlas name to NAMES in {Path(__file__).name}")
    GEO.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(package / "countries-110m.json", GEO / "countries-110m.json")
    with (GEO / "country_points.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["iso3", "iso_numeric", "lon", "lat"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows.values(), key=lambda r: r["iso3"]))
    print(f"wrote {GEO / 'countries-110m.json'} and {len(rows)} points to {GEO / 'country_points.csv'}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python data/scripts/world_geometry.py <folder of the world-atlas 2.0.2 package>")
    main(Path(sys.argv[1]))
