"""A third language is configuration plus translations, with no code change (French as the example)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO

from observatorio.errors import UserError
from observatorio.site import build

pytestmark = pytest.mark.slow
FIXTURE = REPO / "tests" / "fixtures" / "third-language"


def merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        out[key] = merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return out


def add_french(root) -> None:
    """Configuration (mkdocs.yml) plus translations (strings, pages, dataset texts): nothing else."""
    config_path = root / "mkdocs.yml"
    config = config_path.read_text(encoding="utf-8")
    french = "        - locale: fr\n          name: Français\n          build: true\n          site_name: Observatoire des migrations du Cabo Verde\n"
    config = config.replace("      languages:\n", "      languages:\n", 1).replace("        - locale: en\n", french + "        - locale: en\n", 1)
    config = config.replace("      lang: [pt, en]", "      lang: [pt, en, fr]")
    config_path.write_text(config, encoding="utf-8")

    english = yaml.safe_load((root / "site" / "i18n" / "en.yml").read_text(encoding="utf-8"))
    french_strings = merge(english, yaml.safe_load((FIXTURE / "fr.yml").read_text(encoding="utf-8")))
    (root / "site" / "i18n" / "fr.yml").write_text(yaml.safe_dump(french_strings, allow_unicode=True), encoding="utf-8")

    for page in sorted((root / "site" / "docs").rglob("*.md")):
        if page.name.count(".") == 1:
            title = f"Page « {page.stem} » en français"
            page.with_name(f"{page.stem}.fr.md").write_text(f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n# {title}\n\nUne phrase en français.\n", encoding="utf-8")

    package_path = root / "data" / "datapackage.yaml"
    package = yaml.safe_load(package_path.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        for key in ("titles", "descriptions"):
            resource[key]["fr"] = f"[fr] {resource[key]['en']}"
        for field in resource["schema"]["fields"]:
            field.setdefault("titles", {})["fr"] = f"[fr] {field['titles']['en']}"
    package_path.write_text(yaml.safe_dump(package, allow_unicode=True, sort_keys=False), encoding="utf-8")
    add_french_country_names(root)


def add_french_country_names(root) -> None:
    """The one country-name table gets a French column (`name_fr`), described in the catalogue."""
    countries = root / "data" / "raw" / "countries.csv"
    frame = pd.read_csv(countries, dtype=str, keep_default_na=False)
    frame.insert(frame.columns.get_loc("name_pt") + 1, "name_fr", "[fr] " + frame["name_en"])
    frame.to_csv(countries, index=False, lineterminator="\n")
    package_path = root / "data" / "datapackage.yaml"
    package = yaml.safe_load(package_path.read_text(encoding="utf-8"))
    fields = next(r for r in package["resources"] if r["name"] == "countries")["schema"]["fields"]
    english_field = next(f for f in fields if f["name"] == "name_en")
    portuguese_field = next(f for f in fields if f["name"] == "name_pt")
    fields.insert(fields.index(portuguese_field) + 1, with_french({**english_field, "name": "name_fr"}))
    package_path.write_text(yaml.safe_dump(package, allow_unicode=True, sort_keys=False), encoding="utf-8")


def page(site, path):
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "lxml")


def test_a_third_language_builds_from_configuration_and_translations(site_project):
    add_french(site_project)
    build(site_project)
    site = site_project / "_site"
    home = page(site, "fr/index.html")
    assert home.html["lang"] == "fr"
    assert {a["hreflang"] for a in home.select("a.md-select__link[hreflang]")} == {"pt", "en", "fr"}
    dataset = page(site, "fr/dados/immigrant_stock/index.html")
    assert "Télécharger" in dataset.get_text()
    assert "65 lignes et 13 colonnes." in dataset.get_text()
    assert {x["hreflang"] for x in dataset.select("link[hreflang]")} >= {"pt", "en", "fr"}
    assert "Page introuvable" in page(site, "fr/404.html").get_text()
    assert (site / "fr" / "search" / "search_index.json").is_file()
    assert (site / "fr" / "sitemap.xml").is_file()
    status = page(site, "fr/sobre/traducoes/index.html").get_text()
    assert "Français" in status


def test_a_missing_third_language_page_is_listed(site_project):
    add_french(site_project)
    (site_project / "site" / "docs" / "sobre" / "metodos.fr.md").unlink()
    with pytest.raises(UserError, match=r"site/docs/sobre/metodos.fr.md: missing Français translation"):
        build(site_project)


def with_french(node):
    """Every `{pt: …, en: …}` text map of a YAML document gets a French entry (the English text, marked)."""
    if isinstance(node, dict):
        out = {key: with_french(value) for key, value in node.items()}
        if "en" in node and "pt" in node and "fr" not in node:
            english = node["en"]
            out["fr"] = f"[fr] {english}" if isinstance(english, str) else english  # lists (hashtags) as they are
        return out
    if isinstance(node, list):
        return [with_french(item) for item in node]
    return node


def translate_yaml(path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(with_french(data), allow_unicode=True, sort_keys=False), encoding="utf-8")


def french_copy(english, target) -> None:
    """A French document made from the English one: its language, and what the code computes in it."""
    text = english.read_text(encoding="utf-8")
    text = text.replace("lang: en\n", "lang: fr\n", 1).replace('LANG = "en"', 'LANG = "fr"').replace('LANG = \\"en\\"', 'LANG = \\"fr\\"')
    text = text.replace('title: "', 'title: "[fr] ', 1)
    target.write_text(text, encoding="utf-8")


def add_french_everywhere(root) -> None:
    """French for the whole project: publications, notebooks, profiles, campaigns and country names too."""
    add_french(root)
    for name in ("reports/_topics.yml", "profiles/series_notes.yml"):
        translate_yaml(root / name)
    for campaign in sorted((root / "campaigns").glob("*/campaign.yml")):
        translate_yaml(campaign)
    for english in sorted([*root.glob("reports/*/index.en.qmd"), root / "profiles" / "_template" / "index.en.qmd"]):
        french_copy(english, english.with_name("index.fr.qmd"))
    for english in sorted((root / "notebooks").glob("*.en.ipynb")):
        french_copy(english, english.with_name(english.name.replace(".en.ipynb", ".fr.ipynb")))


@pytest.fixture
def built_copy(built_site, tmp_path):
    """A copy of the shared build: what French adds is built on top of the Portuguese and English caches."""
    from conftest import copy_built

    return copy_built(built_site, tmp_path / "project")


def test_the_whole_project_builds_in_a_third_language(built_copy):
    project = built_copy
    add_french_everywhere(project)
    build(project)
    site = project / "_site"
    reports = sorted(p.parent.name for p in (project / "reports").glob("*/index.fr.qmd"))
    assert reports
    for slug in reports:
        landing = page(site, f"fr/publicacoes/{slug}/index.html")
        assert landing.html["lang"] == "fr"
        assert "[fr]" in landing.find("h1").get_text()
        pdfs = [a["href"] for a in landing.select("a[href$='.pdf']")]
        assert pdfs, f"{slug}: no PDF link on the French page"
    feeds = [(site / "publicacoes" / name).read_text(encoding="utf-8") for name in ("rss-fr.xml", "atom-fr.xml")]
    assert feeds and all("Observatoire des migrations du Cabo Verde" in feed for feed in feeds)  # the organisation, from fr.yml
    profiles = sorted((site / "fr" / "perfis").glob("*/index.html"))
    assert profiles
    profile = page(site, profiles[0].relative_to(site).as_posix())
    assert profile.find("h1").get_text().startswith("[fr] ")  # the French country name from countries.csv
    campaign = sorted((site / "fr" / "campanhas").glob("*/index.html"))
    assert campaign and "[fr] Morabeza is for everyone" in page(site, campaign[0].relative_to(site).as_posix()).get_text()
    text = page(site, campaign[0].relative_to(site).as_posix()).get_text()
    assert "18 décembre 2026" in text  # dates written the French way (CLDR, through Babel)
    cards = sorted((site / "campanhas").glob("*/*-1200x630-fr.png"))
    assert cards, "no French social-media cards"


def test_a_missing_country_name_column_names_the_file(project):
    add_french_everywhere(project)
    countries = project / "data" / "raw" / "countries.csv"
    frame = pd.read_csv(countries, dtype=str, keep_default_na=False).drop(columns=["name_fr"])
    frame.to_csv(countries, index=False, lineterminator="\n")
    package_path = project / "data" / "datapackage.yaml"
    package = yaml.safe_load(package_path.read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "countries")
    resource["schema"]["fields"] = [f for f in resource["schema"]["fields"] if f["name"] != "name_fr"]
    package_path.write_text(yaml.safe_dump(package, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(UserError, match=r"countries.csv: no column name_fr"):
        build(project)
