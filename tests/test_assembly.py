"""Assembling the docs folder: markers, translations, and what a user's mistake looks like."""

from __future__ import annotations

import os

import pytest

from observatorio.errors import UserError
from observatorio.paths import docs_dir
from observatorio.site import assemble, sync_tree
from observatorio.translations import missing_translations


@pytest.fixture
def project(site_project):
    """These tests are about the hand-written pages and the data; publications and campaigns have their own."""
    return site_project


def test_assembled_home_pages_carry_the_key_figures(project):
    assemble(project)
    pt = (docs_dir(project) / "index.md").read_text(encoding="utf-8")
    en = (docs_dir(project) / "index.en.md").read_text(encoding="utf-8")
    assert "observatorio:key-figures" not in pt + en
    assert "16\u00a0515" in pt and "16,515" in en
    assert "(dados/immigrant_stock/index.md)" in pt


def test_unknown_marker_names_file_and_line(project):
    page = project / "site" / "docs" / "sobre" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- observatorio:mapa -->\n", encoding="utf-8")
    line = page.read_text(encoding="utf-8").count("\n")
    with pytest.raises(UserError, match=rf"site/docs/sobre/index.md, line {line}: unknown marker `observatorio:mapa`"):
        assemble(project)


def test_missing_translation_is_a_build_error(project):
    (project / "site" / "docs" / "sobre" / "metodos.en.md").unlink()
    with pytest.raises(UserError, match=r"site/docs/sobre/metodos.en.md: missing English translation"):
        assemble(project)


def test_single_language_page_is_allowed(project):
    (project / "site" / "docs" / "nota.md").write_text("---\ntitle: Nota\nonly-language: true\n---\n# Nota\n", encoding="utf-8")
    assert missing_translations(project) == []


def test_missing_ui_string_is_listed(project):
    path = project / "site" / "i18n" / "en.yml"
    original = path.read_text(encoding="utf-8")
    path.write_text("\n".join(line for line in original.split("\n") if not line.startswith("  all_zip:")), encoding="utf-8")
    problems = missing_translations(project)
    assert "site/i18n/en.yml: missing UI string `catalogue.all_zip` (present in pt.yml)." in problems


def test_misspelt_ui_string_is_refused_with_the_closest_key(project):
    path = project / "site" / "i18n" / "en.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  all_zip:", "  all_zip_renamed:"), encoding="utf-8")
    with pytest.raises(UserError, match=r"site/i18n/en.yml, line \d+: `catalogue.all_zip_renamed`: unknown key `all_zip_renamed`. Did you mean `all_zip`\?"):
        missing_translations(project)


def test_sync_tree_touches_only_what_changed(tmp_path):
    source, target = tmp_path / "a", tmp_path / "b"
    (source / "x").mkdir(parents=True)
    (source / "x" / "same.md").write_text("same")
    (source / "new.md").write_text("new")
    (target / "x").mkdir(parents=True)
    (target / "x" / "same.md").write_text("same")
    (target / "stale.md").write_text("old")
    os.utime(target / "x" / "same.md", ns=(1, 1))
    sync_tree(source, target)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == ["new.md", "x/same.md"]
    assert (target / "x" / "same.md").stat().st_mtime_ns == 1
