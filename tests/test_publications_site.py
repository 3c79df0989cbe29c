"""End to end: the built site's publications — catalogue and facet pages, landing pages in both
languages, citations, feeds, social cards and the briefs' PDFs."""

from __future__ import annotations

import json
import re
import shutil
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import bibtexparser
import pytest
from bs4 import BeautifulSoup

from observatorio.errors import UserError
from observatorio.i18n import languages
from observatorio.publications import collect

SITE_URL = "https://observatorio-migracoes.cv/"
ATOM = "{http://www.w3.org/2005/Atom}"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def text(node) -> str:
    return " ".join(node.get_text(" ").replace("\u00a0", " ").split())


def heading(node) -> str:
    """A heading's text without its permalink (¶)."""
    return text(node).removesuffix("¶").strip()


def local_file(site: Path, page_url: str, href: str) -> Path:
    """The file a link on the page at `page_url` (absolute) leads to."""
    path = urlsplit(urljoin(page_url, href)).path
    target = site / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def built(built_site):
    root, site = built_site
    return root, site, collect(root), languages(root)


# -- catalogue ------------------------------------------------------------------------------------

@pytest.mark.slow
def test_catalogue_lists_every_publication_newest_first_in_both_languages(built):
    root, site, publications, langs = built
    for lang in langs:
        page_url = f"{SITE_URL}{lang.prefix()}publicacoes/"
        page = soup(site / lang.prefix() / "publicacoes" / "index.html")
        assert page.html["lang"] == lang.code
        articles = page.select("article.obs-publication")
        assert [heading(a.find("h2")) for a in articles] == [p.title(lang.code) for p in publications]
        dates = [a.find("time")["datetime"] for a in articles]
        assert dates == sorted(dates, reverse=True)
        for article, publication in zip(articles, publications):
            assert article["data-type"] == publication.type
            assert article["data-year"] == str(publication.date().year)
            assert set(article["data-topics"].split()) == {t.id for t in publication.topics}
            landing = local_file(site, page_url, article.find("h2").find("a")["href"])
            assert landing == site / lang.prefix() / "publicacoes" / publication.slug / "index.html"
            pdfs = [a for a in article.find_all("a") if a["href"].endswith(".pdf")]
            assert len(pdfs) == len(langs) and all(local_file(site, page_url, a["href"]).is_file() for a in pdfs)
        # the JavaScript filter is in the page, hidden until the script shows it
        form = page.select_one("form.obs-filter")
        assert form.has_attr("hidden") and {s["name"] for s in form.find_all("select")} == {"type", "year", "topics"}
        script = page.find("script", src=re.compile("observatorio-publications.js"))
        assert local_file(site, page_url, script["src"]).is_file()
        # the filter without JavaScript: links to static facet pages
        facet_links = page.select("nav.obs-facets a")
        assert len(facet_links) >= 4
        for link in facet_links:
            assert local_file(site, page_url, link["href"]).is_file(), link["href"]


@pytest.mark.slow
def test_facet_pages_list_exactly_the_matching_publications(built):
    root, site, publications, langs = built
    expected = {}
    for p in publications:
        expected.setdefault(("tipo", p.type), []).append(p)
        expected.setdefault(("ano", str(p.date().year)), []).append(p)
        for topic in p.topics:
            expected.setdefault(("tema", topic.id), []).append(p)
    assert {kind for kind, _ in expected} == {"tipo", "ano", "tema"}
    for lang in langs:
        for (kind, value), chosen in expected.items():
            path = site / lang.prefix() / "publicacoes" / kind / value / "index.html"
            page = soup(path)
            titles = [heading(a.find("h2")) for a in page.select("article.obs-publication")]
            assert titles == [p.title(lang.code) for p in chosen], path
            assert page.select_one("nav.obs-facets strong")  # the current facet, not a link


# -- landing pages ------------------------------------------------------------------------------

@pytest.mark.slow
def test_every_publication_has_a_landing_page_in_both_languages(built):
    root, site, publications, langs = built
    assert len(publications) >= 4
    for publication in publications:
        for lang in langs:
            code = lang.code
            page_url = f"{SITE_URL}{lang.prefix()}publicacoes/{publication.slug}/"
            path = site / lang.prefix() / "publicacoes" / publication.slug / "index.html"
            page = soup(path)
            article = page.find("article")
            assert page.html["lang"] == code
            assert heading(article.find("h1")) == publication.title(code)
            assert article.find("time")["datetime"] == publication.date(code).isoformat()
            body = text(article)
            for name in publication.authors(code):
                assert name in body
            assert text(article.select_one(".obs-abstract")) == publication.abstract(code)
            for topic in publication.topics:
                link = article.find("a", string=topic.label(code))
                assert local_file(site, page_url, link["href"]) == site / lang.prefix() / "publicacoes" / "tema" / topic.id / "index.html"
            # PDFs in every language, each with its size
            downloads = article.select_one(".obs-downloads")
            pdf_links = [a for a in downloads.find_all("a") if a["href"].endswith(".pdf")]
            assert len(pdf_links) == len(langs)
            for a in pdf_links:
                assert local_file(site, page_url, a["href"]).is_file()
                assert re.search(r"\(\d+([.,]\d)? (B|KB|MB)\)", text(a)), text(a)
            # figures with their data
            figures = article.find(id="figuras")
            assert figures is not None
            items = figures.find_next("ul")
            if publication.type == "brief" or "fig-" in path.read_text(encoding="utf-8"):
                csvs = [a for a in items.find_all("a") if a["href"].endswith(".csv")]
                assert csvs and all(local_file(site, page_url, a["href"]).is_file() for a in csvs)
            # datasets used, linked to the data catalogue
            datasets = article.find(id="dados").find_next("ul")
            dataset_links = [a["href"] for a in datasets.find_all("a")]
            assert dataset_links
            for href in dataset_links:
                target = local_file(site, page_url, href)
                assert target.is_file() and target.parent.parent == site / lang.prefix() / "dados"
            # how to cite: text, BibTeX, CSL-JSON
            citation = article.select_one("blockquote.obs-citation")
            assert publication.title(code) in text(citation) and page_url in text(citation)
            codes = [pre.get_text() for pre in article.select("pre")]
            bib = next(c for c in codes if c.lstrip().startswith("@techreport"))
            entries = bibtexparser.loads(bib).entries
            assert len(entries) == 1 and entries[0]["url"] == page_url
            csl = json.loads(next(c for c in codes if c.lstrip().startswith("[")))
            assert csl[0]["URL"] == page_url and csl[0]["title"].startswith(publication.title(code))
            for suffix in (f"{code}.bib", f"{code}-csl.json"):
                assert (site / "publicacoes" / publication.slug / f"{publication.slug}-{suffix}").is_file()
            # version and corrections
            versions = article.find(id="versoes")
            assert versions is not None and publication.version in text(versions.find_next("p"))


@pytest.mark.slow
def test_sharing_meta_points_to_a_1200_by_630_card(built):
    root, site, publications, langs = built
    for publication in publications:
        for lang in langs:
            head = soup(site / lang.prefix() / "publicacoes" / publication.slug / "index.html").head
            meta = {m.get("property") or m.get("name"): m["content"] for m in head.find_all("meta") if m.get("content")}
            image = meta["og:image"]
            assert image.startswith(SITE_URL) and image.endswith(f"-card-{lang.code}.png")
            assert meta["twitter:image"] == image
            assert png_size(site / urlsplit(image).path.lstrip("/")) == (1200, 630)
            assert meta["og:image:width"] == "1200" and meta["og:image:height"] == "630"
            assert publication.title(lang.code) in meta["og:image:alt"] and meta["twitter:image:alt"] == meta["og:image:alt"]
            assert meta["og:title"] == meta["twitter:title"] == publication.title(lang.code)
            assert meta["og:url"] == f"{SITE_URL}{lang.prefix()}publicacoes/{publication.slug}/"
            assert meta["twitter:card"] == "summary_large_image" and meta["og:type"] == "article"
            feeds = [link["href"] for link in head.find_all("link", type=re.compile(r"application/(rss|atom)\+xml"))]
            assert feeds == [f"{SITE_URL}publicacoes/rss-{lang.code}.xml", f"{SITE_URL}publicacoes/atom-{lang.code}.xml"]


@pytest.mark.slow
def test_feeds_have_one_item_per_publication_per_language(built):
    root, site, publications, langs = built
    for lang in langs:
        rss = ET.parse(site / "publicacoes" / f"rss-{lang.code}.xml").getroot()
        atom = ET.parse(site / "publicacoes" / f"atom-{lang.code}.xml").getroot()
        links = [item.findtext("link") for item in rss.findall("channel/item")]
        assert links == [f"{SITE_URL}{lang.prefix()}publicacoes/{p.slug}/" for p in publications]
        assert [e.find(f"{ATOM}link").get("href") for e in atom.findall(f"{ATOM}entry")] == links
        assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == [p.title(lang.code) for p in publications]
        for link in links:
            assert (site / urlsplit(link).path.lstrip("/") / "index.html").is_file()


@pytest.mark.slow
def test_home_page_shows_the_latest_publications(built):
    root, site, publications, langs = built
    for lang in langs:
        page = soup(site / lang.prefix() / "index.html")
        cards = page.select(".obs-latest li")
        assert [text(c.find("a")) for c in cards] == [p.title(lang.code) for p in publications[:3]]
        for card, publication in zip(cards, publications):
            target = local_file(site, f"{SITE_URL}{lang.prefix()}", card.find("a")["href"])
            assert target == site / lang.prefix() / "publicacoes" / publication.slug / "index.html"


@pytest.mark.slow
def test_briefs_are_short_pdfs_with_key_messages_first_and_a_box_about_the_data(built):
    from pypdf import PdfReader

    root, site, publications, langs = built
    briefs = [p for p in publications if p.type == "brief"]
    assert len(briefs) >= 2
    headings = {"pt": ("Mensagens-chave", "Recomendações", "Sobre os dados"), "en": ("Key messages", "Recommendations", "About the data")}
    for publication in briefs:
        for lang in langs:
            reader = PdfReader(site / "publicacoes" / publication.slug / f"{publication.slug}-{lang.code}.pdf")
            assert 2 <= len(reader.pages) <= 4
            assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)
            first = " ".join(reader.pages[0].extract_text().split())
            everything = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
            key, recommendations, about = headings[lang.code]
            assert key in first  # key messages up front
            assert everything.index(key) < everything.index(recommendations) < everything.index(about)
            page = soup(site / lang.prefix() / "publicacoes" / publication.slug / "index.html")
            for link in page.find(id="dados").find_next("ul").find_all("a"):
                assert text(link) in everything  # every dataset named on the web page is in the PDF's box


# -- bad input stops the build before any cell runs ---------------------------------------------

def test_build_stops_on_bad_metadata_before_running_cells(tmp_path):
    from test_reports_render import make_project

    from observatorio import publications

    root = make_project(tmp_path / "project")
    (root / "reports" / "_metadata.yml").write_text("execute:\n  echo: false\n", encoding="utf-8")
    path = root / "reports" / "amostra" / "index.en.qmd"
    path.write_text(re.sub(r"^abstract:.*\n", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE), encoding="utf-8")
    with pytest.raises(UserError, match=r"reports/amostra/index.en.qmd: missing required field `abstract` \(English\)"):
        publications.write_pages(root, root / "build" / "docs", jobs=1, engine="builtin")
    assert not (root / "build" / "reports" / "cache").exists()
    shutil.rmtree(root)
