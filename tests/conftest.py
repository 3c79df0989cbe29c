"""Shared builders: a copy of the project in a temporary folder, so tests never touch the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from observatorio.paths import SOURCE_PARTS, copy_sources

# Every build in the tests is dated by this, as a release build is by its last commit.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1790000000")

REPO = Path(__file__).resolve().parents[1]


def copy_project(target: Path, parts=SOURCE_PARTS) -> Path:
    """A copy of the project's sources (no build outputs) at `target`."""
    return copy_sources(REPO, target, parts)


def tree_digest(folder: Path) -> str:
    """One SHA-256 over every file's path and bytes under `folder` (to prove a site was not touched)."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


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
def built_site(tmp_path_factory, worker_id):
    """One full build of a copy of the project, shared by the end-to-end tests: (root, site folder).

    Under pytest-xdist (`nox -s tests` runs one worker per core) the first worker to need it builds it
    in the folder all workers share, under a file lock; the others wait and read the same build.
    Tests never change it: one that edits starts from `copy_built`.
    """
    from filelock import FileLock

    from observatorio.site import build

    if worker_id == "master":  # no xdist
        root = copy_project(tmp_path_factory.mktemp("e2e") / "project")
        build(root)
        return root, root / "_site"
    shared = tmp_path_factory.getbasetemp().parent / "e2e-shared"
    root, done, failed = shared / "project", shared / "built", shared / "failed"
    shared.mkdir(exist_ok=True)
    with FileLock(str(shared / "lock")):
        if failed.exists():
            pytest.fail(f"the shared build failed in another worker: {failed.read_text(encoding='utf-8')}")
        if not done.exists():
            try:
                copy_project(root)
                build(root)
            except BaseException as error:
                failed.write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
                raise
            done.touch()
    return root, root / "_site"


def copy_built(built, target: Path) -> Path:
    """A copy of the shared built project (`built_site`), with its build/ caches and _site/, at `target`:
    a warm start that a cold build would only repeat (the caches hold paths relative to the project)."""
    import shutil

    root, _ = built
    shutil.copytree(root, target, symlinks=True)
    return target


def soup(path: Path):
    """A built page, parsed."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
