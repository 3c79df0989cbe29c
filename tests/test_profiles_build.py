"""Country profiles end to end: every eligible country rendered in every language from one kernel per language.

The data are the project's, plus SYNTHETIC rows (marked as such in their `notes` and source title) for
the cases the real data lack: a new country with two observations (it gets a profile) and one with a
single observation (listed with the reason, no profile).
"""

from __future__ import annotations

import csv
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from observatorio import profiles
from observatorio.i18n import languages, strings

ROOT = Path(__file__).resolve().parents[1]
ORIGINS = "data/raw/un_desa_immigrant_stock_cabo_verde_by_origin.csv"
DESTINATIONS = "data/raw/un_desa_emigrant_stock_cabo_verde_by_destination.csv"
SYNTHETIC = "SYNTHETIC TEST ROW: not real data (tests/test_profiles_build.py)"

pytestmark = pytest.mark.slow


def add_synthetic_rows(root: Path) -> None:
    """NOR with one observation (no profile), ISL with two (a profile), DEU as a destination once."""
    path = root / ORIGINS
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    template = dict(rows[0], source_title="Synthetic test fixture", notes=SYNTHETIC, seen_at="tests/test_profiles_build.py")
    extra = [
        dict(template, year="2024", origin_iso3="NOR", origin_name_en="Norway", origin_name_pt="Noruega", value="50"),
        dict(template, year="2020", origin_iso3="ISL", origin_name_en="Iceland", origin_name_pt="Islândia", value="10"),
        dict(template, year="2024", origin_iso3="ISL", origin_name_en="Iceland", origin_name_pt="Islândia", value="12"),
    ]
    with open(path, "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=fields, lineterminator="\n").writerows(extra)
    path = root / DESTINATIONS
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    row = dict(rows[0], year="2024", destination_iso3="DEU", destination_name_en="Germany", destination_name_pt="Alemanha",
               value="900", source_title="Synthetic test fixture", notes=SYNTHETIC, seen_at="tests/test_profiles_build.py")
    with open(path, "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=fields, lineterminator="\n").writerow(row)


def observations(root: Path) -> dict[str, int]:
    """Years with a value per country and dataset, read straight from the CSV files (not through the package)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    with open(root / ORIGINS, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["value"] and row["sex"] == "both":
                counts[("origin", row["origin_iso3"])] += 1
    with open(root / DESTINATIONS, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["value"] and row["indicator"] == "emigrant_stock_by_destination" and row["destination_iso3"] != "WLD":
                counts[("destination", row["destination_iso3"])] += 1
    best: dict[str, int] = defaultdict(int)
    for (_, code), count in counts.items():
        best[code] = max(best[code], count)
    return dict(best)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("profiles") / "project"
    for name in ("data", "site", "mkdocs.yml", "reports", "profiles"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / name)
    add_synthetic_rows(root)
    docs = root / "build" / "docs"
    first = profiles.write_pages(root, docs, jobs=2)
    second = profiles.write_pages(root, docs, jobs=2)
    return root, docs, first, second


def text_of(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return re.sub(r"\s+", " ", soup.get_text(" ").replace("\u00a0", " "))


def test_one_profile_per_eligible_country_per_language(built):
    root, docs, first, _ = built
    eligible = {code for code, count in observations(root).items() if count >= 2}
    assert {"ISL", "GNB", "PRT", "COL"} <= eligible and "NOR" not in eligible
    for lang in languages(root):
        name = "index.md" if lang.default else f"index.{lang.code}.md"
        pages = {p.parent.name.upper() for p in (docs / "perfis").glob(f"*/{name}")}
        pdfs = {p.parent.name.upper() for p in (docs / "perfis").glob(f"*/*-{lang.code}.pdf")}
        assert pages == eligible, lang.code
        assert pdfs == eligible, lang.code
        timed = [line for line in first if re.match(rf"profiles/_template \({lang.code}, [A-Z]{{3}}\): executed in [0-9.]+ s, rendered in [0-9.]+ s$", line)]
        assert len(timed) == len(eligible)
        assert any(re.match(rf"profiles \({lang.code}\): {len(eligible)} profiles in one kernel, .* s per profile \(first build\)$", line) for line in first)


def test_second_build_reuses_everything(built):
    _, _, _, second = built
    assert all("unchanged, nothing executed" in line for line in second if line.startswith("profiles ("))


def test_profile_figures_equal_the_data(built):
    root, docs, _, _ = built
    with open(root / ORIGINS, encoding="utf-8", newline="") as handle:
        rows = sorted((int(r["year"]), int(r["value"])) for r in csv.DictReader(handle) if r["origin_iso3"] == "GNB")
    with open(root / DESTINATIONS, encoding="utf-8", newline="") as handle:
        abroad = sorted((int(r["year"]), int(r["value"])) for r in csv.DictReader(handle) if r["destination_iso3"] == "GNB")
    for lang in languages(root):
        s = strings(root, lang.code)
        name = "index.md" if lang.default else f"index.{lang.code}.md"
        body = text_of(docs / "perfis" / "gnb" / name)
        year, value = rows[-1]
        first_year, first_value = rows[0]
        assert f"{s.number(value).replace(chr(160), ' ')} " in body and str(year) in body
        assert s.number(first_value).replace("\u00a0", " ") in body and str(first_year) in body
        assert s.number(abroad[-1][1]).replace("\u00a0", " ") in body
        # the trend chart's data download holds exactly the data's values
        csvs = sorted((docs / "perfis" / "gnb" / "figures").glob(f"*-{lang.code}.csv"))
        read = {p: list(csv.reader(line for line in p.read_text(encoding="utf-8").splitlines() if not line.startswith("#")))
                for p in csvs}  # the '#' lines are the download's context (title, source, licence)
        maps = [table for table in read.values() if table[0] == ["iso3", "country", "year", "value"]]  # the world map's data
        assert len(csvs) == 3 and len(maps) == 1
        assert sorted((int(r[2]), int(r[3])) for r in maps[0][1:] if r[0] == "GNB") == rows  # the map's circles: the same values
        tables = [table[1:] for table in read.values() if table not in maps]
        assert sorted((int(r[0]), int(r[2])) for r in tables[0]) == rows
        assert sorted((int(r[0]), int(r[2])) for r in tables[1]) == abroad
        assert all(r[1] == ("Guiné-Bissau" if lang.code == "pt" else "Guinea-Bissau") for r in tables[0])


def test_a_profile_maps_the_direction_where_the_country_weighs_most(built):
    """Portugal is an origin of immigrants in Cabo Verde and a destination of its emigrants: its one map is the
    direction of the larger share, and its circles hold that direction's values."""
    from observatorio.profiles import model

    root, docs, _, _ = built
    portugal = model.profile("PRT", "pt", root)
    assert len(portugal.series) == 2
    which = "immigrants" if portugal.origin.share >= portugal.destination.share else "emigrants"
    assert portugal.map_shown == which
    source, column = (ORIGINS, "origin_iso3") if which == "immigrants" else (DESTINATIONS, "destination_iso3")
    with open(root / source, encoding="utf-8", newline="") as handle:
        rows = sorted((int(r["year"]), int(r["value"])) for r in csv.DictReader(handle) if r[column] == "PRT" and r["value"]
                      and r.get("sex", "both") == "both" and r.get("indicator", "emigrant_stock_by_destination") == "emigrant_stock_by_destination")
    for path in (docs / "perfis" / "prt" / "figures").glob("*-pt.csv"):
        table = list(csv.reader(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")))
        if table[0] == ["iso3", "country", "year", "value"]:
            shown = {(int(r[2]), int(r[3])) for r in table[1:] if r[0] == "PRT"}
            assert shown and shown <= set(rows)  # the map's circles for Portugal: that direction's values (of one edition)
            break
    else:
        raise AssertionError("Portugal's profile has no map")
    assert "nas duas direções" in text_of(docs / "perfis" / "prt" / "index.md")


def test_country_without_enough_data_is_listed_with_its_reason(built):
    root, docs, _, _ = built
    assert not (docs / "perfis" / "nor").exists()
    for lang in languages(root):
        name = "index.md" if lang.default else f"index.{lang.code}.md"
        soup = BeautifulSoup((docs / "perfis" / name).read_text(encoding="utf-8"), "html.parser")
        page = (docs / "perfis" / name).read_text(encoding="utf-8")
        heading = strings(root, lang.code)["profiles.not_profiled"]
        excluded = page.split(f"## {heading}", 1)[1]
        row = next(line for line in excluded.splitlines() if "| NOR |" in line)
        assert ("Noruega" if lang.code == "pt" else "Norway") in row
        assert "2024" in row and "1 " in row and "2" in row
        assert soup.find("tr", attrs={"data-search": re.compile("ISL")}) is not None  # the new country is listed
    assert "profiles: 1 countries without enough data, listed on the index: NOR" in built[2]


def test_caveats_are_stated_where_they_apply(built):
    _, docs, _, _ = built
    lux = text_of(docs / "perfis" / "lux" / "index.en.md")
    assert "Break in series. The series goes from 1,617 in 2015 to 7,108 in 2020." in lux
    bra = text_of(docs / "perfis" / "bra" / "index.md")
    assert "Quebra de série. A série passa de 5 em 1990 para 1 447 em 1995." in bra
    usa = text_of(docs / "perfis" / "usa" / "index.en.md")
    assert "not reported separately, which does not mean zero" in usa
    peru = text_of(docs / "perfis" / "per" / "index.md")
    assert "estimativas modeladas pelas Nações Unidas, não contagens" in peru
    germany = text_of(docs / "perfis" / "deu" / "index.en.md")
    assert "only 1 observation (2024: 900)" in germany  # the synthetic single destination row


def test_links_to_datasets_and_publications(built):
    _, docs, _, _ = built
    soup = BeautifulSoup((docs / "perfis" / "gnb" / "index.md").read_text(encoding="utf-8"), "html.parser")
    hrefs = {a["href"] for a in soup.find_all("a")}
    assert "../../dados/immigrant_stock_by_origin/" in hrefs
    assert "../../dados/emigrant_stock_by_destination/" in hrefs
    assert any(h.startswith("../../publicacoes/") for h in hrefs)
    assert "gnb-pt.pdf" in hrefs


def test_pdfs_are_one_or_two_a4_pages(built):
    _, docs, _, _ = built
    for code in ("gnb", "prt", "usa", "per", "isl"):
        for lang, name in (("pt", {"gnb": "Guiné-Bissau", "prt": "Portugal", "usa": "Estados Unidos da América", "per": "Peru", "isl": "Islândia"}),
                           ("en", {"gnb": "Guinea-Bissau", "prt": "Portugal", "usa": "United States of America", "per": "Peru", "isl": "Iceland"})):
            reader = PdfReader(docs / "perfis" / code / f"{code}-{lang}.pdf")
            assert 1 <= len(reader.pages) <= 2, (code, lang, len(reader.pages))
            box = reader.pages[0].mediabox
            assert (round(float(box.width)), round(float(box.height))) == (595, 842)
            assert name[code] in reader.pages[0].extract_text()
