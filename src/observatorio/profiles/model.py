"""The facts of a country profile, computed from the datasets (no prose: the template writes that).

Two series can describe a country: the immigrants born in it who live in Cabo Verde
(`immigrant_stock_by_origin`) and the Cabo Verdeans who live in it (`emigrant_stock_by_destination`,
without the world aggregate). A country gets a profile when at least one of its series has
`min_observations` values (see `profiles/series_notes.yml`); every other country found in those
datasets is listed with the reason it has none.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..data import load_package, load_resource
from ..errors import UserError
from ..i18n import language_codes
from ..paths import project_root
from ..safe_read import read_text, read_yaml

ORIGIN, DESTINATION = "origin", "destination"
ROLES = (ORIGIN, DESTINATION)
DATASETS = {ORIGIN: "immigrant_stock_by_origin", DESTINATION: "emigrant_stock_by_destination"}
COLUMNS = {ORIGIN: "origin_iso3", DESTINATION: "destination_iso3"}
NOTES_FILE = Path("profiles") / "series_notes.yml"
TEMPLATE_DIR = Path("profiles") / "_template"


@dataclass
class Series:
    """One country's series in one dataset: values by year, rank, comparison and caveats."""

    role: str
    dataset: str
    points: list[tuple[int, float]]  # (year, value), oldest first, no missing values
    source: str = ""  # "publisher, title (year)"
    source_short: str = ""
    rank: int | None = None
    ranked: int = 0  # how many countries have a value in the last year
    total: float | None = None  # the total this series is compared with (same edition, same year)
    total_kind: str = ""  # "immigrant_stock" | "listed_destinations"
    world_2020: float | None = None  # destinations: the 2020 edition's world total (context only)
    breaks: list[tuple[int, float, int, float]] = field(default_factory=list)  # (year, value, next year, next value)
    small: list[tuple[int, float]] = field(default_factory=list)  # values below the modelled threshold
    minimum: int = 2  # observations needed for a trend (series_notes.yml)

    @property
    def eligible(self) -> bool:
        return len(self.points) >= self.minimum

    @property
    def first_year(self) -> int:
        return self.points[0][0]

    @property
    def first(self) -> float:
        return self.points[0][1]

    @property
    def last_year(self) -> int:
        return self.points[-1][0]

    @property
    def last(self) -> float:
        return self.points[-1][1]

    @property
    def peak_year(self) -> int:
        return max(self.points, key=lambda p: (p[1], p[0]))[0]

    @property
    def peak(self) -> float:
        return max(value for _, value in self.points)

    @property
    def share(self) -> float | None:
        """The last value as a percentage of `total` (a computation of the Observatory)."""
        return self.last / self.total * 100 if self.total else None

    def frame(self, year: str = "year", value: str = "value", country: tuple[str, str] | None = None) -> pd.DataFrame:
        """The series as a table with plain types (whole numbers stay whole); `country`: (column, name) to add."""
        whole = all(float(v).is_integer() for _, v in self.points)
        table = pd.DataFrame([(y, int(v) if whole else v) for y, v in self.points], columns=[year, value])
        if country:
            table.insert(1, country[0], country[1])
        return table


@dataclass
class Other:
    """A related figure from a national source (census, survey, permits) for context."""

    dataset: str
    indicator: str
    year: int | None
    value: float
    unit: str
    source: str


@dataclass
class Profile:
    iso3: str
    lang: str
    name: str  # in `lang`
    names: dict[str, str]  # every language
    origin: Series | None
    destination: Series | None
    not_reported_separately: bool  # a destination the UN table lists under "Other"
    others: list[Other]
    publications: list[tuple[str, str]]  # (slug, title in `lang`)
    datasets: list[tuple[str, str]]  # (name, title in `lang`)

    @property
    def series(self) -> list[Series]:
        return [s for s in (self.origin, self.destination) if s is not None and s.eligible]

    @property
    def map_shown(self) -> str | None:
        """The one world map of the profile (`observatorio.maps`; each costs a drawing and room in the PDF):
        the direction where the country weighs most, its share of the immigrants in Cabo Verde (`immigrants`)
        or of the Cabo Verdean emigrants counted by destination (`emigrants`); the immigrants' map on a tie."""
        shown = [(which, s) for which, s in (("immigrants", self.origin), ("emigrants", self.destination)) if s is not None and s.eligible]
        return max(shown, key=lambda pair: pair[1].share or 0)[0] if shown else None


@dataclass(frozen=True)
class Candidate:
    """A country found in the profile datasets, with its observations per role."""

    iso3: str
    names: dict[str, str]
    observations: dict[str, list[int]]  # role -> years with a value

    def eligible(self, minimum: int) -> bool:
        return any(len(years) >= minimum for years in self.observations.values())


# -- inputs -----------------------------------------------------------------------------------------


def stamp(root: Path, *names: str) -> tuple:
    """(modification time, size) of each resource's file: cache keys that change with the data."""
    package = load_package(root)
    return tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in (package.resource(n).path for n in names))


def load(name: str, root: Path | None) -> pd.DataFrame:
    """`load_resource`, kept in memory while the file is unchanged (one kernel runs every profile).

    Shared between callers: filter it, never change it in place.
    """
    root = root_of(root)
    return _load(root, name, stamp(root, name))


@functools.lru_cache(maxsize=32)
def _load(root: Path, name: str, _stamp: tuple) -> pd.DataFrame:
    return load_resource(name, root)


def root_of(root: Path | None) -> Path:
    return Path(root or project_root()).resolve()


def notes(root: Path | None) -> dict:
    """`profiles/series_notes.yml` of the project (defaults when it is absent)."""
    return _notes(root_of(root))


@functools.lru_cache(maxsize=4)
def _notes(root: Path) -> dict:
    path = root / NOTES_FILE
    found = {}
    if path.is_file():
        found = read_yaml(path, root, "series-notes") or {}
    result = {"min_observations": 2, "modelled_below": 100, "breaks": [], "not_reported_separately": {}}
    result.update(found)
    if not isinstance(result["min_observations"], int) or result["min_observations"] < 1:
        raise UserError(f"{NOTES_FILE}: `min_observations` must be a whole number of at least 1.")
    return result


def country_names(root: Path | None = None) -> dict[str, dict[str, str]]:
    """ISO3 → {"pt": …, "en": …, "aggregate": …} from the `countries` dataset (the one country-name table).

    Each site language has a column `name_<code>`; a language without one is an error saying what to add.
    """
    root = root_of(root)
    return _country_names(root, stamp(root, "countries"))


@functools.lru_cache(maxsize=4)
def _country_names(root: Path, _stamp: tuple) -> dict[str, dict[str, str]]:
    countries = load("countries", root)
    codes = language_codes(root)
    missing = [code for code in codes if f"name_{code}" not in countries.columns]
    if missing:
        path = load_package(root).resource("countries").path.relative_to(root)
        columns = ", ".join(f"name_{code}" for code in missing)
        raise UserError(f"{path}: no column {columns}. Add the country names in that language as a column, "
                        "and describe it in data/datapackage.yaml (resource `countries`).")
    names = {}
    for row in countries.to_dict("records"):
        names[str(row["iso3"])] = {code: str(row[f"name_{code}"]) for code in codes} | {"aggregate": bool(row["is_aggregate"])}
    return names


def rows(root: Path | None, role: str) -> pd.DataFrame:
    """The rows of a role's dataset that describe countries (both sexes, no aggregates, a value)."""
    root = root_of(root)
    return _rows(root, role, stamp(root, DATASETS[role], "countries"))


@functools.lru_cache(maxsize=8)
def _rows(root: Path, role: str, _stamp: tuple) -> pd.DataFrame:
    frame = load(DATASETS[role], root)
    if role == DESTINATION:
        frame = frame[frame["indicator"] == "emigrant_stock_by_destination"]
    if "sex" in frame.columns:
        frame = frame[frame["sex"] == "both"]
    names = country_names(root)
    column = COLUMNS[role]
    frame = frame[frame["value"].notna()]
    frame = frame[frame[column].map(lambda code: not names.get(str(code), {}).get("aggregate", False))]
    return frame


def candidates(root: Path | None = None) -> list[Candidate]:
    """Every country in the profile datasets with the years it has values for, by role; sorted by code."""
    names = country_names(root)
    found: dict[str, dict[str, list[int]]] = {}
    for role in ROLES:
        frame = rows(root, role)
        for code, group in frame.groupby(COLUMNS[role]):
            found.setdefault(str(code), {})[role] = sorted(int(y) for y in group["year"])
    result = []
    for code in sorted(found):
        if code not in names:
            raise UserError(f"data: country code `{code}` is not in the `countries` dataset (data/raw/countries.csv); add it there.")
        result.append(Candidate(code, {k: v for k, v in names[code].items() if k != "aggregate"}, found[code]))
    return result


# -- one profile ------------------------------------------------------------------------------------


def profile(iso3: str, lang: str, root: Path | None = None) -> Profile:
    """The facts of the profile of `iso3` in `lang`."""
    root = root_of(root)
    names = country_names(root)
    if iso3 not in names:
        raise UserError(f"profile parameter iso3={iso3!r}: not a code of the `countries` dataset.")
    if lang not in language_codes(root):
        raise UserError(f"profile parameter lang={lang!r}: not a language of the site ({', '.join(language_codes(root))}); "
                        "add it to the i18n plugin's languages in mkdocs.yml.")
    settings = notes(root)
    origin = series(root, ORIGIN, iso3, settings)
    destination = series(root, DESTINATION, iso3, settings)
    missing = settings.get("not_reported_separately") or {}
    package = load_package(root)
    datasets = [DATASETS[role] for role, s in ((ORIGIN, origin), (DESTINATION, destination)) if s is not None]
    others = other_figures(root, iso3)
    datasets += sorted({o.dataset for o in others} - set(datasets))
    not_reported = destination is None and iso3 in (missing.get("iso3") or [])
    if not_reported and DATASETS[DESTINATION] not in datasets:
        datasets.append(DATASETS[DESTINATION])
    return Profile(
        iso3=iso3, lang=lang, name=names[iso3][lang], names={k: v for k, v in names[iso3].items() if k != "aggregate"},
        origin=origin, destination=destination, not_reported_separately=not_reported, others=others,
        publications=publications(root, lang).get(iso3, []),
        datasets=[(name, package.resource(name).title(lang)) for name in datasets],
    )


def series(root: Path, role: str, iso3: str, settings: dict) -> Series | None:
    base = role_series(root, role).get(iso3)
    if base is None:
        return None
    points, source, source_short, rank, ranked, last_year, listed_total = base
    found = Series(role=role, dataset=DATASETS[role], points=list(points), source=source, source_short=source_short,
                   rank=rank, ranked=ranked, minimum=settings["min_observations"])
    if role == ORIGIN:
        found.total, found.total_kind = immigrant_total(root, last_year), "immigrant_stock"
        threshold = settings["modelled_below"]
        found.small = [(year, value) for year, value in points if value < threshold]
    else:
        found.total, found.total_kind = listed_total, "listed_destinations"
        found.world_2020 = world_total(root, 2020)
    for entry in settings.get("breaks") or []:
        if entry.get("dataset") == DATASETS[role] and entry.get("iso3") == iso3:
            values = dict(points)
            start, end = int(entry["from"]), int(entry["to"])
            if start in values and end in values:
                found.breaks.append((start, values[start], end, values[end]))
    return found


def role_series(root: Path, role: str) -> dict[str, tuple]:
    """Every country's series of one role, computed in one pass (the index and the kernel ask for all of them)."""
    return _role_series(root, role, stamp(root, DATASETS[role], "countries"))


@functools.lru_cache(maxsize=8)
def _role_series(root: Path, role: str, _stamp: tuple) -> dict[str, tuple]:
    """ISO3 → (points, source, short source, rank, how many ranked, last year, total of that year's rows)."""
    frame = rows(root, role).sort_values("year")
    column = COLUMNS[role]
    ranks: dict[tuple, tuple] = {}
    result = {}
    for code, own in frame.groupby(column, sort=True):
        last = own.iloc[-1]
        edition = last["edition"] if "edition" in own.columns else None
        key = (int(last["year"]), edition)
        if key not in ranks:
            same = frame[frame["year"] == key[0]]
            if edition is not None:
                same = same[same["edition"] == edition]
            ranks[key] = (same.set_index(column)["value"].rank(ascending=False, method="min"), float(same["value"].sum()))
        ranked, listed_total = ranks[key]
        points = tuple((int(y), float(v)) for y, v in zip(own["year"], own["value"]))
        result[str(code)] = (points, f"{last['source_publisher']}, {last['source_title']}", short_source(str(last["source_title"])),
                             int(ranked[code]), len(ranked), key[0], listed_total)
    return result


def short_source(title: str) -> str:
    """`International Migrant Stock 2024` from the full UN title."""
    return title.split(":")[0].strip()


def immigrant_total(root: Path, year: int) -> float | None:
    """The UN DESA 2024 edition's total migrant stock in Cabo Verde for `year` (the origins' own edition)."""
    return _immigrant_total(root, year, stamp(root, "immigrant_stock"))


@functools.lru_cache(maxsize=16)
def _immigrant_total(root: Path, year: int, _stamp: tuple) -> float | None:
    stock = load("immigrant_stock", root)
    rows_ = stock[(stock["indicator"] == "international_migrant_stock") & (stock["sex"] == "both") & (stock["year"] == year)]
    rows_ = rows_[rows_["edition"].str.startswith("2024")]
    return float(rows_["value"].iloc[0]) if len(rows_) else None


def world_total(root: Path, year: int) -> float | None:
    """The world total of Cabo Verde-born emigrants (2020 edition) for `year`."""
    return _world_total(root, year, stamp(root, DATASETS[DESTINATION]))


@functools.lru_cache(maxsize=16)
def _world_total(root: Path, year: int, _stamp: tuple) -> float | None:
    frame = load(DATASETS[DESTINATION], root)
    rows_ = frame[(frame["indicator"] == "emigrant_stock_total_world") & (frame["year"] == year)]
    return float(rows_["value"].iloc[0]) if len(rows_) else None


OTHER_SOURCES = (
    ("foreign_population_national_sources", "country_iso3", "reference_year"),
    ("diaspora_national_sources", "destination_iso3", "reference_year"),
)


def datasets_read(root: Path) -> list[str]:
    """The datasets the profiles are made from: a change to any other leaves every profile as it is."""
    known = {r.name for r in load_package(root).resources}
    wanted = ["countries", *DATASETS.values(), "immigrant_stock", *(name for name, _, _ in OTHER_SOURCES)]
    return [name for name in dict.fromkeys(wanted) if name in known]


def other_figures(root: Path, iso3: str) -> list[Other]:
    """National figures about the country: census, surveys, residence permits, ACS, IOM."""
    known = {r.name for r in load_package(root).resources}
    names = tuple(name for name, _, _ in OTHER_SOURCES if name in known)
    return list(_other_figures(root, stamp(root, *names)).get(iso3, []))


@functools.lru_cache(maxsize=4)
def _other_figures(root: Path, _stamp: tuple) -> dict[str, list[Other]]:
    found: dict[str, list[Other]] = {}
    known = {r.name for r in load_package(root).resources}
    for name, column, year_column in OTHER_SOURCES:
        if name not in known:
            continue
        frame = load(name, root)
        own = frame[frame[column].notna() & frame["value"].notna()]
        if "sex" in own.columns:
            own = own[own["sex"].isna() | (own["sex"] == "both")]
        for row in own.sort_values([year_column, "indicator"], na_position="first").itertuples(index=False):
            year = getattr(row, year_column)
            found.setdefault(str(getattr(row, column)), []).append(
                Other(name, str(row.indicator), None if pd.isna(year) else int(year), float(row.value), str(row.unit),
                      f"{row.source_publisher}, {row.source_title}"))
    return found


# -- publications that mention a country ------------------------------------------------------------


def publications(root: Path | None, lang: str) -> dict[str, list[tuple[str, str]]]:
    """ISO3 → [(slug, title)] of the publications whose `lang` source names the country or its code."""
    root = root_of(root)
    return _publications(root, lang, _report_stamp(root))


def _report_stamp(root: Path) -> tuple:
    folder = root / "reports"
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in folder.glob("*/*.qmd"))) if folder.is_dir() else ()


@functools.lru_cache(maxsize=8)
def _publications(root: Path, lang: str, _stamp: tuple) -> dict[str, list[tuple[str, str]]]:
    from ..i18n import languages
    from ..reports import sources
    from ..reports.qmd import read_front_matter

    names = {code: value[lang] for code, value in country_names(root).items() if not value["aggregate"]}
    by_name = {name: code for code, name in names.items()}
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True)) + r")(?![\w-])"
    )
    codes = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(sorted(names)) + r")(?![A-Za-z0-9_])")
    found: dict[str, list[tuple[str, str]]] = {}
    for source in sources.reports(root, languages(root)):
        if source.lang != lang:
            continue
        text = read_text(source.path, root)
        meta, _ = read_front_matter(source.path, text)
        if meta.get("draft"):
            continue  # not published, so nothing to link to
        title = str(meta.get("title", source.slug))
        mentioned = {by_name[m.group(1)] for m in pattern.finditer(text)} | {m.group(1) for m in codes.finditer(text)}
        for code in sorted(mentioned):
            found.setdefault(code, []).append((source.slug, title))
    return found
