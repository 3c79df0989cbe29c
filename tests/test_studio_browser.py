"""`observatorio studio` in Chromium: a campaign made through the form, saved, previewed and built.

Decap CMS and decap-server come from `npm ci` (package-lock.json); nothing else is installed.
The same run checks live reload under the site's Content-Security-Policy and the error page:
a page left open reloads by itself after an edit, and a mistake shows in Portuguese over the
last good page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, copy_project
from test_preview import free_port, wait_for

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]
SLUG = "vizinhos-de-todas-as-ilhas"
FACTS = ("immigrants_2024", "emigrants_2020")

if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)
if shutil.which("node") is None or shutil.which("npm") is None:
    pytest.skip("Node.js and npm are not installed (apt-get install nodejs npm)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """The project's node_modules, installed by `npm ci` from package-lock.json when missing."""
    folder = REPO / "node_modules"
    if not (folder / "decap-cms" / "dist" / "decap-cms.js").is_file() or not (folder / "decap-server").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=REPO, check=True)
    return folder


@pytest.fixture
def studio(tmp_path, node_modules):
    """A running studio on a copy of the project (data, pages and campaigns): (root, preview URL)."""
    root = copy_project(tmp_path / "project", parts=("data", "site", "mkdocs.yml", "src", "campaigns"))
    os.symlink(node_modules, root / "node_modules")
    port, backend = free_port(), free_port()
    log = (tmp_path / "studio.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "observatorio", "--root", str(root), "studio", "--address", f"127.0.0.1:{port}", "--backend-port", str(backend)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/admin/", lambda page: "decap-cms.js" in page, timeout=180)
        yield root, url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        print((tmp_path / "studio.log").read_text()[-3000:])


def field(page, group: str, lang: str):
    """The input of language `lang` inside the form's field `group` (Decap names each label's target `<name>-field-<n>`)."""
    label = page.locator(f"xpath=//label[starts-with(@for,'{group}-field')]/following::label[starts-with(@for,'{lang}-field')][1]").first
    return page.locator("#" + label.get_attribute("for"))


def test_a_campaign_made_in_the_studio_is_saved_previewed_and_valid(studio):
    from observatorio.campaigns import validate_all

    root, url = studio
    errors = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda error: errors.append(str(error)))

        page.goto(f"{url}/admin/")
        page.get_by_role("button", name="Entrar").click()
        page.get_by_text("Morabeza é para todos").wait_for()  # the existing campaign, read through decap-server
        page.goto(f"{url}/admin/#/collections/campaigns/new")
        field(page, "name", "pt").fill("Vizinhos de todas as ilhas")
        field(page, "name", "en").fill("Neighbours from every island")
        page.get_by_label("Início").fill("2027-03-01")
        page.get_by_label("Fim").fill("2027-03-31")
        for fact in FACTS:  # the picker lists each fact with its value and source
            page.get_by_role("button", name="Adicionar facto").click()
            option = page.get_by_role("menuitem", name="{" + fact + "}")
            assert "fonte:" in option.inner_text()
            option.click()
        page.get_by_role("button", name="Adicionar mensagem").click()
        field(page, "headline", "pt").fill("Vizinhos de todas as ilhas")
        field(page, "headline", "en").fill("Neighbours from every island")
        field(page, "body", "pt").fill("Em 2024 viviam em Cabo Verde {immigrants_2024} pessoas nascidas noutro país; em 2020, {emigrants_2020} cabo-verdianos viviam lá fora.")
        field(page, "body", "en").fill("In 2024, {immigrants_2024} people born in another country lived in Cabo Verde; in 2020, {emigrants_2020} Cabo Verdeans lived abroad.")
        field(page, "call_to_action", "pt").fill("Receba quem chega como gostaria de ser recebido.")
        field(page, "call_to_action", "en").fill("Welcome newcomers as you would like to be welcomed.")
        field(page, "hashtags", "pt").fill("#VizinhosDeTodos, #CaboVerde")
        field(page, "hashtags", "en").fill("#NeighboursAll, #CaboVerde")
        page.locator("#" + page.locator("xpath=//label[starts-with(@for,'fact-field')]").get_attribute("for")).fill("immigrants_2024")
        page.keyboard.press("Enter")

        preview = page.frame_locator("iframe").first  # Decap's preview pane, drawn by studio.js
        assert "16\u00a0515" in preview.locator(".studio-card").first.inner_text()

        page.get_by_role("button", name="Publicar").first.click()
        page.get_by_role("menuitem", name="Publicar agora").click()
        written = root / "campaigns" / SLUG / "campaign.yml"
        page.wait_for_url(f"**/entries/{SLUG}/**")
        data = yaml.safe_load(written.read_text(encoding="utf-8"))
        assert data["status"] == "draft"
        assert [fact["id"] for fact in data["facts"]] == list(FACTS)
        assert data["facts"][0]["dataset"] == "immigrant_stock" and data["facts"][0]["where"]["year"] == 2024
        assert data["messages"][0]["hashtags"]["pt"] == ["#VizinhosDeTodos", "#CaboVerde"]
        validate_all(root)  # the file the form wrote passes every campaign check

        # The preview rebuilt: the campaign's page with its cards, drawn from the data.
        campaign = f"{url}/campanhas/{SLUG}/"
        wait_for(campaign, lambda html: "campaign-card" in html, timeout=240)
        page.goto(campaign)
        assert page.locator("h1").first.inner_text().startswith("Vizinhos de todas as ilhas")
        cards = page.locator("img.campaign-card")
        assert cards.count() >= 1
        cards.first.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=cards.first.element_handle())
        assert "16\u00a0515" in cards.first.get_attribute("alt")

        # Live reload under the CSP: the open page reloads by itself; a mistake shows in Portuguese over the last good page.
        text = written.read_text(encoding="utf-8")
        written.write_text(text.replace("Receba quem chega", "Mais de 4000 pessoas chegam. Receba quem chega", 1), encoding="utf-8")
        banner = page.locator("#observatorio-preview-error")
        banner.wait_for(timeout=240_000)
        assert "As fontes têm um erro" in banner.inner_text()
        assert "campaigns/" + SLUG + "/campaign.yml" in banner.inner_text()
        assert page.locator("h1").first.inner_text().startswith("Vizinhos de todas as ilhas")  # the last good page stays
        written.write_text(text, encoding="utf-8")
        banner.wait_for(state="detached", timeout=240_000)
        browser.close()
    assert errors == []
