"""Translation completeness: every page, dataset text and UI string in every language."""

from __future__ import annotations

from pathlib import Path

import yaml

from .data import load_package
from .i18n import languages, page_language

DATASET_TEXTS = ("titles", "descriptions")


def _keys(node, prefix="") -> set[str]:
    if isinstance(node, dict):
        keys = set()
        for key, value in node.items():
            keys |= _keys(value, f"{prefix}{key}.")
        return keys
    return {prefix.rstrip(".")}


def _single_language(path: Path) -> bool:
    """A page whose front matter says `single_language: true` exists in one language on purpose."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return False
    try:
        meta = yaml.safe_load(text.split("---", 2)[1]) or {}
    except yaml.YAMLError:
        return False
    return bool(meta.get("single_language"))


def missing_translations(root: Path) -> list[str]:
    langs = languages(root)
    problems = []

    pages = root / "site" / "docs"
    for path in sorted(pages.rglob("*.md")):
        if page_language(path, langs).default and not _single_language(path):
            stem = path.name[: -len(".md")]
            for lang in langs[1:]:
                twin = path.with_name(f"{stem}.{lang.code}.md")
                if not twin.is_file():
                    problems.append(f"{twin.relative_to(root)}: missing {lang.name} translation of {path.relative_to(root)}.")

    for resource in load_package(root).resources:
        for key in DATASET_TEXTS:
            for lang in langs:
                if lang.code not in (resource.descriptor.get(key) or {}):
                    problems.append(f"data/datapackage.yaml: dataset `{resource.name}` has no `{key}.{lang.code}`.")
        for field in resource.fields:
            for lang in langs:
                if lang.code not in (field.get("titles") or {}):
                    problems.append(f"data/datapackage.yaml: dataset `{resource.name}`, field `{field['name']}` has no `titles.{lang.code}`.")

    reference = None
    for lang in langs:
        path = root / "site" / "i18n" / f"{lang.code}.yml"
        if not path.is_file():
            problems.append(f"{path.relative_to(root)}: missing UI strings for {lang.name}.")
            continue
        keys = _keys(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        if reference is None:
            reference = (path, keys)
            continue
        for key in sorted(reference[1] - keys):
            problems.append(f"{path.relative_to(root)}: missing UI string `{key}` (present in {reference[0].name}).")
        for key in sorted(keys - reference[1]):
            problems.append(f"{reference[0].relative_to(root)}: missing UI string `{key}` (present in {path.name}).")
    return problems
