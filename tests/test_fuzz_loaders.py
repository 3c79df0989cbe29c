"""Fuzzing the loaders with Hypothesis: random YAML and CSV mutations never give a traceback.

Each loader (the data catalogue and a CSV, a publication's front matter, a campaign, a UI strings
file) reads a mutated copy of a real project file. It must either accept it or stop with a
`UserError` (one message for the user), within a time bound, and leave `_site/` as it was.
The budget is fixed (examples per loader and a deadline per example), so the whole file runs in
well under a minute.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from conftest import copy_project, tree_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observatorio import data, i18n
from observatorio.campaigns.facts import resolve_facts
from observatorio.campaigns.model import read_campaign
from observatorio.campaigns.validation import check_contrast
from observatorio.errors import UserError
from observatorio.reports import qmd

TOKENS = [":", ": ", "- ", "&a ", "*a", "<<: *a", '"', "'", "{", "}", "[", "]", "\t", "#", "!!python/object/apply:os.system ['true']",
          "!ENV X", "no", '"false"', "0", "~", "null", "9" * 400, "1e999", ".nan", "não", "\x00", "\ufeff", "---", "...", "%YAML 1.1",
          "? ", "|", ">", "\n", "  ", ",", ",,", "javascript:alert(1)", "2026-13-45", "&b [*a, *a, *a]", "\r\n", "\u202e",
          "\n1: x\n", "\ntrue: x\n", "\n2026-01-01: x\n", "\n  7: {pt: x}\n", "\n? [a]\n: x\n"]

text = st.one_of(st.sampled_from(TOKENS), st.text(max_size=12))
mutation = st.one_of(
    st.tuples(st.just("delete line"), st.integers(0, 10**6)),
    st.tuples(st.just("duplicate line"), st.integers(0, 10**6)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), text),
    st.tuples(st.just("replace"), st.integers(0, 10**6), st.integers(1, 40), text),
    st.tuples(st.just("bytes"), st.integers(0, 10**6), st.binary(min_size=1, max_size=3)),
)
mutations = st.lists(mutation, min_size=1, max_size=4)

BUDGET = settings(max_examples=25, deadline=3000, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TIME_BOUND = 5.0  # seconds a loader may take on one mutated file


def mutate(original: bytes, changes) -> bytes:
    out = original
    for change in changes:
        kind, position = change[0], change[1]
        if kind in ("delete line", "duplicate line"):
            lines = out.split(b"\n")
            index = position % len(lines)
            lines[index:index + 1] = [] if kind == "delete line" else [lines[index]] * 2
            out = b"\n".join(lines)
            continue
        at = position % (len(out) + 1)
        if kind == "insert":
            out = out[:at] + change[2].encode("utf-8") + out[at:]
        elif kind == "replace":
            out = out[:at] + change[3].encode("utf-8") + out[at + change[2]:]
        else:
            out = out[:at] + change[2] + out[at:]
    return out


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    """A copy of the project with a previous `_site/` and a small synthetic dataset to mutate."""
    root = copy_project(tmp_path_factory.mktemp("fuzz") / "project", parts=("data", "site", "mkdocs.yml", "reports", "campaigns"))
    (root / "_site").mkdir()
    (root / "_site" / "index.html").write_text("<p>the published site</p>", encoding="utf-8")
    return root


def run_mutated(root: Path, relative: str, changes, load) -> None:
    """Write the mutated file, run `load`, restore the file; only a UserError may come out."""
    path = root / relative
    original = path.read_bytes()
    site = tree_digest(root / "_site")
    path.write_bytes(mutate(original, changes))
    started = time.monotonic()
    try:
        load()
    except UserError as exc:
        assert str(exc).strip(), "a UserError must say what is wrong"
    finally:
        path.write_bytes(original)
        data._load_package.cache_clear()
        data._validate.cache_clear()
        i18n._read_strings.cache_clear()
        i18n._languages.cache_clear()
    assert time.monotonic() - started < TIME_BOUND
    assert tree_digest(root / "_site") == site


@BUDGET
@given(changes=mutations)
def test_fuzz_the_data_catalogue(fuzz_project, changes):
    run_mutated(fuzz_project, "data/datapackage.yaml", changes, lambda: data.load_package(fuzz_project))


@pytest.fixture(scope="module")
def synthetic_csv_project(tmp_path_factory):
    """A one-dataset project (synthetic data, never published) whose CSV is fuzzed through frictionless."""
    root = tmp_path_factory.mktemp("fuzz-csv") / "project"
    shutil.copytree(Path(__file__).resolve().parents[1] / "site" / "i18n", root / "site" / "i18n")
    shutil.copy2(Path(__file__).resolve().parents[1] / "mkdocs.yml", root / "mkdocs.yml")
    (root / "_site").mkdir()
    (root / "_site" / "index.html").write_text("<p>the published site</p>", encoding="utf-8")
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "raw" / "synthetic_counts.csv").write_text("island,year,count\nSal,2020,12\nMaio,2021,7\nFogo,2022,\n", encoding="utf-8")
    texts = '{pt: "Dados sintéticos de teste", en: "Synthetic test data"}'
    (root / "data" / "datapackage.yaml").write_text(f"""name: synthetic-fuzz
resources:
  - name: synthetic_counts
    path: raw/synthetic_counts.csv
    format: csv
    encoding: utf-8
    public: false
    synthetic: true
    titles: {texts}
    schema:
      fields:
        - {{name: island, type: string, titles: {texts}, constraints: {{required: true, enum: [Sal, Maio, Fogo]}}}}
        - {{name: year, type: integer, titles: {texts}, constraints: {{minimum: 1950, maximum: 2030}}}}
        - {{name: count, type: integer, titles: {texts}, constraints: {{minimum: 0}}}}
      primaryKey: [island, year]
""", encoding="utf-8")
    data.load_resource("synthetic_counts", root)
    return root


@BUDGET
@given(changes=mutations)
def test_fuzz_a_csv_file(synthetic_csv_project, changes):
    root = synthetic_csv_project
    run_mutated(root, "data/raw/synthetic_counts.csv", changes, lambda: data.load_resource("synthetic_counts", root))


@BUDGET
@given(changes=mutations)
def test_fuzz_a_front_matter(fuzz_project, changes):
    relative = "reports/remessas-economia/index.qmd"
    path = fuzz_project / relative
    original = path.read_bytes()
    end = original.index(b"\n---", 3) + 4  # mutate the front matter only
    head_changes = [(c[0], c[1] % end, *c[2:]) for c in changes]

    def load():
        from observatorio.safe_read import read_text

        qmd.parse(Path(relative), read_text(path, fuzz_project))

    run_mutated(fuzz_project, relative, head_changes, load)


@BUDGET
@given(changes=mutations)
def test_fuzz_a_campaign(fuzz_project, changes):
    folder = fuzz_project / "campaigns" / "morabeza-para-todos"

    def load():
        campaign, problems = read_campaign(fuzz_project, folder, ["pt", "en"], i18n.strings(fuzz_project, "pt"))
        for problem in problems:
            assert problem.file and problem.message
        if not problems:
            check_contrast(campaign)
            resolve_facts(fuzz_project, campaign)

    run_mutated(fuzz_project, "campaigns/morabeza-para-todos/campaign.yml", changes, load)


@BUDGET
@given(changes=mutations)
def test_fuzz_the_ui_strings(fuzz_project, changes):
    def load():
        strings = i18n.strings(fuzz_project, "en")
        strings.number(1234.5, 1)
        strings.percent(12.5)
        strings["catalogue.all_zip"]

    run_mutated(fuzz_project, "site/i18n/en.yml", changes, load)
