"""Languages and UI strings: one place per language, read from the project's configuration.

The list of languages is the `languages` list of the i18n plugin in mkdocs.yml; the UI strings
and number formats of each language are in `site/i18n/<code>.yml`. Adding a language is a
configuration change plus one strings file, never a code change.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import UserError
from .files import SafeLoader, load_yaml


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    default: bool

    def prefix(self) -> str:
        """URL prefix of this language's pages: '' for the default language, 'en/' for English."""
        return "" if self.default else f"{self.code}/"


class _TolerantLoader(SafeLoader):
    """Reads mkdocs.yml, skipping its Python-specific tags (!!python/name, !ENV)."""


def _ignore_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("", _ignore_tag)


def read_mkdocs_config(root: Path) -> dict:
    path = root / "mkdocs.yml"
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML: {exc}") from None


@functools.lru_cache(maxsize=8)
def _languages(root: Path) -> tuple[Language, ...]:
    config = read_mkdocs_config(root)
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            entries = (plugin["i18n"] or {}).get("languages") or []
            langs = tuple(
                Language(str(e["locale"]), str(e.get("name", e["locale"])), bool(e.get("default", False)))
                for e in entries
            )
            if sum(lang.default for lang in langs) != 1:
                raise UserError(f"{root / 'mkdocs.yml'}: plugins.i18n.languages must mark exactly one language `default: true`.")
            return tuple(sorted(langs, key=lambda lang: not lang.default))
    raise UserError(f"{root / 'mkdocs.yml'}: no `i18n` plugin with a `languages` list found.")


def languages(root: Path) -> tuple[Language, ...]:
    """The site's languages, the default one first."""
    return _languages(Path(root).resolve())


def language_codes(root: Path) -> list[str]:
    return [lang.code for lang in languages(root)]


def page_language(path: Path, langs: tuple[Language, ...]) -> Language:
    """The language of a page from its suffix: `x.en.md` is English, `x.md` the default language."""
    suffixes = path.name.split(".")
    if len(suffixes) >= 3:
        for lang in langs:
            if suffixes[-2] == lang.code:
                return lang
    return langs[0]


def default_language(root: Path) -> Language:
    return languages(root)[0]


def _strings(root: Path, code: str) -> dict:
    path = root / "site" / "i18n" / f"{code}.yml"
    if not path.is_file():
        raise UserError(f"{path.relative_to(root)}: missing UI strings for language '{code}'. Copy site/i18n/en.yml and translate it.")
    return _read_strings(path, path.stat().st_mtime_ns, root)


@functools.lru_cache(maxsize=16)
def _read_strings(path: Path, _mtime: int, root: Path) -> dict:
    from .data import yaml_error

    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise yaml_error(path.relative_to(root), exc) from None
    if not isinstance(data, dict):
        raise UserError(f"{path.relative_to(root)}: must be a mapping of keys to texts.")
    return data


class Strings:
    """The UI strings of one language; a missing key is an error naming the file and key."""

    def __init__(self, root: Path, code: str):
        self.root = Path(root).resolve()
        self.code = code
        self.data = _strings(self.root, code)
        self.path = self.root / "site" / "i18n" / f"{code}.yml"

    def __getitem__(self, key: str) -> str:
        node = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise UserError(f"{self.path}: missing UI string `{key}`. Add it (see site/i18n/pt.yml for the full list).")
            node = node[part]
        return node

    def format(self, key: str, **values) -> str:
        return str(self[key]).format(**values)

    def number(self, value: float, decimals: int = 0) -> str:
        return format_number(value, self.number_style(), decimals)

    def percent(self, value: float, decimals: int = 1) -> str:
        return str(self["number.percent"]).format(self.number(value, decimals))

    def number_style(self) -> tuple[str, str]:
        return str(self["number.decimal"]), str(self["number.group"])

    def long_date(self, value) -> str:
        """The one way a date is written in this language: `15 de janeiro de 2026`, `15 January 2026`."""
        from .reports.pdf import (
            long_date,  # the month names of the UI strings; to be replaced by Babel's CLDR format
        )

        return long_date(value, self)


def strings(root: Path, code: str) -> Strings:
    return Strings(root, code)


def format_number(value: float, style: tuple[str, str], decimals: int = 0) -> str:
    """`value` with `decimals` decimals, the given decimal mark and thousands separator.

    >>> format_number(16515, (",", "\u00a0"))
    '16\u00a0515'
    >>> format_number(1234.56, (".", ","), 1)
    '1,234.6'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    decimal_mark, group = style
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", decimal_mark).replace("\x00", group)
