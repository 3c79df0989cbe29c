"""The up-to-date check: a build is skipped only when its inputs and the published folder are as they were."""

from __future__ import annotations

from pathlib import Path

from observatorio import freshness

SETTINGS = {"engine": "builtin", "preview": False}


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "raw" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (root / "reports" / "r").mkdir(parents=True)
    (root / "reports" / "r" / "index.qmd").write_text("---\ntitle: R\n---\n\nUma frase.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    site = root / "_site"
    site.mkdir()
    (site / "index.html").write_text("<p>ok</p>", encoding="utf-8")
    return root


def test_fresh_after_record_and_stale_after_any_source_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    root = project(tmp_path)
    site = root / "_site"
    inputs, count = freshness.inputs_digest(root, SETTINGS)
    assert count == 3
    assert not freshness.is_fresh(root, site, inputs)  # never built
    freshness.record(root, site, inputs)
    assert freshness.is_fresh(root, site, freshness.inputs_digest(root, SETTINGS)[0])

    (root / "reports" / "r" / "index.qmd").write_text("---\ntitle: R\n---\n\nOutra frase.\n", encoding="utf-8")
    assert not freshness.is_fresh(root, site, freshness.inputs_digest(root, SETTINGS)[0])


def test_build_outputs_and_caches_inside_sources_do_not_count(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    root = project(tmp_path)
    before = freshness.inputs_digest(root, SETTINGS)
    (root / "reports" / "r" / "__pycache__").mkdir()
    (root / "reports" / "r" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (root / "build").mkdir()
    (root / "build" / "anything").write_text("x", encoding="utf-8")
    assert freshness.inputs_digest(root, SETTINGS) == before


def test_options_and_build_date_change_the_inputs(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    root = project(tmp_path)
    first = freshness.inputs_digest(root, SETTINGS)[0]
    assert freshness.inputs_digest(root, {**SETTINGS, "preview": True})[0] != first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1790000000 + 86400))
    assert freshness.inputs_digest(root, SETTINGS)[0] != first


def test_a_touched_or_deleted_published_file_makes_it_stale(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    root = project(tmp_path)
    site = root / "_site"
    inputs = freshness.inputs_digest(root, SETTINGS)[0]
    freshness.record(root, site, inputs)
    (site / "extra.html").write_text("x", encoding="utf-8")
    assert not freshness.is_fresh(root, site, inputs)
    (site / "extra.html").unlink()
    assert freshness.is_fresh(root, site, inputs)
    (site / "index.html").unlink()
    assert not freshness.is_fresh(root, site, inputs)
    assert not freshness.is_fresh(root, tmp_path / "elsewhere", inputs)
