"""Figure views: tabs around each figure, its citation, share links and embed page; the dataset pages' default chart."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from observatorio import charts, csp, dataset_chart
from observatorio.data import load_package, read_typed
from observatorio.errors import UserError
from observatorio.i18n import strings
from observatorio.reports import web
from observatorio.reports.assemble import Figure
from observatorio.reports.figure_view import FigurePage, Panel

ROOT = Path(__file__).resolve().parents[1]
TITLE = "Relatório sintético de teste"


def synthetic_figure(lang: str) -> Figure:
    frame = pd.DataFrame({"ilha": ["Santiago", "Sal", "Fogo"], "valor": [10, 20, 30]})  # synthetic values
    chart = charts.finish(alt.Chart(frame).mark_bar().encode(x="ilha:N", y="valor:Q"), lang, "dados sintéticos de teste", ROOT)
    return Figure(stem=f"fig-sintetica-{lang}", label="fig-sintetica", caption="Figura 1: Valores sintéticos por ilha",
                  alt="Barras sintéticas", spec=charts.to_spec(chart))


def page_figures(lang: str) -> web.PageFigures:
    prefix = "" if lang == "pt" else "../../../publicacoes/sintetico/"
    page = FigurePage(title=TITLE, url=f"https://example.org/{'' if lang == 'pt' else 'en/'}publicacoes/sintetico/",
                      folder="publicacoes/sintetico", default_lang=lang == "pt", authors=("Equipa de teste",), year=2026)
    return web.PageFigures(strings(ROOT, lang), prefix, page=page)


def view(lang: str, figures: web.PageFigures | None = None) -> BeautifulSoup:
    figures = figures or page_figures(lang)
    return BeautifulSoup(figures.html(synthetic_figure(lang)), "html.parser")


@pytest.mark.parametrize("lang, names", [("pt", ["Gráfico", "Tabela", "Descarregar", "Citar e partilhar"]),
                                         ("en", ["Chart", "Table", "Download", "Cite and share"])])
def test_every_panel_has_a_tab_and_a_heading_for_readers_without_javascript(lang, names):
    soup = view(lang)
    figure = soup.find("figure", id="fig-sintetica")
    tablist = figure.find(attrs={"role": "tablist"})
    assert tablist.has_attr("hidden") and tablist["aria-label"]
    tabs = tablist.find_all("button", attrs={"role": "tab"})
    assert [t.get_text() for t in tabs] == names
    assert [t["aria-selected"] for t in tabs] == ["true", "false", "false", "false"]
    assert [t["tabindex"] for t in tabs] == ["0", "-1", "-1", "-1"]
    panels = figure.find_all("section", class_="obs-view-panel")
    assert [p["id"] for p in panels] == [t["aria-controls"] for t in tabs]
    assert [p.find("h3").get_text() for p in panels] == names
    assert not any(p.has_attr("hidden") for p in panels)  # stacked sections until the script runs
    assert panels[1].find("table").find("td").get_text() == "Santiago"


def test_citation_names_the_publication_and_the_figure_and_its_address():
    soup = view("pt")
    cite = soup.find("section", id="fig-sintetica-cite")
    citation = cite.find("blockquote", class_="obs-citation").get_text()
    assert citation == ("Equipa de teste (2026). Figura 1: Valores sintéticos por ilha. Em: Relatório sintético de teste. "
                        "Observatório das Migrações de Cabo Verde. https://example.org/publicacoes/sintetico/#fig-sintetica")
    bibtex = cite.find("pre").get_text()
    assert bibtex.startswith("@misc{omcv-fig-sintetica-pt,") and "title = {{Figura 1: Valores sintéticos por ilha}}" in bibtex
    assert cite.find("a", class_="obs-figure-address")["href"] == "https://example.org/publicacoes/sintetico/#fig-sintetica"
    shares = [a["href"] for a in cite.find("ul", class_="obs-share").find_all("a")]
    assert shares[0].startswith("mailto:?subject=") and "fig-sintetica" in shares[0]
    assert all("%23fig-sintetica" in href or "#fig-sintetica" in href for href in shares)
    assert cite.find("script") is None
    embed_code = cite.find("pre", class_="obs-embed-code").get_text()
    assert embed_code.startswith('<iframe src="https://example.org/publicacoes/sintetico/figuras/fig-sintetica/"')
    assert cite.find("button", attrs={"data-copy": True}).has_attr("hidden")


def test_embed_pages_have_the_policy_the_image_and_source_and_no_site_chrome():
    for lang, path, image in [
        ("pt", "publicacoes/sintetico/figuras/fig-sintetica/index.html", "../../../../publicacoes/sintetico/figures/fig-sintetica-pt.svg"),
        ("en", "publicacoes/sintetico/figures/fig-sintetica/index.en.html", "../../../../../publicacoes/sintetico/figures/fig-sintetica-en.svg"),
    ]:
        figures = page_figures(lang)
        figure = synthetic_figure(lang)
        figures.placeholder(figure)
        files = figures.files([figure], "publicacoes/sintetico")
        assert path in files, sorted(files)
        soup = BeautifulSoup(files[path].decode(), "html.parser")
        assert soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"] == csp.POLICY
        assert soup.find("nav") is None and soup.find("header") is None and soup.find("script") is None
        assert soup.find("img")["src"] == image
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        text = soup.find("figcaption").get_text(" ")
        assert "Valores sintéticos por ilha" in text and "dados sintéticos de teste" in text
        assert soup.find("html")["lang"] == lang


def test_extra_panels_go_between_the_table_and_the_downloads():
    s = strings(ROOT, "pt")
    html = web.figure_html(synthetic_figure("pt"), s, "", "ilha,valor\nSal,20\n", extra_panels=[Panel("map", "<p>mapa</p>")])
    tabs = [t.get_text() for t in BeautifulSoup(html, "html.parser").find_all(attrs={"role": "tab"})]
    assert tabs == ["Gráfico", "Tabela", "Mapa", "Descarregar"]  # no page known: no cite and share panel


def resource(name: str):
    return next(r for r in load_package(ROOT).public_resources() if r.name == name)


def test_dataset_chart_is_a_line_of_the_measure_over_the_years_with_its_source():
    population = resource("population")
    spec, caption, alt_text = dataset_chart.chart(population, read_typed(population), strings(ROOT, "en"), "World Bank")
    assert spec["mark"]["type"] == "line" and spec["encoding"]["x"]["field"] == "year"
    years = [row["year"] for row in charts.data_rows(spec)]
    assert years == sorted(years) and len(years) == len(set(years)) > 50  # one line: population_total only
    assert caption.startswith("Resident population (persons), 1960–")
    assert "Source: World Bank" in str(spec["title"]["text"])
    assert alt_text.startswith("Line chart: Resident population (persons), from 1960 to")


def test_dataset_chart_without_years_is_a_bar_of_the_largest_categories():
    stock = resource("immigrant_stock_by_origin")
    frame = read_typed(stock)
    spec, caption, _ = dataset_chart.chart(stock, frame, strings(ROOT, "pt"), "UN DESA")
    rows = charts.data_rows(spec)
    latest = frame[frame["year"] == frame["year"].max()].nlargest(10, "value")
    assert [r["origin_name_pt"] for r in rows] == list(latest["origin_name_pt"])
    assert caption == f"Imigrantes (pessoas): os 10 maiores valores ({frame['year'].max()})"


def test_dataset_chart_that_would_mix_rows_stops_the_build(monkeypatch):
    stock = resource("immigrant_stock")
    monkeypatch.setitem(stock.descriptor, "default_chart", {})
    with pytest.raises(UserError, match=r"resource `immigrant_stock`: its default chart would mix rows of indicator, sex"):
        dataset_chart.chart(stock, read_typed(stock), strings(ROOT, "pt"), "UN DESA")


def test_a_code_list_has_no_chart():
    countries = resource("countries")
    assert dataset_chart.chart(countries, read_typed(countries), strings(ROOT, "pt"), "x") is None


@pytest.mark.slow
def test_built_publication_figures_have_views_anchors_citations_and_embed_pages(built_site):
    from conftest import soup as parsed

    _, site = built_site
    slug = "imigracao-retrato-estatistico"
    page = parsed(site / "publicacoes" / slug / "index.html")
    title = page.find("h1").get_text(" ", strip=True).removesuffix("¶").strip()  # without the heading's permalink
    figures = page.find_all("figure", class_="obs-figure")
    assert figures
    for figure in figures:
        ident = figure["id"]
        tabs = figure.find(attrs={"role": "tablist"}).find_all(attrs={"role": "tab"})
        assert [t["aria-controls"] for t in tabs] == [f"{ident}-{k}" for k in ("chart", "table", "download", "cite")]
        caption = figure.find("figcaption").get_text(" ", strip=True)
        citation = figure.find("blockquote", class_="obs-citation").get_text(" ", strip=True)
        assert title in citation and caption in citation and f"/publicacoes/{slug}/#{ident}" in citation
        embed = site / "publicacoes" / slug / "figuras" / ident / "index.html"
        embedded = parsed(embed)
        assert embedded.find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is not None
        assert embedded.find("nav") is None and embedded.find(class_="md-header") is None
        assert (embed.parent / embedded.find("img")["src"]).resolve().is_file()
        english = site / "en" / "publicacoes" / slug / "figures" / ident.replace("-pt", "-en") / "index.html"
        assert english.is_file() or not (site / "en" / "publicacoes" / slug).exists()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/figuras/" not in sitemap and "/figures/" not in sitemap


@pytest.mark.slow
def test_built_dataset_pages_show_their_default_chart(built_site):
    from conftest import soup as parsed

    _, site = built_site
    for prefix, name in [("", "Gráfico"), ("en/", "Chart")]:
        page = parsed(site / prefix / "dados" / "population" / "index.html")
        figure = page.find("figure", class_="obs-figure")
        assert figure.find(attrs={"role": "tab"}).get_text() == name
        assert (site / "dados" / "population" / figure.find("img")["src"].split("dados/population/")[-1]).is_file()
