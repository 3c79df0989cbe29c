"""A hostile string in every text field of every source kind stays text on every page type.

`hostile.inject` puts one string with an element and a script into dataset titles and
descriptions, report front matter (title, subtitle, author, abstract), the bibliography, a topic
label, a campaign's summary (markup in its name is refused), and a country name; the site is built once. In Chromium no
page runs the script or gains the element, and feeds, sitemaps, JSON blocks, search index and SVGs
hold it as text.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import copy_built
from hostile import HOSTILE, REPORT

from observatorio import static_server
from observatorio.audit import page_types
from observatorio.site import build

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PUBLICATION = REPORT.split("/")[-1]


@pytest.fixture(scope="module")
def hostile_site(built_site, tmp_path_factory):
    from hostile import inject

    root = copy_built(built_site, tmp_path_factory.mktemp("hostile") / "project")  # a rebuild gives a cold build's bytes
    inject(root)
    build(root)
    return root, root / "_site"


def every_page_type(site: Path) -> list[str]:
    types = {**page_types(site), "publication": f"/publicacoes/{PUBLICATION}/", "topic": "/publicacoes/tema/imigracao/",
             "profile": "/perfis/ago/", "profile-with-publications": "/perfis/prt/"}
    return [prefix + path for path in types.values() for prefix in ("", "/en")]


def test_no_page_runs_the_script_or_gains_the_element(hostile_site):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    _, site = hostile_site
    server = static_server.start(site)
    origin = f"http://127.0.0.1:{server.server_port}"
    problems, shown = [], 0
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for path in every_page_type(site):
                page = browser.new_page()
                page.goto(origin + path)
                page.wait_for_load_state("networkidle")
                if page.evaluate("typeof window.__hostile") != "undefined":
                    problems.append(f"{path}: the injected script ran")
                if page.evaluate("document.querySelectorAll('[data-hostile]').length"):
                    problems.append(f"{path}: the injected element is in the page")
                shown += HOSTILE in page.evaluate("document.title + ' ' + document.body.innerText")
                page.close()
            browser.close()
    finally:
        server.shutdown()
    assert problems == []
    assert shown >= 10  # the string is there, as text, on most pages (dataset, publication, topic, campaign, profile...)


def test_generated_files_hold_the_string_as_text(hostile_site):
    _, site = hostile_site
    for feed in sorted((site / "publicacoes").glob("*-*.xml")):  # RSS and Atom, per language
        tree = ET.parse(feed)
        texts = " ".join(tree.getroot().itertext())
        assert HOSTILE in texts, feed.name
        assert not [e for e in tree.iter() if e.tag.endswith("}i") or e.tag == "i"], feed.name
    for sitemap in [site / "sitemap.xml", site / "en" / "sitemap.xml"]:
        ET.parse(sitemap)
    for index in [site / "search" / "search_index.json", site / "en" / "search" / "search_index.json"]:
        raw = index.read_text(encoding="utf-8")
        json.loads(raw)
        assert "<i data-hostile>" not in raw, index  # Material shows entries as HTML: the text must be escaped
        assert "&lt;i data-hostile&gt;" in raw, index
    for path in sorted(site.rglob("*.html")):  # JSON blocks (chart specs, Material's config) parse and keep the string in a value
        for tag in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select('script[type^="application/"]'):
            json.loads(tag.string)
    for svg in sorted(site.rglob("*.svg")):
        if "data-hostile" in svg.read_text(encoding="utf-8"):
            assert not [e for e in ET.parse(svg).iter() if e.get("data-hostile") is not None], svg
