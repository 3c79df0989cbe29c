"""The chart module: theme, translated labels, locale number formats, publishing files."""

import json
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from observatorio import charts

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
    assert files.csv.read_text().splitlines() == ["island,value", "Santiago,10", "Sal,20"]


def test_drawings_are_cached_by_spec(tmp_path, monkeypatch):
    frame = pd.DataFrame({"year": ["2000", "2010"], "value": [1, 2]})  # synthetic
    chart = charts.finish(alt.Chart(frame).mark_bar().encode(x="year:O", y="value:Q"), "pt", source="synthetic", root=ROOT)
    svg, png = charts.drawings(chart, tmp_path)
    assert svg.lstrip().startswith("<svg") and png.startswith(b"\x89PNG")
    assert len(list(tmp_path.rglob("*.svg"))) == 1

    def fail(_chart):
        raise AssertionError("drawn again although the spec is in the cache")

    monkeypatch.setattr(charts, "svg", fail)
    assert charts.drawings(chart, tmp_path) == (svg, png)
    other = charts.finish(alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q"), "pt", source="synthetic", root=ROOT)
    with pytest.raises(AssertionError, match="drawn again"):
        charts.drawings(other, tmp_path)
