"""The built site in a real browser (Debian's Chromium driven by Playwright): accessibility,
privacy, mobile layout, language switching and search, on every page type in both languages."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from observatorio import static_server
from observatorio.accessibility import axe_run
from observatorio.audit import page_types

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def both_languages(types: dict[str, str]) -> list[tuple[str, str]]:
    return [(f"{name}-{code}", ("/en" if code == "en" else "") + path) for name, path in types.items() for code in ("pt", "en")]


@pytest.fixture(scope="module")
def server(built_site):
    _, site = built_site
    httpd = static_server.start(site)
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened with every request outside the site's origin blocked and recorded."""

    def __init__(self, browser, origin: str, width: int = 1280, height: int = 800):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.origin = origin
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/missing-page/") and self.errors.append(f"{r.status} {r.url}"))

    def _route(self, route):
        parts = urlsplit(route.request.url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin and parts.scheme in ("http", "https"):
            self.foreign.append(route.request.url)
            return route.abort()
        return route.continue_()

    def open(self, path: str):
        self.page.goto(self.origin + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self):
        self.context.close()


def axe_violations(page) -> list[str]:
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}" for v in axe_run(page)]


def test_every_page_type_is_accessible_private_and_quiet(built_site, server, browser):
    _, site = built_site
    problems = []
    for name, path in both_languages(page_types(site)):
        visit = Visit(browser, server)
        page = visit.open(path)
        problems += [f"{path}: {v}" for v in axe_violations(page)]
        problems += [f"{path}: request to another origin {u}" for u in visit.foreign]
        problems += [f"{path}: console error {e}" for e in visit.errors]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-1280.png"), full_page=False)
        visit.close()
    assert problems == []


def test_no_horizontal_scrolling_on_a_phone(built_site, server, browser):
    _, site = built_site
    too_wide = []
    for name, path in both_languages(page_types(site)):
        visit = Visit(browser, server, width=360, height=800)
        page = visit.open(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide.append(f"{path}: {width}px")
        page.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=False)
        visit.close()
    assert too_wide == []


def test_language_switcher_lands_on_the_same_page(built_site, server, browser):
    _, site = built_site
    for name, path in page_types(site).items():
        if name == "404":
            continue
        visit = Visit(browser, server)
        page = visit.open(path)
        page.locator(".md-header__option .md-select").hover()
        page.locator('a.md-select__link[hreflang="en"]').click()
        page.wait_for_load_state("networkidle")
        assert urlsplit(page.url).path == "/en" + path, name
        assert page.evaluate("document.documentElement.lang") == "en"
        page.locator(".md-header__option .md-select").hover()
        page.locator('a.md-select__link[hreflang="pt"]').click()
        page.wait_for_load_state("networkidle")
        assert urlsplit(page.url).path == path, name
        visit.close()


# Real queries and the first result a reader should get (country names with their other spellings,
# publications above profiles for topic words, stop words that match nothing: without that, "de"
# prefix-matches "deu" and "declaração", "a" every country's profile, "in" "income").
QUERIES = [
    ("", "número de imigrantes", "/publicacoes/imigrantes-dados-em-falta/"),
    ("", "a declaração de acessibilidade", "/sobre/acessibilidade/"),
    ("", "diáspora", "/publicacoes/diaspora-remessas/"),
    ("", "cabo-verdianos em Portugal", "/perfis/prt/"),
    ("", "remessas em percentagem do PIB", "/metodos/remessas-pib/"),
    ("", "EUA", "/perfis/usa/"),
    ("", "Estados Unidos", "/perfis/usa/"),
    ("", "Guiné Bissau", "/perfis/gnb/"),
    ("", "Holanda", "/perfis/nld/"),
    ("", "remessas", "/publicacoes/"),
    ("", "imigrantes", "/publicacoes/"),
    ("", "principal país de origem", "/publicacoes/"),
    ("", "países de destino", "/dados/emigrant_stock_by_destination/"),
    ("", "imigracao", "/publicacoes/"),
    ("", "população estrangeira", "/dados/foreign_population_national_sources/"),
    ("", "Países Baixos", "/perfis/nld/"),
    ("/en", "USA", "/en/perfis/usa/"),
    ("/en", "United States", "/en/perfis/usa/"),
    ("/en", "Guinea Bissau", "/en/perfis/gnb/"),
    ("/en", "remittances", "/en/publicacoes/"),
    ("/en", "number of immigrants", "/en/publicacoes/imigrantes-dados-em-falta/"),
    ("/en", "immigrants in Cabo Verde", "/en/publicacoes/imigrantes-dados-em-falta/"),
    ("/en", "a statement on accessibility", "/en/sobre/acessibilidade/"),
    ("/en", "the United States", "/en/perfis/usa/"),
    ("/en", "Cabo Verdeans in Portugal", "/en/perfis/prt/"),
    ("/en", "remittances as a share of GDP", "/en/metodos/remessas-pib/"),
    ("/en", "main country of origin", "/en/publicacoes/"),
    ("/en", "immigrant", "/en/publicacoes/"),
    ("/en", "countries of destination", "/en/dados/emigrant_stock_by_destination/"),
    ("/en", "foreign population", "/en/dados/foreign_population_national_sources/"),
]


def first_result(visit: Visit, prefix: str, query: str) -> str:
    page = visit.open(prefix + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_timeout(1000)  # the search worker loads its index
    page.locator("input.md-search__input").press_sequentially(query, delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    page.wait_for_timeout(300)
    return urlsplit(page.eval_on_selector(".md-search-result__item a", "a => a.href")).path


@pytest.mark.parametrize("prefix, query, expected", QUERIES)
def test_search_puts_the_expected_page_first(server, browser, prefix, query, expected):
    visit = Visit(browser, server)
    found = first_result(visit, prefix, query)
    visit.close()
    assert found.startswith(expected), f"{query!r}: first result {found}, expected {expected}"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_search_index_is_fetched_only_when_the_reader_opens_search(server, browser, prefix):
    visit = Visit(browser, server)
    fetched: list[str] = []
    visit.page.on("request", lambda r: r.url.endswith("/search/search_index.json") and fetched.append(urlsplit(r.url).path))
    page = visit.open(prefix + "/")
    page.wait_for_timeout(500)
    assert fetched == [], "the search index loads before anyone searches"
    with page.expect_request(lambda r: r.url.endswith("/search/search_index.json"), timeout=5_000):
        page.locator("label.md-search__icon, .md-search__input").first.click()
    assert fetched == [prefix + "/search/search_index.json"]
    page.locator("input.md-search__input").press_sequentially("Cabo Verde", delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert visit.errors == []
    visit.close()


@pytest.mark.parametrize("prefix, query, expected", [
    ("", "imigracao", "imigração"),
    ("", "imigração", "imigração"),
    ("/en", "remittances", "remittances"),
])
def test_search_stays_in_the_page_language_and_ignores_accents(server, browser, prefix, query, expected):
    visit = Visit(browser, server)
    page = visit.open(prefix + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_timeout(1000)  # the search worker loads its index
    page.locator("input.md-search__input").press_sequentially(query, delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert links
    for link in links:
        in_english = urlsplit(link).path.startswith("/en/")
        assert in_english == (prefix == "/en"), link
    text = page.locator(".md-search-result").inner_text().lower()
    assert expected in text
    assert axe_violations(page) == []
    visit.close()


def test_charts_are_reachable_by_keyboard_with_text_and_data(built_site, server, browser):
    _, site = built_site
    path = page_types(site).get("publication")
    if path is None:
        pytest.skip("no publication in this site")
    visit = Visit(browser, server)
    page = visit.open(path)
    charts = page.locator(".obs-chart")
    assert charts.count() >= 1
    for _ in range(200):  # Tab from the top until the first chart has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('obs-chart')"):
            break
    else:
        pytest.fail("no chart is reachable with the Tab key")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label and len(label) > 20
    figure = page.locator("figure.obs-figure").first
    table = figure.locator("details table")
    assert table.locator("th").count() >= 2 and table.locator("tbody tr").count() >= 2
    visit.close()


def test_chart_scripts_load_only_when_a_chart_is_in_view(built_site, server, browser):
    _, site = built_site
    path = page_types(site).get("publication")
    if path is None:
        pytest.skip("no publication in this site")
    visit = Visit(browser, server, width=412, height=823)
    scripts: list[str] = []
    visit.page.on("request", lambda r: r.resource_type == "script" and scripts.append(urlsplit(r.url).path))
    page = visit.open(path)
    chart = page.locator(".obs-chart").first
    assert chart.bounding_box()["y"] > 823, "the first chart should start below the first screen"
    page.wait_for_timeout(500)
    assert "/assets/javascripts/observatorio-charts.js" in scripts
    assert not any(s.endswith("/vega-bundle.js") for s in scripts), "the Vega bundle loaded before any chart was in view"
    assert chart.locator("img").count() == 1 and chart.locator("svg").count() == 0  # the static SVG image, for now
    chart.scroll_into_view_if_needed()
    page.wait_for_selector(".obs-chart[data-rendered='1'] svg", timeout=15_000)
    assert any(s.endswith("/vega-bundle.js") for s in scripts)
    assert chart.get_attribute("data-rendered") == "1"
    assert chart.locator("svg").count() >= 1 and chart.locator("img").count() == 0
    assert chart.get_attribute("tabindex") == "0" and len(chart.get_attribute("aria-label") or "") > 20
    assert page.locator(".obs-chart").last.get_attribute("data-rendered") is None  # charts further down wait their turn
    assert visit.errors == [] and visit.foreign == []
    assert axe_violations(page) == []
    visit.close()


SHOWN_CHARTS = "() => Array.from(document.querySelectorAll('.obs-chart')).map((c, i) => c.closest('[hidden]') ? -1 : i).filter(i => i >= 0)"

CHART_TEXTS = """() => Array.from(document.querySelectorAll('.obs-chart[data-rendered="1"] svg text')).filter(t => t.textContent.trim()).map(t => {
  const m = t.getScreenCTM();
  const scale = Math.hypot(m.a, m.b);
  const box = t.getBoundingClientRect(), chart = t.closest('.obs-chart').getBoundingClientRect();
  return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale, rotated: Math.abs(m.b) > 1e-6,
          axisLabel: !!t.closest('.role-axis-label'), outside: box.left < chart.left - 1 || box.right > chart.right + 1};
})"""


PHONE_CHART_PAGES = {  # page → its address, or the page type whose first page it is (`audit.page_types`)
    "publication-portrait": "/publicacoes/imigracao-retrato-estatistico/", "publication-missing": "/publicacoes/imigrantes-dados-em-falta/",
    "home": "/", "profile": "profile", "dataset-map": "dataset-map",
}


@pytest.mark.parametrize("lang", ["pt", "en"])
@pytest.mark.parametrize("name", sorted(PHONE_CHART_PAGES))
def test_charts_on_a_phone_fill_their_width_with_text_of_at_least_11_px(built_site, server, browser, lang, name):
    """At 360 × 800 every chart shown (maps included; a chart in a closed tab is drawn when its tab opens) is
    drawn at its container's width: no text under 11 CSS px, axis labels horizontal, no label cut ("…"),
    no horizontal scrolling. On publications, the home page, a profile and a dataset page with a map."""
    _, site = built_site
    path = PHONE_CHART_PAGES[name]
    path = path if path.startswith("/") else page_types(site)[path]
    visit = Visit(browser, server, width=360, height=800)
    page = visit.open(("/en" if lang == "en" else "") + path)
    if name == "dataset-map":  # the map's own tab: its chart is drawn when the tab opens
        page.locator("[role=tab][id$='-tab-map']").first.click()
    shown = page.evaluate(SHOWN_CHARTS)  # not in a closed tab (a lazy image has no height yet: `:visible` would miss it)
    assert shown, "no chart on the page"
    for index in shown:
        chart = page.locator(".obs-chart").nth(index)
        chart.scroll_into_view_if_needed()
        chart.locator("svg").first.wait_for(timeout=15_000)
    for _ in range(150):  # every shown chart drawn by Vega (polled here: the site's CSP refuses Playwright's wait_for_function)
        if page.evaluate(f"() => ({SHOWN_CHARTS})().every(i => document.querySelectorAll('.obs-chart')[i].getAttribute('data-rendered') === '1')"):
            break
        page.wait_for_timeout(100)
    texts = page.evaluate(CHART_TEXTS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"charts-{name}-{lang}-360.png"), full_page=True)
    assert texts, "no chart text measured"
    small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < 11 - 0.05]
    assert small == [], f"chart text under 11 px at 360 px wide: {small[:8]}"
    assert [t["text"] for t in texts if t["axisLabel"] and t["rotated"]] == []
    assert [t["text"] for t in texts if t["text"].endswith("\u2026")] == []
    assert [t["text"] for t in texts if t["outside"]] == [], "chart text running out of the chart's box (the source line must wrap)"
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"horizontal scrolling: the page is {widths[0]} px wide in a {widths[1]} px window"
    assert visit.errors == [] and visit.foreign == []
    visit.close()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_tables_sort_by_column_with_the_keyboard(server, browser, prefix):
    """A dataset page's preview: each column title is a button; Enter sorts by it, and again the other way."""
    visit = Visit(browser, server)
    page = visit.open(f"{prefix}/dados/immigrant_stock_by_origin/")
    table = page.locator("table.obs-sortable:not(figure table)").first  # the preview, not the default chart's table
    headers = table.locator("thead th")
    titles = [headers.nth(i).inner_text() for i in range(headers.count())]
    column = next(i for i, title in enumerate(titles) if title.startswith(("Valor", "Value")))  # the counts
    button = headers.nth(column).locator("button.obs-sort")
    values = f"Array.from(document.querySelector('table.obs-sortable:not(figure table)').tBodies[0].rows).map(r => parseFloat(r.cells[{column}].dataset.value))"
    button.focus()
    page.keyboard.press("Enter")
    assert headers.nth(column).get_attribute("aria-sort") == "ascending"
    ascending = page.evaluate(values)
    assert ascending == sorted(ascending)
    page.keyboard.press("Enter")
    assert headers.nth(column).get_attribute("aria-sort") == "descending"
    assert page.evaluate(values) == sorted(ascending, reverse=True)
    assert axe_violations(page) == [] and not visit.errors and not visit.foreign
    visit.close()


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("kind", ["publication", "profile", "dataset", "dataset-map"])
def test_figure_views_work_by_keyboard_on_a_phone(built_site, server, browser, prefix, kind):
    """WAI-ARIA tabs: arrows, Home and End move the selection; one panel shows; no sideways scrolling; axe finds nothing."""
    _, site = built_site
    path = page_types(site).get(kind)
    if path is None:
        pytest.skip(f"no {kind} in this site")
    visit = Visit(browser, server, width=360, height=800)
    page = visit.open(prefix + path)
    figure = page.locator("figure.obs-figure").first
    tabs = figure.locator("[role=tab]")
    assert figure.locator("[role=tablist]").is_visible() and tabs.count() >= 4

    def selected() -> list[str]:
        return [tabs.nth(i).get_attribute("aria-selected") for i in range(tabs.count())]

    def shown() -> list[bool]:
        return [figure.locator(f"#{tabs.nth(i).get_attribute('aria-controls')}").is_visible() for i in range(tabs.count())]

    last = tabs.count() - 1
    tabs.first.focus()
    page.keyboard.press("ArrowRight")
    assert selected()[1] == "true" and shown() == [i == 1 for i in range(last + 1)]
    assert page.evaluate("document.activeElement.getAttribute('role')") == "tab"
    page.keyboard.press("End")
    assert selected()[last] == "true" and shown()[last] and not shown()[0]
    assert figure.locator("[role=tabpanel]").count() == last + 1
    width = page.evaluate("document.documentElement.scrollWidth")
    problems = [f"{prefix}{path} (cite panel): {v}" for v in axe_violations(page)]
    page.keyboard.press("Home")
    assert selected()[0] == "true" and shown()[0]
    page.keyboard.press("ArrowLeft")  # wraps round to the last tab
    assert selected()[last] == "true"
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")  # the table
    problems += [f"{prefix}{path} (table panel): {v}" for v in axe_violations(page)]
    problems += [f"{prefix}{path}: {e}" for e in visit.errors]
    visit.close()
    assert width <= 360
    assert problems == []


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_world_map_draws_on_the_home_page_from_the_site_alone(built_site, server, browser, prefix):
    """The home page's map fetches its basemap from the site itself, draws every country and a circle per
    country, and redraws for another year chosen in its selector; nothing is requested from another origin."""
    visit = Visit(browser, server)
    requests: list[str] = []
    visit.page.on("request", lambda r: requests.append(urlsplit(r.url).path))
    page = visit.open(prefix + "/")
    figure = page.locator("figure#fig-mapa-immigrants")
    chart = figure.locator(".obs-chart")
    chart.scroll_into_view_if_needed()
    page.wait_for_selector("figure#fig-mapa-immigrants .obs-chart[data-rendered='1'] svg", timeout=20_000)
    assert "/assets/geo/countries-110m.json" in requests
    shapes = chart.locator("svg .mark-shape path").count()
    circles = chart.locator("svg .mark-symbol path").count()
    assert shapes > 100 and circles >= 20
    select = figure.locator("select")
    assert select.count() == 1
    options = select.locator("option").all_inner_texts()
    assert options[-1] == select.input_value()  # the latest year first
    select.select_option(options[0])
    page.wait_for_timeout(500)
    assert chart.locator("svg .mark-symbol path").count() >= 20
    assert visit.foreign == [] and visit.errors == []
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"home-map{prefix.replace('/', '-') or '-pt'}.png"), full_page=False)
    visit.close()
