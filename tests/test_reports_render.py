"""End to end: the test report (synthetic data) rendered by the built-in engine, then its errors."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from observatorio import publications, reports
from observatorio.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "reports_project"


def make_project(target: Path) -> Path:
    """The fixture project plus the real mkdocs.yml (languages) and UI strings."""
    shutil.copytree(FIXTURE, target)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "site" / "i18n", target / "site" / "i18n")
    return target


def text(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("\u00a0", " ")).strip()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("reports") / "project")
    docs = root / "build" / "docs"
    first = publications.write_pages(root, docs, jobs=2, engine="builtin")
    second = publications.write_pages(root, docs, jobs=2, engine="builtin")
    return root, docs, first, second


def page(docs: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((docs / "publicacoes" / "amostra" / name).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
def test_portuguese_page(built):
    _, docs, _, _ = built
    soup = page(docs, "index.md")
    body = text(soup.get_text(" "))
    assert 'title: "Amostra de teste"' in (docs / "publicacoes/amostra/index.md").read_text()
    captions = [text(c.get_text()) for c in soup.find_all("figcaption")]
    assert captions == ["Figura 1: Valores por ilha", "Figura 2: Figura vinda de um caderno"]
    assert text(soup.find("caption").get_text()) == "Tabela 1: Valores por ilha"
    links = {a["href"]: text(a.get_text()) for a in soup.find_all("a") if a.get("href", "").startswith("#")}
    assert links["#fig-barras"] == "Figura 1"
    assert links["#tbl-dados"] == "Tabela 1"
    assert links["#sec-notas"] == "Secção 2"
    assert "O total é 60 000 e a média é 20.0 (Silva 2020, 3)" in body
    assert "@fig" not in body and "{python}" not in body
    assert soup.find(id="ref-exemplo2020") is not None
    assert "Silva, Ana. 2020" in text(soup.find(id="refs").get_text())
    assert soup.find("div", class_="admonition") is not None
    assert "## 2 Notas { #sec-notas }" in (docs / "publicacoes/amostra/index.md").read_text()
    assert "código visível" in body
    assert "oculto" not in body


@pytest.mark.slow
def test_figures_are_interactive_with_fallback_data_and_downloads(built):
    _, docs, _, _ = built
    soup = page(docs, "index.md")
    figure = soup.find("figure", id="fig-barras")
    assert figure.find("img")["src"] == "figures/fig-barras-pt.svg"
    assert figure.find("img")["alt"].startswith("Barras: Santiago 10")
    assert figure.find("script", class_="obs-chart-spec") is not None
    assert figure.find("details").find("table") is not None
    hrefs = [a["href"] for a in figure.find_all("a")]
    assert "figures/fig-barras-pt.csv" in hrefs and "figures/fig-barras-pt-vegalite.json" in hrefs
    folder = docs / "publicacoes" / "amostra" / "figures"
    for suffix in ("-vegalite.json", ".svg", ".png", ".csv"):
        assert (folder / f"fig-barras-pt{suffix}").is_file()
        assert (folder / f"fig-barras-en{suffix}").is_file()
    scripts = [s["src"] for s in soup.find_all("script", src=True)]
    assert scripts == ["../../assets/javascripts/observatorio-charts.js"]  # it loads vega-bundle.js when a chart is in view
    assert (docs / "assets" / "javascripts" / "vega-bundle.js").stat().st_size > 100_000
    assert "cdn" not in (docs / "publicacoes/amostra/index.md").read_text().lower()


@pytest.mark.slow
def test_english_page_links_assets_beside_the_portuguese_page(built):
    _, docs, _, _ = built
    soup = page(docs, "index.en.md")
    captions = [text(c.get_text()) for c in soup.find_all("figcaption")]
    assert captions == ["Figure 1: Values by island", "Figure 2: Figure from a notebook"]
    body = text(soup.get_text(" "))
    assert "The total is 60,000 and the mean is 20.0" in body
    assert "Section 2" in body
    img = soup.find("figure", id="fig-barras").find("img")["src"]
    assert img == "../../../publicacoes/amostra/figures/fig-barras-en.svg"


@pytest.mark.slow
def test_pdf_text(built):
    from pypdf import PdfReader

    _, docs, _, _ = built
    reader = PdfReader(docs / "publicacoes" / "amostra" / "amostra-pt.pdf")
    content = text(" ".join(p.extract_text() for p in reader.pages))
    assert "Amostra de teste" in content
    assert "Figura 1: Valores por ilha" in content
    assert "60 000" in content
    assert "Secção 2" in content and "Silva, Ana" in content
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    assert "Figure 1" in text(" ".join(p.extract_text() for p in PdfReader(docs / "publicacoes/amostra/amostra-en.pdf").pages))


@pytest.mark.slow
def test_index_and_notebook_pages(built):
    _, docs, _, _ = built
    listing = (docs / "publicacoes" / "index.md").read_text()
    assert "[Amostra de teste](amostra/index.md)" in listing and "amostra/amostra-pt.pdf" in listing
    assert "[Test sample](amostra/index.en.md)" in (docs / "publicacoes" / "index.en.md").read_text()
    notebook = (docs / "metodos" / "caderno" / "index.md").read_text()
    assert yaml.safe_load(notebook.split("---\n")[1])["title"] == "Caderno de teste"
    assert "load_resource" in notebook  # code shown
    assert (docs / "metodos" / "caderno" / "index.en.md").is_file()


@pytest.mark.slow
def test_rebuild_without_changes_executes_nothing(built):
    _, _, first, second = built
    assert any("executed" in line and "first build" in line for line in first)
    assert len(second) == 4 and all("unchanged" in line for line in second)


@pytest.mark.slow
def test_changed_data_re_executes(tmp_path):
    root = make_project(tmp_path / "project")
    docs = root / "build" / "docs"
    publications.write_pages(root, docs, jobs=2, engine="builtin")
    csv = root / "data" / "raw" / "synthetic_counts.csv"
    csv.write_text(csv.read_text().replace("Sal,2020,20", "Sal,2020,50"))
    lines = publications.write_pages(root, docs, jobs=2, engine="builtin")
    assert any("changed: data/raw/synthetic_counts.csv" in line for line in lines)
    assert "O total é 90 000" in text((docs / "publicacoes/amostra/index.md").read_text())


@pytest.mark.slow
def test_a_copied_project_checks_its_own_data_not_the_originals(tmp_path):
    """`cp -r` of a built project (build/ included), data edited in the copy: the copy shows the new number."""
    original = make_project(tmp_path / "original")
    publications.write_pages(original, original / "build" / "docs", jobs=2, engine="builtin")
    copy = tmp_path / "copy"
    shutil.copytree(original, copy, symlinks=True)
    csv = copy / "data" / "raw" / "synthetic_counts.csv"
    csv.write_text(csv.read_text().replace("Sal,2020,20", "Sal,2020,50"))
    page = copy / "build" / "docs" / "publicacoes" / "amostra" / "index.md"

    lines = publications.write_pages(copy, copy / "build" / "docs", jobs=2, engine="builtin")

    assert any("changed: data/raw/synthetic_counts.csv" in line for line in lines)
    assert "O total é 90 000" in text(page.read_text())
    assert "/original/" not in (copy / "build" / "reports" / "cache" / "report" / "amostra" / "pt.json").read_text()
    shutil.rmtree(original)
    lines = publications.write_pages(copy, copy / "build" / "docs", jobs=2, engine="builtin")
    assert all("unchanged" in line for line in lines)
    assert "O total é 90 000" in text(page.read_text())


# -- errors -------------------------------------------------------------------------------------

def broken_project(tmp_path: Path, body: str) -> Path:
    root = make_project(tmp_path / "project")
    shutil.rmtree(root / "reports" / "amostra")
    shutil.rmtree(root / "notebooks")
    folder = root / "reports" / "mau"
    folder.mkdir()
    (folder / "refs.bib").write_text("@book{exemplo2020, author = {Silva, Ana}, title = {Livro}, year = {2020}}\n")
    front = '---\ntitle: "Mau"\nlang: pt\nonly-language: true\nbibliography: refs.bib\n---\n\n'
    (folder / "index.qmd").write_text(front + body)
    return root


def render_error(root: Path) -> str:
    with pytest.raises(UserError) as error:
        publications.write_pages(root, root / "build" / "docs", jobs=1, engine="builtin")
    return str(error.value)


@pytest.mark.slow
def test_failing_cell_names_report_language_lines_and_exception(tmp_path):
    root = broken_project(tmp_path, "Texto.\n\n```{python}\n#| label: fig-x\nx = 1\ny = x / 0\n```\n\nVer @fig-x.\n")
    message = render_error(root)
    assert "reports/mau/index.qmd (pt)" in message
    assert "lines 10–14" in message and "fig-x" in message
    assert "failed, at line 13: ZeroDivisionError: division by zero" in message


def test_unknown_cross_reference_is_an_error(tmp_path):
    message = render_error(broken_project(tmp_path, "Ver @fig-nada.\n"))
    assert "reports/mau/index.qmd, line 8: unknown cross-reference `@fig-nada`" in message


def test_unknown_citation_is_an_error(tmp_path):
    message = render_error(broken_project(tmp_path, "Como diz [@ninguem2020].\n"))
    assert "line 8: unknown citation `@ninguem2020`" in message


def test_unsupported_syntax_names_file_and_line(tmp_path):
    message = render_error(broken_project(tmp_path, "Texto.\n\n::: {.column-page}\nx\n:::\n"))
    assert "reports/mau/index.qmd, line 10" in message and "column-page" in message


def test_missing_translation_is_an_error(tmp_path):
    root = make_project(tmp_path / "project")
    (root / "reports" / "amostra" / "index.en.qmd").unlink()
    message = render_error(root)
    assert "index.en.qmd: missing translation (English)" in message and "only-language: true" in message


def test_engine_selection():
    assert reports.select_engine("builtin") == "builtin"
    assert reports.select_engine("auto") == ("quarto" if shutil.which("quarto") else "builtin")
    with pytest.raises(UserError, match="unknown engine"):
        reports.select_engine("pandoc")
