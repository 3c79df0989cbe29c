"""Where things are in a project checkout."""

from __future__ import annotations

from pathlib import Path

from .errors import UserError

MARKER = "mkdocs.yml"


def project_root(start: Path | None = None) -> Path:
    """The nearest folder, from `start` (default: the current folder) upwards, holding mkdocs.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / MARKER).is_file() and (folder / "data").is_dir():
            return folder
    raise UserError(
        f"{here}: not inside an observatory project (no {MARKER} with a data/ folder here or above). "
        "Run the command from the project's folder."
    )


def build_dir(root: Path) -> Path:
    """Intermediate files of a build: regenerated at will, never published as is."""
    return root / "build"


def docs_dir(root: Path) -> Path:
    """The assembled MkDocs docs folder: hand-written pages from site/docs plus generated ones."""
    return build_dir(root) / "docs"


SOURCE_PARTS = ("data", "site", "mkdocs.yml", "src", "reports", "notebooks", "campaigns", "profiles", "_quarto.yml")
NOT_SOURCES = {".git", "_site", "build", ".nox", ".venv", ".ci-venv", ".pytest_cache", "__pycache__", ".jupyter_cache", "test-artifacts"}


def copy_sources(root: Path, target: Path, parts: tuple[str, ...] = SOURCE_PARTS) -> Path:
    """A copy of the project's sources (no build outputs) at `target`, for tests and the benchmark."""
    import shutil

    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for name in parts:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=lambda d, names: [n for n in names if n in NOT_SOURCES or n.startswith(".site-")])
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target
