"""The profiles index per language: a table of every profile (filterable when JavaScript runs),
the countries ranked as origins and as destinations, and the countries left without a profile."""

from __future__ import annotations

import html
import unicodedata

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
    """The Markdown of `perfis/index[.<lang>].md`; `maps`: the world maps' figures, under the table."""
    e = html.escape
    up = "" if lang.default else "../"
    pdf_base = "" if lang.default else f"../../{FOLDER}/"
    ordered = sorted(profiles, key=lambda p: sort_key(p.name))

    def figure(p: model.Profile, role: str) -> str:
        found = latest(p, role)
        if found is None:
            return "–"
        return e(s.format("profiles.value_year", value=s.number(found[0]), year=found[1]))

    rows = []
    for p in ordered:
        words = " ".join([*p.names.values(), p.iso3])
        rows.append(
            f'<tr data-search="{e(words)}"><th scope="row"><a href="{slug(p.iso3)}/">{e(p.name)}</a></th>'
            f"<td>{p.iso3}</td><td>{figure(p, model.ORIGIN)}</td><td>{figure(p, model.DESTINATION)}</td>"
            f'<td><a href="{pdf_base}{slug(p.iso3)}/{pdf_name(p.iso3, lang.code)}" aria-label="{e(str(s["profiles.pdf"]))}: {e(p.name)}">'
            f'{e(str(s["profiles.pdf"]))}</a></td></tr>'
        )
    lines = [
        "---", f"title: {s['profiles.title']}",
        "search:", "  boost: 0.5",  # as the profiles: its country list and maps match most data words; the datasets come first
        "---", "",
        f"# {s['profiles.title']}", "",
        str(s["profiles.intro"]), "",
        s.format("profiles.count", profiles=len(profiles)), "",
        '<div class="obs-profile-filter" hidden>',
        f'<label for="obs-profile-filter" style="font-weight:600">{e(str(s["profiles.filter_label"]))}</label>',
        f'<input type="search" id="obs-profile-filter" placeholder="{e(str(s["profiles.filter_placeholder"]))}" autocomplete="off" style="{INPUT_STYLE}">',
        f'<p class="obs-profile-none" role="status" hidden>{e(str(s["profiles.filter_none"]))}</p>',
        "</div>",
        # shown before the table is laid out: unhiding it later would lay the long table out a second time
        f'<script src="{up}../assets/javascripts/{SHOW_SCRIPT}"></script>', "",
        '<table id="obs-profiles" class="obs-table">',  # a class: Material's script leaves it alone (see observatorio.css)
        f"<caption>{e(s.format('profiles.table_caption', source=sources_of(profiles)))}</caption>",
        "<thead><tr>"
        + "".join(f'<th scope="col">{e(str(s[k]))}</th>' for k in ("profiles.country", "profiles.code", "profiles.immigrants", "profiles.emigrants", "profiles.pdf"))
        + "</tr></thead>",
        "<tbody>", *rows, "</tbody>", "</table>", "",
    ]
    if maps:
        lines += [maps, ""]
    for role, heading in ((model.ORIGIN, "profiles.immigrants"), (model.DESTINATION, "profiles.emigrants")):
        ranked = sorted((p for p in profiles if latest(p, role)), key=lambda p: (-latest(p, role)[0], sort_key(p.name)))
        if not ranked:
            continue
        source = (ranked[0].origin if role == model.ORIGIN else ranked[0].destination).source_short
        lines += [f"## {s[heading]}", "", s.format("profiles.ranked_source", source=source), ""]
        lines += ["| # | " + str(s["profiles.country"]) + " | " + str(s["charts.persons"]) + " | " + str(s["common.year"]) + " |",
                  "|--:|:--|--:|--:|"]
        for p in ranked:
            series = p.origin if role == model.ORIGIN else p.destination
            lines.append(f"| {series.rank} | [{md_text(p.name)}]({slug(p.iso3)}/index.md) | {s.number(series.last)} | {series.last_year} |")
        lines.append("")
    lines += [f"## {s['profiles.not_profiled']}", ""]
    if excluded:
        lines += [str(s["profiles.not_profiled_intro"]), "",
                  f"| {s['profiles.country']} | {s['profiles.code']} | {s['profiles.reason']} |", "|:--|:--|:--|"]
        for candidate in sorted(excluded, key=lambda c: sort_key(c.names.get(lang.code, c.iso3))):
            lines.append(f"| {md_text(candidate.names.get(lang.code, candidate.iso3))} | {candidate.iso3} | {reason(candidate, s, minimum, dataset_titles)} |")
    else:
        lines.append(str(s["profiles.none_excluded"]))
    lines += ["", f'<script src="{up}../assets/javascripts/{SCRIPT}" defer></script>', ""]
    return "\n".join(lines)


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
