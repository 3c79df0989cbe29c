"""End to end: build a copy of the project's site into a temporary folder and inspect its files."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import copy_built, tree_digest

from observatorio.data import load_package
from observatorio.errors import UserError
from observatorio.links import broken_links
from observatorio.site import build

pytestmark = pytest.mark.slow
SITE_URL = "https://observatorio-migracoes.cv/"


@pytest.fixture
def built(built_site):
    return built_site


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def page_for(site: Path, url_path: str) -> Path:
    return site / url_path.lstrip("/") / "index.html" if url_path.endswith("/") else site / url_path.lstrip("/")


def test_every_page_has_the_right_html_lang(built):
    _, site = built
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        relative = page.relative_to(site).as_posix()
        expected = "en" if relative.startswith("en/") else "pt"
        assert soup(page).html["lang"] == expected, relative


def test_language_switcher_leads_to_the_same_page(built):
    root, site = built
    for name in [r.name for r in load_package(root).public_resources()] + ["sobre/metodos"]:
        path = f"dados/{name}/" if "/" not in name else f"{name}/"
        pt_page, en_page = page_for(site, "/" + path), page_for(site, "/en/" + path)
        switch = {a["hreflang"]: a["href"] for a in soup(pt_page).select("a.md-select__link[hreflang]")}
        assert urlsplit(urljoin(SITE_URL + path, switch["en"])).path == "/en/" + path
        back = {a["hreflang"]: a["href"] for a in soup(en_page).select("a.md-select__link[hreflang]")}
        assert urlsplit(urljoin(SITE_URL + "en/" + path, back["pt"])).path == "/" + path


def test_hreflang_alternates_are_absolute(built):
    _, site = built
    links = {x["hreflang"]: x["href"] for x in soup(site / "sobre" / "index.html").select("link[hreflang]")}
    assert links == {"pt": SITE_URL + "sobre/", "en": SITE_URL + "en/sobre/", "x-default": SITE_URL + "sobre/"}
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f'hreflang="en" href="{SITE_URL}en/sobre/"' in sitemap


def test_404_page_in_each_language(built):
    _, site = built
    assert "Página não encontrada" in soup(site / "404.html").get_text()
    assert "Page not found" in soup(site / "en" / "404.html").get_text()


def test_home_page_key_figures_come_from_the_data_with_sources(built):
    _, site = built
    pt = soup(site / "index.html")
    en = soup(site / "en" / "index.html")
    values_pt = [v.get_text() for v in pt.select(".key-figure__value")]
    values_en = [v.get_text() for v in en.select(".key-figure__value")]
    assert "16\u00a0515" in values_pt and "16,515" in values_en
    assert len(values_pt) == len(values_en) >= 5
    assert "Cálculo do Observatório" in pt.get_text() and "Computed by the Observatory" in en.get_text()
    links = {a["href"] for a in pt.select(".key-figures a")}
    assert "dados/immigrant_stock/#immigrants" in links and "dados/remittances/#remittances-gdp" in links


def test_every_download_link_resolves_and_matches_the_source(built):
    root, site = built
    from openpyxl import load_workbook

    for resource in load_package(root).public_resources():
        source_rows = list(csv.DictReader(io.StringIO(resource.path.read_text(encoding="utf-8"))))
        for prefix in ("", "en/"):
            page = site / prefix / "dados" / resource.name / "index.html"
            hrefs = {a["href"] for a in soup(page).select("article a[href]")}
            targets = {}
            for href in hrefs:
                url = urljoin(f"{SITE_URL}{prefix}dados/{resource.name}/", href)
                if url.startswith(SITE_URL) and url.rsplit(".", 1)[-1] in ("csv", "xlsx", "json", "zip"):
                    target = site / urlsplit(url).path.lstrip("/")
                    assert target.is_file(), f"{page}: {href}"
                    targets[target.suffix] = target
            assert {".csv", ".xlsx", ".json", ".zip"} <= set(targets), (page, hrefs)
        folder = site / "dados" / resource.name
        assert (folder / f"{resource.name}.csv").read_bytes() == resource.path.read_bytes()
        records = json.loads((folder / f"{resource.name}.json").read_text(encoding="utf-8"))
        assert len(records) == len(source_rows)
        sheet = load_workbook(folder / f"{resource.name}.xlsx", read_only=True)["data"]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == list(source_rows[0].keys())
        assert len(rows) - 1 == len(source_rows)
        header = list(rows[0])
        for record, row, source in zip(records, rows[1:], source_rows):
            for column, text in source.items():
                assert same_value(text, record[column]), (resource.name, column, text, record[column])
                assert same_value(text, row[header.index(column)], rel=1e-14), (resource.name, column, text)  # Excel keeps 15 digits
        sums = dict(line.split("  ")[::-1] for line in (folder / "SHA256SUMS").read_text().splitlines())
        for name, digest in sums.items():
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        assert descriptor["resources"][0]["path"] == f"{resource.name}.csv"


def same_value(text: str, value, rel: float = 0.0) -> bool:
    """A CSV cell and the value a download holds for it agree (numbers compared as numbers)."""
    if text == "":
        return value is None
    if isinstance(value, bool):
        return text.lower() == str(value).lower()
    if isinstance(value, (int, float)):
        return float(text) == pytest.approx(float(value), rel=rel)
    return text == value


def test_no_page_loads_anything_from_another_origin(built):
    _, site = built
    for page in site.rglob("*.html"):
        html = soup(page)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in html.find_all(tag):
                url = element.get(attr)
                if not url or (tag == "link" and element.get("rel") in (["alternate"], ["canonical"])):
                    continue
                assert not urlsplit(url).netloc or url.startswith(SITE_URL), f"{page}: {url}"


def test_internal_links_resolve(built):
    """LinkChecker crawls the whole site over HTTP."""
    _, site = built
    assert broken_links(site) == []


def test_the_link_checker_finds_a_broken_link(tmp_path):
    """A small site of its own: one good link, one broken link, one asset."""
    (tmp_path / "sobre").mkdir()
    (tmp_path / "index.html").write_text('<a href="sobre/">ok</a> <img src="logo.svg" alt="">', encoding="utf-8")
    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (tmp_path / "sobre" / "index.html").write_text('<a href="../nao-existe/">x</a> <a href="../">home</a>', encoding="utf-8")
    assert broken_links(tmp_path) == ["/sobre/: broken link ../nao-existe/ (not found)"]


def test_a_failed_build_leaves_the_published_site_untouched(built, tmp_path):
    root = copy_built(built, tmp_path / "project")  # its own copy: it edits the data
    site = root / "_site"

    before = tree_digest(site)
    raw = root / "data" / "raw" / "un_desa_immigrant_stock_cabo_verde.csv"
    original = raw.read_text(encoding="utf-8")
    raw.write_text(original.replace(",8931,", ",-8931,", 1), encoding="utf-8")
    try:
        with pytest.raises(UserError, match="row 2, field `value`"):
            build(root)
    finally:
        raw.write_text(original, encoding="utf-8")
    assert tree_digest(site) == before
    assert not list(site.parent.glob(".site-*"))
