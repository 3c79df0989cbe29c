"""Translation completeness: every page, publication, campaign, dataset text and UI string in
every language of the site, unless its metadata says `only-language: true`.

`missing_translations` lists what is missing (the build stops on it); `status` lists every item
with the languages it exists in, for the translation status page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .data import load_package
from .errors import UserError
from .files import load_yaml
from .i18n import Language, languages, page_language, strings
from .safe_read import read_text

DATASET_TEXTS = ("titles", "descriptions")
FLAG = "only-language"


@dataclass(frozen=True)
class Item:
    kind: str  # page | publication | notebook | campaign | dataset | ui-strings
    name: str
    languages: tuple[str, ...]
    only_language: bool = False


def front_matter(path: Path) -> dict:
    text = read_text(path)
    if not text.startswith("---"):
        return {}
    try:
        meta = load_yaml(text.split("---", 2)[1]) or {}
    except yaml.YAMLError:
        return {}
    return meta if isinstance(meta, dict) else {}


def only_language(path: Path) -> bool:
    """A source whose front matter says `only-language: true` exists in one language on purpose."""
    return bool(front_matter(path).get(FLAG))


def localized_name(path: Path, lang: Language, default_suffix: str) -> Path:
    """`x.md` → `x.en.md` for English (suffix structure)."""
    stem = path.name[: -len(default_suffix)]
    return path.with_name(f"{stem}{default_suffix}" if lang.default else f"{stem}.{lang.code}{default_suffix}")


# Keys whose entries are CLDR plural or ordinal categories: each language has its own set of them.
CLDR_CATEGORY_KEYS = re.compile(r"^(ordinal|plurals\.[^.]+)$")


def _keys(node, prefix="") -> set[str]:
    if CLDR_CATEGORY_KEYS.match(prefix.rstrip(".")):
        return {prefix.rstrip(".")}
    if isinstance(node, dict):
        keys = set()
        for key, value in node.items():
            keys |= _keys(value, f"{prefix}{key}.")
        return keys
    return {prefix.rstrip(".")}


def _twins(root: Path, folder: Path, pattern: str, suffix: str, kind: str, langs) -> list[Item]:
    items = []
    if not folder.is_dir():
        return items
    for path in sorted(folder.rglob(pattern)):
        if any(part.startswith("_") for part in path.relative_to(folder).parts) or page_language(path, langs) != langs[0]:
            continue
        present = tuple(lang.code for lang in langs if localized_name(path, lang, suffix).is_file())
        items.append(Item(kind, str(path.relative_to(root)), present, only_language(path)))
    return items


def status(root: Path) -> list[Item]:
    langs = languages(root)
    codes = [lang.code for lang in langs]
    items = _twins(root, root / "site" / "docs", "*.md", ".md", "page", langs)
    items += _twins(root, root / "reports", "*.qmd", ".qmd", "publication", langs)
    for path in sorted((root / "campaigns").glob("*/campaign.yml")) if (root / "campaigns").is_dir() else []:
        try:
            data = load_yaml(read_text(path, root)) or {}
        except (yaml.YAMLError, UserError, ValueError):  # not UTF-8, bad YAML, an impossible date: the campaign check says so
            data = {}
        if isinstance(data, dict) and data.get("status") == "draft":
            continue  # a draft's folder name never reaches the public status page
        name = data.get("name") if isinstance(data, dict) else None
        present = tuple(c for c in codes if isinstance(name, dict) and name.get(c))
        items.append(Item("campaign", str(path.relative_to(root)), present, bool(isinstance(data, dict) and data.get(FLAG))))
    for resource in load_package(root).resources:
        present = tuple(
            c for c in codes
            if all(c in (resource.descriptor.get(k) or {}) for k in DATASET_TEXTS)
            and all(c in (f.get("titles") or {}) for f in resource.fields)
        )
        items.append(Item("dataset", resource.name, present))
    for lang in langs:
        path = root / "site" / "i18n" / f"{lang.code}.yml"
        items.append(Item("ui-strings", str(path.relative_to(root)), (lang.code,) if path.is_file() else ()))
    return items


def missing_translations(root: Path) -> list[str]:
    langs = languages(root)
    problems = []
    for item in status(root):
        if item.kind in ("ui-strings", "campaign", "publication"):
            continue  # UI strings below; campaigns and publications are checked, field by field, by their own modules
        if item.only_language:
            continue
        for lang in langs:
            if lang.code in item.languages:
                continue
            if item.kind == "page":
                twin = localized_name(root / item.name, lang, ".md")
                problems.append(f"{twin.relative_to(root)}: missing {lang.name} translation of {item.name}.")
            elif item.kind == "dataset":
                problems.append(f"data/datapackage.yaml: dataset `{item.name}` lacks its {lang.name} ({lang.code}) titles or descriptions.")
    problems += _missing_ui_strings(root, langs)
    return problems


def _missing_ui_strings(root: Path, langs) -> list[str]:
    problems = []
    reference = None
    for lang in langs:
        path = root / "site" / "i18n" / f"{lang.code}.yml"
        if not path.is_file():
            problems.append(f"{path.relative_to(root)}: missing UI strings for {lang.name}. Copy site/i18n/en.yml and translate it.")
            continue
        keys = _keys(strings(root, lang.code).data)
        if reference is None:
            reference = (path, keys)
            continue
        for key in sorted(reference[1] - keys):
            problems.append(f"{path.relative_to(root)}: missing UI string `{key}` (present in {reference[0].name}).")
        for key in sorted(keys - reference[1]):
            problems.append(f"{reference[0].relative_to(root)}: missing UI string `{key}` (present in {path.name}).")
    return problems


def status_page(root: Path, lang: Language) -> str:
    """The translation status page in `lang`: every item and the languages it exists in."""
    s = strings(root, lang.code)
    langs = languages(root)
    # unlisted: kept out of search, of the sitemaps and of search engines (a page for maintainers)
    lines = ["---", f"title: {s['translations.title']}", "unlisted: true", "search:", "  exclude: true", "---", "",
             f"# {s['translations.title']}", "", s["translations.intro"], ""]
    lines.append(f"| {s['translations.kind']} | {s['translations.item']} | " + " | ".join(x.name for x in langs) + " |")
    lines.append("|---|---|" + "|".join(":-:" for _ in langs) + "|")
    for item in status(root):
        marks = []
        for other in langs:
            if other.code in item.languages:
                marks.append("✓")
            elif item.only_language:
                marks.append(s["translations.not_planned"])
            else:
                marks.append(s["translations.missing"])
        lines.append(f"| {s[f'translations.kinds.{item.kind}']} | `{item.name}` | " + " | ".join(marks) + " |")
    lines.append("")
    return "\n".join(lines)
