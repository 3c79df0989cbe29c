"""What a reader relies on, checked on the built site: citations, contact, dates, sharing previews, language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from observatorio.data import load_package

from conftest import soup

pytestmark = pytest.mark.slow
DATASET_CITATION = re.compile(r"\(\d{4}\)\. (?P<title>.+?) \[(?:conjunto de dados|dataset)\]")


def language_of(site: Path, page: Path) -> str:
    return "en" if page.relative_to(site).parts[0] == "en" else "pt"


def test_every_citation_names_what_it_cites(built_site):
    root, site = built_site
    package = load_package(root)
    cited = 0
    for page in sorted(site.rglob("index.html")):
        html = soup(page)
        lang = language_of(site, page)
        heading = html.find(id=("como-citar" if lang == "pt" else "how-to-cite"))
        if heading is not None and page.parent.parent.name == "dados":
            text = heading.find_next("p").get_text(" ", strip=True)
            match = DATASET_CITATION.search(text)
            assert match, f"{page}: no dataset citation in {text!r}"
            assert match["title"] == package.resource(page.parent.name).title(lang), page
            cited += 1
        for block in html.select("blockquote.obs-citation"):
            slug = page.parent.name
            source = root / "reports" / slug / ("index.qmd" if lang == "pt" else f"index.{lang}.qmd")
            meta = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1])
            title = meta["title"] + (f": {meta['subtitle']}" if meta.get("subtitle") else "")
            assert f"). {title} [" in block.get_text(" ", strip=True), page
            cited += 1
    public = len(package.public_resources())
    assert cited >= 2 * public + 2, f"only {cited} citations found"
