"""The chart module: theme, translated labels, locale number formats, publishing files."""

import io
import json
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from observatorio import charts
from observatorio.errors import UserError

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "lang, number, percent",
    [("pt", "16\u00a0515", "84,9 %"), ("en", "16,515", "84.9%")],
)
def test_locale_number_formats(lang, number, percent):
    t = charts.texts(lang, ROOT)
    assert t.number(16515) == number
    assert t.percent(84.93) == percent
    assert charts.number(2.5, lang, 1, ROOT) == ("2,5" if lang == "pt" else "2.5")


def test_labels_come_from_the_ui_strings_of_each_language():
    assert charts.texts("pt", ROOT)["year"] == "Ano"
    assert charts.texts("en", ROOT)["year"] == "Year"
    assert charts.texts("pt", ROOT).source("X") == "Fonte: X"


def test_theme_is_colour_blind_safe_and_uses_the_site_font():
    config = charts.theme_config()["config"]
    assert config["font"] == "Source Sans Pro"
    assert config["range"]["category"][:3] == ["#0072B2", "#E69F00", "#009E73"]  # Okabe–Ito
    assert alt.theme.active == charts.THEME


def test_finish_adds_source_and_locale():
    frame = pd.DataFrame({"year": [2020, 2024], "value": [15788, 16515]})  # values from the UN DESA rows
    spec = charts.finish(alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q"), "pt", "UN DESA", ROOT).to_dict()
    assert spec["title"]["text"] == "Fonte: UN DESA"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["number"]["thousands"] == "\u00a0"


def test_frame_converts_nullable_dtypes():
    frame = pd.DataFrame({"a": pd.array([1, None], dtype="Int64"), "b": pd.array(["x", None], dtype="string")})
    plain = charts.frame(frame)
    assert str(plain["a"].dtype) == "float64"
    assert plain["b"].tolist() == ["x", None]


def test_publish_writes_spec_svg_png_and_csv(tmp_path):
    frame = pd.DataFrame({"island": ["Santiago", "Sal"], "value": [10, 20]})  # synthetic test values
    chart = charts.finish(alt.Chart(frame).mark_bar().encode(x="island:N", y="value:Q"), "en", "synthetic", ROOT)
    files = charts.publish(chart, tmp_path, "fig-test-en")
    assert json.loads(files.spec.read_text())["mark"]["type"] == "bar"
    svg = files.svg.read_text()
    assert svg.startswith("<svg") and "Source: synthetic" in svg
    assert files.png.read_bytes()[:4] == b"\x89PNG"
    assert files.csv.read_text().splitlines()[-3:] == ["island,value", "Santiago,10", "Sal,20"]


def test_drawings_are_cached_by_spec(tmp_path, monkeypatch):
    frame = pd.DataFrame({"year": ["2000", "2010"], "value": [1, 2]})  # synthetic
    chart = charts.finish(alt.Chart(frame).mark_bar().encode(x="year:O", y="value:Q"), "pt", source="synthetic", root=ROOT)
    svg = charts.drawing(chart, tmp_path)
    png = charts.picture(svg, tmp_path)
    assert svg.lstrip().startswith("<svg") and png.startswith(b"\x89PNG")
    assert len(list(tmp_path.rglob("*.svg"))) == 1 and len(list(tmp_path.rglob("*.png"))) == 1

    def fail(*_args):
        raise AssertionError("drawn again although it is in the cache")

    monkeypatch.setattr(charts, "svg", fail)
    monkeypatch.setattr(charts, "svg_png", fail)
    assert charts.drawing(chart, tmp_path) == svg and charts.picture(svg, tmp_path) == png
    other = charts.finish(alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q"), "pt", source="synthetic", root=ROOT)
    with pytest.raises(AssertionError, match="drawn again"):
        charts.drawing(other, tmp_path)


# -- downloads that carry their context ------------------------------------------------------------

SYNTHETIC_CONTEXT = charts.Context("pt", title="Imigrantes por ano (dados sintéticos)", address="https://example.org/publicacoes/x/#fig-a",
                                   licences=("CC BY 4.0",))


def synthetic_line_chart(lang="pt"):
    t = charts.texts(lang, ROOT)
    frame = charts.frame(pd.DataFrame({"year": [1990, 2000, 2010], "value": pd.array([9000, 12000, 16515], dtype="Int64")}))  # synthetic
    chart = alt.Chart(frame).mark_line().encode(x=alt.X("year:O", title=t["year"]), y=alt.Y("value:Q", title=t["persons"]))
    return charts.finish(chart, lang, "synthetic source", ROOT)


def svg_texts(svg: str) -> list[str]:
    return [" ".join(node.get_text(" ").split()) for node in BeautifulSoup(svg, "html.parser").find_all("text")]


def test_figure_csv_round_trips_with_pandas_with_integers_and_its_context():
    files = charts.figure_files(synthetic_line_chart().to_dict(), "fig-a-pt", SYNTHETIC_CONTEXT, root=ROOT)
    text = files["fig-a-pt.csv"].decode("utf-8")
    read = pd.read_csv(io.StringIO(text), comment="#")  # the one option the header documents
    assert read.columns.tolist() == ["year", "value"]
    assert str(read["year"].dtype) == "int64" and str(read["value"].dtype) == "int64"
    assert read["year"].tolist() == [1990, 2000, 2010] and read["value"].tolist() == [9000, 12000, 16515]
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert "# Imigrantes por ano (dados sintéticos)" in header
    assert "# Fonte: synthetic source" in header
    assert "# Colunas: year = Ano; value = Pessoas" in header
    assert "# Licença dos dados: CC BY 4.0" in header
    assert "# Observatório das Migrações de Cabo Verde: https://example.org/publicacoes/x/#fig-a" in header
    assert any("comment='#'" in line for line in header)


def test_a_hash_in_a_value_is_quoted_so_pandas_keeps_it():
    frame = pd.DataFrame({"label": ["Ilha #1", "Sal"], "value": [1, 2]})  # synthetic
    chart = charts.finish(alt.Chart(frame).mark_bar().encode(x="label:N", y="value:Q"), "en", "synthetic", ROOT)
    text = charts.data_file(chart.to_dict(), charts.Context("en", title="synthetic"), ROOT)
    assert pd.read_csv(io.StringIO(text), comment="#")["label"].tolist() == ["Ilha #1", "Sal"]


def test_svg_and_png_downloads_carry_title_source_observatory_and_address():
    files = charts.figure_files(synthetic_line_chart().to_dict(), "fig-a-pt", SYNTHETIC_CONTEXT, root=ROOT)
    framed = files["fig-a-pt-download.svg"].decode("utf-8")
    texts = svg_texts(framed)
    for wanted in ("Imigrantes por ano (dados sintéticos)", "Fonte: synthetic source", "Observatório das Migrações de Cabo Verde",
                   "https://example.org/publicacoes/x/#fig-a"):
        assert wanted in texts, wanted
    assert "Imigrantes por ano (dados sintéticos)" not in svg_texts(files["fig-a-pt.svg"].decode())  # the page's image: the caption says it
    assert files["fig-a-pt.png"] == charts.svg_png(framed)  # the PNG is that SVG, drawn
    from PIL import Image

    with Image.open(io.BytesIO(files["fig-a-pt.png"])) as image, Image.open(io.BytesIO(charts.svg_png(files["fig-a-pt.svg"].decode()))) as plain:
        assert image.height > plain.height  # the title and the footer are drawn


# -- labels are wrapped, never cut -----------------------------------------------------------------

LONG = ["Nascidos no estrangeiro (recenseamento, 2021)", "Estimativa das Nações Unidas (2024)"]  # labels of the brief's chart


def test_a_cut_label_stops_the_build_naming_the_figure_and_the_label():
    frame = pd.DataFrame({"measure": LONG, "value": [1, 2]})  # synthetic values
    chart = alt.Chart(frame).mark_bar().encode(y=alt.Y("measure:N", axis=alt.Axis(labelLimit=80)), x="value:Q")
    with pytest.raises(UserError, match=r"fig-medidas.*\"Nascidos no estrangeiro \(recenseamento, 2021\)\" \(drawn as \"Nasc"):
        charts.figure_files(chart.to_dict(), "fig-medidas-pt", charts.Context("pt"), "reports/x: figure `fig-medidas`", root=ROOT)


def test_wrapped_axis_writes_long_labels_over_lines_instead_of_cutting_them():
    frame = pd.DataFrame({"measure": LONG, "value": [1, 2]})  # synthetic values
    chart = alt.Chart(frame).mark_bar().encode(y=alt.Y("measure:N", axis=charts.wrapped_axis(frame["measure"])), x="value:Q")
    svg = charts.svg(chart)
    assert charts.truncated_labels(svg) == []
    lines = [node.get_text() for node in BeautifulSoup(svg, "html.parser").find_all("tspan")]
    assert "Nascidos no estrangeiro" in lines and "(recenseamento, 2021)" in lines
    charts.check_labels(svg, chart.to_dict(), "synthetic")  # no error


@pytest.mark.slow
def test_no_label_is_cut_in_any_figure_of_the_projects_own_publications(built_site):
    """Every figure the project publishes (reports, notebooks, profiles), as drawn for pages and PDFs and as downloaded."""
    _, site = built_site
    drawn = sorted(p for p in site.rglob("figures/*.svg"))
    assert len(drawn) > 50
    cut = {str(p.relative_to(site)): charts.truncated_labels(p.read_text(encoding="utf-8")) for p in drawn}
    assert {name: labels for name, labels in cut.items() if labels} == {}
