"""Sharing previews (Open Graph and X cards) for every page.

A page's front matter `social:` (image: absolute URL of a 1200 × 630 PNG, alt, type, url) becomes
Open Graph and Twitter card tags (site/overrides/main.html); a page without one shows the
observatory's card. Publications and campaigns make their own cards; dataset pages and country
profiles get one drawn by the publications' Typst template, cached under build/cards by content,
so a rebuild draws only cards whose text changed.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from . import steps
from .files import write_if_changed
from .i18n import Strings, languages, read_mkdocs_config, strings
from .paths import build_dir


def front_matter(image: str, alt: str, url: str, kind: str = "article") -> list[str]:
    """The `social:` block of a page's front matter."""
    return ["social:", f"  image: {json.dumps(image, ensure_ascii=False)}", f"  alt: {json.dumps(alt, ensure_ascii=False)}",
            f"  type: {kind}", f"  url: {json.dumps(url, ensure_ascii=False)}"]


def site_url(root: Path) -> str:
    return str(read_mkdocs_config(root).get("site_url", "")).rstrip("/") + "/"


@functools.lru_cache(maxsize=1)
def _cards():
    from .publications.social import Cards

    return Cards()


def card(root: Path, name: str, s: Strings, kind: str, title: str, value: str = "", label: str = "") -> bytes:
    """A 1200 × 630 card (PNG) in the publications' design, from the cache when its text was drawn before."""
    from .publications.social import TEMPLATE

    data = {"org": str(s["organisation"]), "kind": kind, "title": title, "value": value, "label": label, "date": "",
            "site": site_url(root).split("//", 1)[-1].rstrip("/"), "lang": s.code}
    template = (Path(__file__).parent / TEMPLATE).read_bytes()
    return steps.memo(build_dir(root) / "cards", ".png", lambda: _cards().render(name, data), template, steps.value_checksum(data))


def site_card_path(lang_code: str) -> str:
    """Where the observatory's own card is published (the image of pages without one of their own)."""
    return f"assets/images/observatorio-card-{lang_code}.png"


def write_site_cards(root: Path, docs: Path) -> None:
    """The observatory's card in every language."""
    config = read_mkdocs_config(root)
    for lang in languages(root):
        s = strings(root, lang.code)
        description = _language_setting(config, lang.code, "site_description")
        png = card(root, f"mkdocs.yml ({lang.code}): the site's social card", s, s["sharing.site_kind"], description)
        write_if_changed(docs / site_card_path(lang.code), png)


def _language_setting(config: dict, code: str, key: str) -> str:
    """`key` (site_name, site_description) for one language: the i18n plugin's value, else the site's."""
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            for entry in (plugin["i18n"] or {}).get("languages") or []:
                if str(entry.get("locale")) == code and entry.get(key):
                    return str(entry[key])
    return str(config.get(key, ""))
