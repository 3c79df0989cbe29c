"""Checks on what the campaign's texts say: typed numbers, HTML tags and characters the font lacks.

These are the mistakes people really make when they copy a text from Word or a chat:
- a number typed by hand ("Mais de 4000 pessoas") has no source; numbers come from `{fact}` placeholders.
  The explicit exception: a year (four digits, 1900 to 2099) and a day of the month written next to
  a month name in the text's language ("18 de dezembro", "18 December", "December 18");
- an HTML tag (`<b>`, `<script>`) is escaped on the page but printed literally on the cards;
- an emoji, or any character the observatory's font has no drawing for, prints as an empty box on
  every card and poster (the font is the only one Typst is given, so nothing else could draw it).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import babel.dates

from ..fonts import WEB_FILES, font_dir
from ..i18n import Strings
from .model import MESSAGE_TEXTS, PLACEHOLDER, Campaign, Problem, Reader

HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
NUMBER = re.compile(r"\d+(?:[.,  ]\d+)*")
YEAR = re.compile(r"(?:19|20)\d\d")
IGNORABLE = {"\u200d", "\ufe0e", "\ufe0f", "\u00ad"}  # joiners and variation selectors: reported with the emoji they belong to


@functools.lru_cache(maxsize=1)
def printable() -> frozenset[int]:
    """Every character the cards' font (Source Sans Pro, the faces the templates use) can draw."""
    from fontTools.ttLib import TTFont

    found: set[int] = set()
    for name in WEB_FILES.values():
        with TTFont(font_dir() / name, lazy=True) as font:
            found |= set(font.getBestCmap())
    return frozenset(found)


def _texts(campaign: Campaign):
    """(field path, text) of everything printed on a card or poster."""
    for lang, text in campaign.name.items():
        yield f"name.{lang}", text
    for m in campaign.messages:
        for key in MESSAGE_TEXTS:
            for lang, text in getattr(m, key).items():
                yield f"messages[{m.index}].{key}.{lang}", text
        for lang, tags in m.hashtags.items():
            yield f"messages[{m.index}].hashtags.{lang}", " ".join(tags)
    for f in campaign.facts:
        for lang, text in f.label.items():
            yield f"facts[{f.index}].label.{lang}", text
    for lang, text in campaign.press_release.items():
        yield f"press_release.{lang}", text


def _numbers_texts(campaign: Campaign):
    """(field path, language, text) of the texts that must not hold typed numbers."""
    for m in campaign.messages:
        for key in MESSAGE_TEXTS:
            for lang, text in getattr(m, key).items():
                yield f"messages[{m.index}].{key}.{lang}", lang, text
    for f in campaign.facts:
        for lang, text in f.label.items():
            yield f"facts[{f.index}].label.{lang}", lang, text
    for lang, text in campaign.press_release.items():
        yield f"press_release.{lang}", lang, text


def allowed_number(text: str, match: re.Match, months: list[str]) -> bool:
    """A year (1900-2099), or a day of the month beside a month name: "18 de dezembro", "18 December", "December 18"."""
    token = match.group()
    if YEAR.fullmatch(token):
        return True
    if not token.isdigit() or not 1 <= int(token) <= 31:
        return False
    names = "|".join(re.escape(m) for m in months)
    after = re.match(rf"\s+(?:de\s+)?(?:{names})\b", text[match.end():], re.IGNORECASE)
    before = re.search(rf"\b(?:{names})\s+$", text[: match.start()], re.IGNORECASE)
    return bool(after or before)


def typed_numbers(text: str, months: list[str]) -> list[str]:
    """The numbers typed in `text` outside `{fact}` placeholders that the rule does not allow."""
    bare = PLACEHOLDER.sub(" ", text)
    return [m.group() for m in NUMBER.finditer(bare) if not allowed_number(bare, m, months)]


def month_names(s: Strings) -> list[str]:
    """The months as the language writes them ("dezembro", "December"), from CLDR."""
    return list(babel.dates.get_month_names("wide", locale=s.locale).values())


def describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"`{char}` (U+{ord(char):04X}{', ' + name.lower() if name else ''})"


def check_texts(campaign: Campaign, strings: dict[str, Strings]) -> list[Problem]:
    """Typed numbers, HTML tags and unprintable characters, each at its field and line."""
    r = Reader.of(campaign)
    for path, lang, text in _numbers_texts(campaign):
        found = typed_numbers(text, month_names(strings[lang]) if lang in strings else [])
        if found:
            shown = ", ".join(f"`{n}`" for n in dict.fromkeys(found))
            r.add(path, "typed_number", numbers=shown)
    for path, text in _texts(campaign):
        tags = HTML_TAG.findall(text)
        if tags:
            shown = ", ".join(f"`{t}`" for t in dict.fromkeys(tags))
            r.add(path, "html", tags=shown)
        missing = [c for c in dict.fromkeys(text) if ord(c) not in printable() and c not in IGNORABLE and not c.isspace()]
        if missing:
            shown = ", ".join(describe(c) for c in missing[:5])
            r.add(path, "unprintable", chars=shown)
    return r.problems
