"""Disclosure control with a clearly synthetic microdata fixture (never published).

`add_synthetic_microdata` writes `synthetic_microdata` (non-public, `synthetic: true`, person ids
`synthetic-000`…) and its public aggregate `synthetic_residents_by_island` (`derived_from` it):
Santiago 9, Sal 6, Maio 2, so Maio is the one suppressed cell ("< 5"). The tests follow that cell
into every medium: dataset downloads, chart data files, SVGs and data tables, campaign cards,
posters, pages and press kits; and check that a leaked value stops the build.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

from observatorio import charts
from observatorio.data import load_package, load_resource
from observatorio.disclosure import (
    aggregate,
    check_publishable,
    display,
    row_problems,
    suppress,
)
from observatorio.errors import UserError
from observatorio.site import build

REPO = Path(__file__).resolve().parents[1]
SYNTHETIC_NOTE = "SYNTHETIC test data made up by tests/test_disclosure.py; not real people; never published."
MARKER = "< 5"


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


REPORT = """---
title: "{title}"
author:
  - name: "Synthetic test author"
date: "2026-01-01"
lang: {lang}
type: report
abstract: "{abstract}"
---

```{{python}}
import altair as alt
from observatorio import charts
from observatorio.data import load_resource
from observatorio.disclosure import aggregate
t = charts.texts("{lang}")
table = aggregate(load_resource("synthetic_microdata"), ["island"], 5)  # the report reads the microdata itself
```

{abstract}

```{{python}}
#| label: fig-ilhas
#| fig-cap: "{title}"
#| fig-alt: "Synthetic bars: Santiago 9, Sal 6, Maio fewer than 5."
bars = alt.Chart(charts.frame(table)).mark_bar().encode(y=alt.Y("island:N", title=t["country"]), x=alt.X("count:Q", title=t["persons"]))
charts.finish(charts.mark_suppressed(bars, "count"), "{lang}", source="synthetic test data")
```
"""


def add_synthetic_report_and_campaign(root: Path) -> None:
    """A report charting an aggregate of the synthetic microdata, and a campaign quoting Maio's suppressed count."""
    folder = root / "reports" / "synthetic-disclosure"
    folder.mkdir(parents=True)
    for name in ("_metadata.yml", "_topics.yml"):
        shutil.copy(REPO / "reports" / name, root / "reports" / name)
    for lang, index, title, abstract in (("pt", "index.qmd", "Relatório sintético de teste", "Dados sintéticos de teste, nunca publicados."),
                                         ("en", "index.en.qmd", "Synthetic test report", "Synthetic test data, never published.")):
        (folder / index).write_text(REPORT.format(lang=lang, title=title, abstract=abstract), encoding="utf-8")
    target = root / "campaigns" / "synthetic-campaign"
    shutil.copytree(CAMPAIGN_FIXTURE / "campaigns" / "synthetic-campaign", target)

    def islands_only(campaign):
        campaign["facts"] = []
        quote_islands(campaign)
        campaign["messages"][0]["body"] = {"pt": "Um texto sintético.", "en": "A synthetic text."}
        campaign["messages"][0].pop("fact", None)

    edit_campaign(root, islands_only)


@pytest.mark.slow
def test_microdata_never_reach_the_site_and_the_marker_reaches_every_medium(site_project):
    import html

    add_synthetic_microdata(site_project, suppressed=True)
    add_synthetic_report_and_campaign(site_project)
    build(site_project)
    site = site_project / "_site"
    names = [p.name for p in site.rglob("*")]
    assert not any("synthetic_microdata" in name for name in names)
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".json", ".html", ".txt", ".zip", ".svg", ".xml", ".md"):
            assert b"synthetic-00" not in path.read_bytes(), path

    # downloads: empty and flagged
    published = pd.read_csv(site / "dados" / "synthetic_residents_by_island" / "synthetic_residents_by_island.csv")
    maio = published.set_index("island").loc["Maio"]
    assert pd.isna(maio["count"]) and bool(maio["count_suppressed"])
    assert load_resource("synthetic_residents_by_island", site_project).set_index("island").loc["Santiago", "count"] == 9

    # the report's chart: data file, SVG and data table on the page, in both languages
    figures = site / "publicacoes" / "synthetic-disclosure" / "figures"
    for lang, note in (("pt", "menos de 5; o número não é publicado"), ("en", "fewer than 5; the number is not published")):
        assert "Maio,< 5,True" in (figures / f"fig-ilhas-{lang}.csv").read_text(encoding="utf-8").splitlines()
        texts = svg_texts((figures / f"fig-ilhas-{lang}.svg").read_text(encoding="utf-8"))
        assert MARKER in texts and any(note in t for t in texts)
    pages = [p for p in site.rglob("index.html") if p.parent.name == "synthetic-disclosure"]
    assert len(pages) == 2  # the publication in both languages (its figure's embed pages are checked above with every file)
    for page in pages:
        html_page = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        rows = [[cell.get_text(strip=True) for cell in row.find_all("td")] for row in html_page.select("figure table tr")]
        assert any(row[:2] == ["Maio", "< 5"] for row in rows), (page, rows)  # the chart's data table
        assert not any(row[:1] == ["Maio"] and row[1:2] != ["< 5"] for row in rows), (page, rows)

    # the campaign: page and press kit print the marker, never the count
    campaign_pages = [p for p in site.rglob("index.html") if "synthetic-campaign" in p.as_posix()]
    assert campaign_pages
    for page in campaign_pages:
        text = html.unescape(page.read_text(encoding="utf-8"))
        assert f"{NBSP_MARKER}</strong>" in text, page
        assert "Em Maio viviam 2" not in text and "2 synthetic people on Maio" not in text
    pt_page = html.unescape(next(p for p in campaign_pages if "/en/" not in p.as_posix()).read_text(encoding="utf-8"))
    assert "menos de 5; o número não é publicado, para proteger a confidencialidade." in pt_page
    (kit,) = site.rglob("synthetic-campaign-press-kit-pt.zip")
    with zipfile.ZipFile(kit) as archive:
        captions = next(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith("-pt.txt"))
    assert f"Em Maio viviam {NBSP_MARKER} pessoas sintéticas; no Sal, 6." in captions


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


# -- the same marker everywhere: checks on rows, datasets and downloads ----------------------------


def synthetic_aggregate() -> pd.DataFrame:
    """The synthetic residents by island (Maio 2 → suppressed), aggregated from made-up microdata."""
    micro = pd.DataFrame({"island": ["Santiago"] * 9 + ["Sal"] * 6 + ["Maio"] * 2})
    micro.insert(0, "person_id", [f"synthetic-{i:03d}" for i in range(len(micro))])
    return aggregate(micro, ["island"], 5)


def test_row_problems_name_the_row_and_field():
    rows = [{"island": "Maio", "count": 2, "count_suppressed": True}, {"island": "Sal", "count": 3, "count_suppressed": False},
            {"island": "Santiago", "count": None, "count_suppressed": True}, {"island": "Fogo", "count": 0, "count_suppressed": False}]
    assert row_problems(rows, 5, "chart data") == [
        "chart data, row 1, field `count`: 2 is flagged in `count_suppressed` but still published; leave the cell empty",
        "chart data, row 2, field `count`: 3 is below the disclosure threshold (5) and not flagged in `count_suppressed`",
    ]
    assert row_problems([{"count": 3}], 5, "x") == []  # no flag column: not an aggregate of non-public data


def test_display_defaults_to_every_flagged_column():
    shown = display(synthetic_aggregate(), None, 5).set_index("island")["count"]
    assert shown.to_dict() == {"Maio": MARKER, "Sal": 6, "Santiago": 9}


def test_a_flagged_cell_that_holds_a_number_stops_the_build(data_project):
    add_synthetic_microdata(data_project, suppressed=True)
    path = data_project / "data" / "raw" / "synthetic_residents_by_island.csv"
    text = path.read_text(encoding="utf-8")
    assert "Maio,,True" in text
    path.write_text(text.replace("Maio,,True", "Maio,2,True"), encoding="utf-8")
    descriptor_path = data_project / "data" / "datapackage.yaml"
    descriptor = yaml.safe_load(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:  # even without `derived_from`, a flagged value is never published
        resource.pop("derived_from", None)
    descriptor_path.write_text(yaml.safe_dump(descriptor, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(UserError, match=r"synthetic_residents_by_island.csv, row 2, field `count`: 2 is flagged in `count_suppressed` but still published"):
        check_publishable(load_package(data_project))


def test_downloads_leave_suppressed_cells_empty_and_flagged_in_every_format(data_project, tmp_path):
    from openpyxl import load_workbook

    from observatorio.downloads import write_dataset_downloads

    add_synthetic_microdata(data_project, suppressed=True)
    package = load_package(data_project)
    check_publishable(package)
    resource = package.resource("synthetic_residents_by_island")
    files = {d.kind: d.path for d in write_dataset_downloads(package, resource, tmp_path / "docs")}

    csv_rows = files["csv"].read_text(encoding="utf-8").splitlines()
    assert "Maio,,True" in csv_rows and "Sal,6,False" in csv_rows

    records = {r["island"]: r for r in json.loads(files["json"].read_text(encoding="utf-8"))}
    assert records["Maio"]["count"] is None and records["Maio"]["count_suppressed"] is True
    assert records["Sal"]["count"] == 6 and records["Sal"]["count_suppressed"] is False

    sheet = load_workbook(files["xlsx"])["data"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == ["island", "count", "count_suppressed"]
    assert {r[0]: r[1:] for r in rows} == {"Maio": [None, True], "Sal": [6, False], "Santiago": [9, False]}

    readme = files["readme"].read_text(encoding="utf-8")
    assert "Disclosure control:" in readme and "count: a count from 1 to 4 is not published" in readme
    assert f'`count_suppressed` is true (the site shows "{MARKER}")' in readme

    with pytest.raises(AssertionError, match="non-public"):
        write_dataset_downloads(package, package.resource("synthetic_microdata"), tmp_path / "docs")


# -- charts ----------------------------------------------------------------------------------------


def synthetic_chart(table: pd.DataFrame, lang: str = "pt", horizontal: bool = True):
    t = charts.texts(lang, REPO)
    island, count = alt.Y("island:N", title=t["country"]), alt.X("count:Q", title=t["persons"])
    if not horizontal:
        island, count = alt.X("island:N", title=t["country"]), alt.Y("count:Q", title=t["persons"])
    bars = alt.Chart(charts.frame(table)).mark_bar().encode(island, count)
    return charts.finish(charts.mark_suppressed(bars, "count", REPO), lang, source="synthetic test data", root=REPO)


def svg_texts(svg: str) -> list[str]:
    import html

    found = re.findall(r"<(?:text|tspan)[^>]*>([^<]+)<", svg)  # one line, or each line of a title
    return [html.unescape(t).replace("\u00a0", " ") for t in found]


def test_chart_data_file_and_table_carry_the_marker(tmp_path):
    from observatorio.i18n import strings
    from observatorio.reports.web import data_table

    chart = synthetic_chart(synthetic_aggregate())
    files = charts.publish(chart, tmp_path, "synthetic-islands")
    published = charts.data_csv(chart)
    assert published.splitlines() == ["island,count,count_suppressed", "Maio,< 5,True", "Sal,6,False", "Santiago,9,False"]
    assert files.csv.read_text(encoding="utf-8").endswith("\n" + published)  # after its "#" header block
    table = data_table(chart, strings(REPO, "pt"))
    assert '<tr><td>Maio</td><td class="obs-num">&lt; 5</td></tr>' in table  # the flag column is said by the marker

    texts = svg_texts(files.svg.read_text(encoding="utf-8"))
    assert MARKER in texts  # the mark written at the base of Maio's (empty) bar
    assert "< 5: menos de 5; o número não é publicado, para proteger a confidencialidade." in texts
    assert "Fonte: synthetic test data" in texts
    assert files.png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    spec = json.loads(files.spec.read_text(encoding="utf-8"))
    assert spec["usermeta"] == {"observatorio": {"disclosure_threshold": 5}}


def test_vertical_bars_and_english_note():
    texts = svg_texts(charts.svg(synthetic_chart(synthetic_aggregate(), "en", horizontal=False)))
    assert MARKER in texts
    assert "< 5: fewer than 5; the number is not published, to protect confidentiality." in texts


def test_a_chart_without_suppressed_cells_has_no_note():
    table = synthetic_aggregate()
    table = table[table["island"] != "Maio"]
    texts = svg_texts(charts.svg(synthetic_chart(table)))
    assert MARKER not in texts and not any("confidencialidade" in t for t in texts)


def test_a_chart_that_would_publish_a_suppressed_value_stops():
    leaked = synthetic_aggregate()
    leaked["count"] = leaked["count"].fillna(2)  # the original small count put back, flag still true
    with pytest.raises(UserError, match=r"chart data, row 1, field `count`: 2.0 is flagged in `count_suppressed` but still published"):
        synthetic_chart(leaked)
    bars = alt.Chart(charts.frame(leaked)).mark_bar().encode(y="island:N", x="count:Q")
    with pytest.raises(UserError, match="a chart's data file would publish a suppressed value"):
        charts.data_csv(bars)  # a chart published without `finish` is checked too

    unflagged = synthetic_aggregate()
    unflagged["count"] = unflagged["count"].fillna(2)
    unflagged["count_suppressed"] = False
    with pytest.raises(UserError, match=r"row 1, field `count`: 2.0 is below the disclosure threshold \(5\) and not flagged"):
        synthetic_chart(unflagged)


def test_mark_suppressed_needs_the_count_on_an_axis():
    bars = alt.Chart(charts.frame(synthetic_aggregate())).mark_bar().encode(y="island:N", x="count_suppressed:N")
    with pytest.raises(UserError, match="neither x nor y of the chart encodes `count`"):
        charts.mark_suppressed(bars, "count", REPO)


# -- campaigns -------------------------------------------------------------------------------------

CAMPAIGN_FIXTURE = REPO / "tests" / "fixtures" / "campaigns" / "synthetic-project"
CAMPAIGN = "campaigns/synthetic-campaign/campaign.yml"
NBSP_MARKER = "<\u00a05"


def campaign_project(tmp_path: Path, suppressed: bool = True) -> Path:
    """The synthetic campaign project (real UI strings and logo) with the synthetic microdata."""
    from test_campaigns_outputs import make_project

    root = make_project(tmp_path / "campaign")
    add_synthetic_microdata(root, suppressed=suppressed)
    return root


def edit_campaign(root: Path, change, name: str = CAMPAIGN) -> None:
    path = root / name
    campaign = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(campaign)
    path.write_text(yaml.safe_dump(campaign, allow_unicode=True, sort_keys=False), encoding="utf-8")


def island_fact(fact_id: str, island: str, **extra) -> dict:
    return {"id": fact_id, "dataset": "synthetic_residents_by_island", "where": {"island": island}, "column": "count",
            "format": "number", "label": {"pt": f"pessoas sintéticas em {island}", "en": f"synthetic people on {island}"}, **extra}


def quote_islands(campaign: dict) -> None:
    campaign["facts"] += [island_fact("maio", "Maio"), island_fact("sal", "Sal")]
    second = campaign["messages"][1]
    second["fact"] = "maio"
    second["body"] = {"pt": "Em Maio viviam {maio} pessoas sintéticas; no Sal, {sal}.", "en": "{maio} synthetic people on Maio; {sal} on Sal."}


def campaign_problems(root: Path) -> str:
    from observatorio.campaigns import validate_all

    with pytest.raises(UserError) as info:
        validate_all(root, lang="en")
    return str(info.value)


def test_a_suppressed_fact_prints_the_marker_on_cards_and_posters(tmp_path):
    from observatorio.campaigns.render import card_item, poster_item
    from observatorio.campaigns.validation import check_campaign, contexts

    root = campaign_project(tmp_path)
    edit_campaign(root, quote_islands)
    checked, problems = check_campaign(root, root / "campaigns" / "synthetic-campaign")
    assert problems == []
    assert checked.facts["maio"].suppressed == MARKER and checked.facts["sal"].value == 6
    by_lang = {ctx.lang: ctx for ctx in contexts(root, checked)}
    card = card_item(by_lang["pt"], 1, "1080x1080")  # the data the Typst template draws the card from
    assert card["fact"] == {"value": NBSP_MARKER, "label": "pessoas sintéticas em Maio"}
    assert card["body"] == f"Em Maio viviam {NBSP_MARKER} pessoas sintéticas; no Sal, 6."
    assert "2" not in card["body"] and "2" not in card["fact"]["value"]
    english = card_item(by_lang["en"], 1, "1200x630")
    assert english["body"] == f"{NBSP_MARKER} synthetic people on Maio; 6 on Sal."
    poster = poster_item(by_lang["pt"], "a4")
    assert {"value": NBSP_MARKER, "label": "pessoas sintéticas em Maio"}.items() <= next(f for f in poster["facts"] if "Maio" in f["label"]).items()


def test_a_campaign_may_not_quote_microdata_or_small_private_counts_or_a_suppressed_percentage(tmp_path):
    root = campaign_project(tmp_path)

    def quote_microdata(campaign):
        campaign["facts"].append({"id": "person", "dataset": "synthetic_microdata", "where": {"person_id": "synthetic-000"},
                                  "column": "person_id", "label": {"pt": "pessoa", "en": "person"}})

    edit_campaign(root, quote_microdata)
    text = campaign_problems(root)
    assert f"{CAMPAIGN}, line" in text
    assert ("facts[2].dataset: `synthetic_microdata` is microdata (non-public; `synthetic_residents_by_island` is derived from it): "
            "a campaign may not quote a row of it. Quote the public aggregate `synthetic_residents_by_island` instead.") in text

    root = campaign_project(tmp_path / "percent")
    edit_campaign(root, lambda c: c["facts"].append(island_fact("maio", "Maio", format="percent")))
    text = campaign_problems(root)
    assert "facts[2].format: the selected `count` is suppressed (a count below 5); it cannot be shown as a percentage." in text

    root = campaign_project(tmp_path / "private", suppressed=False)  # a non-public aggregate, not suppressed: Maio's 2 must not be printed
    descriptor_path = root / "data" / "datapackage.yaml"
    descriptor = yaml.safe_load(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "synthetic_residents_by_island":
            resource["public"] = False
    descriptor_path.write_text(yaml.safe_dump(descriptor, allow_unicode=True, sort_keys=False), encoding="utf-8")
    edit_campaign(root, lambda c: c["facts"].append(island_fact("maio", "Maio")))
    text = campaign_problems(root)
    assert "facts[2].column: `count` is 2, below the disclosure threshold (5) for data that is non-public; a campaign may not print it." in text


def test_a_chart_of_microdata_without_flags_stops_the_build(data_project):
    """A document that reads microdata may chart only flagged aggregates, never the rows themselves."""
    from observatorio.disclosure import check_figures

    add_synthetic_microdata(data_project, suppressed=True)
    micro = str(data_project / "data" / "raw" / "synthetic_microdata.csv")
    public = str(data_project / "data" / "raw" / "synthetic_residents_by_island.csv")
    raw_rows = [{"person_id": "synthetic-000", "island": "Santiago"}]
    with pytest.raises(UserError, match=r"reports/x \(pt\): figure `fig-raw` would publish data from a document that reads the microdata `synthetic_microdata`"):
        check_figures(data_project, [micro], {"fig-raw": raw_rows}, "reports/x (pt)")
    check_figures(data_project, [micro], {"fig-ok": synthetic_aggregate().to_dict("records")}, "reports/x (pt)")  # flagged: fine
    check_figures(data_project, [public], {"fig-raw": raw_rows}, "reports/x (pt)")  # only public data read: fine
