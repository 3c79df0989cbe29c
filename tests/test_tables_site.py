"""Every table of the built site reads as a table for people: a publication, a notebook, a profile and
a dataset page in Portuguese and English, and a report table in the PDF (`observatorio.tables`)."""

import re

import pytest
from conftest import soup
from pypdf import PdfReader

pytestmark = pytest.mark.slow

PAGES = ["publicacoes/imigracao-retrato-estatistico", "publicacoes/diaspora-remessas", "metodos/remessas-pib", "perfis/prt",
         "dados/immigrant_stock_by_origin"]
RAW_FLOAT = re.compile(r"\d[.,]\d{4,}")  # a float as Python writes it, 2.642675164889792


def page(site, path: str, lang: str):
    return soup(site / ("en/" if lang == "en" else "") / path / "index.html")


def tables_of(document) -> list:
    return [t for t in document.select("article table") if t.find_parent(class_="highlight") is None]


@pytest.mark.parametrize("lang", ["pt", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_tables_are_formatted_for_the_page_language(built_site, path, lang):
    _, site = built_site
    found = tables_of(page(site, path, lang))
    assert found, f"{path} ({lang}) has no table"
    for table in found:
        assert "obs-sortable" in table.get("class", []) or path.startswith("dados/"), table.prettify()[:300]  # written by tables.py
        titles = [th.get_text(" ", strip=True) for th in table.select("thead th")]
        assert not any(re.search(r"_(?:pt|en|name|iso3)\b|^value$|^year$", t) for t in titles), titles  # schema or chart titles
        rows = [row.select("td") for row in table.select("tbody tr")]
        for index in range(len(titles)):
            cells = [row[index] for row in rows if "obs-num" in row[index].get("class", [])]
            whole = all(float(c["data-value"]).is_integer() for c in cells if c.has_attr("data-value"))
            for cell in cells:
                text = cell.get_text()
                assert not RAW_FLOAT.search(text), (path, lang, titles, text)
                if whole:
                    assert not re.search(r"[.,]\d$|[.,]0+$", text), (path, lang, titles, text)  # no `5576.0`
                if lang == "pt":
                    assert "." not in text, (path, titles, text)  # the decimal comma, and no dot as a separator


def first_row(table) -> list[str]:
    return [td.get_text() for td in table.select("tbody tr")[0].select("td")]


def data_table(document, title: str):
    for details in document.select("details.obs-data"):
        titles = [th.get_text(" ", strip=True) for th in details.select("thead th")]
        if title in titles:
            return titles, details.table
    raise AssertionError(f"no data table with the column {title!r}")


def test_chart_data_tables_read_as_numbers_with_chart_titles(built_site):
    _, site = built_site
    pt, en = page(site, PAGES[0], "pt"), page(site, PAGES[0], "en")
    titles, table = data_table(pt, "País de nascimento")  # the chart's own axis title
    assert titles == ["País de nascimento", "Pessoas"]
    assert first_row(table) == ["Guiné-Bissau", "5\u00a0576"]
    assert table.select("tbody td")[1]["data-value"] == "5576.0"
    titles, table = data_table(en, "Country of birth")
    assert first_row(table) == ["Guinea-Bissau", "5,576"]
    titles, table = data_table(pt, "% da população")
    assert first_row(table)[:2] == ["1990", "2,64"]  # the tooltip's `.2f`, years never grouped


def preview_table(dataset_page):
    """A dataset page's preview of its first rows (not the table of its default chart's figure view)."""
    return next(t for t in dataset_page.select("table.obs-sortable") if t.find_parent("figure") is None)


def test_profile_and_dataset_tables(built_site):
    _, site = built_site
    profile = page(site, "perfis/prt", "pt")
    titles, table = data_table(profile, "Ano")
    assert titles == ["Ano", "País", "Pessoas"]
    assert re.fullmatch(r"\d{1,3}(?:\u00a0\d{3})*", first_row(table)[2])
    dataset = page(site, "dados/immigrant_stock_by_origin", "pt")
    preview = preview_table(dataset)
    titles = [th.get_text() for th in preview.select("thead th")]
    assert "Ano" in titles and "Valor (pessoas)" in titles and "País de origem" in titles
    year = first_row(preview)[titles.index("Ano")]
    assert re.fullmatch(r"(19|20)\d\d", year)
    english = preview_table(page(site, "dados/immigrant_stock_by_origin", "en"))
    assert "Value (persons)" in [th.get_text() for th in english.select("thead th")]


@pytest.mark.parametrize("lang, number", [("pt", "15 788"), ("en", "15,788")])
def test_report_table_in_the_pdf(built_site, lang, number):
    _, site = built_site
    folder = site / ("en/" if lang == "en" else "") / PAGES[0]
    pdfs = sorted(site.glob(f"{PAGES[0]}/*-{lang}.pdf")) or sorted(folder.glob("*.pdf"))
    assert pdfs, "no PDF"
    text = "\n".join(p.extract_text() for p in PdfReader(pdfs[0]).pages).replace("\u00a0", " ")
    assert number in text
    assert "15788.0" not in text and "15788" not in text
