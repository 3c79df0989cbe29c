"""A third language is configuration plus translations, with no code change (French as the example)."""

from __future__ import annotations

import json

import pytest
import yaml
from bs4 import BeautifulSoup

from observatorio.errors import UserError
from observatorio.site import build

from conftest import REPO

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
    assert {l["hreflang"] for l in dataset.select("link[hreflang]")} >= {"pt", "en", "fr"}
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
