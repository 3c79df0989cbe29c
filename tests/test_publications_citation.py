"""Citations (text, BibTeX, CSL-JSON) and feeds (RSS, Atom) from front matter, checked by real parsers."""

from __future__ import annotations

import email.utils
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import bibtexparser
import pytest
from conftest import copy_project

from observatorio.i18n import languages, strings
from observatorio.publications import citation, collect, feeds

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://observatorio-migracoes.cv/"
TRICKY_PT = "Remessas & PIB: 100% {sintético} de_teste #1 — «aspas» \\ barra"
TRICKY_EN = 'Remittances & GDP: 100% {synthetic} test_case #1 — "quotes" \\ slash'


def write_publication(root: Path, slug: str, date: str, titles: tuple[str, str], kind: str = "brief", extra: str = "") -> None:
    folder = root / "reports" / slug
    folder.mkdir(parents=True)
    for name, lang, title in (("index.qmd", "pt", titles[0]), ("index.en.qmd", "en", titles[1])):
        front = (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nauthor:\n  - name: \"Ana Silva\"\n  - name: \"Equipa de teste\"\n"
                 f"date: \"{date}\"\nlang: {lang}\ntype: {kind}\ntopics: [remessas]\n"
                 f"abstract: \"Resumo sintético ({lang}) com & e %.\"\n{extra}---\n\nTexto.\n")
        (folder / name).write_text(front, encoding="utf-8")


@pytest.fixture
def project(tmp_path) -> Path:
    root = copy_project(tmp_path / "project", parts=("mkdocs.yml", "site"))
    (root / "reports").mkdir()
    (root / "reports" / "_topics.yml").write_text("remessas: {pt: Remessas, en: Remittances}\n", encoding="utf-8")
    write_publication(root, "antiga", "2025-03-04", ("Nota antiga", "Old brief"), kind="report")
    write_publication(root, "nova", "2026-05-06", (TRICKY_PT, TRICKY_EN),
                      extra='version: "1.1"\ncorrections:\n  - date: 2026-06-01\n    text: "Corrigido um valor."\n')
    return root


def parse_bibtex(text: str):
    parser = bibtexparser.bparser.BibTexParser(common_strings=True)
    return bibtexparser.loads(text, parser=parser).entries


@pytest.mark.parametrize("code", ["pt", "en"])
def test_bibtex_parses_and_keeps_every_field(project, code):
    publication = next(p for p in collect(project) if p.slug == "nova")
    url = f"{SITE}{'' if code == 'pt' else 'en/'}publicacoes/nova/"
    entries = parse_bibtex(citation.bibtex(publication, code, strings(project, code), url))
    assert len(entries) == 1
    entry = entries[0]
    assert entry["ENTRYTYPE"] == "techreport"
    assert entry["ID"] == f"omcv2026nova-{code}"
    assert entry["year"] == "2026" and entry["url"] == url and entry["version"] == "1.1"
    assert "Ana Silva" in entry["author"] and " and " in entry["author"]
    title = TRICKY_PT if code == "pt" else TRICKY_EN
    # special characters are escaped, so the entry still parses and the words survive
    for word in ("Remessas" if code == "pt" else "Remittances", "\\&", "100\\%", "\\{", "\\_", "\\#1"):
        assert word in entry["title"], (word, entry["title"])
    assert title.split(":")[0].split(" ")[0] in entry["title"]
    assert entry["type"] == strings(project, code)["reports.types.brief"]


def test_csl_json_is_one_report_item(project):
    publication = next(p for p in collect(project) if p.slug == "nova")
    items = json.loads(citation.csl_json(publication, "en", strings(project, "en"), f"{SITE}en/publicacoes/nova/"))
    assert len(items) == 1
    item = items[0]
    assert item["type"] == "report" and item["title"] == TRICKY_EN
    assert item["issued"] == {"date-parts": [[2026, 5, 6]]}
    assert item["author"] == [{"literal": "Ana Silva"}, {"literal": "Equipa de teste"}]
    assert item["URL"] == f"{SITE}en/publicacoes/nova/" and item["language"] == "en-GB" and item["version"] == "1.1"


def test_citation_text(project):
    publication = next(p for p in collect(project) if p.slug == "antiga")
    text = citation.text(publication, "pt", strings(project, "pt"), f"{SITE}publicacoes/antiga/")
    assert text == ("Ana Silva; Equipa de teste (2025). Nota antiga [Relatório, versão 1.0]. "
                    f"Observatório das Migrações de Cabo Verde. {SITE}publicacoes/antiga/")


@pytest.mark.parametrize("code", ["pt", "en"])
def test_feeds_are_valid_xml_with_one_item_per_publication(project, code):
    publications = collect(project)
    lang = next(lang for lang in languages(project) if lang.code == code)
    s = strings(project, code)
    def url_of(p):
        return f"{SITE}{lang.prefix()}publicacoes/{p.slug}/"
    rss = ET.fromstring(feeds.rss(publications, lang, s, SITE, "T & t", url_of))
    items = rss.findall("channel/item")
    assert [i.findtext("link") for i in items] == [url_of(p) for p in publications]
    assert items[0].findtext("title") == (TRICKY_PT if code == "pt" else TRICKY_EN)
    for item in items:
        assert item.findtext("link").startswith(SITE)
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).year in (2025, 2026)
    assert rss.find("channel/language").text == code
    assert rss.find(f"channel/{ATOM}link").get("href") == f"{SITE}publicacoes/rss-{code}.xml"

    atom = ET.fromstring(feeds.atom(publications, lang, s, SITE, "T", url_of, "Org"))
    entries = atom.findall(f"{ATOM}entry")
    assert len(entries) == len(publications) == 2
    assert atom.findtext(f"{ATOM}updated") == "2026-06-01T00:00:00+00:00"  # the correction's date
    newest = entries[0]
    assert newest.findtext(f"{ATOM}published") == "2026-05-06T00:00:00+00:00"
    assert newest.findtext(f"{ATOM}updated") == "2026-06-01T00:00:00+00:00"
    assert newest.find(f"{ATOM}link").get("href") == url_of(publications[0])
    assert {c.get("term") for c in newest.findall(f"{ATOM}category")} == {"brief", "remessas"}


def test_bibtex_escaping_is_one_pass():
    """A backslash becomes `\\textbackslash{}` whose braces stay braces; each special character is escaped once."""
    from observatorio import bibtex

    assert bibtex.escape(r"a\b {c} 50% #1 $ & d_e") == r"a\textbackslash{}b \{c\} 50\% \#1 \$ \& d\_e"
