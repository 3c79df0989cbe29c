"""Social cards (PNG) and posters (PDF + PNG preview) through one Typst template.

`items()` turns a campaign into the data of each asset (texts already in their language, numbers
already formatted); `measure()` lays every asset out once and reports how much room each text
takes; `render()` compiles them. One `typst.Compiler` serves every asset of a campaign.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import typst

from ..errors import UserError
from ..fonts import font_dir
from ..i18n import Strings
from .facts import ResolvedFact, facts_used, fill
from .images import copy_path
from .model import Campaign
from .qr import qr_svg

TEMPLATE = "templates/campaigns/campaign.typ"
PRESS_RELEASE = "templates/campaigns/press-release.typ"
PPI = 144  # cards are laid out in pt at half their pixel size: 540 pt -> 1080 px
PREVIEW_PPI = 96
CARDS = {  # name -> (layout, width px, height px)
    "1080x1080": ("square", 1080, 1080),
    "1200x630": ("wide", 1200, 630),
    "1080x1920": ("tall", 1080, 1920),
}
POSTERS = {"a4": (595.28, 841.89), "a3": (841.89, 1190.55)}  # pt; 210 × 297 mm and 297 × 420 mm


def template_source(name: str = TEMPLATE) -> bytes:
    return (resources.files("observatorio") / name).read_bytes()


@dataclass(frozen=True)
class Context:
    """What every asset of one campaign in one language needs."""

    root: Path
    campaign: Campaign
    facts: dict[str, ResolvedFact]
    strings: Strings
    org: str
    url: str  # the campaign page in this language

    @property
    def lang(self) -> str:
        return self.strings.code


@dataclass(frozen=True)
class Asset:
    """One file to produce: `name` is its file name, `item` the template's data."""

    name: str
    kind: str  # card | poster | preview
    format: str  # card size or paper
    lang: str
    message: int | None  # index of the message, for cards
    item: dict


def card_name(slug: str, n: int, size: str, lang: str) -> str:
    return f"{slug}-card-{n}-{size}-{lang}.png"


def web_card_name(slug: str, n: int, lang: str) -> str:
    return f"{slug}-card-{n}-web-{lang}.png"


def poster_name(slug: str, paper: str, lang: str, ext: str) -> str:
    return f"{slug}-poster-{paper}-{lang}.{ext}"


def one_line(text: str) -> str:
    """Line breaks and runs of spaces from the YAML become one space; no-break spaces stay."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def source_text(ctx: Context, used: list[ResolvedFact]) -> str:
    lines = []
    for fact in used:
        line = fact.source.short()
        if line not in lines:
            lines.append(line)
    if not lines:
        return ""
    key = "common.source" if len(lines) == 1 else "common.sources"
    return f"{ctx.strings[key]}: " + "; ".join(lines) + "."


def _common(ctx: Context) -> dict:
    c = ctx.campaign
    return {
        "lang": ctx.lang,
        "palette": c.palette,
        "logo": "/" + c.logo.as_posix() if c.logo else None,
        "org": ctx.org,
        "campaign": c.name.get(ctx.lang, ""),
        "date": c.start.isoformat() if c.start else None,
    }


def card_item(ctx: Context, index: int, size: str, printed: bool = True) -> dict:
    """The card's data; the campaign's first image (its page-sized copy) fills the room the texts leave.

    `printed=False` (the layout check) leaves the image out: it only takes the free room, so the
    texts are laid out the same, and checking writes nothing.
    """
    message = ctx.campaign.messages[index]
    image = ctx.campaign.images[0] if ctx.campaign.images and printed else None
    layout, width, height = CARDS[size]
    used = facts_used(message, ctx.facts)
    fact = ctx.facts.get(message.fact) if message.fact else None
    return {
        **_common(ctx),
        "kind": "card",
        "layout": layout,
        "width": width * 72 / PPI,
        "height": height * 72 / PPI,
        "title": one_line(fill(message.headline.get(ctx.lang, ""), ctx.facts, ctx.strings)),
        "headline": one_line(fill(message.headline.get(ctx.lang, ""), ctx.facts, ctx.strings)),
        "body": one_line(fill(message.body.get(ctx.lang, ""), ctx.facts, ctx.strings)),
        "cta": one_line(fill(message.call_to_action.get(ctx.lang, ""), ctx.facts, ctx.strings)),
        "hashtags": " ".join(message.hashtags.get(ctx.lang, [])),
        "fact": {"value": fact.text(ctx.strings), "label": one_line(fact.fact.label.get(ctx.lang, ""))} if fact else None,
        "sources": source_text(ctx, used),
        "image": "/" + copy_path(ctx.root, ctx.campaign, image, "web").as_posix() if image else None,
        "image_alt": image.alt.get(ctx.lang, "") if image else "",
    }


def poster_item(ctx: Context, paper: str, printed: bool = True) -> dict:
    """The poster's data; `printed=False` (the layout check) points at the original photo, so that checking writes nothing.

    The photo's box has a fixed size (`fit: "contain"`), so the layout is the same with either file.
    """
    c = ctx.campaign
    message = c.messages[0]
    image = c.images[0] if c.images else None
    return {
        **_common(ctx),
        "kind": "poster",
        "paper": paper,
        "title": c.name.get(ctx.lang, ""),
        "headline": one_line(fill(message.headline.get(ctx.lang, ""), ctx.facts, ctx.strings)),
        "body": one_line(fill(message.body.get(ctx.lang, ""), ctx.facts, ctx.strings)),
        "cta": one_line(fill(message.call_to_action.get(ctx.lang, ""), ctx.facts, ctx.strings)),
        "hashtags": " ".join(message.hashtags.get(ctx.lang, [])),
        "facts": [
            {
                "value": f.text(ctx.strings),
                "label": one_line(f.fact.label.get(ctx.lang, "")),
                "source": f"{ctx.strings['common.source']}: {f.source.short()}.",
            }
            for f in (ctx.facts[x.id] for x in c.facts if x.id in ctx.facts)
        ],
        "image": "/" + (copy_path(ctx.root, c, image, "print") if printed else (c.folder / image.file).relative_to(ctx.root)).as_posix() if image else None,
        "url": ctx.url,
        "qr": qr_svg(ctx.url) if ctx.url.startswith(("http://", "https://")) else None,
        "dates": ctx.strings.format("campaigns.dates", start=ctx.strings.long_date(c.start), end=ctx.strings.long_date(c.end))
        if c.start and c.end else "",
    }


def assets(ctx: Context) -> list[Asset]:
    """Every card and poster of the campaign in the language of `ctx`, in a fixed order."""
    slug, lang = ctx.campaign.slug, ctx.lang
    result = []
    for index in range(len(ctx.campaign.messages)):
        for size in CARDS:
            result.append(Asset(card_name(slug, index + 1, size, lang), "card", size, lang, index, card_item(ctx, index, size)))
    for paper in POSTERS:
        item = poster_item(ctx, paper)
        result.append(Asset(poster_name(slug, paper, lang, "pdf"), "poster", paper, lang, None, item))
        result.append(Asset(poster_name(slug, paper, lang, "png"), "preview", paper, lang, None, item))
    return result


def web_cards(ctx: Context) -> list[Asset]:
    """The square card of each message at 720 px, for the campaign pages (not part of the press kit).

    A phone shows the card at about 360 px: the 1080 px file would cost twice the bytes for nothing.
    """
    slug, lang = ctx.campaign.slug, ctx.lang
    return [Asset(web_card_name(slug, index + 1, lang), "web", "1080x1080", lang, index, card_item(ctx, index, "1080x1080"))
            for index in range(len(ctx.campaign.messages))]


class Renderer:
    """One Typst compiler for all the assets of a project (fonts loaded once)."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.source = template_source()
        self.compiler = typst.Compiler(
            input=self.source, root=str(self.root), font_paths=[str(font_dir())], ignore_system_fonts=True
        )

    def measure(self, items: list[dict]) -> list[dict]:
        """Lay out every item and return the <fit> records: key, field, need, room (pt), lines, used."""
        if not items:
            return []
        # A query runs on the compiler's own input: a fresh compiler per check (cheap; fonts are read lazily).
        checker = typst.Compiler(
            input=self.source,
            root=str(self.root),
            font_paths=[str(font_dir())],
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps({"kind": "check", "items": items}, ensure_ascii=False)},
        )
        try:
            return json.loads(checker.query("<fit>", field="value", format="json"))
        except typst.TypstError as exc:
            raise UserError(f"campaign layout failed in Typst: {exc.message}. {' '.join(exc.hints)}") from None

    def render(self, asset: Asset, timestamp: dt.date | None) -> bytes:
        data = {"data": json.dumps(asset.item, ensure_ascii=False)}
        stamp = int(dt.datetime.combine(timestamp, dt.time(), dt.UTC).timestamp()) if timestamp else 0
        fmt = "pdf" if asset.kind == "poster" else "png"
        ppi = PPI if asset.kind == "card" else PREVIEW_PPI  # web cards and poster previews: 2/3 of the pixels
        try:
            out = self.compiler.compile(input=self.source, format=fmt, ppi=ppi, sys_inputs=data, timestamp=stamp)
        except typst.TypstError as exc:
            raise UserError(f"{asset.name}: Typst could not render it: {exc.message}. {' '.join(exc.hints)}") from None
        if isinstance(out, list):
            raise UserError(f"{asset.name}: the layout ran over {len(out)} pages; a text is too long for it. Shorten the texts.")
        return compact_png(out) if asset.kind in ("web", "preview") else out

    def document(self, template: str, item: dict, timestamp: dt.date | None) -> bytes:
        """A PDF from one of the campaign templates (the press release) with `item` as its data."""
        stamp = int(dt.datetime.combine(timestamp, dt.time(), dt.UTC).timestamp()) if timestamp else 0
        try:
            return typst.compile(
                template_source(template), root=str(self.root), font_paths=[str(font_dir())], ignore_system_fonts=True,
                format="pdf", sys_inputs={"data": json.dumps(item, ensure_ascii=False)}, timestamp=stamp,
            )
        except typst.TypstError as exc:
            raise UserError(f"{template}: Typst could not render it: {exc.message}. {' '.join(exc.hints)}") from None


def compact_png(data: bytes, colours: int = 128) -> bytes:
    """The same picture with a palette of `colours`, about a third of the bytes, for pages read over slow connections.

    Cards and posters are flat colours and text, which a palette keeps intact (no dithering).
    The full-size cards for social media are left as Typst made them.
    """
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        small = image.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
