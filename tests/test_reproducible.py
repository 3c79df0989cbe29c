"""The same sources, built in two folders, give byte-identical sites (no dates, paths or order leak)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import copy_built, copy_project

from observatorio.site import build

pytestmark = pytest.mark.slow


def digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_in_different_folders_are_identical(built_site, tmp_path_factory):
    first_root, first = built_site
    second_root = copy_project(tmp_path_factory.mktemp("elsewhere") / "another" / "project")
    build(second_root)
    a, b = digests(first), digests(second_root / "_site")
    assert sorted(a) == sorted(b)
    differing = [name for name in a if a[name] != b[name]]
    assert differing == [], "\n".join(differing)
    for name in a:
        if name.endswith((".html", ".json", ".xml", ".md", ".txt", ".csv", ".svg", ".js")):
            text = (first / name).read_text(encoding="utf-8", errors="replace")
            assert str(first_root) not in text, f"{name} holds the build folder's path"


def test_edit_and_revert_gives_the_bytes_of_a_cold_build(built_site, tmp_path_factory):
    """Build, edit a sentence of a report and a number of a dataset, rebuild, revert both, rebuild:
    the site is byte for byte the cold build of the same sources (executions read from the cache
    keep their column order, nothing of the edit stays behind)."""
    _, cold = built_site
    root = copy_built(built_site, tmp_path_factory.mktemp("edited") / "project")
    assert build(root)[0].startswith("nothing changed")  # a copied built project is up to date where it lands
    report = root / "reports" / "diaspora-remessas" / "index.qmd"
    dataset = root / "data" / "raw" / "un_desa_immigrant_stock_cabo_verde.csv"
    originals = {path: path.read_bytes() for path in (report, dataset)}
    text = report.read_text(encoding="utf-8")
    heading = next(line for line in text.split("\n") if line.startswith("## "))
    report.write_text(text.replace(heading + "\n", heading + "\n\nUma frase acrescentada pelo teste.\n", 1), encoding="utf-8")
    rows = dataset.read_text(encoding="utf-8").split("\n")
    assert ",1990,both,8931," in rows[1]
    rows[1] = rows[1].replace(",1990,both,8931,", ",1990,both,8932,")
    dataset.write_text("\n".join(rows), encoding="utf-8")
    build(root)
    assert digests(root / "_site") != digests(cold)
    for path, data in originals.items():
        path.write_bytes(data)
    build(root)
    a, b = digests(cold), digests(root / "_site")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
