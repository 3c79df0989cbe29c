"""A figure's view: its panels (chart, table, downloads, cite and share) as accessible tabs, and its embed page.

The HTML works without JavaScript: each panel is a section with its heading, one under the other,
and the tab list is `hidden`. `site/assets/javascripts/figure-views.js` shows the tab list, makes
the sections tab panels (WAI-ARIA tabs pattern: arrow keys, Home, End) and shows one at a time.

Panels come in a fixed order: chart, table, any extra panels (a map, say), download, cite and
share; `view_html` takes the list, so a module that draws another view of the same data passes
its `Panel` to `web.figure_html(..., extra_panels=[...])`.

Every figure has an anchor on its page (`#<figure id>`) and, when the page is known (`FigurePage`),
an embed page at `<page>/<figure_view.embed_folder>/<figure id>/` (`figuras` in Portuguese,
`figures` in English): minimal HTML with the site's Content-Security-Policy, the chart's image
with its source line and a link back, no site chrome, kept out of the sitemap and of search.
"""

from __future__ import annotations

import html
import urllib.parse
from dataclasses import dataclass

from .. import csp
from ..bibtex import escape as bibtex_escape
from ..i18n import Strings


@dataclass(frozen=True)
class Panel:
    key: str  # chart, table, map, download, cite: the tab's id suffix and its UI string `figure_view.<key>`
    body: str  # HTML


@dataclass(frozen=True)
class FigurePage:
    """What a figure's citation, share links and embed page need to know of the page that shows it."""

    title: str
    url: str  # absolute address of the page, ending in "/"
    folder: str  # the page's folder in the docs, where figure files and embed pages go (`publicacoes/<slug>`)
    default_lang: bool = True
    authors: tuple[str, ...] = ()
    year: int | None = None


def figure_id(label: str | None, stem: str, lang: str) -> str:
    """The figure's anchor and embed folder name: its label (`fig-destinos`), else its file stem without the language."""
    return label or stem.removesuffix(f"-{lang}")


def view_html(ident: str, panels: list[Panel], s: Strings) -> str:
    """The panels as stacked sections with headings, and a hidden tab list that the script turns on."""
    tabs = []
    sections = []
    for index, panel in enumerate(panels):
        title = html.escape(s[f"figure_view.{panel.key}"])
        selected = "true" if index == 0 else "false"
        tabs.append(
            f'<button type="button" role="tab" id="{ident}-tab-{panel.key}" aria-controls="{ident}-{panel.key}" '
            f'aria-selected="{selected}" tabindex="{0 if index == 0 else -1}">{title}</button>'
        )
        sections.append(
            f'<section class="obs-view-panel" id="{ident}-{panel.key}" data-panel="{panel.key}">'
            f'<h3 class="obs-view-heading">{title}</h3>\n{panel.body}\n</section>'
        )
    label = html.escape(s["figure_view.tabs_label"], quote=True)
    tablist = f'<div class="obs-view-tabs" role="tablist" aria-label="{label}" hidden>{"".join(tabs)}</div>'
    return f'<div class="obs-view">\n{tablist}\n' + "\n".join(sections) + "\n</div>"


def figure_url(page: FigurePage, ident: str) -> str:
    return f"{page.url}#{ident}"


def embed_url(page: FigurePage, ident: str, s: Strings) -> str:
    return f"{page.url}{s['figure_view.embed_folder']}/{ident}/"


def embed_path(page: FigurePage, ident: str, s: Strings) -> str:
    """The embed page's file in the docs folder (`index.en.html` is published under `/en/` by the i18n plugin)."""
    name = "index.html" if page.default_lang else f"index.{s.code}.html"
    return in_folder(page.folder, f"{s['figure_view.embed_folder']}/{ident}/{name}")


def in_folder(folder: str, path: str) -> str:
    """`path` in the docs folder `folder` ("" for the site's root: the home page's figures)."""
    return f"{folder}/{path}" if folder else path


def cite_panel(page: FigurePage, ident: str, caption: str, s: Strings) -> Panel:
    """Address with a copy button, citation (text and BibTeX), share links (plain links, no third-party script), embed code."""
    address = figure_url(page, ident)
    authors = list(page.authors)
    text = figure_text(caption, page.title, authors, page.year, s, address)
    bibtex = figure_bibtex(f"omcv-{ident}-{s.code}", caption, page.title, authors, page.year, s, address)
    embed = embed_url(page, ident, s)
    iframe = (f'<iframe src="{embed}" title="{html.escape(caption, quote=True)}" width="100%" height="520" '
              f'loading="lazy" style="border:0"></iframe>')
    body = [
        f'<p>{html.escape(s["figure_view.address"])} <a class="obs-figure-address" href="{html.escape(address, quote=True)}">'
        f"{html.escape(address)}</a> {copy_button(address, s['figure_view.copy_link'], s)}</p>",
        f'<p class="obs-view-subheading"><strong>{html.escape(s["figure_view.citation"])}</strong></p>',
        f'<blockquote class="obs-citation"><p>{html.escape(text)}</p></blockquote>',
        f'<details class="obs-cite-code"><summary><strong>{html.escape(s["figure_view.bibtex"])}</strong></summary>'
        f"<pre><code>{html.escape(bibtex.rstrip())}</code></pre></details>",
        f'<p class="obs-view-subheading"><strong>{html.escape(s["figure_view.share"])}</strong></p>',
        share_links(address, caption, s),
        f'<p class="obs-view-subheading"><strong>{html.escape(s["figure_view.embed"])}</strong></p>',
        f"<p>{html.escape(s['figure_view.embed_intro'])}</p>",
        f'<pre class="obs-embed-code"><code>{html.escape(iframe)}</code></pre>',
        f"<p>{copy_button(iframe, s['figure_view.copy_embed'], s)}</p>",
    ]
    return Panel("cite", "\n".join(body))


def copy_button(text: str, label: str, s: Strings) -> str:
    """A button that copies `text` (hidden until the script runs: without JavaScript, the text is there to select)."""
    return (f'<button type="button" class="obs-copy md-button" data-copy="{html.escape(text, quote=True)}" '
            f'data-copied="{html.escape(s["figure_view.copied"], quote=True)}" hidden>{html.escape(label)}</button>')


def share_links(address: str, caption: str, s: Strings) -> str:
    quote = urllib.parse.quote
    links = [
        ("email", f"mailto:?subject={quote(s['figure_view.email_subject'])}&body={quote(caption + chr(10) + address)}"),
        ("whatsapp", f"https://wa.me/?text={quote(caption + ' ' + address)}"),
        ("facebook", f"https://www.facebook.com/sharer/sharer.php?u={quote(address, safe='')}"),
        ("x", f"https://x.com/intent/post?text={quote(caption)}&url={quote(address, safe='')}"),
        ("linkedin", f"https://www.linkedin.com/sharing/share-offsite/?url={quote(address, safe='')}"),
    ]
    items = "".join(
        f'<li><a href="{html.escape(href, quote=True)}" rel="noopener noreferrer">{html.escape(s["figure_view.share_" + key])}</a></li>'
        for key, href in links
    )
    return f'<ul class="obs-share">{items}</ul>'


def source_line(spec: dict | None) -> str:
    """The chart's source line, as `charts.finish` writes it under the chart (its bottom title)."""
    title = (spec or {}).get("title")
    text = title.get("text") if isinstance(title, dict) else title
    if isinstance(text, list):
        return " ".join(str(t) for t in text)
    return str(text or "")


def embed_page(page: FigurePage, ident: str, caption: str, alt: str, image: str, source: str, s: Strings) -> str:
    """The embed page: the figure's image (which carries its source), caption, source line and a link to its page.

    `image` is the image's path in the docs folder (figure files exist once, beside the default-language page).
    """
    up = "../" * ((page.folder.count("/") + 1 if page.folder else 0) + 2 + (0 if page.default_lang else 1))
    org = html.escape(s["organisation"])
    lines = [
        "<!doctype html>",
        f'<html lang="{s.code}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex">',
        f"<title>{html.escape(caption)} · {org}</title>",
        f'<link rel="canonical" href="{html.escape(figure_url(page, ident), quote=True)}">',
        f'<link rel="stylesheet" href="{up}assets/css/embed.css">',
        "</head>",
        "<body>",
        '<figure class="obs-embed">',
        f'<img src="{up}{image}" alt="{html.escape(alt or caption, quote=True)}">',
        f"<figcaption><strong>{html.escape(caption)}</strong>"
        + (f"<br>{html.escape(source)}" if source else "")
        + f'<br><a href="{html.escape(figure_url(page, ident), quote=True)}" target="_blank" rel="noopener">'
        f"{html.escape(s['figure_view.embed_open'])}</a> · {org}</figcaption>",
        "</figure>",
        "</body>",
        "</html>",
        "",
    ]
    return csp.add_policy("\n".join(lines), embed_path(page, ident, s))


def figure_text(caption: str, container: str, authors: list[str], year: int | None, s: Strings, url: str) -> str:
    """`Authors (2026). Figura 1: caption. Em: Page title. Organisation. URL#figure`"""
    names = "; ".join(authors) or s["organisation"]
    when = f" ({year})" if year else ""
    return f"{names}{when}. {caption}. {s['figure_view.figure_in']} {container}. {s['organisation']}. {url}"


def figure_bibtex(key: str, caption: str, container: str, authors: list[str], year: int | None, s: Strings, url: str) -> str:
    """A `@misc` entry for one figure, its page as `note`; corporate authors in double braces as for publications."""
    names = " and ".join("{" + bibtex_escape(a) + "}" for a in authors) or "{" + bibtex_escape(s["organisation"]) + "}"
    fields = [
        ("author", names),
        ("title", "{" + bibtex_escape(caption) + "}"),
        ("howpublished", bibtex_escape(f"{s['figure_view.figure_kind']}, {s['figure_view.figure_in']} {container}")),
        ("organization", bibtex_escape(s["organisation"])),
        *([("year", str(year))] if year else []),
        ("language", str(s["bibtex_language"])),
        ("url", url),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"
