"""Disclosure control with a clearly synthetic microdata fixture (never published)."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
import yaml

from observatorio.data import load_package, load_resource
from observatorio.disclosure import aggregate, display, suppress
from observatorio.errors import UserError
from observatorio.site import build

SYNTHETIC_NOTE = "SYNTHETIC test data made up by tests/test_disclosure.py; not real people; never published."


def test_suppress_empties_and_flags_small_counts():
    frame = pd.DataFrame({"island": list("ABCDE"), "n": [1, 4, 5, 0, 12]})
    out = suppress(frame, ["n"], 5)
    assert out["n"].isna().tolist() == [True, True, False, False, False]
    assert out["n_suppressed"].tolist() == [True, True, False, False, False]
    shown = display(out, ["n"], 5)
    assert shown["n"].tolist()[:3] == ["< 5", "< 5", 5]


def test_aggregate_counts_and_suppresses():
    micro = pd.DataFrame({"island": ["Sal"] * 7 + ["Maio"] * 2})
    out = aggregate(micro, ["island"], 5)
    counts = out.set_index("island")["count"]
    assert pd.isna(counts["Maio"]) and counts["Sal"] == 7
    assert out.set_index("island")["count_suppressed"].to_dict() == {"Maio": True, "Sal": False}


def add_synthetic_microdata(root, suppressed: bool) -> None:
    """A non-public synthetic microdata resource and a public aggregate derived from it."""
    rows = [("Santiago", "GNB")] * 9 + [("Sal", "SEN")] * 6 + [("Maio", "STP")] * 2
    micro = pd.DataFrame(rows, columns=["island", "country_iso3"])
    micro.insert(0, "person_id", [f"synthetic-{i:03d}" for i in range(len(micro))])
    micro.to_csv(root / "data" / "raw" / "synthetic_microdata.csv", index=False)
    table = micro.groupby("island").size().rename("count").reset_index()
    if suppressed:
        table = suppress(table, ["count"], 5)
        table["count"] = table["count"].astype("Int64")
    else:
        table["count_suppressed"] = False
    table.to_csv(root / "data" / "raw" / "synthetic_residents_by_island.csv", index=False)
    path = root / "data" / "datapackage.yaml"
    descriptor = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = {"pt": "Dados sintéticos de teste", "en": "Synthetic test data"}
    common = {"format": "csv", "encoding": "utf-8", "synthetic": True, "titles": texts, "descriptions": {k: v + ". " + SYNTHETIC_NOTE for k, v in texts.items()},
              "sources": [{"title": SYNTHETIC_NOTE}], "licenses": [{"name": "CC0-1.0"}]}
    descriptor["resources"] += [
        {"name": "synthetic_microdata", "path": "raw/synthetic_microdata.csv", "public": False, **common,
         "schema": {"fields": [{"name": "person_id", "type": "string", "titles": texts},
                               {"name": "island", "type": "string", "titles": texts},
                               {"name": "country_iso3", "type": "string", "titles": texts}]}},
        {"name": "synthetic_residents_by_island", "path": "raw/synthetic_residents_by_island.csv", "public": True,
         "derived_from": "synthetic_microdata", **common,
         "schema": {"fields": [{"name": "island", "type": "string", "titles": texts},
                               {"name": "count", "type": "integer", "count": True, "titles": texts},
                               {"name": "count_suppressed", "type": "boolean", "titles": texts}]}},
    ]
    path.write_text(yaml.safe_dump(descriptor, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.slow
def test_microdata_never_reach_the_site_and_small_counts_are_suppressed(site_project):
    add_synthetic_microdata(site_project, suppressed=True)
    build(site_project)
    site = site_project / "_site"
    names = [p.name for p in site.rglob("*")]
    assert not any("synthetic_microdata" in name for name in names)
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".json", ".html", ".txt", ".zip"):
            assert b"synthetic-00" not in path.read_bytes(), path
    published = pd.read_csv(site / "dados" / "synthetic_residents_by_island" / "synthetic_residents_by_island.csv")
    maio = published.set_index("island").loc["Maio"]
    assert pd.isna(maio["count"]) and bool(maio["count_suppressed"])
    assert load_resource("synthetic_residents_by_island", site_project).set_index("island").loc["Santiago", "count"] == 9


@pytest.mark.slow
def test_an_unsuppressed_small_count_stops_the_build_and_keeps_the_site(site_project):
    build(site_project)
    site = site_project / "_site"
    before = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file())).hexdigest()
    add_synthetic_microdata(site_project, suppressed=False)
    with pytest.raises(UserError, match=r"synthetic_residents_by_island.csv, row \d, field `count`: 2 is below the disclosure threshold \(5\)"):
        build(site_project)
    after = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file())).hexdigest()
    assert before == after


def test_the_threshold_is_configured_in_the_catalogue(project):
    from observatorio.disclosure import threshold

    assert threshold(load_package(project)) == 5
