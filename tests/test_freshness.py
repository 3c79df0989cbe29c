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


def docs(root: Path) -> Path:
    folder = root / "build" / "docs"
    (folder / "r").mkdir(parents=True, exist_ok=True)
    (folder / "r" / "index.md").write_text("# R\n", encoding="utf-8")
    return folder


def test_fresh_after_record_and_stale_after_any_source_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    root = project(tmp_path)
    site = root / "_site"
    inputs = freshness.inputs_digest(root, SETTINGS)
    assert inputs.count == 3
    assert not freshness.is_fresh(root, site, inputs)  # never built
    freshness.record(root, site, inputs, docs(root))
    assert freshness.is_fresh(root, site, freshness.inputs_digest(root, SETTINGS))

    (root / "reports" / "r" / "index.qmd").write_text("---\ntitle: R\n---\n\nOutra frase.\n", encoding="utf-8")
    assert not freshness.is_fresh(root, site, freshness.inputs_digest(root, SETTINGS))


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
    first = freshness.inputs_digest(root, SETTINGS)
    assert freshness.inputs_digest(root, {**SETTINGS, "preview": True}).site_wide != first.site_wide
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1790000000 + 86400))
    assert freshness.inputs_digest(root, SETTINGS).site_wide != first.site_wide


def test_a_touched_or_deleted_published_file_makes_it_stale(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    root = project(tmp_path)
    site = root / "_site"
    inputs = freshness.inputs_digest(root, SETTINGS)
    freshness.record(root, site, inputs, docs(root))
    (site / "extra.html").write_text("x", encoding="utf-8")
    assert not freshness.is_fresh(root, site, inputs)
    (site / "extra.html").unlink()
    assert freshness.is_fresh(root, site, inputs)
    (site / "index.html").unlink()
    assert not freshness.is_fresh(root, site, inputs)
    assert not freshness.is_fresh(root, tmp_path / "elsewhere", inputs)


def test_pages_only_when_nothing_site_wide_changed_and_no_page_was_added(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    root = project(tmp_path)
    site, folder = root / "_site", docs(root)
    assert freshness.pages_only(root, site, freshness.inputs_digest(root, SETTINGS), folder)[0] is False  # no earlier build
    freshness.record(root, site, freshness.inputs_digest(root, SETTINGS), folder)

    (root / "reports" / "r" / "index.qmd").write_text("---\ntitle: R\n---\n\nOutra frase.\n", encoding="utf-8")
    (folder / "r" / "index.md").write_text("# R\n\nOutra frase.\n", encoding="utf-8")
    inputs = freshness.inputs_digest(root, SETTINGS)
    assert freshness.pages_only(root, site, inputs, folder)[0] is True

    (folder / "r" / "new.md").write_text("# New\n", encoding="utf-8")
    allowed, why = freshness.pages_only(root, site, inputs, folder)
    assert not allowed and "added or removed" in why
    (folder / "r" / "new.md").unlink()

    (root / "mkdocs.yml").write_text("site_name: other\n", encoding="utf-8")
    allowed, why = freshness.pages_only(root, site, freshness.inputs_digest(root, SETTINGS), folder)
    assert not allowed and "mkdocs.yml" in why
