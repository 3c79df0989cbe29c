"""Facts: every number on a campaign asset is one row of a dataset, with its source.

Disclosure control (`observatorio.disclosure`): a fact whose cell is suppressed (`<column>_suppressed`
true) prints the marker ("< 5") on the cards, posters, page and press kit, like tables and charts;
a fact may not quote microdata (a non-public dataset another one is `derived_from`), a count below
the threshold from a non-public dataset or an aggregate of one, a suppressed cell that still holds
a number, or a suppressed cell as a percentage.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import data, disclosure
from ..errors import UserError
from ..i18n import Strings
from .model import PLACEHOLDER, Campaign, Fact, Problem, Reader

MAX_LISTED_VALUES = 12


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    year: str
    url: str

    def line(self) -> str:
        """`Publisher, Title (year)` in full, as on the campaign page."""
        year = f" ({self.year})" if self.year else ""
        return f"{self.publisher}, {self.title}{year}" if self.publisher else f"{self.title}{year}"

    def short(self) -> str:
        """The line printed under a number on cards and posters: the same words, without
        parenthetical details, file names and with well-known publishers abbreviated."""
        publisher, title = _shorten(self.publisher), _shorten(self.title)
        year = f" ({self.year})" if self.year else ""
        return f"{publisher}, {title}{year}" if publisher else f"{title}{year}"


ABBREVIATIONS = {  # long name -> the short form printed on cards (the page shows the full name)
    "United Nations Department of Economic and Social Affairs": "UN DESA",
    "Instituto Nacional de Estatística de Cabo Verde": "INE Cabo Verde",
}


def _shorten(text: str) -> str:
    text = re.sub(r"\s*\([^()]*\)", "", text)  # "(POP/DB/MIG/Stock/Rev.2024)", "(2024)"
    text = re.split(r",\s*file\s", text)[0]  # ", file undesa_pd_2024_….xlsx"
    for long, short in ABBREVIATIONS.items():
        text = text.replace(long, short)
    return " ".join(text.split()).strip(" ,")


@dataclass(frozen=True)
class ResolvedFact:
    fact: Fact
    value: float
    dataset_title: dict  # lang -> title of the dataset
    source: Source
    suppressed: str = ""  # the disclosure marker ("< 5") when the cell is suppressed; `value` is then NaN

    def text(self, s: Strings) -> str:
        """The number as printed in the language of `s` (`16 515`, `3,1 %`, `3.1%`), or the marker
        (`< 5`) of a suppressed count."""
        if self.suppressed:
            return self.suppressed.replace(" ", "\u00a0")
        if self.fact.format == "percent":
            text = s.percent(self.value, self.fact.decimals)
        else:
            text = s.number(self.value, self.fact.decimals)
        return text.replace(" ", "\u00a0")  # "3,1 %" never breaks between number and sign


def resolve_facts(root: Path, campaign: Campaign) -> tuple[dict[str, ResolvedFact], list[Problem]]:
    """Look every fact up in the data; a fact that is not exactly one number is a problem."""
    r = Reader.of(campaign)
    resolved = {}
    frames: dict[str, pd.DataFrame] = {}
    package = None
    for fact in campaign.facts:
        p = f"facts[{fact.index}]"
        try:
            package = package or data.load_package(root)
            resource = package.resource(fact.dataset)
        except UserError:
            if package is None:
                raise
            known = ", ".join(res.name for res in package.resources)
            r.add(f"{p}.dataset", "unknown_dataset", dataset=fact.dataset, known=known)
            continue
        derived = _derived_from(package, resource)
        if derived:
            r.add(f"{p}.dataset", "microdata", dataset=fact.dataset, derived=derived)
            continue
        if fact.dataset not in frames:
            frames[fact.dataset] = data.load_resource(fact.dataset, root)
        frame = frames[fact.dataset]
        problem = _select(frame, fact, r)
        if isinstance(problem, tuple):
            r.add(f"{p}.{problem[0]}", problem[1], **problem[2])
            continue
        row = problem
        value = row[fact.column]
        flag = f"{fact.column}{disclosure.FLAG}"
        if flag in frame.columns and disclosure._true(row[flag]):
            limit = disclosure.threshold(package)
            if not disclosure._empty(value):
                r.add(f"{p}.column", "flagged", dataset=fact.dataset, flag=flag, value=value)
            elif fact.format == "percent":
                r.add(f"{p}.format", "suppressed_percent", column=fact.column, limit=limit, marker=disclosure.marker(limit))
            else:
                resolved[fact.id] = ResolvedFact(fact, math.nan, _titles(resource), _source(row, resource), disclosure.marker(limit))
            continue
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            r.add(f"{p}.column", "no_value", column=fact.column)
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            r.add(f"{p}.column", "not_number", column=fact.column, value=repr(value))
            continue
        small = _small_count(package, resource, fact.column, number, r)
        if small:
            r.add(f"{p}.column", "small_count", **small)
            continue
        resolved[fact.id] = ResolvedFact(fact, number, _titles(resource), _source(row, resource))
    return resolved, r.problems


def _derived_from(package, resource) -> str:
    """A dataset derived from non-public `resource` (which makes it microdata), or ""."""
    if resource.public:
        return ""
    return next((other.name for other in package.resources if other.descriptor.get("derived_from") == resource.name), "")


def _small_count(package, resource, column: str, number: float, r: Reader) -> dict:
    """The values of the message on a count below the threshold from non-public data, or {} when it may be printed."""
    source = resource.descriptor.get("derived_from")
    names = {res.name: res for res in package.resources}
    private = not resource.public or (source in names and not names[source].public)
    if not private or column not in disclosure.count_fields(resource):
        return {}
    limit = disclosure.threshold(package)
    if 0 < number < limit:
        what = r.say("non_public") if not resource.public else r.say("derived_private", source=source)
        return {"column": column, "number": f"{number:g}", "limit": limit, "what": what}
    return {}


def _matches(frame: pd.DataFrame, column: str, wanted) -> pd.Series:
    values = frame[column]
    if isinstance(wanted, bool):  # YAML `false` against a text column holding "false"
        wanted = str(wanted).lower()
    if pd.api.types.is_numeric_dtype(values) and not isinstance(wanted, bool):
        try:
            return (values.astype("Float64") == float(wanted)).fillna(False).astype(bool)
        except (TypeError, ValueError):
            return pd.Series(False, index=frame.index)
    return (values.astype("string") == str(wanted)).fillna(False).astype(bool)


def _select(frame: pd.DataFrame, fact: Fact, r: Reader):
    """The one row `fact.where` selects, or `(field path under the fact, message key, values)`."""
    columns = list(frame.columns)
    for key in fact.where:
        if key not in columns:
            return f"where.{key}", "not_column", {"key": key, "dataset": fact.dataset, "columns": ", ".join(columns)}
    if fact.column not in columns:
        return "column", "not_column", {"key": fact.column, "dataset": fact.dataset, "columns": ", ".join(columns)}
    mask = pd.Series(True, index=frame.index)
    for key, wanted in fact.where.items():
        step = mask & _matches(frame, key, wanted)
        if not step.any():
            found = sorted({str(v) for v in frame.loc[mask, key].dropna().unique()})
            shown = ", ".join(found[:MAX_LISTED_VALUES]) + (" …" if len(found) > MAX_LISTED_VALUES else "")
            which = "no_row_with" if len(mask) != mask.sum() else "no_row"
            return f"where.{key}", which, {"dataset": fact.dataset, "key": key, "wanted": repr(wanted), "values": shown or r.say("none")}
        mask = step
    rows = frame[mask]
    if len(rows) > 1:
        differing = [c for c in columns if c not in fact.where and c != fact.column and rows[c].astype("string").nunique(dropna=False) > 1]
        hints = "; ".join(
            f"{c}: {', '.join(sorted({str(v) for v in rows[c].tolist()}))}" for c in differing[:3]
        )
        return "where", "several_rows", {"n": len(rows), "hints": hints}
    return rows.iloc[0]


def _titles(resource) -> dict:
    return dict(resource.descriptor.get("titles") or {})


def _source(row: pd.Series, resource) -> Source:
    """The row's own source columns when the dataset has them, else the dataset's first source."""
    def cell(name):
        value = row.get(name)
        return "" if value is None or value is pd.NA else str(value).strip()

    if cell("source_title"):
        return Source(cell("source_title"), cell("source_publisher"), cell("source_year"), cell("source_url"))
    sources = resource.sources
    if sources:
        first = sources[0]
        return Source(str(first.get("title", "")), str(first.get("publisher", "")), str(first.get("date", ""))[:4], str(first.get("path", first.get("url", ""))))
    return Source(resource.name, "", "", "")


def fill(text: str, facts: dict[str, ResolvedFact], s: Strings) -> str:
    """`text` with each `{fact_id}` replaced by the formatted number."""
    return PLACEHOLDER.sub(lambda m: facts[m.group(1)].text(s) if m.group(1) in facts else m.group(0), text)


def facts_used(message, facts: dict[str, ResolvedFact]) -> list[ResolvedFact]:
    """The message's own fact, then those its texts quote, in order, without repeats."""
    ids = [message.fact] if message.fact else []
    for key in ("headline", "body", "call_to_action"):
        for text in getattr(message, key).values():
            ids += PLACEHOLDER.findall(text)
    seen, result = set(), []
    for fact_id in ids:
        if fact_id in facts and fact_id not in seen:
            seen.add(fact_id)
            result.append(facts[fact_id])
    return result
