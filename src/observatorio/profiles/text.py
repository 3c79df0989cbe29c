"""Small text helpers for the profile template: Markdown clean-up, dataset texts, national figures."""

from __future__ import annotations

import textwrap

from ..data import load_package
from ..i18n import strings
from ..markup import md_text
from .model import Other, root_of


def clean(value: str) -> str:
    """Markdown written inside an indented f-string, without the indentation and outer blank lines."""
    return textwrap.dedent(value).strip("\n") + "\n"


class Writer:
    """Texts of one language for a profile, from the data catalogue and `site/i18n/<lang>.yml`."""

    def __init__(self, lang: str, root=None):
        self.lang = lang
        self.root = root_of(root)
        self.s = strings(self.root, lang)
        self.package = load_package(self.root)

    def dataset_title(self, name: str) -> str:
        return md_text(self.package.resource(name).title(self.lang))

    def definition(self, name: str) -> str:
        definitions = self.package.resource(name).descriptor.get("definitions") or {}
        return md_text(definitions.get(self.lang, ""))

    def indicator(self, code: str) -> str:
        labels = self.s["profiles.indicators"]
        return str(labels.get(code, code)) if isinstance(labels, dict) else code

    def value(self, other: Other) -> str:
        if other.unit.startswith("percent"):
            return self.s.percent(other.value, 1)
        return self.s.number(other.value, 0)

    def other_table(self, others: list[Other], titles: list[str]):
        """The national figures as a DataFrame (indicator, year, value, source), shown as every table is (`observatorio.tables`)."""
        import pandas as pd

        undated = str(self.s["profiles.undated"])
        rows = [[self.indicator(x.indicator), x.year if x.year is not None else undated, self.value(x), x.source] for x in others]
        return pd.DataFrame(rows, columns=titles)

    def ordinal(self, number: int) -> str:
        """`1.º` (pt), `1st` (en): the language's `ordinal` patterns (site/i18n/<code>.yml)."""
        return self.s.ordinal(number)

    def people(self, value: float) -> str:
        """The noun for a number of people: `pessoa`/`pessoas`, `person`/`people` (`plurals.person`)."""
        return self.s.plural("person", value)
