"""Every check on a campaign, run before anything is written: structure, languages, colours,
facts, images, and whether each text fits each card and poster as laid out by Typst."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import settings
from ..errors import UserError
from ..files import load_yaml
from ..i18n import Strings, language_codes, read_mkdocs_config, strings
from ..safe_read import read_text
from .facts import ResolvedFact, resolve_facts
from .images import check_images
from .model import FILENAME, Campaign, Problem, Reader, campaign_folders, read_campaign
from .presskit import NETWORK_NAMES, POST_LIMITS, post_length, post_text
from .render import CARDS, POSTERS, Context, Renderer, card_item, poster_item
from .texts import check_texts

MIN_CONTRAST = 4.5  # WCAG 2.1 AA, normal text


@dataclass
class Checked:
    """A campaign that passed every check, with its facts looked up."""

    campaign: Campaign
    facts: dict[str, ResolvedFact]


# --- colours -------------------------------------------------------------------------------------


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of `#rrggbb`."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def check_contrast(campaign: Campaign) -> list[Problem]:
    r = Reader.of(campaign)
    background = campaign.palette.get("background")
    if not background:
        return []
    for key in ("text", "accent"):
        colour = campaign.palette.get(key)
        if not colour:
            continue
        ratio = contrast(colour, background)
        if ratio < MIN_CONTRAST:
            better = max(("#ffffff", "#000000"), key=lambda c: contrast(c, background))
            r.add(
                f"palette.{key}",
                "contrast",
                colour=colour,
                background=background,
                ratio=f"{ratio:.2f}",
                minimum=MIN_CONTRAST,
                direction=r.say("lighter" if better == "#ffffff" else "darker"),
                better=better,
                better_ratio=f"{contrast(better, background):.1f}",
            )
    return r.problems


# --- site facts ----------------------------------------------------------------------------------


def site_names(root: Path) -> dict[str, str]:
    """The observatory's name in each language (site_name in mkdocs.yml and its translations)."""
    config = read_mkdocs_config(root)
    names = {}
    default = str(config.get("site_name", ""))
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            for entry in (plugin["i18n"] or {}).get("languages") or []:
                names[str(entry["locale"])] = str(entry.get("site_name") or default)
    return names


def page_url(root: Path, slug: str, lang: str) -> str:
    config = read_mkdocs_config(root)
    base = str(config.get("site_url") or "").rstrip("/")
    prefix = "" if lang == language_codes(root)[0] else f"{lang}/"
    return f"{base}/{prefix}campanhas/{slug}/"


def contexts(root: Path, checked: Checked) -> list[Context]:
    names = site_names(root)
    return [
        Context(root, checked.campaign, checked.facts, strings(root, lang), names.get(lang, ""), page_url(root, checked.campaign.slug, lang))
        for lang in language_codes(root)
    ]


# --- layout --------------------------------------------------------------------------------------


def _complete(campaign: Campaign, index: int, lang: str) -> bool:
    m = campaign.messages[index]
    return all(lang in getattr(m, key) for key in ("headline", "body", "call_to_action", "hashtags"))


def check_layout(root: Path, checked: Checked, renderer: Renderer) -> list[Problem]:
    """Lay out every card and poster in every language; each text that needs more room is a problem."""
    campaign = checked.campaign
    if not campaign.palette or len(campaign.palette) < 3 or not campaign.name:
        return []
    items, owners = [], {}
    r = Reader.of(campaign)
    for ctx in contexts(root, checked):
        if ctx.lang not in campaign.name:
            continue
        for i in range(len(campaign.messages)):
            if not _complete(campaign, i, ctx.lang):
                continue
            for size in CARDS:
                key = f"card|{i}|{size}|{ctx.lang}"
                items.append({**card_item(ctx, i, size, printed=False), "key": key})
                owners[key] = (i, r.say("card", size=size.replace("x", "×")))
        if campaign.messages and _complete(campaign, 0, ctx.lang):
            for paper in POSTERS:
                key = f"poster|0|{paper}|{ctx.lang}"
                items.append({**poster_item(ctx, paper, printed=False), "key": key})
                owners[key] = (0, r.say("poster", paper=paper.upper()))
    worst: dict[str, tuple] = {}  # field path -> (ratio, where, record, text)
    for record in renderer.measure(items):
        if record["need"] <= record["room"] + 0.5:
            continue
        kind, index, size, lang = record["key"].split("|")
        index = int(index)
        path, text = _field_path(campaign, checked.facts, kind, index, record["field"], lang)
        ratio = record["need"] / max(record["room"], 1)
        where = owners[record["key"]][1]
        previous = worst.get(path)
        if previous is None or ratio > previous[0]:
            worst[path] = (ratio, (previous[1] if previous else []) + [where], record, text, where)
        else:
            previous[1].append(where)
    for path, (ratio, wheres, record, text, worst_where) in worst.items():
        key, values = _overflow_message(r, path, wheres, record, text, ratio, worst_where)
        r.add(path, key, **values)
    return r.problems


def _field_path(campaign: Campaign, facts, kind: str, index: int, field: str, lang: str) -> tuple[str, str]:
    message = campaign.messages[index]
    if field in ("headline", "body", "call_to_action"):
        return f"messages[{index}].{field}.{lang}", getattr(message, field).get(lang, "")
    if field == "hashtags":
        return f"messages[{index}].hashtags.{lang}", " ".join(message.hashtags.get(lang, []))
    if field == "fact.label":
        fact = campaign.fact(message.fact)
        return f"facts[{fact.index}].label.{lang}", fact.label.get(lang, "")
    if field == "sources":
        return f"messages[{index}].fact", ""
    return "facts", ""  # the facts block of a poster


def _overflow_message(r: Reader, path: str, wheres: list[str], record: dict, text: str, ratio: float, worst: str) -> tuple[str, dict]:
    """The message key and its values for a text that needs more room than it has."""
    where = r.join(list(dict.fromkeys(wheres)))
    if path == "facts":
        return "facts_overflow", {"where": where, "need": f"{record['need']:.0f}", "room": f"{record['room']:.0f}"}
    if path.endswith(".fact"):
        return "sources_overflow", {"where": where}
    if record.get("used"):
        lines = r.say("lines_used", worst=worst, used=record["used"], lines=record["lines"])
        ratio = record["used"] / record["lines"]
    else:
        lines = r.say("needs_room", worst=worst)
    cut = max(5, int(math.ceil(len(text) * (1 - 1 / ratio) / 5.0)) * 5) if text else 0
    shorten = r.say("shorten_by", cut=cut) if cut else r.say("shorten")
    return "too_long", {"where": where, "lines": lines, "shorten": shorten, "length": len(text)}


# --- posts ---------------------------------------------------------------------------------------


def check_posts(root: Path, checked: Checked) -> list[Problem]:
    """Each suggested post within its network's limit, as the network counts characters."""
    campaign = checked.campaign
    r = Reader.of(campaign)
    if not campaign.name:
        return []
    for ctx in contexts(root, checked):
        for i in range(len(campaign.messages)):
            if not _complete(campaign, i, ctx.lang) or ctx.lang not in campaign.name:
                continue
            for network, limit in POST_LIMITS.items():
                n = post_length(post_text(ctx, i, network), ctx.url, network)
                if n > limit:
                    r.add(f"messages[{i}].hashtags.{ctx.lang}", "post_too_long", network=NETWORK_NAMES[network], n=n, limit=limit)
    return r.problems


# --- everything ----------------------------------------------------------------------------------


def problems_language(root: Path, lang: str | None = None) -> Strings:
    """The UI strings problems are written in: `lang`, else the setting `campaigns.messages_language`, else the site's first language."""
    return strings(root, lang or settings.get(root, "campaigns.messages_language") or language_codes(root)[0])


def check_campaign(root: Path, folder: Path, renderer: Renderer | None = None, ui: Strings | None = None) -> tuple[Checked, list[Problem]]:
    langs = language_codes(root)
    campaign, problems = read_campaign(root, folder, langs, ui or problems_language(root))
    if problems and not campaign.lines and not campaign.name:
        return Checked(campaign, {}), problems  # not even YAML
    problems += check_contrast(campaign)
    problems += check_texts(campaign, {lang: strings(root, lang) for lang in langs})
    problems += check_images(root, campaign)
    facts, fact_problems = resolve_facts(root, campaign)
    problems += fact_problems
    checked = Checked(campaign, facts)
    problems += check_posts(root, checked)
    if not fact_problems:
        problems += check_layout(root, checked, renderer or Renderer(root))
    return checked, sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.path))


def is_draft(folder: Path) -> bool:
    """Whether the campaign file says `status: draft` (False when it cannot be read: check it)."""
    try:
        data = load_yaml(read_text(folder / FILENAME, folder))
    except (yaml.YAMLError, UserError, ValueError):  # ValueError: a date like 2026-13-18
        return False
    return isinstance(data, dict) and data.get("status") == "draft"


def check_all(root: Path, drafts: bool = True, lang: str | None = None) -> list[Checked]:
    """Check every campaign; raise one UserError listing every problem of every campaign.

    With `drafts=False` (the public build) draft campaigns are left out entirely, so that a
    half-written draft never stops the site from being published; the preview and
    `validate_all` check them too. Problems are written in `lang` (see `problems_language`).
    """
    root = Path(root).resolve()
    ui = problems_language(root, lang)
    renderer = Renderer(root)
    checked, problems = [], []
    for folder in campaign_folders(root):
        if not drafts and is_draft(folder):
            continue
        result, found = check_campaign(root, folder, renderer, ui)
        checked.append(result)
        problems += found
    if problems:
        count = ui["campaign_problems.count_one"] if len(problems) == 1 else ui.format("campaign_problems.count_many", n=len(problems))
        raise UserError(
            ui.format("campaign_problems.summary", count=count)
            + "\n  "
            + "\n  ".join(p.render(ui) for p in problems)
            + "\n"
            + ui["campaign_problems.footer"]
        )
    return checked
