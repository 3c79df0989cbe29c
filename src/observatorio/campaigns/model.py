"""Reading `campaigns/<slug>/campaign.yml` into a `Campaign`, collecting every problem on the way.

Nothing here raises on a mistake in the file: each check adds a `Problem` (file, field path, what to
do) to a list, so that one run reports everything that needs fixing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import babel
import yaml

from ..i18n import Strings
from ..safe_read import YamlDocument, checked_file, parse_yaml
from ..schemas import dotted, problems

CAMPAIGNS = Path("campaigns")
FILENAME = "campaign.yml"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
FACT_ID = re.compile(r"^[a-z][a-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
STATUSES = ("draft", "published")
FORMATS = ("number", "percent")
TOP_KEYS = {"name", "summary", "dates", "status", "palette", "logo", "facts", "messages", "images", "press_release", "press_contact"}
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

    def render(self, ui: Strings) -> str:
        """One line for the person who fixes it, in the language of `ui`."""
        where = ui.format("campaign_problems.line", file=self.file, line=self.line) if self.line else self.file
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
    press_release: dict = field(default_factory=dict)  # lang -> text, paragraphs separated by a blank line
    press_contact: dict = field(default_factory=dict)  # name, email and phone (optional)
    lines: dict = field(default_factory=dict)  # field path -> line in the file
    ui: Strings | None = None  # the UI strings of the language problems are written in

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


def _line_map(document: YamlDocument) -> dict:
    """Field path (`messages[2].headline.en`) -> 1-based line, to point staff at the right line."""
    return {dotted(path): line for path, line in document.lines.items()}


class Reader:
    """Collects problems for one campaign file, with the line of each field path when known.

    Messages come from the UI strings (`campaign_problems.<key>` in site/i18n/<lang>.yml), in the
    language of `ui`: the staff read them in their own language.
    """

    def __init__(self, file: str, lines: dict, ui: Strings):
        self.file = file
        self.lines = lines
        self.ui = ui
        self.problems: list[Problem] = []

    @classmethod
    def of(cls, campaign: Campaign) -> Reader:
        return cls(campaign.file, campaign.lines, campaign.ui)

    def say(self, name: str, /, **values) -> str:
        """The message `campaign_problems.<name>` with its values filled in."""
        return str(self.ui[f"campaign_problems.{name}"]).format(**values)

    def what(self, key: str) -> str:
        return self.say(f"what.{key}")

    def join(self, items: list[str]) -> str:
        """`a, b and c` in the language of the messages."""
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {self.say('and')} " + items[-1]

    def add(self, path: str, name: str, /, **values) -> None:
        """Record the problem `name` (a key under `campaign_problems`) at the field `path`."""
        message = self.say(name, **values)
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
                self.add(path, "missing", what=what)
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(path, "not_text", what=what)
            return None
        return str(value).strip()

    def translated(self, value, path: str, what: str, langs: list[str], required: bool = True) -> dict:
        """A `{pt: …, en: …}` mapping with every language present."""
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            example = ", ".join(f"{lang}: …" for lang in langs)
            self.add(path, "not_translated", what=what, example=example)
            return {}
        result = {}
        for lang in langs:
            what_in = self.say("what.in_language", what=what, language=language_name(lang, self.ui.code), code=lang)
            text = self.text(value.get(lang), f"{path}.{lang}", what_in)
            if text is not None:
                result[lang] = text
        for extra in sorted(set(map(str, value)) - set(langs)):
            self.add(f"{path}.{extra}", "not_a_language", extra=extra, langs=", ".join(langs))
        return result


def language_name(code: str, in_language: str = "en") -> str:
    """The name of a language in another one for messages ("Portuguese", "inglês"), from CLDR; the code when CLDR has none."""
    try:
        return babel.Locale.parse(code).get_display_name(in_language) or code
    except (ValueError, babel.UnknownLocaleError):
        return code


def not_utf8(file: str, source: bytes, exc: UnicodeDecodeError, ui: Strings) -> Problem:
    """A file that is not UTF-8: the line of the first odd character, and how to save the file right.

    Notepad and older Word exports save Windows-1252 ("ANSI"): the character is shown as that
    encoding reads it, so that the person recognises the word.
    """
    line = source.count(b"\n", 0, exc.start) + 1
    char = source[exc.start : exc.end].decode("cp1252", errors="replace")
    return Problem(file, "", ui.format("campaign_problems.yaml.not_utf8", char=char), line)


CURLY_QUOTES = "“”‘’„«»"
KEY_ON_LINE = re.compile(r"^\s*(?:-\s+)?([^\s:#\"'][^:#]*?):(?:\s|$)")


def yaml_problem(file: str, text: str, exc: yaml.YAMLError, ui: Strings) -> Problem:
    """A YAML syntax error said as what to do, at the line where the mistake is (not where the parser gave up).

    The usual mistakes: a colon in an unquoted text, Word's curly quotes, a tab, a hashtag without
    quotes inside [ ] (everything after # is a comment, so the parser only stops lines later).
    """
    problem = str(getattr(exc, "problem", "") or exc)
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    lines = text.splitlines()
    line = mark.line + 1 if mark else None

    def source(n):
        return lines[n - 1] if n and 0 < n <= len(lines) else ""

    def say(name, /, **values):
        return str(ui[f"campaign_problems.yaml.{name}"]).format(**values)

    opened = context.line + 1 if context else None
    if opened and "flow" in str(getattr(exc, "context", "")) and "#" in source(opened):
        return Problem(file, "", say("hashtag"), opened)
    if "'\\t'" in problem or source(line)[: len(source(line)) - len(source(line).lstrip())].count("\t"):
        return Problem(file, "", say("tab"), line)
    for n in (line, opened):
        if any(q in source(n) for q in CURLY_QUOTES):
            return Problem(file, "", say("curly_quotes"), n)
    if "mapping values are not allowed" in problem:
        key = KEY_ON_LINE.match(source(line))
        return Problem(file, "", say("colon", key=key.group(1).strip() if key else "…"), line)
    if "cannot start any token" in problem and mark and mark.column < len(source(line)):
        return Problem(file, "", say("start_character", char=source(line)[mark.column]), line)
    if "expected <block end>" in problem or "expected ':'" in problem:
        return Problem(file, "", say("indentation"), line)
    return Problem(file, "", say("other", problem=problem), line)


def bad_date(file: str, text: str, exc: ValueError, ui: Strings) -> Problem:
    """`start: 2026-13-01`: YAML reads it as a date and the calendar refuses it; find the line that holds it."""
    pattern = re.compile(r"(?<![\d-])(\d{4}-\d{1,2}-\d{1,2})(?![\d-])")
    for number, content in enumerate(text.splitlines(), start=1):
        for found in pattern.findall(content.split("#", 1)[0]):
            try:
                dt.date.fromisoformat("-".join(part.zfill(2) for part in found.split("-")))
            except ValueError:
                return Problem(file, "", ui.format("campaign_problems.yaml.bad_date", value=found), number)
    return Problem(file, "", ui.format("campaign_problems.yaml.other", problem=str(exc)), None)


def read_campaign(root: Path, folder: Path, langs: list[str], ui: Strings) -> tuple[Campaign, list[Problem]]:
    """Parse and check the structure of one campaign file (data and layout are checked later)."""
    path = folder / FILENAME
    file = path.relative_to(root).as_posix()
    source = checked_file(path, root).read_bytes()
    campaign = Campaign(slug=folder.name, folder=folder, file=file, source=source, ui=ui)
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as exc:
        return campaign, [not_utf8(file, source, exc, ui)]
    try:
        document = parse_yaml(text, with_lines=True)
    except yaml.YAMLError as exc:
        return campaign, [yaml_problem(file, text, exc, ui)]
    except ValueError as exc:  # a date YAML recognises but the calendar refuses: 2026-13-01
        return campaign, [bad_date(file, text, exc, ui)]
    data = document.data
    r = Reader(file, _line_map(document), ui)
    campaign.lines = r.lines
    if not SLUG.match(folder.name):
        r.add("", "folder_name", folder=folder.name)
    if not isinstance(data, dict):
        r.add("", "not_mapping")
        return campaign, r.problems
    for key in sorted(set(map(str, data)) - TOP_KEYS):
        r.add(key, "unknown_field", key=key, known=", ".join(sorted(TOP_KEYS)))

    campaign.name = r.translated(data.get("name"), "name", r.what("name"), langs)
    campaign.summary = r.translated(data.get("summary"), "summary", r.what("summary"), langs, required=False)
    _read_dates(r, data.get("dates"), campaign)
    status = data.get("status")
    if status not in STATUSES:
        r.add("status", "status", found=repr(status))
    else:
        campaign.status = status
    _read_palette(r, data.get("palette"), campaign)
    _read_logo(r, root, folder, data.get("logo"), campaign)
    _read_facts(r, data.get("facts"), campaign, langs)
    _read_messages(r, data.get("messages"), campaign, langs)
    _read_images(r, folder, data.get("images"), campaign, langs)
    campaign.press_release = r.translated(data.get("press_release"), "press_release", r.what("press_release"), langs, required=False)
    _read_press_contact(r, data.get("press_contact"), campaign)
    _check_schema(r, document)
    return campaign, r.problems


def _read_press_contact(r: Reader, value, campaign: Campaign) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        r.add("press_contact", "press_contact")
        return
    for extra in sorted(set(map(str, value)) - {"name", "email", "phone"}):
        r.add(f"press_contact.{extra}", "press_contact")
    name = r.text(value.get("name"), "press_contact.name", r.what("contact_name"))
    email = r.text(value.get("email"), "press_contact.email", r.what("contact_email"))
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        r.add("press_contact.email", "email", found=email)
        email = None
    phone = r.text(value.get("phone"), "press_contact.phone", r.what("contact_phone"), required=False)
    if name and email:
        campaign.press_contact = {"name": name, "email": email, **({"phone": phone} if phone else {})}


def _check_schema(r: Reader, document: YamlDocument) -> None:
    """What the schema (`schemas/campaign.schema.json`) finds beyond the checks above: unknown keys, types, links."""
    reported = {problem.path for problem in r.problems}
    for line, key, message in problems("campaign", document.data, document):
        if not any(key == path or key.startswith((path + ".", path + "[")) for path in reported if path):
            r.problems.append(Problem(r.file, key, message, line))


def _read_dates(r: Reader, value, campaign: Campaign) -> None:
    if not isinstance(value, dict):
        r.add("dates", "dates_missing")
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
            r.add(f"dates.{key}", "date", found=repr(raw), key=key)
        else:
            setattr(campaign, key, raw)
    if campaign.start and campaign.end and campaign.end < campaign.start:
        r.add("dates.end", "end_before_start", end=campaign.end, start=campaign.start)


def _read_palette(r: Reader, value, campaign: Campaign) -> None:
    if not isinstance(value, dict):
        r.add("palette", "palette_missing")
        return
    for key in ("background", "text", "accent"):
        colour = value.get(key)
        if not isinstance(colour, str) or not COLOUR.match(colour.strip()):
            r.add(f"palette.{key}", "colour", found=repr(colour), key=key)
        else:
            campaign.palette[key] = normalise_colour(colour)
    for extra in sorted(set(map(str, value)) - {"background", "text", "accent"}):
        r.add(f"palette.{extra}", "palette_extra")


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
    name = r.text(value, "logo", r.what("logo"))
    if name is None:
        return
    path = folder / name
    if not _inside(folder, path) or not path.is_file():
        r.add("logo", "logo_not_found", name=name, folder=folder.relative_to(root).as_posix())
    elif path.suffix.lower() not in IMAGE_TYPES:
        r.add("logo", "image_type", name=name)
    else:
        campaign.logo = path.relative_to(root)


def _read_facts(r: Reader, value, campaign: Campaign, langs: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        r.add("facts", "facts_list")
        return
    seen = set()
    for i, item in enumerate(value):
        p = f"facts[{i}]"
        if not isinstance(item, dict):
            r.add(p, "fact_mapping")
            continue
        fact_id = r.text(item.get("id"), f"{p}.id", r.what("fact_id"))
        if fact_id is not None and not FACT_ID.match(fact_id):
            r.add(f"{p}.id", "fact_id", id=fact_id)
            fact_id = None
        if fact_id is not None and fact_id in seen:
            r.add(f"{p}.id", "fact_id_repeated", id=fact_id)
        seen.add(fact_id)
        dataset = r.text(item.get("dataset"), f"{p}.dataset", r.what("dataset"))
        where = item.get("where")
        if not isinstance(where, dict) or not where:
            r.add(f"{p}.where", "where")
            where = None
        column = r.text(item.get("column", "value"), f"{p}.column", r.what("column"))
        fmt = item.get("format", "number")
        if fmt not in FORMATS:
            r.add(f"{p}.format", "format", found=repr(fmt))
        decimals = item.get("decimals", 1 if fmt == "percent" else 0)
        if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 3:
            r.add(f"{p}.decimals", "decimals", found=repr(decimals))
            decimals = None
        label = r.translated(item.get("label"), f"{p}.label", r.what("label"), langs)
        if None not in (fact_id, dataset, where, column, decimals) and fmt in FORMATS:
            campaign.facts.append(Fact(fact_id, dataset, where, column, fmt, decimals, label, i))


def _read_messages(r: Reader, value, campaign: Campaign, langs: list[str]) -> None:
    if not isinstance(value, list) or not value:
        r.add("messages", "messages_missing")
        return
    known = {f.id for f in campaign.facts}
    for i, item in enumerate(value):
        p = f"messages[{i}]"
        if not isinstance(item, dict):
            r.add(p, "message_mapping")
            continue
        for extra in sorted(set(map(str, item)) - {*MESSAGE_TEXTS, "hashtags", "fact"}):
            r.add(f"{p}.{extra}", "message_field", key=extra)
        texts = {key: r.translated(item.get(key), f"{p}.{key}", r.what(key), langs) for key in MESSAGE_TEXTS}
        hint = r.say("known_facts", known=", ".join(sorted(known))) if known else r.say("no_facts")
        for key, by_lang in texts.items():
            for lang, text in by_lang.items():
                for name in PLACEHOLDER.findall(text):
                    if name not in known:
                        r.add(f"{p}.{key}.{lang}", "unknown_fact", name=f"{{{name}}}", hint=hint)
        hashtags = _read_hashtags(r, item.get("hashtags"), f"{p}.hashtags", langs)
        fact = item.get("fact")
        if fact is not None and fact not in known:
            r.add(f"{p}.fact", "unknown_fact", name=fact, hint=hint)
            fact = None
        campaign.messages.append(Message(texts["headline"], texts["body"], texts["call_to_action"], hashtags, fact, i))


def _read_hashtags(r: Reader, value, path: str, langs: list[str]) -> dict:
    if not isinstance(value, dict):
        r.add(path, "hashtags")
        return {}
    result = {}
    for lang in langs:
        tags = value.get(lang)
        if isinstance(tags, str):
            tags = tags.split()
        if not isinstance(tags, list) or not tags:
            r.add(f"{path}.{lang}", "hashtags_missing", language=language_name(lang, r.ui.code))
            continue
        clean = []
        for j, tag in enumerate(tags):
            tag = str(tag).strip()
            if not re.fullmatch(r"#\w+", tag):
                r.add(f"{path}.{lang}[{j}]", "hashtag", tag=repr(tag))
            else:
                clean.append(tag)
        result[lang] = clean
    return result


def _read_images(r: Reader, folder: Path, value, campaign: Campaign, langs: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        r.add("images", "images_list")
        return
    for i, item in enumerate(value):
        p = f"images[{i}]"
        if not isinstance(item, dict):
            r.add(p, "image_mapping")
            continue
        name = r.text(item.get("file"), f"{p}.file", r.what("image_file"))
        if name is not None:
            path = folder / name
            if not _inside(folder, path) or not path.is_file():
                r.add(f"{p}.file", "image_not_found", name=name, folder=folder.name)
                name = None
            elif path.suffix.lower() not in IMAGE_TYPES:
                r.add(f"{p}.file", "image_type", name=name)
                name = None
        alt = r.translated(item.get("alt"), f"{p}.alt", r.what("alt"), langs)
        licence = r.text(item.get("licence"), f"{p}.licence", r.what("licence"))
        credit = r.text(item.get("credit"), f"{p}.credit", r.what("credit"))
        if name is not None and licence is not None and credit is not None and len(alt) == len(langs):
            campaign.images.append(Image(name, alt, licence, credit, i))
