"""The search index's stop words: whole words only, in both languages, in any letter case."""

from __future__ import annotations

import json
import re

from observatorio.i18n import Language
from observatorio.search_index import configure_search, search_names, separator, split_by_language


def words(code: str, text: str) -> list[str]:
    return [w for w in re.split(separator(code), text) if w]


def test_portuguese_stop_words_are_separators_not_prefixes():
    assert words("pt", "Número de imigrantes De Cabo Verde à chegada e às vezes") == ["Número", "imigrantes", "Cabo", "Verde", "chegada", "vezes"]
    assert words("pt", "Declaração de acessibilidade") == ["Declaração", "acessibilidade"]
    assert words("pt", "Estados Unidos da América") == ["Estados", "Unidos", "América"]
    assert words("pt", "dados emigração oeste") == ["dados", "emigração", "oeste"]  # "da", "em", "o" inside words stay


def test_english_stop_words_are_separators_not_prefixes():
    assert words("en", "Number of immigrants in the United States") == ["Number", "immigrants", "United", "States"]
    assert words("en", "income offers") == ["income", "offers"]
    assert words("en", "de") == ["de"]  # each language has its own list


def test_each_language_index_carries_its_own_separator(tmp_path):
    index = {"config": {"lang": ["pt", "en"], "separator": r"[\s\-]+", "fields": {"title": {"boost": 1000}}},
             "docs": [{"location": "", "title": "Início", "text": ""}, {"location": "en/", "title": "Home", "text": ""}]}
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(index), encoding="utf-8")
    split_by_language(tmp_path, (Language("pt", "Português", True), Language("en", "English", False)))
    pt = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))
    en = json.loads((tmp_path / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert pt["config"]["separator"] == separator("pt") and en["config"]["separator"] == separator("en")
    assert [d["title"] for d in pt["docs"]] == ["Início"] and [d["title"] for d in en["docs"]] == ["Home"]


def test_generic_words_of_country_names_are_not_search_names():
    assert search_names(["Países Baixos", "Netherlands", "País"]) == ["Baixos", "Netherlands"]


def test_pages_run_the_stemming_worker_in_their_language():
    html = '<script id="__config" type="application/json">{"base": "../..", "search": "../../assets/javascripts/workers/search.a7633da7.min.js"}</script>'
    config = json.loads(configure_search(html, Language("en", "English", False)).split(">", 1)[1].split("<", 1)[0])
    assert config == {"base": "../../en/", "search": "../../assets/javascripts/workers/search-stemmed.js?material=search.a7633da7.min.js"}
