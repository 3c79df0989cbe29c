"""The same sources, built in two folders, give byte-identical sites (no dates, paths or order leak)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from observatorio.site import build

from conftest import copy_project

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
