"""The press kit: every card and poster of one language, the campaign's images, and a captions
file with the alt text of every image and a suggested post per social network."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from .facts import fill
from .images import copy_bytes
from .render import PRESS_RELEASE, Asset, Context, Renderer, one_line

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so that the same sources give the same bytes
STORED = {".png", ".pdf", ".jpg", ".jpeg", ".zip"}  # already compressed
# network -> card size it uses; the order is the order in the captions file and the posts CSV
NETWORKS = {"instagram": "1080x1080", "facebook": "1200x630", "x": "1200x630", "linkedin": "1200x630", "stories": "1080x1920"}
# network -> characters a post may have (the networks' published limits); X counts any link as 23
POST_LIMITS = {"instagram": 2200, "facebook": 63206, "x": 280, "linkedin": 3000, "stories": 2200}
LINK_LENGTH = {"x": 23}
NETWORK_NAMES = {"instagram": "Instagram", "facebook": "Facebook", "x": "X", "linkedin": "LinkedIn", "stories": "Instagram Stories"}
CSV_COLUMNS = ("network", "message", "language", "text", "image", "link", "characters", "limit")


def zip_name(slug: str, lang: str) -> str:
    return f"{slug}-press-kit-{lang}.zip"


def captions_name(ctx: Context) -> str:
    return f"{ctx.strings['campaigns.captions_file']}-{ctx.lang}.txt"


def message_texts(ctx: Context, index: int) -> dict:
    m = ctx.campaign.messages[index]
    texts = {key: one_line(fill(getattr(m, key)[ctx.lang], ctx.facts, ctx.strings)) for key in ("headline", "body", "call_to_action")}
    texts["hashtags"] = " ".join(m.hashtags[ctx.lang])
    return texts


def sentence(text: str) -> str:
    """`text` ending as a sentence does, so that a headline never runs into the next text ("…direitos. Viu…")."""
    return text if not text or text[-1:] in ".!?…:;»”\"" else text + "."


def alt_text(ctx: Context, asset: Asset) -> str:
    """What a card or poster says, in reading order, for people who cannot see it."""
    s, campaign = ctx.strings, ctx.campaign
    item = asset.item
    parts = [sentence(item["headline"])]
    if asset.kind == "card":
        if item.get("fact"):
            parts.append(sentence(f"{item['fact']['value']} {item['fact']['label']}"))
        parts += [sentence(item["body"])]
        if item.get("image_alt"):
            parts.append(sentence(item["image_alt"]))
        parts += [sentence(item["cta"]), item["hashtags"]]
        if item.get("sources"):
            parts.append(item["sources"])
        key = "campaigns.card_alt"
    else:
        parts.append(sentence(item["body"]))
        parts += [sentence(f"{f['value']} {f['label']}") for f in item["facts"]]
        parts += [sentence(item["cta"]), item["hashtags"], item["url"]]
        key = "campaigns.poster_alt"
    return s.format(key, campaign=campaign.name[ctx.lang], text=" ".join(p for p in parts if p))


def post_text(ctx: Context, index: int, network: str) -> str:
    """The suggested post: whole sentences, the page's link and the hashtags, laid out as each network shows them."""
    t = message_texts(ctx, index)
    headline, body, cta, tags = sentence(t["headline"]), sentence(t["body"]), sentence(t["call_to_action"]), t["hashtags"]
    if network == "x":
        return f"{headline} {cta} {ctx.url} {tags}"
    if network == "stories":
        return f"{headline}\n{cta}\n{tags}"
    if network == "instagram":
        return f"{headline}\n\n{body}\n\n{cta}\n\n{ctx.url}\n\n{tags}"
    return f"{headline}\n\n{body} {cta}\n\n{ctx.url}\n\n{tags}"


def post_length(text: str, url: str, network: str) -> int:
    """Characters as the network counts them (X counts the link as 23, whatever its length)."""
    if network in LINK_LENGTH and url in text:
        return len(text) - len(url) + LINK_LENGTH[network]
    return len(text)


def posts_name(slug: str, lang: str) -> str:
    return f"{slug}-posts-{lang}.csv"


def posts_csv(ctx: Context, assets: list[Asset]) -> str:
    """Every suggested post (message × network) in one CSV, the columns social schedulers import (text, image, link)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for index in range(len(ctx.campaign.messages)):
        for network, size in NETWORKS.items():
            card = next(a.name for a in assets if a.kind == "card" and a.message == index and a.format == size)
            text = post_text(ctx, index, network)
            writer.writerow([network, index + 1, ctx.lang, text, card, ctx.url, post_length(text, ctx.url, network), POST_LIMITS[network]])
    return buffer.getvalue()


def captions(ctx: Context, assets: list[Asset]) -> str:
    """The captions file: plain UTF-8 text that any phone or editor opens."""
    s, c = ctx.strings, ctx.campaign
    out = [s.format("campaigns.captions_title", campaign=c.name[ctx.lang]), "", s.format("campaigns.captions_page", url=ctx.url), ""]
    out += [f"== {s['campaigns.captions_alt']} ==", ""]
    for asset in assets:
        out += [asset.name, f"  {alt_text(ctx, asset)}", ""]
    for image in c.images:
        out += [image.file, f"  {image.alt[ctx.lang]}", f"  {s['campaigns.licence']}: {image.licence}", f"  {s['campaigns.credit']}: {image.credit}", ""]
    out += [f"== {s['campaigns.captions_posts']} ==", ""]
    for index in range(len(c.messages)):
        out += [f"--- {s.format('campaigns.message', n=index + 1)} ---", ""]
        for network, size in NETWORKS.items():
            card = next(a.name for a in assets if a.kind == "card" and a.message == index and a.format == size)
            out += [f"[{s['campaigns.networks.' + network]}] {card}", post_text(ctx, index, network), ""]
    if c.press_contact:
        out += [f"== {s['campaigns.press_contact']} ==", "", *contact_lines(ctx), ""]
    out += [f"== {s['campaigns.captions_sources']} ==", ""]
    for fact in c.facts:
        resolved = ctx.facts[fact.id]
        out += [f"{resolved.text(ctx.strings)} {fact.label[ctx.lang]}", f"  {s['common.source']}: {resolved.source.line()}. {resolved.source.url}".rstrip(), ""]
    return "\n".join(out).rstrip() + "\n"


def contact_lines(ctx: Context) -> list[str]:
    contact = ctx.campaign.press_contact
    return [contact[key] for key in ("name", "email", "phone") if contact.get(key)]


def press_release_name(ctx: Context, ext: str) -> str:
    return f"{ctx.campaign.slug}-{ctx.strings['campaigns.press_release_file']}-{ctx.lang}.{ext}"


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a text from the YAML: separated by a blank line, each on one line."""
    return [one_line(p) for p in re.split(r"\n\s*\n", text) if p.strip()]


def press_release_files(ctx: Context, renderer: Renderer) -> dict[str, bytes]:
    """The press release as PDF and plain text (nothing when the campaign has none)."""
    c, s = ctx.campaign, ctx.strings
    text = c.press_release.get(ctx.lang)
    if not text:
        return {}
    contact = contact_lines(ctx)
    item = {
        "lang": ctx.lang,
        "org": ctx.org,
        "title": c.name[ctx.lang],
        "kind": s["campaigns.press_release"],
        "date": c.start.isoformat(),
        "dateline": s.long_date(c.start),
        "paragraphs": [fill(p, ctx.facts, s) for p in paragraphs(text)],
        "contact_heading": s["campaigns.press_contact"] if contact else "",
        "contact": contact,
        "url": ctx.url,
        "logo": "/" + c.logo.as_posix() if c.logo else None,
    }
    plain = [item["kind"], "", item["title"], item["dateline"], "", *[p + "\n" for p in item["paragraphs"]]]
    if contact:
        plain += [f"{item['contact_heading']}:", *contact, ""]
    plain.append(ctx.url)
    return {
        press_release_name(ctx, "pdf"): renderer.document(PRESS_RELEASE, item, c.start),
        press_release_name(ctx, "txt"): ("\n".join(plain).rstrip() + "\n").encode("utf-8"),
    }


def build_zip(files: dict[str, bytes]) -> bytes:
    """A zip of `files` (name -> bytes) with sorted entries and fixed dates: same input, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if Path(name).suffix.lower() in STORED else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever the build machine
            archive.writestr(info, files[name])
    return buffer.getvalue()


def press_kit(ctx: Context, assets: list[Asset], rendered: dict[str, bytes]) -> bytes:
    """Cards, posters, photos (print size), logo, captions, the posts CSV and the press release when there is one."""
    folder = Path(ctx.campaign.slug)
    files = {f"{folder}/{a.name}": rendered[a.name] for a in assets}
    for ext in ("pdf", "txt"):
        name = press_release_name(ctx, ext)
        if name in rendered:
            files[f"{folder}/{name}"] = rendered[name]
    if ctx.campaign.logo:
        files[f"{folder}/logo{ctx.campaign.logo.suffix.lower()}"] = (ctx.root / ctx.campaign.logo).read_bytes()
    for image in ctx.campaign.images:
        files[f"{folder}/{image.file}"] = copy_bytes(ctx.root, ctx.campaign, image, "print")
    files[f"{folder}/{captions_name(ctx)}"] = captions(ctx, assets).encode("utf-8")
    files[f"{folder}/{posts_name(ctx.campaign.slug, ctx.lang)}"] = ("\ufeff" + posts_csv(ctx, assets)).encode("utf-8")  # BOM: Excel reads UTF-8
    return build_zip(files)
