"""Campaign pages for the site and the files they offer, cached by content hash.

Drafts: `write_pages(..., preview=False)` (the public build) neither checks nor writes a draft
campaign, so a draft can never reach `_site/` and a half-written one never blocks a publication. With `preview=True` (`nox -s serve`) a draft gets its
page and assets, marked as a draft, excluded from search, and still not listed on /campanhas/.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from .. import __version__, settings, sharing, steps
from ..files import human_size, write_if_changed
from ..fonts import font_dir
from ..i18n import language_codes, strings
from ..markup import md_text as md
from .images import BUDGETS, USES, copy_bytes
from .model import campaign_folders
from .presskit import alt_text, message_texts, press_kit, press_release_files, zip_name
from .render import (
    Renderer,
    assets,
    web_cards,
)
from .validation import Checked, check_all, contexts, is_draft

SECTION = "campanhas"
CACHE = "campaigns"
STEP = "campaigns"


# --- Markdown helpers: text from the YAML is literal Markdown (markup.md_text) ----------------------


def page_name(lang: str, default: str) -> str:
    return "index.md" if lang == default else f"index.{lang}.md"


# --- cache ---------------------------------------------------------------------------------------


def cache_inputs(root: Path, checked: Checked) -> steps.Inputs:
    """Everything the assets depend on, each input named, so a rebuild can say why it happened."""
    c = checked.campaign
    inputs = steps.Inputs(root).value(f"{c.folder.relative_to(root).as_posix()}/campaign.yml", c.source.decode("utf-8", "replace"))
    inputs.files(c.folder / image.file for image in c.images)
    if c.logo:
        inputs.file(root / c.logo)
    inputs.value("image settings", [settings.get(root, name) for name in (*USES.values(), *BUDGETS.values())])
    inputs.value("facts", {k: [f.value, f.source.line(), f.source.url] for k, f in sorted(checked.facts.items())})
    for lang in language_codes(root):
        s = strings(root, lang)
        inputs.value(f"UI strings ({lang})", {k: s.data.get(k) for k in ("campaigns", "common", "number", "locale")})
    inputs.value("site", [ctx.org + ctx.url for ctx in contexts(root, checked)])
    inputs.value("fonts", sorted(p.name for p in font_dir().iterdir()))
    return inputs.value("engine", __version__).libraries("typst").code()


def _render_all(root: Path, checked: Checked, renderer: Renderer) -> dict[str, bytes]:
    """Every file of one campaign (all languages): cards, posters, previews, press kits."""
    rendered: dict[str, bytes] = {}
    for ctx in contexts(root, checked):
        items = assets(ctx)
        for asset in [*items, *web_cards(ctx)]:
            rendered[asset.name] = renderer.render(asset, checked.campaign.start)
        rendered.update(press_release_files(ctx, renderer))
        rendered[zip_name(ctx.campaign.slug, ctx.lang)] = press_kit(ctx, items, rendered)
    for image in checked.campaign.images:
        rendered[image.file] = copy_bytes(root, checked.campaign, image, "web")
    return rendered


def cached_assets(root: Path, checked: Checked, renderer: Renderer) -> tuple[Path, str | None]:
    """The folder holding this campaign's files, rendering them only when something changed.

    Returns the folder and the reason it was rebuilt (None when the cache was used).
    """
    base = root / "build" / CACHE / checked.campaign.slug
    manifest_path = base / "manifest.json"
    inputs = cache_inputs(root, checked)
    folder = base / inputs.key[:16]
    old = steps.load(manifest_path)
    reason = steps.why(old, inputs)
    if reason is None and folder.is_dir() and all((folder / n).is_file() for n in old.get("files", [])):
        return folder, None
    rendered = _render_all(root, checked, renderer)
    tmp = base / f".{inputs.key[:16]}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, content in rendered.items():
        (tmp / name).write_bytes(content)
    for stale in base.iterdir():
        if stale.is_dir() and stale != tmp:
            shutil.rmtree(stale)
    tmp.rename(folder)
    steps.save(manifest_path, STEP, inputs, rendered)
    return folder, reason or steps.reason([])


# --- pages ---------------------------------------------------------------------------------------


def image_loading(position: int) -> str:
    """The first card is what a reader sees first (the largest paint): fetched at once; the others when scrolled to."""
    return 'loading="eager" fetchpriority="high"' if position == 0 else 'loading="lazy"'


def campaign_page(root: Path, checked: Checked, ctx, folder: Path, preview_draft: bool) -> str:
    s, c = ctx.strings, checked.campaign
    lang = ctx.lang
    items = assets(ctx)
    out = ["---", f"title: {json.dumps(c.name[lang], ensure_ascii=False)}"]
    if c.summary.get(lang):
        out.append(f"description: {json.dumps(c.summary[lang], ensure_ascii=False)}")
    wide = next(a for a in items if a.kind == "card" and a.message == 0 and a.format == "1200x630")
    out += sharing.front_matter(f"{sharing.site_url(root)}{SECTION}/{c.slug}/{wide.name}", alt_text(ctx, wide), ctx.url)
    if preview_draft:
        out += ["search:", "  exclude: true"]
    out += ["---", "", f"# {md(c.name[lang])}", ""]
    if preview_draft:
        out += ['!!! warning ""', f"    {md(s['campaigns.draft'])}", ""]
    if c.start and c.end:
        out += [f"*{md(s.format('campaigns.dates', start=s.long_date(c.start), end=s.long_date(c.end)))}*", ""]
    if c.summary.get(lang):
        out += [md(" ".join(c.summary[lang].split())), ""]

    out += [f"## {md(s['campaigns.messages'])}", ""]

    for index, _message in enumerate(c.messages):
        t = message_texts(ctx, index)
        card = next(a for a in items if a.kind == "card" and a.message == index and a.format == "1080x1080")
        shown = web_cards(ctx)[index]
        out += [f"### {md(t['headline'])}", ""]
        out += [
            f'[![{md(alt_text(ctx, card))}]({shown.name}){{ width="360" height="360" {image_loading(index)} .campaign-card }}]({card.name})',
            "",
            md(t["body"]),
            "",
            f"**{md(s['campaigns.call_to_action'])}:** {md(t['call_to_action'])}",
            "",
            f"{md(s['campaigns.hashtags'])}: {md(t['hashtags'])}",
            "",
        ]

    out += [f"## {md(s['campaigns.facts'])}", "", md(s["campaigns.facts_intro"]), ""]
    for fact in c.facts:
        r = checked.facts[fact.id]
        source = md(r.source.line())
        link = f"[{source}]({r.source.url})" if r.source.url.startswith(("http://", "https://")) else source
        title = r.dataset_title.get(lang, fact.dataset)
        out += [
            f"- **{md(r.text(s))}** {md(fact.label[lang])}  ",
            f"  {md(s['common.source'])}: {link}. {md(s['campaigns.dataset'])}: {md(title)} (`{fact.dataset}`).",
        ]
    suppressed = sorted({checked.facts[f.id].suppressed for f in c.facts if checked.facts[f.id].suppressed})
    if suppressed:  # disclosure control: say what the marker means, as under a chart
        from ..disclosure import project_threshold

        limit = project_threshold(root)
        out += ["", md(str(s["charts.suppressed_note"]).format(marker=suppressed[0], threshold=s.number(limit)))]
    out.append("")

    out += [f"## {md(s['campaigns.downloads'])}", ""]
    kit = zip_name(c.slug, lang)
    out += [
        f"### {md(s['campaigns.press_kit'])}",
        "",
        f"[{kit}]({kit}) ({human_size((folder / kit).stat().st_size, s['number.decimal'])}). {md(s['campaigns.press_kit_text'])}",
        "",
    ]
    rows = [(s["campaigns.file"], s["campaigns.format"], s["campaigns.size"])]

    def table(title: str, chosen) -> list[str]:
        lines = [f"### {md(title)}", "", f"| {' | '.join(md(h) for h in rows[0])} |", "|---|---|---|"]
        for asset in chosen:
            if asset.kind == "card":
                label = f"{s.format('campaigns.message', n=asset.message + 1)} · {s.format('campaigns.card', size=asset.format.replace('x', '×'))}"
            elif asset.kind == "poster":
                label = s.format("campaigns.poster", paper=asset.format.upper())
            else:
                label = s.format("campaigns.poster_preview", paper=asset.format.upper())
            size = human_size((folder / asset.name).stat().st_size, s["number.decimal"])
            lines.append(f"| [{md(label)}]({asset.name}) | {asset.name.rsplit('.', 1)[1].upper()} | {size} |")
        return lines + [""]

    out += table(s["campaigns.cards"], [a for a in items if a.kind == "card"])
    out += table(s["campaigns.posters"], [a for a in items if a.kind != "card"])
    poster = next(a for a in items if a.kind == "preview" and a.format == "a4")
    out += [f'![{md(alt_text(ctx, poster))}]({poster.name}){{ width="360" loading="lazy" .campaign-poster }}', ""]

    if c.images:
        out += [f"## {md(s['campaigns.images'])}", ""]
        for image in c.images:
            out += [
                f'![{md(image.alt[lang])}]({image.file}){{ loading="lazy" .campaign-image }}',
                "",
                f"{md(s['campaigns.alt'])}: {md(image.alt[lang])}  ",
                f"{md(s['campaigns.licence'])}: {md(image.licence)}"
                + f". {md(s['campaigns.credit'])}: {md(image.credit)}"
                + f". [{md(image.file)}]({image.file})",
                "",
            ]
    return "\n".join(out).rstrip() + "\n"


def listing_page(root: Path, lang: str, default: str, published: list[Checked]) -> str:
    s = strings(root, lang)
    out = ["---", f"title: {json.dumps(s['campaigns.title'], ensure_ascii=False)}", "---", "", f"# {md(s['campaigns.title'])}", "", md(s["campaigns.intro"]), ""]
    if not published:
        out += [md(s["campaigns.none"]), ""]
    for position, checked in enumerate(published):
        c = checked.campaign
        link = f"{c.slug}/{page_name(lang, default)}"
        out += [f"## [{md(c.name[lang])}]({link})", ""]
        ctx = next(x for x in contexts(root, checked) if x.lang == lang)
        card = next(a for a in assets(ctx) if a.kind == "card" and a.format == "1080x1080")
        shown = web_cards(ctx)[0]
        out += [f'![{md(alt_text(ctx, card))}]({c.slug}/{shown.name}){{ width="240" height="240" {image_loading(position)} .campaign-card }}', ""]
        if c.start and c.end:
            out += [f"*{md(s.format('campaigns.dates', start=s.long_date(c.start), end=s.long_date(c.end)))}*", ""]
        if c.summary.get(lang):
            out += [md(" ".join(c.summary[lang].split())), ""]
    return "\n".join(out).rstrip() + "\n"


# --- the entry point -----------------------------------------------------------------------------


def write_pages(root: Path, docs: Path, preview: bool = False) -> list[str]:
    """Check every campaign, render what changed, and write the campaign pages into `docs`."""
    root, docs = Path(root).resolve(), Path(docs)
    checked_all = check_all(root, drafts=preview)  # raises before anything is written
    langs = language_codes(root)
    default = langs[0]
    renderer = Renderer(root)
    section = docs / SECTION
    report, written_slugs = [], set()
    order = sorted(checked_all, key=lambda x: (x.campaign.start or dt.date.min, x.campaign.slug), reverse=True)
    if not preview:
        for folder in campaign_folders(root):
            if is_draft(folder):
                report.append(f"campaign {folder.name}: draft, not built (drafts appear only in the preview)")
    for checked in order:
        c = checked.campaign
        folder, reason = cached_assets(root, checked, renderer)
        target = section / c.slug
        expected = set()
        for path in sorted(folder.iterdir()):
            write_if_changed(target / path.name, path.read_bytes())
            expected.add(path.name)
        for ctx in contexts(root, checked):
            name = page_name(ctx.lang, default)
            write_if_changed(target / name, campaign_page(root, checked, ctx, folder, not c.published))
            expected.add(name)
        for stale in target.iterdir():
            if stale.name not in expected:
                stale.unlink() if stale.is_file() else shutil.rmtree(stale)
        written_slugs.add(c.slug)
        status = "" if c.published else " (draft, preview only)"
        count = len(list(folder.iterdir()))
        report.append(
            f"campaign {c.slug}{status}: rendered {count} files ({reason})" if reason else f"campaign {c.slug}{status}: unchanged, {count} files from the cache"
        )
    published = [x for x in order if x.campaign.published]
    for lang in langs:
        write_if_changed(section / page_name(lang, default), listing_page(root, lang, default, published))
    if section.is_dir():
        for stale in section.iterdir():
            if stale.is_dir() and stale.name not in written_slugs:
                shutil.rmtree(stale)
                report.append(f"campaign {stale.name}: removed from the site (draft or deleted)")
    return report
