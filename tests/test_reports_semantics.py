"""Quarto's meaning for the constructs researchers use most, and the cases that used to be silently wrong.

A synthetic publication (`fixtures/quarto_semantics`, pt and en) is rendered by the built-in engine;
the tests read the web page with BeautifulSoup and the PDF with pypdf. See docs/quarto-subset.md.
"""

import io
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from test_reports_render import broken_project, make_project, render_error

from observatorio import publications

SEMANTICS = Path(__file__).parent / "fixtures" / "quarto_semantics"
FOLDER = "publicacoes/semantica"


def text(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("\u00a0", " ").replace("\u202f", " ")).strip()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("semantics") / "project")
    shutil.copytree(SEMANTICS, root / "reports" / "semantica")
    docs = root / "build" / "docs"
    publications.write_pages(root, docs, jobs=2, engine="builtin")
    return docs


def soup_of(docs: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((docs / FOLDER / name).read_text(encoding="utf-8"), "html.parser")


def pdf_text(docs: Path, lang: str) -> str:
    reader = PdfReader(io.BytesIO((docs / FOLDER / f"semantica-{lang}.pdf").read_bytes()))
    return text(" ".join(page.extract_text() for page in reader.pages))


def table_rows(table) -> list[list[str]]:
    return [[text(c.get_text()) for c in row.find_all(["th", "td"])] for row in table.find_all("tr")]


@pytest.mark.slow
@pytest.mark.parametrize("lang, page", [("pt", "index.md"), ("en", "index.en.md")])
def test_inline_values_are_not_shifted_by_code_shown_in_fences(built, lang, page):
    soup = soup_of(built, page)
    body = text(soup.get_text(" "))
    printed = pdf_text(built, lang)
    expected = "O valor real (deve ser 42): 42" if lang == "pt" else "The real value (must be 42): 42"
    assert expected in body and expected in printed
    assert "`{python} x`" in text(soup.find("pre").get_text(" ")).replace(" x`", " x`")  # the fence is shown as written
    literal = "Texto literal: *foo*" if lang == "pt" else "Literal text: *foo*"
    assert literal in body and literal in printed  # inline strings are escaped, never emphasis
    assert not any("foo" in em.get_text() for em in soup.find_all("em"))


@pytest.mark.slow
@pytest.mark.parametrize("lang, page, header, first", [
    ("pt", "index.md", ["unidade", "valor", "ano"], ["current US$", "1 234 567,0", "2020"]),
    ("en", "index.en.md", ["unit", "value", "year"], ["current US$", "1,234,567.0", "2020"]),
])
def test_dataframe_cells_stay_literal_and_numbers_follow_the_language(built, lang, page, header, first):
    soup = soup_of(built, page)
    table = soup.find("div", id="tbl-valores" if lang == "pt" else "tbl-values").find("table")
    rows = table_rows(table)
    assert rows[0] == header
    assert rows[1] == first
    assert rows[2][0] == "**x**" and rows[3][0] == "<b>"
    assert not table.find("math") and not table.find("strong") and not table.find("b")
    caption = text(table.find("caption").get_text())
    assert caption == ("Tabela 1: Valores com símbolos (sintéticos)" if lang == "pt" else "Table 1: Values with symbols (synthetic)")
    printed = pdf_text(built, lang)
    assert "current US$" in printed and first[1] in printed.replace("\u00a0", " ")


@pytest.mark.slow
def test_markdown_table_caption_and_label(built):
    soup = soup_of(built, "index.md")
    table = soup.find("table", id="tbl-manual") or soup.find(id="tbl-manual").find("table")
    assert text(table.find("caption").get_text()) == "Tabela 2: Tabela escrita à mão"
    links = {a["href"]: text(a.get_text()) for a in soup.find_all("a") if a.get("href", "").startswith("#")}
    assert links["#tbl-valores"] == "Tabela 1" and links["#tbl-manual"] == "Tabela 2"
    assert "Tabela 2: Tabela escrita à mão" in pdf_text(built, "pt")


@pytest.mark.slow
@pytest.mark.parametrize("lang, page, label, prefix", [("pt", "index.md", "eq-energia", "Equação"), ("en", "index.en.md", "eq-energy", "Equation")])
def test_equations_are_mathml_numbered_and_referenced(built, lang, page, label, prefix):
    soup = soup_of(built, page)
    maths = soup.find_all("math")
    assert [m.get("display") for m in maths] == ["inline", "block"]
    assert not soup.find(class_="inline")  # Material's `.inline` (float) rule never meets pandoc's math span
    equation = soup.find(id=label)
    assert equation.find("math") and text(equation.get_text()).endswith("(1)")
    links = {a["href"]: text(a.get_text()) for a in soup.find_all("a") if a.get("href", "").startswith("#")}
    assert links[f"#{label}"] == f"{prefix} 1"
    body = text(soup.get_text(" "))
    assert "{#eq" not in body and "$$" not in body and "$a" not in body
    printed = pdf_text(built, lang)
    assert f"{prefix} 1" in printed and "(1)" in printed and "{#eq" not in printed


@pytest.mark.slow
@pytest.mark.parametrize("lang, page, label, caption", [
    ("pt", "index.md", "fig-imagem", "Figura 1: Imagem ao lado do documento"),
    ("en", "index.en.md", "fig-image", "Figure 1: An image beside the document"),
])
def test_markdown_image_figures_beside_the_document(built, lang, page, label, caption):
    soup = soup_of(built, page)
    figure = soup.find(id=label)
    assert text(figure.find("figcaption").get_text()) == caption
    image = figure.find("img")
    assert image["src"].endswith("imagem-sintetica.png")
    assert (built / FOLDER / "imagem-sintetica.png").is_file()  # published with the page
    links = [text(a.get_text()) for a in soup.find_all("a", href=f"#{label}")]
    assert links == [caption.split(":")[0], "1"]  # `@fig-x` and `[-@fig-x]`
    assert caption in pdf_text(built, lang)


@pytest.mark.slow
def test_callouts_outputs_and_headings(built):
    soup = soup_of(built, "index.md")
    callouts = soup.find_all("div", class_="admonition")
    assert [text(c.find(class_="admonition-title").get_text()) for c in callouts] == ["Nota", "Atenção", "Aviso"]
    assert text(soup.find("strong", string=re.compile("negrito")).get_text()) == "em negrito"  # output: asis
    fenced = [text(p.get_text()) for p in soup.find_all("pre")]
    assert any(f.startswith("```{python}") and "y = 1" in f for f in fenced)  # echo: fenced
    assert text(soup.find("em", string=re.compile("enfatizado")).get_text()) == "enfatizado"  # IPython Markdown
    assert soup.find("strong", string="forte") is not None  # an inline Markdown object
    page = (built / FOLDER / "index.md").read_text(encoding="utf-8")
    assert "## Saídas { #saídas .unnumbered }" in page or "## Saídas {" in page
    assert "{.unnumbered}" not in text(soup.get_text(" "))
    assert "{{< pagebreak >}}" in text(soup.find_all("code")[-1].get_text()) or "{{< pagebreak >}}" in text(soup.get_text(" "))
    printed = pdf_text(built, "pt")
    assert "Nota sem chavetas" in printed and "Atenção" in printed


# -- limits and errors ---------------------------------------------------------------------------

@pytest.mark.slow
def test_cell_timeout_names_file_lines_and_limit(tmp_path):
    root = broken_project(tmp_path, "```{python}\nimport time\ntime.sleep(60)\n```\n")
    text_ = (root / "reports" / "mau" / "index.qmd").read_text().replace("only-language: true\n", "only-language: true\nexecute:\n  timeout: 2\n")
    (root / "reports" / "mau" / "index.qmd").write_text(text_)
    message = render_error(root)
    assert "reports/mau/index.qmd (pt)" in message and "lines 10–13" in message and "2 s" in message
    assert "Traceback" not in message


@pytest.mark.slow
@pytest.mark.parametrize("lang, page, title, body, plain", [
    ("pt", "index.md", "Dobrada", "Conteúdo de uma dica dobrada.", "Aviso simples, sem ícone."),
    ("en", "index.en.md", "Folded", "Content of a folded tip.", "A simple warning, without an icon."),
])
def test_callout_options_collapse_appearance_and_icon(built, lang, page, title, body, plain):
    soup = soup_of(built, page)
    folded = soup.find("details", class_="callout-tip")  # collapse="true": Material's folded admonition, closed
    assert folded is not None and "tip" in folded["class"] and not folded.has_attr("open")
    assert text(folded.find("summary").get_text()) == title and text(folded.find("p").get_text()) == body
    assert title not in [text(h.get_text()) for h in soup.find_all(["h2", "h3"])]  # the callout's heading is its title
    simple = next(c for c in soup.find_all("div", class_="admonition") if plain in text(c.get_text()))
    assert {"warning", "callout-appearance-simple", "callout-no-icon"} <= set(simple["class"])  # styled in observatorio.css
    assert "callout-appearance-default" in folded["class"] and "callout-no-icon" not in folded["class"]
    printed = pdf_text(built, lang)
    assert f"{title} {body}" in printed and plain in printed  # the PDF's box is open


@pytest.mark.slow
def test_callout_looks_as_quarto_draws_them_in_chromium(built):
    """With Material's stylesheet and the observatory's: a default box has its icon and tinted title;
    `appearance="simple" icon=false` has neither, and only a left rule."""
    chromium = Path(shutil.which("chromium") or "/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    import material

    css = [*sorted((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css")),
           Path(__file__).resolve().parents[1] / "site" / "assets" / "css" / "observatorio.css"]
    soup = soup_of(built, "index.md")
    boxes = "".join(str(c) for c in soup.select(".admonition.callout-note, .admonition.callout-appearance-simple"))
    styles = "".join(f"<style>{path.read_text(encoding='utf-8')}</style>" for path in css)
    look = """(box) => { const title = box.querySelector('.admonition-title'); const style = getComputedStyle(box);
        return {icon: getComputedStyle(title, '::before').display, tint: getComputedStyle(title).backgroundColor,
                top: style.borderTopWidth, left: style.borderLeftWidth}; }"""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.set_content(f"<html><head>{styles}</head><body><article class='md-typeset'>{boxes}</article></body></html>")
        default, simple = (page.locator(selector).first.evaluate(look) for selector in (".callout-note", ".callout-appearance-simple"))
        browser.close()
    assert default["icon"] != "none" and default["tint"] not in ("rgba(0, 0, 0, 0)", "transparent") and default["top"] != "0px"
    assert simple["icon"] == "none" and simple["tint"] == "rgba(0, 0, 0, 0)" and simple["top"] == "0px" and simple["left"] != "0px"


@pytest.mark.parametrize("body, words", [
    ('::: {.callout-note collapse="sim"}\nx\n:::\n', 'line 8: `collapse="sim"` on a callout is not supported; write `collapse="true"` or `collapse="false"`'),
    ("::: {.callout-tip appearance=fancy}\nx\n:::\n", 'line 8: `appearance="fancy"` on a callout is not supported; write `appearance="default"`'),
    ("Antes.\n\n::: {.callout-tip icon=no}\nx\n:::\n", 'line 10: `icon="no"` on a callout is not supported'),
    ("::: {#nte-x .callout-note}\nx\n:::\n", "line 8: a label on a callout (`#nte-x`) is not supported: Quarto would number it"),
    ('::: {.callout-note cor="azul"}\nx\n:::\n', "line 8: the callout attribute `cor` is outside the supported subset; use `title`, `collapse`"),
    ("```{python}\n#| label: fig-x\n#| fig-cap: Como na @fig-nada\nx = 1\n```\n", "line 10: unknown cross-reference `@fig-nada`"),
    ("```{python}\n#| label: fig-x\n#| fig-cap: Como diz [@exemplo2020]\nx = 1\n```\n",
     "line 10: a citation (`@exemplo2020`) in the cell option `fig-cap` is not supported"),
    ("Ver [@fig-x, à esquerda].\n", "line 8: the text after `@fig-x` inside the brackets would be dropped (Quarto drops it); write it after the brackets"),
    ("Ver [@fig-x; @exemplo2020].\n", "line 8: `[@fig-x; @exemplo2020]` mixes cross-references and citations of works"),
    ("![Falta](nao-existe.png)\n", "line 8: image `nao-existe.png` not found beside the document"),
    ("Texto {{< include outro.qmd >}} no meio.\n", "line 8: put a shortcode on a line of its own"),
    ("::: {.column-margin}\nx\n:::\n", "line 8: `::: {.column-margin}` is outside the supported subset"),
    ("::: callout-note\nsem fim\n", "line 8: this `:::` block is not closed"),
])
def test_unsupported_constructs_stop_with_file_line_and_advice(tmp_path, body, words):
    message = render_error(broken_project(tmp_path, body))
    assert "reports/mau/index.qmd" in message and words in message


@pytest.mark.slow
def test_tabsets_and_shown_errors(built):
    soup = soup_of(built, "index.md")
    tabs = soup.find("div", class_="tabbed-set")
    assert [text(label.get_text()) for label in tabs.find_all("label")] == ["Primeiro separador", "Segundo separador"]
    assert [text(b.get_text()) for b in tabs.find_all("div", class_="tabbed-block")] == ["Conteúdo do primeiro.", "Conteúdo do segundo."]
    assert "ZeroDivisionError: division by zero" in text(soup.find("pre", class_="error").get_text())  # error: true
    folded = soup.find("details", class_="obs-code")
    assert text(folded.find("summary").get_text()) == "Código" and "z = 2" in folded.find("pre").get_text()  # code-fold
    printed = pdf_text(built, "pt")
    assert "z = 2" in printed
    positions = [printed.find(part) for part in ("Primeiro separador", "Conteúdo do primeiro.", "Segundo separador", "Conteúdo do segundo.")]
    assert -1 not in positions and positions == sorted(positions)


@pytest.mark.slow
@pytest.mark.parametrize("lang, page, sentence, output, reference", [
    ("pt", "index.md", "Texto de um ficheiro incluído, com um valor da mesma sessão: 43.", "Saída de uma célula incluída", "Secção 5"),
    ("en", "index.en.md", "Text from an included file, with a value from the same session: 43.", "Output of an included cell", "Section 5"),
])
def test_included_files_are_part_of_the_document(built, lang, page, sentence, output, reference):
    soup = soup_of(built, page)
    body = text(soup.get_text(" "))
    printed = pdf_text(built, lang)
    assert sentence in body and sentence in printed  # same kernel: `x` comes from the including document
    assert output in body and output in printed
    label, title = ("sec-incluida", "Parte incluída") if lang == "pt" else ("sec-included", "Included part")
    assert f"## 5 {title} {{ #{label} }}" in (built / FOLDER / page).read_text(encoding="utf-8")  # a numbered heading
    assert text(soup.find("a", href=f"#{label}").get_text()) == reference
    assert reference in printed
    assert "{{< include" not in body and "{{< include" not in printed


@pytest.mark.parametrize("files, body, words", [
    ({}, "Antes.\n\n{{< include _falta.qmd >}}\n", "reports/mau/index.qmd, line 10: included file `_falta.qmd` not found"),
    ({"_a.qmd": "Texto.\n\n{{< include _b.qmd >}}\n", "_b.qmd": "{{< include _a.qmd >}}\n"},
     "{{< include _a.qmd >}}\n", "reports/mau/_b.qmd, line 1: `_a.qmd` includes itself"),
    ({"_parte.qmd": "Uma linha.\n\n::: {.column-margin}\nx\n:::\n"},
     "{{< include _parte.qmd >}}\n\nDepois.\n", "reports/mau/_parte.qmd, line 3: `::: {.column-margin}` is outside the supported subset"),
    ({"_parte.qmd": "Uma linha.\n"}, "{{< include _parte.qmd >}}\n\n![Falta](nao-existe.png)\n",
     "reports/mau/index.qmd, line 10: image `nao-existe.png` not found"),
])
def test_include_errors_name_the_file_and_line_written(tmp_path, files, body, words):
    root = broken_project(tmp_path, body)
    for name, content in files.items():
        (root / "reports" / "mau" / name).write_text(content)
    assert words in render_error(root)


def test_an_edit_of_an_included_file_runs_the_document_again(tmp_path):
    from observatorio.reports.render import execution_inputs
    from observatorio.reports.sources import Source

    root = broken_project(tmp_path, "{{< include _parte.qmd >}}\n")
    part = root / "reports" / "mau" / "_parte.qmd"
    part.write_text("```{python}\nx = 1\n```\n")
    source = Source("report", "mau", "pt", root / "reports" / "mau" / "index.qmd")
    before = execution_inputs(root, source).items
    part.write_text("```{python}\nx = 2\n```\n")
    assert [name for name, value in execution_inputs(root, source).items.items() if before[name] != value] == ["reports/mau/_parte.qmd"]


@pytest.mark.slow
def test_a_failing_inline_value_in_an_included_file_names_it(tmp_path):
    root = broken_project(tmp_path, "Antes.\n\n{{< include _parte.qmd >}}\n")
    (root / "reports" / "mau" / "_parte.qmd").write_text("Uma linha.\n\nValor: `{python} 1 / 0`.\n")
    message = render_error(root)
    assert "reports/mau/index.qmd (pt), _parte.qmd, line 3: the inline expression `1 / 0` failed" in message


@pytest.mark.slow
@pytest.mark.parametrize("lang, page, label, subs, caption, sub_labels", [
    ("pt", "index.md", "fig-par", ["(a) Primeira imagem", "(b) Segunda imagem"], "Figura 2: Duas imagens lado a lado", ["fig-par-a", "fig-par-b"]),
    ("en", "index.en.md", "fig-pair", ["(a) First image", "(b) Second image"], "Figure 2: Two images side by side", ["fig-pair-a", "fig-pair-b"]),
    # a cell with `fig-subcap` and `layout-ncol`: Quarto labels its plots fig-x-1, fig-x-2
    ("pt", "index.md", "fig-graficos", ["(a) Barras", "(b) Pontos"], "Figura 3: Dois gráficos de uma célula", ["fig-graficos-1", "fig-graficos-2"]),
    ("en", "index.en.md", "fig-charts", ["(a) Bars", "(b) Points"], "Figure 3: Two charts from one cell", ["fig-charts-1", "fig-charts-2"]),
])
def test_sub_figures_are_lettered_and_referenced_as_quarto_does(built, lang, page, label, subs, caption, sub_labels):
    soup = soup_of(built, page)
    figure = soup.find("figure", id=label)
    grid = figure.find("div", class_="obs-subfigures")
    assert grid["style"].count("1fr") == 2  # layout-ncol=2
    inner = grid.find_all("figure", recursive=False)
    assert [f["id"] for f in inner] == sub_labels
    assert [text(f.find("figcaption").get_text()) for f in inner] == subs
    assert text(figure.find_all("figcaption")[-1].get_text()) == caption
    number = caption.split(":")[0]
    assert text(soup.find("a", href=f"#{sub_labels[1]}").get_text()) == f"{number} (b)"
    printed = pdf_text(built, lang)
    assert subs[0] in printed and f"{subs[1]} {caption}" in printed and f"{number} (b)." in printed


@pytest.mark.parametrize("attributes", ["layout-ncol=2 layout-nrow=1", 'layout="[[1,-1]]"', "layout-ncol=dois"])
def test_sub_figure_layouts_outside_the_subset_stop(tmp_path, attributes):
    body = f"::: {{#fig-x {attributes}}}\n![A](a.png)\n\n![B](b.png)\n\nCaption\n:::\n"
    message = render_error(broken_project(tmp_path, body))
    assert "reports/mau/index.qmd, line 8: `::: {#fig-x" in message and "layout-ncol=2" in message


@pytest.mark.parametrize("options", [
    "#| label: fig-x\n#| fig-subcap:\n#|   - A\n",  # no layout-ncol
    "#| label: fig-x\n#| layout-ncol: 2\n",  # no fig-subcap
    "#| label: tbl-x\n#| fig-subcap: [A, B]\n#| layout-ncol: 2\n",
])
def test_cell_sub_figure_options_must_come_together(tmp_path, options):
    message = render_error(broken_project(tmp_path, f"```{{python}}\n{options}x = 1\n```\n"))
    assert "reports/mau/index.qmd, line 9: sub-figures from a cell need" in message


def pdf_page_with(docs: Path, lang: str, words: str):
    """The PDF page whose text holds `words` (a caption), for what is drawn on it."""
    reader = PdfReader(io.BytesIO((docs / FOLDER / f"semantica-{lang}.pdf").read_bytes()))
    return next(page for page in reader.pages if words in text(page.extract_text()))


@pytest.mark.slow
@pytest.mark.parametrize("lang, page, caption, png_caption", [
    ("pt", "index.md", "Figura 4: Quadrados de 0 a 10 (números sintéticos)", "Figura 5: Os mesmos quadrados da Figura 4, em PNG"),
    ("en", "index.en.md", "Figure 4: Squares from 0 to 10 (synthetic numbers)", "Figure 5: The same squares as Figure 4, as PNG"),
])
def test_matplotlib_figures_end_to_end(built, lang, page, caption, png_caption):
    from PIL import Image

    soup = soup_of(built, page)
    figure = soup.find("figure", id="fig-mpl")
    assert text(figure.find("figcaption").get_text()) == caption
    image = figure.find("img")
    assert image["src"].endswith(".svg")  # Quarto's default `fig-format` for matplotlib on the web is vector here
    drawn = (built / FOLDER / "figures" / image["src"].split("figures/")[-1]).read_text(encoding="utf-8")
    assert "<svg" in drawn and 'width="' in drawn
    width_pt = float(re.search(r'<svg[^>]*\swidth="([0-9.]+)pt"', drawn).group(1))
    assert 0.85 * 5 * 72 <= width_pt <= 1.1 * 5 * 72  # `fig-width: 5` (inches), cropped to the drawing as Jupyter does
    number = caption.split(":")[0]
    assert text(soup.find("a", href="#fig-mpl").get_text()) == number  # `@fig-mpl` in the prose
    # `fig-format: png` and `fig-dpi: 150`: a PNG drawn at 150 dpi, 5 in wide (Jupyter crops it to the drawing, as Quarto's does)
    png_figure = soup.find("figure", id="fig-png")
    assert text(png_figure.find("figcaption").get_text()) == png_caption
    caption_link = png_figure.find("figcaption").find("a")  # the caption's `@fig-mpl` is a link, as Quarto writes it
    assert caption_link is not None and caption_link["href"] == "#fig-mpl" and text(caption_link.get_text()) == number
    assert text(soup.find("a", href="#fig-png").get_text()) == png_caption.split(":")[0]
    assert text(png_figure.find("img")["alt"]) == png_caption.split(": ", 1)[1]  # the caption's reference resolved in the alt text too
    source = png_figure.find("img")["src"]
    assert source.endswith(".png")
    with Image.open(built / FOLDER / "figures" / source.split("figures/")[-1]) as png:  # pages in English link to the main folder
        assert round(png.info["dpi"][0]) == 150
        assert abs(png.width - 5 * 150) <= 0.1 * 5 * 150
        assert png.width / png.height == pytest.approx(5 / 3, rel=0.1)
    # in the PDF: the captions and, on their page, the drawing (vector paths) and the PNG (an image XObject)
    printed = pdf_text(built, lang)
    assert caption in printed and png_caption in printed
    assert "@fig-mpl" not in printed and "@fig-png" not in printed
    grouped = "Juntas: Figura 4, Figura 5; só os números: 4, 5; com outro prefixo: Fig. 4." if lang == "pt" else \
        "Together: Figure 4, Figure 5; numbers only: 4, 5; with another prefix: Fig. 4."
    assert grouped in text(soup.get_text(" ")).replace(" ,", ",").replace(" ;", ";").replace(" .", ".") and grouped in printed
    assert [text(a.get_text()) for a in soup.find_all("a", href="#fig-png")] == [png_caption.split(":")[0], png_caption.split(":")[0], "5"]
    vector_page = pdf_page_with(built, lang, caption)
    assert vector_page.get_contents().get_data().count(b" l\n") + vector_page.get_contents().get_data().count(b" c\n") > 20
    png_page = pdf_page_with(built, lang, png_caption)
    assert any(obj.get_object().get("/Subtype") == "/Image" for obj in png_page["/Resources"]["/XObject"].values())
    assert len(png_page.images) >= 1


@pytest.mark.slow
@pytest.mark.parametrize("lang, page, note, placement, before", [
    # `reference-location: section` (pt): the note is listed at the end of its section, before the next heading
    ("pt", "index.md", "Nota de rodapé da primeira secção, listada no fim dela.", "footnotes-end-of-section", "## 2 Tabelas"),
    # no `reference-location` (en): Quarto's default, `document`, lists it at the end of the text
    ("en", "index.en.md", "A footnote of the first section, listed at the end of the page.", "footnotes-end-of-document", None),
])
def test_reference_location_places_footnotes_as_quarto_does(built, lang, page, note, placement, before):
    soup = soup_of(built, page)
    notes = soup.find(class_=placement)
    assert notes is not None and note in text(notes.get_text(" "))
    assert soup.find("a", class_="footnote-ref") is not None
    markdown = (built / FOLDER / page).read_text(encoding="utf-8")
    position = markdown.find(note)
    if before:
        assert markdown.find("## 1 Valores") < position < markdown.find(before)
    else:
        assert position > markdown.find("Matplotlib chart")  # after the last section of the text
    printed = pdf_text(built, lang)
    assert note in printed  # in the PDF, at the foot of the page
