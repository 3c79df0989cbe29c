"""Shared builders: a copy of the project in a temporary folder, so tests never touch the checkout."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Every build in the tests is dated by this, as a release build is by its last commit.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1790000000")

REPO = Path(__file__).resolve().parents[1]
SKIP = {".git", "_site", "build", ".nox", ".venv", ".ci-venv", ".pytest_cache", "__pycache__", ".jupyter_cache", "test-artifacts"}


def copy_project(target: Path, parts=("data", "site", "mkdocs.yml", "src", "reports", "notebooks", "campaigns", "profiles", "_quarto.yml")) -> Path:
    """A copy of the project's sources (no build outputs) at `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in parts:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=lambda d, names: [n for n in names if n in SKIP or n.startswith(".site-")])
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the project's data, pages and configuration."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def site_project(tmp_path) -> Path:
    """The project without publications, notebooks or campaigns: data and hand-written pages only (fast to build)."""
    return copy_project(tmp_path / "project", parts=("data", "site", "mkdocs.yml", "src"))


@pytest.fixture
def data_project(tmp_path) -> Path:
    """Only what data validation needs: the catalogue, its files and mkdocs.yml."""
    return copy_project(tmp_path / "project", parts=("data", "mkdocs.yml", "site"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """One full build of a copy of the project, shared by the end-to-end tests: (root, site folder)."""
    from observatorio.site import build

    root = copy_project(tmp_path_factory.mktemp("e2e") / "project")
    build(root)
    return root, root / "_site"
