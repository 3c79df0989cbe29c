"""Find the publications (`reports/<slug>/index[.<lang>].qmd`) and notebooks (`notebooks/x[.<lang>].ipynb`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..i18n import Language
from ..safe_read import read_yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Source:
    """One document in one language."""

    kind: str  # "report" | "notebook"
    slug: str
    lang: str
    path: Path  # absolute

    def label(self, root: Path) -> str:
        return f"{self.path.relative_to(root)} ({self.lang})"


def shared_metadata(root: Path) -> dict:
    path = root / "reports" / "_metadata.yml"
    if not path.is_file():
        return {}
    return read_yaml(path, root, "metadata") or {}


def localized(folder: Path, stem: str, suffix: str, lang: Language) -> Path:
    return folder / (f"{stem}{suffix}" if lang.default else f"{stem}.{lang.code}{suffix}")


def reports(root: Path, langs: tuple[Language, ...], folder: Path | None = None) -> list[Source]:
    base = folder or root / "reports"
    found = []
    if not base.is_dir():
        return found
    for directory in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        default = directory / "index.qmd"
        if not default.is_file():
            if any(directory.glob("*.qmd")):
                raise UserError(f"{directory.relative_to(root)}: a publication needs `index.qmd` (Portuguese, the main language).")
            continue
        slug = _declared_slug(default) or directory.name  # `slug:` in index.qmd, else the folder name
        if not SLUG.match(slug):
            raise UserError(f"{directory.relative_to(root)}: folder names are the page address; use lowercase letters, digits and hyphens.")
        for lang in langs:
            path = localized(directory, "index", ".qmd", lang)
            if path.is_file():
                found.append(Source("report", slug, lang.code, path))
            elif not _only_language(default):
                raise UserError(
                    f"{path.relative_to(root)}: missing translation ({lang.name}) of {default.relative_to(root)}. "
                    "Write it, or add `only-language: true` to the front matter of index.qmd to publish one language only."
                )
    return found


def _only_language(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return bool(re.search(r"^only-language:\s*true\s*$", text.split("\n---", 1)[0], re.MULTILINE))


def _declared_slug(path: Path) -> str | None:
    match = re.search(r"^slug:\s*['\"]?([^'\"\s]+)['\"]?\s*$", path.read_text(encoding="utf-8").split("\n---", 1)[0], re.MULTILINE)
    return match.group(1) if match else None


def notebooks(root: Path, langs: tuple[Language, ...]) -> list[Source]:
    base = root / "notebooks"
    found = []
    if not base.is_dir():
        return found
    codes = {lang.code for lang in langs if not lang.default}
    for path in sorted(base.glob("*.ipynb")):
        parts = path.name.split(".")
        if len(parts) == 3 and parts[1] in codes:
            continue
        stem = path.stem
        if not SLUG.match(stem.replace("_", "-")):
            raise UserError(f"{path.relative_to(root)}: notebook names are page addresses; use lowercase letters, digits, hyphens.")
        for lang in langs:
            target = localized(base, stem, ".ipynb", lang)
            if not target.is_file():
                raise UserError(f"{target.relative_to(root)}: missing translation ({lang.name}) of {path.relative_to(root)}.")
            found.append(Source("notebook", stem.replace("_", "-"), lang.code, target))
    return found
