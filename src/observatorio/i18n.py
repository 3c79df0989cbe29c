"""Languages and UI strings: one place per language, read from the project's configuration.

The list of languages is the `languages` list of the i18n plugin in mkdocs.yml; the UI strings
and number formats of each language are in `site/i18n/<code>.yml`. Adding a language is a
configuration change plus one strings file, never a code change.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

import babel
import babel.dates

from .errors import UserError
from .safe_read import TolerantLoader, read_yaml, read_yaml_document


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    default: bool

    def prefix(self) -> str:
        """URL prefix of this language's pages: '' for the default language, 'en/' for English."""
        return "" if self.default else f"{self.code}/"


def read_mkdocs_config(root: Path) -> dict:
    """mkdocs.yml, its project keys checked against `schemas/mkdocs.schema.json` (Python tags kept as plain values)."""
    return read_yaml(Path(root) / "mkdocs.yml", root, "mkdocs", TolerantLoader) or {}


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
    default = default_language(root).code
    reference = None if code == default else _strings(root, default)
    return _read_strings(path, path.stat().st_mtime_ns, root, json.dumps(reference, sort_keys=True, default=str))


@functools.lru_cache(maxsize=16)
def _read_strings(path: Path, _mtime: int, root: Path, reference: str) -> dict:
    """One strings file, checked against the i18n schema and, for a translation, against the keys
    of the default language's file (an unknown key is refused with the closest one suggested)."""
    document = read_yaml_document(path, root, "i18n")
    if not isinstance(document.data, dict):
        raise UserError(f"{path.relative_to(root)}: must be a mapping of keys to texts.")
    keys = json.loads(reference)
    if keys is not None:
        from .schemas import validate_keys

        validate_keys("i18n", keys, document, path.relative_to(root).as_posix())
    return document.data


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

    @functools.cached_property
    def locale(self) -> babel.Locale:
        """The language's CLDR locale (`locale:` in its strings file), for dates, ordinals and plurals."""
        name = str(self["locale"])
        try:
            return babel.Locale.parse(name)
        except (ValueError, babel.UnknownLocaleError):
            raise UserError(f"{self.path}: `locale: {name}` is not a locale Babel knows; write a CLDR locale such as pt_PT or en_GB.") from None

    def long_date(self, value) -> str:
        """The one way a date is written in this language: `15 de janeiro de 2026`, `15 January 2026`.

        Anything that is not a date or an ISO date (`YYYY-MM-DD`) is returned as it is written.
        """
        day = parse_date(value)
        return babel.dates.format_date(day, "long", locale=self.locale) if day else str(value or "")

    def ordinal(self, number: int) -> str:
        """`2.º`, `2nd`, `2e`: the `ordinal` pattern of the number's CLDR ordinal category (`other` as the fallback)."""
        patterns = self["ordinal"]
        pattern = patterns.get(self.locale.ordinal_form(number), patterns.get("other")) if isinstance(patterns, dict) else None
        if pattern is None:
            raise UserError(f"{self.path}: `ordinal` must map CLDR ordinal categories (at least `other`) to patterns such as \"{{n}}.º\".")
        return str(pattern).format(n=number)

    def plural(self, key: str, number: float) -> str:
        """The form of noun `plurals.<key>` for `number`, by the language's CLDR plural rules (`other` as the fallback)."""
        forms = self[f"plurals.{key}"]
        category = self.locale.plural_form(abs(number)) if float(number).is_integer() else "other"
        form = forms.get(category, forms.get("other")) if isinstance(forms, dict) else None
        if form is None:
            raise UserError(f"{self.path}: `plurals.{key}` must map CLDR plural categories (at least `other`) to words.")
        return str(form)


def parse_date(value) -> dt.date | None:
    """A date from a date, a datetime or an ISO `YYYY-MM-DD` text; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


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
