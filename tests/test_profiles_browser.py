"""Country profiles in a real browser (Debian's Chromium driven by Playwright): the index's filter as a
progressive enhancement, accessibility and phone layout of the index and of a profile, in both languages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from observatorio import static_server

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
PAGES = ["/perfis/", "/en/perfis/", "/perfis/gnb/", "/en/perfis/usa/"]

if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(built_site):
    _, folder = built_site
    if not (folder / "perfis" / "index.html").is_file():
        pytest.skip("the site build has no country profiles (generator not in site.GENERATORS)")
    httpd = static_server.start(folder)
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def visible_rows(page) -> list[str]:
    rows = page.locator("#obs-profiles tbody tr")
    return [rows.nth(i).get_attribute("data-search") for i in range(rows.count()) if rows.nth(i).is_visible()]


def test_filter_narrows_the_table_and_ignores_accents(site, browser):
    page = browser.new_page()
    page.goto(site + "/en/perfis/")
    total = len(visible_rows(page))
    assert page.is_visible("#obs-profile-filter") and total > 10
    page.fill("#obs-profile-filter", "guine")  # matches Guiné and Guiné-Bissau (Portuguese names, no accent typed)
    assert {row.split()[-1] for row in visible_rows(page)} >= {"GNB", "GIN"}
    page.fill("#obs-profile-filter", "PRT")
    assert [row.split()[-1] for row in visible_rows(page)] == ["PRT"]
    page.fill("#obs-profile-filter", "no such country")
    assert visible_rows(page) == [] and page.is_visible(".obs-profile-none")
    page.fill("#obs-profile-filter", "")
    assert len(visible_rows(page)) == total
    page.close()


def test_without_javascript_the_whole_table_shows_and_the_filter_hides(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/perfis/")
    assert not page.is_visible("#obs-profile-filter")
    assert len(visible_rows(page)) == page.locator("#obs-profiles tbody tr").count() > 10
    context.close()


def test_profiles_are_accessible_and_fit_a_phone(site, browser):
    from observatorio.accessibility import axe_run

    problems = []
    for path in PAGES:
        for width in (1280, 360):
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            page.goto(site + path)
            page.wait_for_load_state("networkidle")
            if width == 1280:
                problems += [f"{path}: {v['id']}: {v['help']}" for v in axe_run(page)]
            elif page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append(f"{path}: wider than a {width}px phone")
            context.close()
    assert problems == []
