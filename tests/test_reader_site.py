"""What a reader relies on, checked on the built site: citations, contact, dates, sharing previews, language."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
import yaml
from conftest import soup

from observatorio.data import load_package

pytestmark = pytest.mark.slow
SITE_URL = "https://observatorio-migracoes.cv/"
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
        for block in html.select("figure.obs-figure blockquote.obs-citation"):
            # a figure's citation: "… Figura 1: caption. Em: <the page's title>. Organisation. URL#figure"
            figure_in = "Em:" if lang == "pt" else "In:"
            title = html.find("h1").get_text(" ", strip=True).removesuffix("¶").strip()
            text = block.get_text(" ", strip=True)
            assert f". {figure_in} " in text and f"#{block.find_parent('figure')['id']}" in text, page
            assert title in text.split(f". {figure_in} ", 1)[1].split(". ")[0], (page, text, title)  # "Perfil migratório: Angola"
        for block in html.select("blockquote.obs-citation"):
            if block.find_parent("figure") is not None:
                continue
            slug = page.parent.name
            source = root / "reports" / slug / ("index.qmd" if lang == "pt" else f"index.{lang}.qmd")
            meta = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1])
            title = meta["title"] + (f": {meta['subtitle']}" if meta.get("subtitle") else "")
            assert f"). {title} [" in block.get_text(" ", strip=True), page
            cited += 1
    public = len(package.public_resources())
    assert cited >= 2 * public + 2, f"only {cited} citations found"


# Words that are English and never Portuguese: a text node with one of them is English text.
ENGLISH_WORDS = {"the", "and", "of", "with", "from", "for", "by", "is", "are", "this", "that", "which", "was", "were", "has",
                 "have", "been", "its", "their", "made", "permanent", "link", "stated", "reported", "persons", "people",
                 "read", "terms", "checked", "minor", "processing", "based"}
LOWERCASE_WORD = re.compile(r"\b[a-z]+\b")  # running-text words; not "CC BY", not identifiers such as stock_by_origin
ALLOWED_ENGLISH = Path(__file__).with_name("english_on_portuguese_pages.txt")
SKIPPED_TAGS = ("script", "style", "code", "pre", "svg", "title")


def allowed_english() -> list[str]:
    """The allow-list: proper names and quoted titles that stay in English on Portuguese pages, longest first."""
    lines = ALLOWED_ENGLISH.read_text(encoding="utf-8").splitlines()
    return sorted((line for line in lines if line.strip() and not line.startswith("#")), key=len, reverse=True)


def english_texts(html, allowed: list[str]) -> list[str]:
    """Text nodes and titles/labels of a Portuguese page that are English once the allowed phrases are removed."""
    texts = [str(node) for node in html.find_all(string=True)
             if node.parent.name not in SKIPPED_TAGS and not node.find_parent(SKIPPED_TAGS)
             and not node.find_parent(lang=lambda code: code and not code.startswith("pt"))]
    texts += [tag[attr] for attr in ("title", "aria-label", "alt", "placeholder") for tag in html.find_all(attrs={attr: True})]
    found = []
    for text in texts:
        plain = " ".join(text.split())
        rest = plain
        for phrase in allowed:
            rest = rest.replace(phrase, " ")
        if set(LOWERCASE_WORD.findall(rest)) & ENGLISH_WORDS:
            found.append(plain)
    return found


def test_portuguese_pages_have_no_english_text_outside_the_allow_list(built_site):
    _, site = built_site
    allowed = allowed_english()
    problems = {}
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site)
        if relative.parts[0] in ("en", "assets"):
            continue
        found = english_texts(soup(page), allowed)
        if found:
            problems[str(relative)] = sorted(set(found))[:5]
    assert not problems, f"English text on {len(problems)} Portuguese pages (translate it, or add a proper name to {ALLOWED_ENGLISH.name}): {problems}"


def test_contact_is_in_every_footer_on_the_about_page_and_in_the_accessibility_statement(built_site):
    _, site = built_site
    for page in [*site.glob("*/index.html"), site / "en" / "index.html"]:
        footer = soup(page).select_one(".md-copyright address")
        assert footer is not None and footer.select('a[href^="mailto:"]'), page
    for path in ("sobre/index.html", "en/sobre/index.html", "sobre/acessibilidade/index.html", "en/sobre/acessibilidade/index.html"):
        body = soup(site / path).select_one("article")
        mails = {a["href"] for a in body.select('a[href^="mailto:"]')}
        assert mails == {"mailto:geral@observatorio-migracoes.cv", "mailto:imprensa@observatorio-migracoes.cv"}, path


def test_publications_datasets_and_profiles_say_when_they_were_updated(built_site):
    _, site = built_site
    pages = [p for p in site.glob("**/index.html")
             if len(p.relative_to(site).parts) >= 3 and p.parent.parent.name in ("publicacoes", "dados", "perfis")]
    kinds = {p.parent.parent.name for p in pages}
    assert kinds == {"publicacoes", "dados", "perfis"}
    for page in pages:
        if page.parent.name in ("tema", "tipo", "ano"):
            continue
        updated = soup(page).select_one("p.obs-updated time[datetime]")
        assert updated is not None, page
        assert updated.get_text().strip()[0].isdigit(), page
        english = page.relative_to(site).parts[0] == "en"
        assert updated.parent.get_text().startswith("Updated" if english else "Atualizado em"), page


def test_home_page_shows_the_diaspora_links_profiles_and_campaigns_and_key_figures_lead_to_their_value(built_site):
    _, site = built_site
    for home, expected in ((site / "index.html", "187\u00a0558"), (site / "en" / "index.html", "187,558")):
        html = soup(home)
        assert expected in [v.get_text() for v in html.select(".key-figure__value")]
        hrefs = [a["href"] for a in html.select("article a")]
        assert any(h.startswith("perfis/") for h in hrefs) and any(h.startswith("campanhas/") for h in hrefs)
        for link in html.select(".key-figures a"):
            page, anchor = link["href"].split("#")
            shown = soup(home.parent / page / "index.html").find(id=anchor)
            assert shown is not None, link["href"]
            value = link.find_parent("li").select_one(".key-figure__value").get_text()
            assert value in shown.get_text(), (link["href"], value)


def test_every_page_type_has_sharing_tags_with_an_image_that_exists_and_alt_text(built_site):
    _, site = built_site
    pages = {
        "home": ["index.html", "en/index.html"],
        "publication": ["publicacoes/remessas-economia/index.html", "en/publicacoes/remessas-economia/index.html"],
        "campaign": ["campanhas/morabeza-para-todos/index.html", "en/campanhas/morabeza-para-todos/index.html"],
        "profile": ["perfis/prt/index.html", "en/perfis/prt/index.html"],
        "dataset": ["dados/immigrant_stock/index.html", "en/dados/immigrant_stock/index.html"],
        "about": ["sobre/index.html", "en/sobre/index.html"],
    }
    images = set()
    for kind, paths in pages.items():
        for path in paths:
            head = soup(site / path).head
            tags = {tag.get("property") or tag.get("name"): tag["content"] for tag in head.select("meta[content]")}
            for name in ("og:title", "og:url", "og:image", "og:image:alt", "twitter:card", "twitter:image", "twitter:image:alt"):
                assert tags.get(name, "").strip(), f"{kind} {path}: no {name}"
            image = tags["og:image"]
            assert image.startswith(SITE_URL) and image.endswith(".png"), (path, image)
            file = site / image[len(SITE_URL):]
            assert file.is_file(), (path, image)
            from PIL import Image

            assert Image.open(file).size == (1200, 630), (path, image)
            images.add((kind, image))
    assert len({image for kind, image in images if kind in ("profile", "dataset", "campaign", "publication")}) == 8


def test_the_translation_status_page_is_for_maintainers_only(built_site):
    """Reachable by its address (named by `observatorio check`), but out of the navigation, search, sitemaps and search engines."""
    _, site = built_site
    for prefix, sitemap in (("", site / "sitemap.xml"), ("en/", site / "en" / "sitemap.xml")):
        page = site / prefix / "sobre" / "traducoes" / "index.html"
        html = soup(page)
        assert html.find("meta", attrs={"name": "robots", "content": "noindex"}), page
        assert not html.select('.md-nav a[href$="traducoes/"]'), page
        assert f"{SITE_URL}{prefix}sobre/traducoes/" not in sitemap.read_text(encoding="utf-8")
        assert f"{SITE_URL}{prefix}sobre/" in sitemap.read_text(encoding="utf-8")  # the other pages stay
    assert b"sobre/traducoes/" not in gzip.decompress((site / "sitemap.xml.gz").read_bytes())
    for index in site.rglob("search_index.json"):
        assert "sobre/traducoes/" not in index.read_text(encoding="utf-8"), index


def test_quotation_marks_follow_each_language(built_site):
    """Portuguese text quotes with « », English text with “ ” (or straight quotes): never the other language's marks."""
    _, site = built_site
    wrong = {}
    for page in sorted(site.rglob("index.html")):
        lang = language_of(site, page)
        marks = ("“", "”") if lang == "pt" else ("«", "»")
        html = soup(page)
        for node in html.find_all(string=True):
            quoted = node.find_parent(attrs={"lang": True})  # text marked as another language keeps its own marks
            if node.find_parent(SKIPPED_TAGS) or (quoted is not None and not quoted["lang"].startswith(lang)):
                continue
            if any(mark in node for mark in marks):
                wrong.setdefault(page.relative_to(site).as_posix(), []).append(" ".join(node.split())[:120])
    assert not wrong, wrong
