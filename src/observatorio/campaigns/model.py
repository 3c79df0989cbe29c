"""Reading `campaigns/<slug>/campaign.yml` into a `Campaign`, collecting every problem on the way.

Nothing here raises on a mistake in the file: each check adds a `Problem` (file, field path, what to
do) to a list, so that one run reports everything that needs fixing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..files import SafeLoader, load_yaml

CAMPAIGNS = Path("campaigns")
FILENAME = "campaign.yml"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
FACT_ID = re.compile(r"^[a-z][a-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
STATUSES = ("draft", "published")
FORMATS = ("number", "percent")
TOP_KEYS = {"name", "summary", "dates", "status", "palette", "logo", "facts", "messages", "images"}
MESSAGE_TEXTS = ("headline", "body", "call_to_action")
IMAGE_TYPES = {".svg", ".png", ".jpg", ".jpeg"}
DEFAULT_LOGO = Path("site") / "assets" / "images" / "logo.svg"


@dataclass(frozen=True)
class Problem:
    """One thing to fix: `file` (relative to the project), `path` like `messages[2].headline.en`."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


@dataclass
class Fact:
    id: str
    dataset: str
    where: dict
    column: str
    format: str
    decimals: int
    label: dict  # lang -> text
    index: int


@dataclass
class Message:
    headline: dict
    body: dict
    call_to_action: dict
    hashtags: dict  # lang -> list of "#tag"
    fact: str | None
    index: int


@dataclass
class Image:
    file: str
    alt: dict
    licence: str
    credit: str
    index: int


@dataclass
class Campaign:
    slug: str
    folder: Path  # absolute
    file: str  # relative to the project, for messages
    source: bytes  # the YAML as read, for the cache key
    name: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    start: dt.date | None = None
    end: dt.date | None = None
    status: str = "draft"
    palette: dict = field(default_factory=dict)
    logo: Path | None = None  # relative to the project root
    facts: list[Fact] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    lines: dict = field(default_factory=dict)  # field path -> line in the file

    @property
    def published(self) -> bool:
        return self.status == "published"

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)


def campaign_folders(root: Path) -> list[Path]:
    """Every `campaigns/<slug>/` holding a campaign.yml, sorted by slug."""
    base = root / CAMPAIGNS
    if not base.is_dir():
        return []
    return sorted(p.parent for p in base.glob(f"*/{FILENAME}"))


# --- YAML with line numbers ---------------------------------------------------------------------


def _line_map(node, path: str = "", lines: dict | None = None) -> dict:
    """Field path -> 1-based line of the YAML node, to point staff at the right line."""
    lines = {} if lines is None else lines
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            lines[child] = key.start_mark.line + 1
            _line_map(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, f"{path}[{i}]", lines)
    return lines


class Reader:
    """Collects problems for one campaign file, with the line of each field path when known."""

    def __init__(self, file: str, lines: dict):
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        line = self.lines.get(path)
        parent = path
        while line is None and parent:  # a missing field: point at the nearest parent that exists
            shorter = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", parent)
            parent = "" if shorter == parent else shorter
            line = self.lines.get(parent) if parent else None
        self.problems.append(Problem(self.file, path, message, line))

    # typed getters: each returns None (and records a problem) when the value is unusable
    def text(self, value, path: str, what: str, required: bool = True) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(path, f"missing. Write {what} here.")
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(path, f"must be text. Write {what} as one line of text (put it in quotes if it has a colon).")
            return None
        return str(value).strip()

    def translated(self, value, path: str, what: str, langs: list[str], required: bool = True) -> dict:
        """A `{pt: …, en: …}` mapping with every language present."""
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            example = ", ".join(f"{lang}: …" for lang in langs)
            self.add(path, f"must give {what} in every language of the campaign, as {{{example}}}.")
            return {}
        result = {}
        for lang in langs:
            text = self.text(value.get(lang), f"{path}.{lang}", f"{what} in {LANGUAGE_NAMES.get(lang, lang)} ({lang})")
            if text is not None:
                result[lang] = text
        for extra in sorted(set(map(str, value)) - set(langs)):
            self.add(f"{path}.{extra}", f"`{extra}` is not a language of the site ({', '.join(langs)}). Remove it or fix the code.")
        return result


LANGUAGE_NAMES = {"pt": "Portuguese", "en": "English", "fr": "French", "kea": "Cabo Verdean Creole"}


def not_utf8(file: str, source: bytes, exc: UnicodeDecodeError) -> Problem:
    """The problem for a file that is not UTF-8: where the first odd character is, and how to save it right.

    Notepad and older Word exports save Windows-1252 ("ANSI"): the guess shows the character as
    that encoding would read it, so the person recognises the word.
    """
    line = source.count(b"\n", 0, exc.start) + 1
    guess = source[exc.start : exc.end].decode("cp1252", errors="replace")
    return Problem(
        file,
        "",
        f"not saved as UTF-8 (the character `{guess}` is in another encoding, probably Windows-1252/ANSI). "
        "Open the file and save it again as UTF-8: in Notepad, File > Save as > Encoding: UTF-8; "
        "in Word, Save as > Plain text > Unicode (UTF-8).",
        line,
    )


def read_campaign(root: Path, folder: Path, langs: list[str]) -> tuple[Campaign, list[Problem]]:
    """Parse and check the structure of one campaign file (data and layout are checked later)."""
    path = folder / FILENAME
    file = path.relative_to(root).as_posix()
    source = path.read_bytes()
    campaign = Campaign(slug=folder.name, folder=folder, file=file, source=source)
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as exc:
        return campaign, [not_utf8(file, source, exc)]
    try:
        node = yaml.compose(text, Loader=SafeLoader)
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return campaign, [Problem(file, "", f"not valid YAML ({problem}). Check the indentation and quotes there.", mark.line + 1 if mark else None)]
    r = Reader(file, _line_map(node) if node is not None else {})
    campaign.lines = r.lines
    if not SLUG.match(folder.name):
        r.add("", f"the folder name `{folder.name}` must be lowercase letters, digits and hyphens (e.g. `morabeza-2026`). Rename the folder.")
    if not isinstance(data, dict):
        r.add("", "must be a mapping of fields (name, dates, status, palette, messages, facts). Start again from `observatorio new campaign`.")
        return campaign, r.problems
    for key in sorted(set(map(str, data)) - TOP_KEYS):
        r.add(key, f"unknown field `{key}`. Known fields: {', '.join(sorted(TOP_KEYS))}. Check the spelling.")

    campaign.name = r.translated(data.get("name"), "name", "the campaign's name", langs)
    campaign.summary = r.translated(data.get("summary"), "summary", "a one-paragraph summary", langs, required=False)
    _read_dates(r, data.get("dates"), campaign)
    status = data.get("status")
    if status not in STATUSES:
        r.add("status", f"must be `draft` or `published` (found {status!r}). Use `draft` while you work, `published` to list it on the site.")
    else:
        campaign.status = status
    _read_palette(r, data.get("palette"), campaign)
    _read_logo(r, root, folder, data.get("logo"), campaign)
    _read_facts(r, data.get("facts"), campaign, langs)
    _read_messages(r, data.get("messages"), campaign, langs)
    _read_images(r, folder, data.get("images"), campaign, langs)
    return campaign, r.problems


def _read_dates(r: Reader, value, campaign: Campaign) -> None:
    if not isinstance(value, dict):
        r.add("dates", "missing. Give `start:` and `end:` dates as YYYY-MM-DD, e.g. `start: 2026-12-18`.")
        return
    for key in ("start", "end"):
        raw = value.get(key)
        if isinstance(raw, dt.datetime):
            raw = raw.date()
        if isinstance(raw, str):
            try:
                raw = dt.date.fromisoformat(raw.strip())
            except ValueError:
                pass
        if not isinstance(raw, dt.date):
            r.add(f"dates.{key}", f"must be a date written YYYY-MM-DD (found {raw!r}), e.g. `{key}: 2026-12-18`.")
        else:
            setattr(campaign, key, raw)
    if campaign.start and campaign.end and campaign.end < campaign.start:
        r.add("dates.end", f"{campaign.end} is before the start date {campaign.start}. Swap or correct the dates.")


def _read_palette(r: Reader, value, campaign: Campaign) -> None:
    if not isinstance(value, dict):
        r.add("palette", "missing. Give `background:`, `text:` and `accent:` colours as #RRGGBB, e.g. `background: \"#003893\"`.")
        return
    for key in ("background", "text", "accent"):
        colour = value.get(key)
        if not isinstance(colour, str) or not COLOUR.match(colour.strip()):
            r.add(f"palette.{key}", f"must be a colour written #RRGGBB in quotes (found {colour!r}), e.g. `{key}: \"#003893\"`.")
        else:
            campaign.palette[key] = normalise_colour(colour)
    for extra in sorted(set(map(str, value)) - {"background", "text", "accent"}):
        r.add(f"palette.{extra}", "unknown colour. The palette has exactly background, text and accent.")


def normalise_colour(colour: str) -> str:
    colour = colour.strip().lower()
    if len(colour) == 4:
        colour = "#" + "".join(c * 2 for c in colour[1:])
    return colour


def _inside(base: Path, candidate: Path) -> bool:
    try:
        candidate.resolve().relative_to(base.resolve())
        return True
    except ValueError:
        return False


def _read_logo(r: Reader, root: Path, folder: Path, value, campaign: Campaign) -> None:
    if value is None:
        if (root / DEFAULT_LOGO).is_file():
            campaign.logo = DEFAULT_LOGO
        return
    name = r.text(value, "logo", "the logo's file name (in the campaign folder)")
    if name is None:
        return
    path = folder / name
    if not _inside(folder, path) or not path.is_file():
        r.add("logo", f"file `{name}` not found in {folder.relative_to(root).as_posix()}/. Put the logo there or remove the `logo:` line to use the observatory's.")
    elif path.suffix.lower() not in IMAGE_TYPES:
        r.add("logo", f"`{name}` must be SVG, PNG or JPEG.")
    else:
        campaign.logo = path.relative_to(root)


def _read_facts(r: Reader, value, campaign: Campaign, langs: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        r.add("facts", "must be a list; start each fact with `- id:`.")
        return
    seen = set()
    for i, item in enumerate(value):
        p = f"facts[{i}]"
        if not isinstance(item, dict):
            r.add(p, "must be a mapping with id, dataset, where, column, format and label.")
            continue
        fact_id = r.text(item.get("id"), f"{p}.id", "a short name for the fact (lowercase_with_underscores)")
        if fact_id is not None and not FACT_ID.match(fact_id):
            r.add(f"{p}.id", f"`{fact_id}` must be lowercase letters, digits and underscores, starting with a letter (e.g. `immigrants_2024`).")
            fact_id = None
        if fact_id is not None and fact_id in seen:
            r.add(f"{p}.id", f"`{fact_id}` is used by another fact. Give each fact its own id.")
        seen.add(fact_id)
        dataset = r.text(item.get("dataset"), f"{p}.dataset", "the dataset's name (see data/datapackage.yaml)")
        where = item.get("where")
        if not isinstance(where, dict) or not where:
            r.add(f"{p}.where", "must select one row, e.g. `{indicator: international_migrant_stock, year: 2024, sex: both}`.")
            where = None
        column = r.text(item.get("column", "value"), f"{p}.column", "the column holding the number (usually `value`)")
        fmt = item.get("format", "number")
        if fmt not in FORMATS:
            r.add(f"{p}.format", f"must be `number` or `percent` (found {fmt!r}).")
        decimals = item.get("decimals", 1 if fmt == "percent" else 0)
        if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 3:
            r.add(f"{p}.decimals", f"must be a whole number from 0 to 3 (found {decimals!r}).")
            decimals = None
        label = r.translated(item.get("label"), f"{p}.label", "what the number counts (shown under it)", langs)
        if None not in (fact_id, dataset, where, column, decimals) and fmt in FORMATS:
            campaign.facts.append(Fact(fact_id, dataset, where, column, fmt, decimals, label, i))


def _read_messages(r: Reader, value, campaign: Campaign, langs: list[str]) -> None:
    if not isinstance(value, list) or not value:
        r.add("messages", "missing. Write at least one message (headline, body, call_to_action, hashtags).")
        return
    known = {f.id for f in campaign.facts}
    for i, item in enumerate(value):
        p = f"messages[{i}]"
        if not isinstance(item, dict):
            r.add(p, "must be a mapping with headline, body, call_to_action and hashtags.")
            continue
        for extra in sorted(set(map(str, item)) - {*MESSAGE_TEXTS, "hashtags", "fact"}):
            r.add(f"{p}.{extra}", f"unknown field `{extra}`. A message has headline, body, call_to_action, hashtags and fact.")
        texts = {key: r.translated(item.get(key), f"{p}.{key}", WHAT[key], langs) for key in MESSAGE_TEXTS}
        for key, by_lang in texts.items():
            for lang, text in by_lang.items():
                for name in PLACEHOLDER.findall(text):
                    if name not in known:
                        hint = f"Known facts: {', '.join(sorted(known))}." if known else "Define it under `facts:` first."
                        r.add(f"{p}.{key}.{lang}", f"`{{{name}}}` is not a fact of this campaign. {hint}")
        hashtags = _read_hashtags(r, item.get("hashtags"), f"{p}.hashtags", langs)
        fact = item.get("fact")
        if fact is not None and fact not in known:
            hint = f"Known facts: {', '.join(sorted(known))}." if known else "Define it under `facts:` first."
            r.add(f"{p}.fact", f"`{fact}` is not a fact of this campaign. {hint}")
            fact = None
        campaign.messages.append(Message(texts["headline"], texts["body"], texts["call_to_action"], hashtags, fact, i))


WHAT = {
    "headline": "the headline (a few words)",
    "body": "the body text (one or two sentences)",
    "call_to_action": "the call to action (what the reader should do)",
}


def _read_hashtags(r: Reader, value, path: str, langs: list[str]) -> dict:
    if not isinstance(value, dict):
        r.add(path, "must list hashtags per language, e.g. `pt: [\"#CaboVerde\"]` and `en: [\"#CaboVerde\"]`.")
        return {}
    result = {}
    for lang in langs:
        tags = value.get(lang)
        if isinstance(tags, str):
            tags = tags.split()
        if not isinstance(tags, list) or not tags:
            r.add(f"{path}.{lang}", f"missing. Give at least one hashtag in {LANGUAGE_NAMES.get(lang, lang)}, in quotes: [\"#CaboVerde\"].")
            continue
        clean = []
        for j, tag in enumerate(tags):
            tag = str(tag).strip()
            if not re.fullmatch(r"#\w+", tag):
                r.add(f"{path}.{lang}[{j}]", f"{tag!r} is not a hashtag: start with # and use letters, digits or _ only, no spaces (put it in quotes).")
            else:
                clean.append(tag)
        result[lang] = clean
    return result


def _read_images(r: Reader, folder: Path, value, campaign: Campaign, langs: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        r.add("images", "must be a list; start each image with `- file:`.")
        return
    for i, item in enumerate(value):
        p = f"images[{i}]"
        if not isinstance(item, dict):
            r.add(p, "must be a mapping with file, alt and licence.")
            continue
        name = r.text(item.get("file"), f"{p}.file", "the image's file name (in the campaign folder)")
        if name is not None:
            path = folder / name
            if not _inside(folder, path) or not path.is_file():
                r.add(f"{p}.file", f"file `{name}` not found in campaigns/{folder.name}/. Copy the image there or fix the name.")
                name = None
            elif path.suffix.lower() not in IMAGE_TYPES:
                r.add(f"{p}.file", f"`{name}` must be SVG, PNG or JPEG.")
                name = None
        alt = r.translated(item.get("alt"), f"{p}.alt", "the alt text (what the image shows, for people who cannot see it)", langs)
        licence = r.text(item.get("licence"), f"{p}.licence", "the licence and author, e.g. \"CC BY 4.0, Observatório\"")
        credit = r.text(item.get("credit"), f"{p}.credit", "who made the image (photographer or illustrator), as it must be credited")
        if name is not None and licence is not None and credit is not None and len(alt) == len(langs):
            campaign.images.append(Image(name, alt, licence, credit, i))
