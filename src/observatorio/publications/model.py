"""What a publication is, read from front matter alone: topics, required metadata, slugs, versions.

`collect(root)` reads `reports/_topics.yml` and the front matter of every `reports/<slug>/index[.<lang>].qmd`
(no cell runs), checks it and returns the publications newest first. Every mistake is a `UserError`
naming the file and the field: a missing title, date, type or abstract in a language, two
publications with one slug, a topic that `_topics.yml` does not declare.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..i18n import Language, languages
from ..reports.qmd import authors, check_front_matter, merge, read_front_matter
from ..reports.sources import SLUG, localized, shared_metadata
from ..safe_read import read_text, read_yaml

TOPICS_FILE = "reports/_topics.yml"
REQUIRED = ("title", "date", "type", "abstract")
TYPES = ("report", "brief")
# Catalogue pages live beside the publications: a publication may not take their names.
RESERVED = {"tipo", "ano", "tema", "figures"}


@dataclass(frozen=True)
class Topic:
    id: str
    labels: dict[str, str]

    def label(self, lang: str) -> str:
        return self.labels[lang]


@dataclass(frozen=True)
class Correction:
    date: dt.date
    text: str
    version: str | None = None


@dataclass
class Publication:
    """One publication in every language it exists in (front matter merged over `_metadata.yml`)."""

    slug: str
    folder: Path
    metas: dict[str, dict] = field(default_factory=dict)  # language code -> front matter
    paths: dict[str, Path] = field(default_factory=dict)
    topics: tuple[Topic, ...] = ()

    def langs(self) -> list[str]:
        return list(self.metas)

    def meta(self, lang: str) -> dict:
        """Front matter in `lang`, else in the main language (a publication in one language only)."""
        return self.metas.get(lang) or next(iter(self.metas.values()))

    def title(self, lang: str) -> str:
        return one_line(self.meta(lang)["title"])

    def subtitle(self, lang: str) -> str | None:
        value = self.meta(lang).get("subtitle")
        return one_line(value) if value else None

    def abstract(self, lang: str) -> str:
        return one_line(self.meta(lang)["abstract"])

    def date(self, lang: str | None = None) -> dt.date:
        return as_date(self.meta(lang or self.langs()[0])["date"])

    @property
    def type(self) -> str:
        return str(next(iter(self.metas.values()))["type"])

    def authors(self, lang: str) -> list[str]:
        return authors(self.meta(lang)) or []

    def keywords(self, lang: str) -> list[str]:
        return [str(k) for k in self.meta(lang).get("keywords") or []]

    @property
    def version(self) -> str:
        return str(next(iter(self.metas.values())).get("version", "1.0"))

    def corrections(self, lang: str) -> list[Correction]:
        found = []
        for item in self.meta(lang).get("corrections") or []:
            found.append(Correction(as_date(item["date"]), one_line(item["text"]), str(item["version"]) if item.get("version") else None))
        return sorted(found, key=lambda c: c.date, reverse=True)

    def updated(self, lang: str) -> dt.date:
        """The latest of the publication date and its corrections' dates."""
        return max([self.date(lang), *(c.date for c in self.corrections(lang))])

    def datasets_declared(self) -> list[str]:
        return [str(d) for d in next(iter(self.metas.values())).get("datasets") or []]


def one_line(value) -> str:
    return " ".join(str(value).split())


def as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def load_topics(root: Path, langs: tuple[Language, ...] | None = None) -> dict[str, Topic]:
    """`reports/_topics.yml`: topic id -> labels in every site language."""
    langs = langs or languages(root)
    path = root / TOPICS_FILE
    if not path.is_file():
        return {}
    data = read_yaml(path, root, "topics") or {}
    if not isinstance(data, dict):
        raise UserError(f"{TOPICS_FILE}: write one topic per line, `id: {{pt: Rótulo, en: Label}}`.")
    topics = {}
    for ident, labels in data.items():
        ident = str(ident)
        if not SLUG.match(ident):
            raise UserError(f"{TOPICS_FILE}: topic id `{ident}` is used in page addresses; use lowercase letters, digits and hyphens.")
        if not isinstance(labels, dict):
            raise UserError(f"{TOPICS_FILE}: topic `{ident}` needs a label per language, e.g. `{ident}: {{pt: …, en: …}}`.")
        for lang in langs:
            if not str(labels.get(lang.code) or "").strip():
                raise UserError(f"{TOPICS_FILE}: topic `{ident}` has no label in {lang.name} (`{lang.code}:`).")
        topics[ident] = Topic(ident, {lang.code: one_line(labels[lang.code]) for lang in langs})
    return topics


def _relative(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_meta(root: Path, path: Path, shared: dict) -> dict:
    relative, text = Path(_relative(root, path)), read_text(path, root).replace("\r\n", "\n")
    own, _ = read_front_matter(relative, text)
    check_front_matter(relative, own, text)
    return merge(shared, own)


def check_meta(root: Path, path: Path, meta: dict, lang: Language, topics: dict[str, Topic]) -> None:
    """Title, date, type and abstract present; date, type, topics, version and corrections well formed."""
    where = _relative(root, path)
    for key in REQUIRED:
        value = meta.get(key)
        if value is None or not str(value).strip():
            raise UserError(
                f"{where}: missing required field `{key}` ({lang.name}). "
                f"Every publication needs {', '.join(REQUIRED)} in the front matter of each language."
            )
    try:
        as_date(meta["date"])
    except ValueError:
        raise UserError(f"{where}: field `date` is `{meta['date']}`; write it as YYYY-MM-DD.") from None
    if str(meta["type"]) not in TYPES:
        raise UserError(f"{where}: field `type` is `{meta['type']}`; use one of: {', '.join(TYPES)}.")
    value = meta.get("topics") or []
    if not isinstance(value, list):
        raise UserError(f"{where}: field `topics` must be a list of topic ids, e.g. `topics: [remessas, diaspora]`.")
    for topic in value:
        if str(topic) not in topics:
            known = ", ".join(f"{t.id} ({t.label(lang.code)})" for t in topics.values()) or "none declared"
            raise UserError(f"{where}: field `topics`: unknown topic `{topic}`. Known topics (declared in {TOPICS_FILE}): {known}.")
    for number, item in enumerate(meta.get("corrections") or [], 1):
        if not isinstance(item, dict) or not item.get("date") or not str(item.get("text") or "").strip():
            raise UserError(f"{where}: field `corrections`, item {number}: write `- date: YYYY-MM-DD` and `text: what was corrected`.")
        try:
            as_date(item["date"])
        except ValueError:
            raise UserError(f"{where}: field `corrections`, item {number}: date `{item['date']}` is not YYYY-MM-DD.") from None
    datasets = meta.get("datasets") or []
    if not isinstance(datasets, list):
        raise UserError(f"{where}: field `datasets` must be a list of dataset names from data/datapackage.yaml.")


def declared_slug(meta: dict, folder: Path) -> str:
    return str(meta.get("slug") or folder.name)


def collect(root: Path, langs: tuple[Language, ...] | None = None, folder: Path | None = None) -> list[Publication]:
    """Every publication under `reports/`, checked, newest first (then by slug)."""
    root = Path(root).resolve()
    langs = langs or languages(root)
    base = folder or root / "reports"
    if not base.is_dir():
        return []
    topics = load_topics(root, langs)
    shared = shared_metadata(root)
    found: dict[str, Publication] = {}
    for directory in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        main = directory / "index.qmd"
        if not main.is_file():
            continue
        first = read_meta(root, main, shared)
        slug = declared_slug(first, directory)
        where = _relative(root, main)
        if not SLUG.match(slug):
            raise UserError(f"{where}: field `slug` is `{slug}`; a slug is the page address: lowercase letters, digits and hyphens.")
        if slug in RESERVED:
            raise UserError(f"{where}: the slug `{slug}` is taken by the publications catalogue ({', '.join(sorted(RESERVED))}); choose another.")
        if slug in found:
            other = _relative(root, found[slug].folder)
            raise UserError(f"{where}: duplicate slug `{slug}`: {other}/ already uses it. Give one of them another `slug:` or folder name.")
        publication = Publication(slug, directory)
        for lang in langs:
            path = localized(directory, "index", ".qmd", lang)
            if not path.is_file():
                continue  # a missing translation is reported by reports.sources
            meta = first if path == main else read_meta(root, path, shared)
            check_meta(root, path, meta, lang, topics)
            if path != main and meta.get("slug") and str(meta["slug"]) != slug:
                raise UserError(f"{_relative(root, path)}: field `slug` is `{meta['slug']}`, but index.qmd says `{slug}`; a publication has one slug.")
            publication.metas[lang.code] = meta
            publication.paths[lang.code] = path
        types = {str(m["type"]) for m in publication.metas.values()}
        if len(types) > 1:
            raise UserError(f"{where}: field `type` differs between languages ({', '.join(sorted(types))}); a publication has one type.")
        ids = [str(t) for t in first.get("topics") or []]
        publication.topics = tuple(topics[i] for i in ids)
        found[slug] = publication
    return sorted(found.values(), key=lambda p: (p.date(), p.slug), reverse=True)
