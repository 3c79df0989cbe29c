"""The one table formatter (`observatorio.tables`): numbers for the page's language, titles from the catalogue."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from observatorio import tables

REPO = Path(__file__).resolve().parent.parent
PT, EN = (",", "\u00a0"), (".", ",")


def column(values, style, name="x"):
    return [row[0] for row in tables.formatted([name], [[v] for v in values], style).rows]


@pytest.mark.parametrize("style, values, expected", [
    (PT, [1234567.0, 2.5, None], ["1\u00a0234\u00a0567,0", "2,5", "–"]),
    (EN, [1234567, 3, -12], ["1,234,567", "3", "−12"]),
    (EN, [2020.0, 2021.0], ["2020", "2021"]),
    (EN, [0.123456, 1.5], ["0.12", "1.50"]),
    (PT, [5576.0, 8931.0], ["5\u00a0576", "8\u00a0931"]),
    (PT, [2.642675164889792, 3.1], ["2,64", "3,10"]),
    (PT, [0.00123, 0.0005], ["0,0012", "0,0005"]),
    (PT, [float("nan"), 7.0, "< 5"], ["–", "7", "< 5"]),
])
def test_numbers_for_the_page_language(style, values, expected):
    assert column(values, style) == expected


def test_years_are_never_grouped_and_titles_come_from_the_catalogue():
    titles = tables.catalogue_titles(REPO, "pt")
    table = tables.formatted(["reference_year", "origin_name_pt", "value"], [[2024.0, "Guiné-Bissau", 12345.0]], PT, titles)
    assert table.titles == ["Ano de referência", "País de origem", "Valor"]
    assert table.rows == [["2024", "Guiné-Bissau", "12\u00a0345"]]
    assert table.numeric == [True, False, True]
    assert tables.catalogue_titles(REPO, "en")["origin_name_pt"] == "Country of origin (Portuguese)"


def test_chart_titles_and_decimals_win_over_the_catalogue():
    spec = {
        "data": {"values": [{"year": 1990.0, "value": 2.642675164889792, "count": None, "count_suppressed": True}]},
        "encoding": {"x": {"field": "year", "title": "Ano"}, "y": {"field": "value", "title": "% da população"},
                     "tooltip": [{"field": "value", "title": "% da população", "format": ".1f"}]},
    }
    table = tables.chart_table(spec, PT, {"value": "Valor", "count": "Pessoas"}, 5)
    assert table.titles == ["Ano", "% da população", "Pessoas"]
    assert table.rows == [["1990", "2,6", "< 5"]]


def test_html_marks_numbers_for_sorting():
    soup = BeautifulSoup(tables.html(tables.formatted(["name", "n"], [["<b>", 1234.0]], EN)), "html.parser")
    assert soup.table["class"] == ["obs-table", "obs-sortable"]
    cell = soup.select("tbody td")[1]
    assert (cell.get_text(), cell["class"], cell["data-value"]) == ("1,234", ["obs-num"], "1234.0")
    assert soup.select("tbody td")[0].get_text() == "<b>"  # text is escaped, never markup
    assert [th["scope"] for th in soup.select("th")] == ["col", "col"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(-10**9, 10**9), st.floats(-1e9, 1e9, allow_nan=False)), min_size=1, max_size=8),
       st.sampled_from([PT, EN]))
def test_formatted_numbers_read_back_close_to_their_values(values, style):
    """Every cell reads back as its value (to the column's decimals): no `.0` on whole numbers, the
    language's decimal mark, never a wrong number."""
    decimal, group = style
    texts = column(values, style, name="n")
    places = tables.column_decimals(values)
    for value, text in zip(values, texts, strict=True):
        plain = text.replace(group, "").replace("\u2212", "-").replace(decimal, ".")
        assert abs(float(plain) - value) <= 0.5 * 10 ** -places + 1e-9 * abs(value)
        if all(float(v).is_integer() for v in values):
            assert decimal not in text
        if style == PT:
            assert "." not in text


def test_df_style_keeps_its_html_and_prints_its_shown_texts():
    import pandas as pd

    from observatorio.errors import UserError
    from observatorio.reports import kernel, tree
    from observatorio.reports.assemble import Context, styled_table

    ctx = Context(lang="pt", prefixes={}, delim=":", bib_keys=set(), notebook=lambda p: {}, label="reports/x/index.qmd (pt)",
                  figure_html=lambda f: "", number_style=PT)
    frame = pd.DataFrame({"país": ["Portugal", "EUA"], "parte": [0.4567, 0.1234]})
    bundle = kernel.styler_bundle(frame.style.format({"parte": "{:.1%}"}).hide(axis="index"))
    assert bundle == kernel.styler_bundle(frame.style.format({"parte": "{:.1%}"}).hide(axis="index"))  # the same ids every build
    assert "45.7%" in bundle["text/html"]
    node = styled_table(bundle[kernel.TABLE_MIME], ctx, "tab", None)
    head, body = node["c"][3], node["c"][4]
    texts = [tree.stringify(cell[4]) for row in head[1] + body[0][3] for cell in row[1]]
    assert texts == ["país", "parte", "Portugal", "45.7%", "EUA", "12.3%"]  # as the researcher formatted
    named = frame.set_index("país")
    with pytest.raises(UserError, match="2 header rows"):
        styled_table(kernel.styler_bundle(named.style)[kernel.TABLE_MIME], ctx, "tab", None)
    with pytest.raises(UserError, match="numbered table must be a DataFrame"):
        styled_table(bundle[kernel.TABLE_MIME], ctx, "tbl-x", "tbl")
