"""Incremental rebuilds: an edit of the prose reuses the execution (reports.cache.same_code)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from observatorio import steps
from observatorio.reports import cache, execute
from observatorio.reports.render import execution_inputs, load_document
from observatorio.reports.sources import Source

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "reports_project"


def make_project(target: Path) -> Path:
    shutil.copytree(FIXTURE, target)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "site" / "i18n", target / "site" / "i18n")
    return target


def source_of(path: Path) -> Source:
    return Source("report", path.parent.name, "pt", path)


def record_for(root: Path, path: Path) -> dict:
    """A cache record as an execution of `path` would leave it, with one fake output per cell."""
    doc = load_document(root, source_of(path))
    digest, cells = execute.fingerprint(doc, "pt", True)
    outputs = {str(block): [{"text": f"cell {block}"}] for role, block in cells if role == "cell"}
    inline = {str(block): [f"inline {block}"] for role, block in cells if role == "inline"}
    result = {"outputs": outputs, "inline": inline, "reads": [], "fingerprint": digest, "cells": cells,
              "source": {"path": str(path), "lang": "pt", "validated": True}}
    cache.save(root / "build" / "record.json", execution_inputs(root, source_of(path)), result)
    return cache.load(root / "build" / "record.json", root)


def test_prose_edit_keeps_the_execution_and_moves_outputs(tmp_path):
    root = make_project(tmp_path / "project")
    path = root / "reports" / "amostra" / "index.qmd"
    record = record_for(root, path)
    before = {tuple(c) for c in record["result"]["cells"]}
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Introdução {#sec-intro}\n", "Um parágrafo novo.\n\n## Introdução {#sec-intro}\n\nOutro parágrafo.\n", 1), encoding="utf-8")
    inputs = execution_inputs(root, source_of(path))
    assert cache.execution_valid(record, inputs) == (True, cache.TEXT_EDITED)
    assert record["inputs"] == inputs.items  # adopted: the next build finds it cached
    assert cache.execution_valid(record, inputs) == (True, "cached")
    cells = record["result"]["cells"]
    assert {str(b) for r, b in cells if r == "cell"} == set(record["result"]["outputs"])
    assert {str(b) for r, b in cells if r == "inline"} == set(record["result"]["inline"])
    assert len(cells) == len(before)


def test_code_or_inline_edit_executes_again(tmp_path):
    root = make_project(tmp_path / "project")
    path = root / "reports" / "amostra" / "index.qmd"
    text = path.read_text(encoding="utf-8")
    record = record_for(root, path)
    old_inputs = dict(record["inputs"])
    path.write_text(text.replace("total = int(", "total = 2 * int(", 1), encoding="utf-8")
    assert cache.execution_valid(record, execution_inputs(root, source_of(path))) == (False, "changed: reports/amostra/index.qmd")
    path.write_text(text.replace("t.number(total * 1000)", "t.number(total * 100)", 1), encoding="utf-8")
    assert cache.execution_valid(record, execution_inputs(root, source_of(path))) == (False, "changed: reports/amostra/index.qmd")
    assert record["inputs"] == old_inputs


def test_a_change_to_the_package_code_executes_again(tmp_path, monkeypatch):
    """Cells import the package (charts, data, disclosure): editing it must not leave old outputs in place."""
    root = make_project(tmp_path / "project")
    path = root / "reports" / "amostra" / "index.qmd"
    record = record_for(root, path)
    monkeypatch.setattr(steps, "package_code", lambda: "edited package")
    assert cache.execution_valid(record, execution_inputs(root, source_of(path))) == (False, "changed: code")


def test_records_of_another_format_execute_again(tmp_path):
    root = make_project(tmp_path / "project")
    inputs = execution_inputs(root, source_of(root / "reports" / "amostra" / "index.qmd"))
    assert cache.execution_valid(None, inputs) == (False, "first build")
    old = {"key": "old", "data": {}, "result": {"outputs": {}}}  # as written before the steps' manifests
    assert cache.execution_valid(old, inputs) == (False, "cache made by an older version")


@pytest.mark.slow
def test_prose_edit_renders_without_running_a_cell(tmp_path):
    from observatorio import publications

    root = make_project(tmp_path / "project")
    docs = root / "build" / "docs"
    publications.write_pages(root, docs, jobs=2, engine="builtin")
    path = root / "reports" / "amostra" / "index.qmd"
    path.write_text(path.read_text(encoding="utf-8").replace("## Introdução {#sec-intro}\n", "## Introdução {#sec-intro}\n\nUma frase acrescentada.\n", 1), encoding="utf-8")
    lines = publications.write_pages(root, docs, jobs=2, engine="builtin")
    assert not [line for line in lines if "executed in" in line], lines
    page = (docs / "publicacoes" / "amostra" / "index.md").read_text(encoding="utf-8")
    flat = re.sub(r"\s+", " ", page.replace("\u00a0", " "))
    assert "Uma frase acrescentada." in flat and "O total é 60 000" in flat
    again = publications.write_pages(root, docs, jobs=2, engine="builtin")
    assert all("unchanged" in line for line in again), again


@pytest.mark.slow
def test_rebuilds_skip_what_did_not_change_and_match_a_full_build(built_site, tmp_path, monkeypatch):
    """No change: nothing runs. A prose edit: one page and PDF, then MkDocs renders only the pages that
    changed, and the result is byte for byte what a full build of the same sources gives."""
    from conftest import copy_built, tree_digest

    from observatorio.publish import MARKER, MARKER_TEXT
    from observatorio.site import build

    root = copy_built(built_site, tmp_path / "project")  # built elsewhere, then copied: its caches still hold
    site = root / "_site"
    before = tree_digest(site)

    again = build(root)
    assert len(again) == 1 and again[0].startswith("nothing changed"), again
    assert tree_digest(site) == before

    path = root / "reports" / "diaspora-remessas" / "index.qmd"
    text = path.read_text(encoding="utf-8")
    heading = next(line for line in text.split("\n") if line.startswith("## "))
    path.write_text(text.replace(heading + "\n", heading + "\n\nUma frase acrescentada pelo teste.\n", 1), encoding="utf-8")
    lines = build(root)
    rebuilt = [line for line in lines if "rendered again" in line or "executed in" in line]
    assert rebuilt == [next(line for line in lines if line.startswith("reports/diaspora-remessas (pt): rendered again (text edited"))], lines
    assert "site: MkDocs rendered only the pages whose source changed (nothing site-wide changed)" in lines
    assert "Uma frase acrescentada pelo teste." in (site / "publicacoes" / "diaspora-remessas" / "index.html").read_text(encoding="utf-8")
    incremental = tree_digest(site)
    assert incremental != before

    (root / "build" / "site-stamp.json").unlink()  # forget the last build: MkDocs renders every page again
    lines = build(root)
    assert any(line.startswith("site: MkDocs rendered every page") for line in lines), lines
    assert tree_digest(site) == incremental

    # and both are what plain MkDocs makes of the same docs folder in an empty folder (nothing linked or kept)
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    monkeypatch.setenv("OBSERVATORIO_ASSEMBLED", "1")
    plain = tmp_path / "plain"
    mkdocs_build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(plain), strict=True))
    (plain / MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # the one file the build adds after MkDocs
    assert tree_digest(plain) == incremental



@pytest.mark.slow
def test_a_copied_built_project_publishes_its_own_data(built_site, tmp_path):
    """`cp -r` of a built project (build/ and _site/ included), a dataset edited in the copy: the copy's
    pages and downloads show the copy's numbers, and the summary names the file, by its project path."""
    from conftest import copy_built

    from observatorio.site import build

    original_root, original_site = built_site
    root = copy_built(built_site, tmp_path / "copy")
    csv = root / "data" / "raw" / "remittances_cabo_verde.csv"
    text = csv.read_text(encoding="utf-8")
    assert "personal_remittances_received,2024,,333992294.9407," in text
    csv.write_text(text.replace("personal_remittances_received,2024,,333992294.9407,", "personal_remittances_received,2024,,667984589.8814,"), encoding="utf-8")

    lines = build(root)

    assert any(line.startswith("reports/remessas-economia (pt): executed in") and "(changed: data/raw/remittances_cabo_verde.csv)" in line for line in lines), lines
    page = (root / "_site" / "publicacoes" / "remessas-economia" / "index.html").read_text(encoding="utf-8")
    assert "Valeram 668 milhões de dólares em 2024" in page
    download = (root / "_site" / "dados" / "remittances" / "remittances.csv").read_text(encoding="utf-8")
    assert "667984589.8814" in download and "333992294.9407" not in download
    assert "Valeram 334 milhões de dólares em 2024" in (original_site / "publicacoes" / "remessas-economia" / "index.html").read_text(encoding="utf-8")
    assert str(original_root) not in "".join(p.read_text(encoding="utf-8") for p in (root / "build").rglob("manifest.json"))
