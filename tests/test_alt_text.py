"""Alt texts written from the chart's data: first and last values, maximum, crossings of two series."""

import io
import json
import re
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from observatorio import alt_text, charts
from observatorio.i18n import Strings

ROOT = Path(__file__).resolve().parents[1]

# synthetic: two series that change order between 2010 and 2015, as figure 2 of imigracao-retrato-estatistico
CROSSING = pd.DataFrame({
    "year": [1990, 2000, 2010, 2015, 2020] * 2,
    "value": [2.6, 2.6, 2.9, 2.8, 2.8, 2.4, 2.4, 2.8, 2.9, 3.1],
    "edition": ["Edição 2020"] * 5 + ["Edição 2024"] * 5,
})


def line_spec(frame: pd.DataFrame, lang: str = "pt", series: str | None = "edition") -> dict:
    t = charts.texts(lang, ROOT)
    encoding = {"x": alt.X("year:O", title=t["year"]), "y": alt.Y("value:Q", title=t["share_of_population"])}
    if series:
        encoding["color"] = alt.Color(f"{series}:N", title=t["series"])
    return charts.finish(alt.Chart(charts.frame(frame)).mark_line().encode(**encoding), lang, "synthetic", ROOT).to_dict()


def expected_crossings(frame: pd.DataFrame) -> list[tuple[int, int]]:
    """Independently of the module: the years between which the order of the two series changes."""
    wide = frame.pivot(index="year", columns="edition", values="value").dropna().sort_index()
    sign = (wide.iloc[:, 0] - wide.iloc[:, 1]).apply(lambda d: (d > 0) - (d < 0))
    years = list(wide.index)
    return [(years[i - 1], years[i]) for i in range(1, len(years)) if sign.iloc[i] != sign.iloc[i - 1]]


def test_two_series_say_where_they_cross_and_their_first_last_and_maximum_values():
    text = alt_text.describe(line_spec(CROSSING), Strings(ROOT, "pt"))
    assert expected_crossings(CROSSING) == [(2010, 2015)]
    assert "cruzam-se entre 2010 e 2015" in text and "a partir de" not in text
    for name, rows in CROSSING.groupby("edition"):
        first, last, top = rows.iloc[0], rows.iloc[-1], rows.loc[rows["value"].idxmax()]
        said = f"{name}: de {first.value:.1f} em {first.year} para {last.value:.1f} em {last.year}; máximo de {top.value:.1f}, em {top.year}"
        assert said.replace(".", ",") in text


def test_english_and_a_single_series():
    frame = CROSSING[CROSSING["edition"] == "Edição 2024"]
    text = alt_text.describe(line_spec(frame, "en", series=None), Strings(ROOT, "en"))
    assert text == "Line chart: % of population, by Year, from 1990 to 2020. From 2.4 in 1990 to 3.1 in 2020; the maximum is 3.1, in 2020."


def test_series_that_never_cross_say_which_stays_above():
    frame = CROSSING.assign(value=[1, 1, 1, 1, 1, 2, 2, 2, 2, 2])
    assert "Edição 2024 fica sempre acima de Edição 2020." in alt_text.describe(line_spec(frame), Strings(ROOT, "pt"))


def test_equal_at_one_point_between_two_orders():
    assert alt_text.crossings([(1, 1.0), (2, 2.0), (3, 3.0)], [(1, 2.0), (2, 2.0), (3, 1.0)]) == [(2, 2)]


def test_bars_list_categories_from_the_largest_with_formatted_numbers():
    frame = pd.DataFrame({"country": list("ABCDEFGH"), "value": [10, 80, 5576, 30, 40, 50, 60, 70]})  # synthetic
    chart = alt.Chart(frame).mark_bar().encode(y=alt.Y("country:N", title="País"), x=alt.X("value:Q", title="Pessoas"))
    text = alt_text.describe(chart.to_dict(), Strings(ROOT, "pt"))
    assert text == "Gráfico de barras: Pessoas, por País: C 5\u00a0576, B 80, H 70, G 60, F 50, E 40 e mais 2."


def test_a_chart_it_cannot_read_gets_no_generated_text():
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4]})  # synthetic scatter plot
    assert alt_text.describe(alt.Chart(frame).mark_point().encode(x="a:Q", y="b:Q").to_dict(), Strings(ROOT, "pt")) == ""


@pytest.mark.slow
@pytest.mark.parametrize("lang, prefix, phrase", [("pt", "", "cruzam-se entre 2010 e 2015"), ("en", "en/", "cross between 2010 and 2015")])
def test_figure_2_of_the_portrait_says_where_the_editions_cross(built_site, lang, prefix, phrase):
    _, site = built_site
    folder = site / "publicacoes" / "imigracao-retrato-estatistico"
    page = BeautifulSoup((site / prefix / "publicacoes" / "imigracao-retrato-estatistico" / "index.html").read_text(encoding="utf-8"), "html.parser")
    alt_given = page.select_one("figure#fig-share img")["alt"]
    data = pd.read_csv(io.StringIO((folder / "figures" / f"fig-share-{lang}.csv").read_text(encoding="utf-8")), comment="#")
    assert expected_crossings(data) == [(2010, 2015)]  # what the data say
    assert phrase in alt_given
    spec = json.loads((folder / "figures" / f"fig-share-{lang}-vegalite.json").read_text(encoding="utf-8"))
    assert alt_given == alt_text.describe(spec, Strings(ROOT, lang))
    assert not re.search(r"(a partir de|from) 2010", alt_given)
