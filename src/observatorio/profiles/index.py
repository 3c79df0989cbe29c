"""The profiles index per language: a table of every profile (filterable when JavaScript runs),
the countries ranked as origins and as destinations, and the countries left without a profile."""

from __future__ import annotations

import unicodedata

from .. import pages
from ..i18n import Language, Strings
from ..markup import md_text
from . import model
from .render import FOLDER, pdf_name, slug

SCRIPT = "observatorio-profiles.js"  # the filter box (site/assets/javascripts/)
INPUT_STYLE = "display:block;width:100%;max-width:28rem;margin:0.3rem 0 1rem;padding:0.4rem 0.6rem;border:1px solid #595959;border-radius:3px;font:inherit"


SHOW_SCRIPT = "observatorio-profiles-show.js"  # run right after the filter box, not deferred (see the file)


def sort_key(name: str) -> str:
    return unicodedata.normalize("NFD", name).encode("ascii", "ignore").decode().casefold()


def latest(profile: model.Profile, role: str) -> tuple[float, int] | None:
    series = profile.origin if role == model.ORIGIN else profile.destination
    if series is None or not series.eligible:
        return None
    return series.last, series.last_year


def page(lang: Language, langs: tuple[Language, ...], s: Strings, profiles: list[model.Profile],
         excluded: list[model.Candidate], minimum: int, dataset_titles: dict[str, str], maps: str = "") -> str:
    """The Markdown of `perfis/index[.<lang>].md` (template `profiles-index`); `maps`: the world maps' figures, under the table."""

    def figure(p: model.Profile, role: str) -> str:
        found = latest(p, role)
        return "–" if found is None else s.format("profiles.value_year", value=s.number(found[0]), year=found[1])

    rows = [{"name": p.name, "iso3": p.iso3, "slug": slug(p.iso3), "pdf": pdf_name(p.iso3, lang.code), "words": " ".join([*p.names.values(), p.iso3]),
             "origin": figure(p, model.ORIGIN), "destination": figure(p, model.DESTINATION)} for p in sorted(profiles, key=lambda p: sort_key(p.name))]
    rankings = []
    for role, heading in ((model.ORIGIN, "profiles.immigrants"), (model.DESTINATION, "profiles.emigrants")):
        ranked = sorted((p for p in profiles if latest(p, role)), key=lambda p: (-latest(p, role)[0], sort_key(p.name)))
        if ranked:
            series = [(p, p.origin if role == model.ORIGIN else p.destination) for p in ranked]
            rankings.append({"heading": heading, "source": series[0][1].source_short, "rows": [
                {"rank": x.rank, "name": p.name, "slug": slug(p.iso3), "value": s.number(x.last), "year": x.last_year} for p, x in series]})
    left_out = [{"name": c.names.get(lang.code, c.iso3), "iso3": c.iso3, "reason": reason(c, s, minimum, dataset_titles)}
                for c in sorted(excluded, key=lambda c: sort_key(c.names.get(lang.code, c.iso3)))]
    return pages.render("profiles-index", s=s, rows=rows, rankings=rankings, excluded=left_out, maps=maps, sources=sources_of(profiles),
                        up="" if lang.default else "../", pdf_base="" if lang.default else f"../../{FOLDER}/",
                        input_style=INPUT_STYLE, script=SCRIPT, show_script=SHOW_SCRIPT)


def sources_of(profiles: list[model.Profile]) -> str:
    """The editions the table's values come from (`International Migrant Stock 2024`)."""
    found = sorted({s.source_short for p in profiles for s in p.series})
    return ", ".join(found)


def reason(candidate: model.Candidate, s: Strings, minimum: int, dataset_titles: dict[str, str]) -> str:
    parts = []
    for role in model.ROLES:
        years = candidate.observations.get(role)
        if years is None:
            continue
        parts.append(s.format("profiles.reason_few", dataset=md_text(dataset_titles[model.DATASETS[role]]), count=len(years),
                              years=", ".join(str(y) for y in years), minimum=minimum))
    return " ".join(parts).replace("|", "\\|")
