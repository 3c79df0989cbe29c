"""Country profiles, fast tests: the facts from the data, the template's parameters, the index (no site build)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from observatorio.errors import UserError
from observatorio.i18n import languages, strings
from observatorio.profiles import index, model, template, text

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def raw_rows(name: str) -> list[dict]:
    with open(RAW / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_origin_and_destination_in_the_data_is_a_candidate_and_the_world_is_not():
    origins = {r["origin_iso3"] for r in raw_rows("un_desa_immigrant_stock_cabo_verde_by_origin.csv")}
    destinations = {r["destination_iso3"] for r in raw_rows("un_desa_emigrant_stock_cabo_verde_by_destination.csv")} - {"WLD"}
    found = {c.iso3 for c in model.candidates(ROOT)}
    assert found == origins | destinations
    assert "WLD" not in found


def test_profile_figures_are_the_values_in_the_data():
    rows = [r for r in raw_rows("un_desa_immigrant_stock_cabo_verde_by_origin.csv") if r["origin_iso3"] == "GNB"]
    p = model.profile("GNB", "pt", ROOT)
    assert p.origin.points == sorted((int(r["year"]), float(r["value"])) for r in rows)
    latest = max(rows, key=lambda r: int(r["year"]))
    assert (p.origin.last_year, p.origin.last) == (int(latest["year"]), float(latest["value"]))
    same_year = [float(r["value"]) for r in raw_rows("un_desa_immigrant_stock_cabo_verde_by_origin.csv") if r["year"] == latest["year"]]
    assert p.origin.rank == 1 + sum(v > float(latest["value"]) for v in same_year)
    assert p.origin.ranked == len(same_year)
    assert p.name == "Guiné-Bissau" and model.profile("GNB", "en", ROOT).name == "Guinea-Bissau"


def test_breaks_small_counts_and_missing_rows_are_flagged():
    assert model.profile("LUX", "pt", ROOT).destination.breaks == [(2015, 1617.0, 2020, 7108.0)]
    assert model.profile("BRA", "pt", ROOT).destination.breaks == [(1990, 5.0, 1995, 1447.0)]
    assert model.profile("PRT", "pt", ROOT).destination.breaks == []
    peru = model.profile("PER", "pt", ROOT)
    assert len(peru.origin.small) == len(peru.origin.points)  # every value below 100: modelled
    usa = model.profile("USA", "en", ROOT)
    assert usa.destination is None and usa.not_reported_separately
    assert not model.profile("PER", "en", ROOT).not_reported_separately


def test_destination_share_uses_the_listed_destinations_of_the_same_edition():
    rows = [r for r in raw_rows("un_desa_emigrant_stock_cabo_verde_by_destination.csv")
            if r["year"] == "2024" and r["indicator"] == "emigrant_stock_by_destination"]
    portugal = model.profile("PRT", "pt", ROOT).destination
    assert portugal.total == sum(float(r["value"]) for r in rows)
    assert portugal.world_2020 == 187558.0  # shown as context only, never divided by


def test_template_is_valid_quarto_with_params_and_one_parameters_cell():
    for lang in languages(ROOT):
        loaded = template.load(ROOT, lang)
        assert loaded.params == {"iso3": "GNB"}
        cell = loaded.doc.blocks[loaded.parameters_block]
        assert cell.code.strip() == 'iso3 = "GNB"'
        lines = loaded.path.read_text(encoding="utf-8").split("\n")
        assert lines[cell.start - 1].startswith("```{python}")  # line numbers are those of the file
        assert "tags: [parameters]" in lines[cell.start]


def copy_template(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "profiles", root / "profiles")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def test_template_without_parameters_cell_or_params_is_an_error(tmp_path):
    root = copy_template(tmp_path)
    path = root / "profiles" / "_template" / "index.qmd"
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("#| tags: [parameters]\n", ""), encoding="utf-8")
    lang = languages(root)[0]
    with pytest.raises(UserError, match=r"profiles/_template/index.qmd: exactly one cell must carry `#\| tags: \[parameters\]`"):
        template.load(root, lang)
    path.write_text(source.replace("params:\n  iso3: GNB\n", ""), encoding="utf-8")
    with pytest.raises(UserError, match="declare the profile's parameter with `params:`"):
        template.load(root, lang)


def test_injected_parameters_cell():
    assert template.injected({"iso3": "PRT"}) == "iso3 = 'PRT'"


def test_publications_are_found_by_name_and_code_without_partial_matches(tmp_path):
    root = tmp_path / "project"
    for name in ("data", "site", "mkdocs.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    folder = root / "reports" / "amostra"
    folder.mkdir(parents=True)
    front = '---\ntitle: "{title}"\nlang: {lang}\n---\n\n'
    (folder / "index.qmd").write_text(front.format(title="Amostra", lang="pt") + "A Guiné Equatorial e o Níger.\n\n```{python}\nx = 'SEN'\n```\n", encoding="utf-8")
    (folder / "index.en.qmd").write_text(front.format(title="Sample", lang="en") + "Equatorial Guinea and Guinea-Bissau.\n", encoding="utf-8")
    draft = root / "reports" / "rascunho"
    draft.mkdir()
    (draft / "index.qmd").write_text('---\ntitle: "R"\nlang: pt\ndraft: true\nonly-language: true\n---\n\nA Islândia.\n', encoding="utf-8")
    pt, en = model.publications(root, "pt"), model.publications(root, "en")
    assert "ISL" not in pt  # drafts are not published, so profiles do not link to them
    assert pt["GNQ"] == [("amostra", "Amostra")] and pt["NER"] == [("amostra", "Amostra")] and pt["SEN"] == [("amostra", "Amostra")]
    assert "GIN" not in pt and "NGA" not in pt  # "Guiné" inside "Guiné Equatorial", "Nigéria" ≠ "Níger"
    assert set(en) == {"GNQ", "GNB"}


def test_reason_for_a_country_without_a_profile():
    s = strings(ROOT, "en")
    candidate = model.Candidate("NOR", {"pt": "Noruega", "en": "Norway"}, {model.ORIGIN: [2024]})
    assert not candidate.eligible(2)
    titles = {"immigrant_stock_by_origin": "Origins", "emigrant_stock_by_destination": "Destinations"}
    assert index.reason(candidate, s, 2, titles) == "Origins: 1 observation(s) (2024); at least 2 are needed to show a trend."


def test_ordinals():
    assert [text.Writer("en", ROOT).ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
    assert text.Writer("pt", ROOT).ordinal(2) == "2.º"


def test_the_template_is_not_an_ordinary_report():
    """It lives outside `reports/`, so neither the built-in engine's report loop nor `_quarto.yml` renders it."""
    import fnmatch

    import yaml

    from observatorio.reports import sources

    found = sources.reports(ROOT, languages(ROOT))
    assert found and not any("profiles" in str(s.path) for s in found)
    patterns = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))["project"]["render"]
    for path in (ROOT / "profiles" / "_template").glob("*.qmd"):
        relative = str(path.relative_to(ROOT))
        assert not any(fnmatch.fnmatch(relative, pattern) for pattern in patterns)


TINY = """---
title: "T"
lang: pt
params:
  iso3: GNB
---

```{python}
#| tags: [parameters]
iso3 = "GNB"
```

```{python}
if iso3 == "GNB":
    only_gnb = 1
print("leak" if "only_gnb" in globals() and iso3 != "GNB" else "clean", iso3)
```

```{python}
if iso3 == "NOR":
    raise ValueError("boom")
```
"""


@pytest.mark.slow
def test_one_kernel_runs_every_country_from_a_clean_namespace(tmp_path):
    from observatorio.profiles import run

    root = tmp_path / "project"
    for name in ("data", "site", "mkdocs.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    folder = root / "profiles" / "_template"
    folder.mkdir(parents=True)
    (folder / "index.qmd").write_text(TINY, encoding="utf-8")
    loaded = template.load(root, languages(root)[0])
    done = run.run_all(loaded, ["GNB", "PRT"], "tiny (pt)")
    printed = [o["text"] for e in done for outputs in e.result["outputs"].values() for o in outputs if o.get("output_type") == "stream"]
    assert printed == ["clean GNB\n", "clean PRT\n"]
    assert all(e.seconds > 0 for e in done)
    with pytest.raises(UserError, match=r"tiny \(pt\), iso3=NOR: the cell at lines 19–22 failed, at line 21: ValueError: boom"):
        run.run_all(loaded, ["GNB", "NOR"], "tiny (pt)")
