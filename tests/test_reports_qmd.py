"""Fast tests of the .qmd parser and of Quarto's meaning in the assembly step (no kernel)."""

from pathlib import Path

import pytest

from observatorio.errors import UserError
from observatorio.reports.assemble import Context, check_refs, heading_numbers, targets
from observatorio.reports.qmd import Cell, Embed, Markdown, parse

FRONT = '---\ntitle: "T"\nlang: pt\nnumber-sections: true\n---\n'


def doc(body: str, front: str = FRONT, meta=None):
    return parse(Path("reports/x/index.qmd"), front + body, extra_meta=meta)


def context(bib=()):
    return Context(lang="pt", prefixes={"fig": "Figura", "tbl": "Tabela", "sec": "Secção", "eq": "Equação"}, delim=":",
                   bib_keys=set(bib), notebook=lambda p: {}, label="x (pt)", figure_html=lambda f: "")


def test_blocks_cells_options_and_lines():
    d = doc('Texto com `{python} 1 + 1`.\n\n```{python}\n#| label: fig-a\n#| fig-cap: "Legenda"\nx = 1\n```\n\n{{< embed ../../notebooks/n.ipynb#fig-b >}}\n')
    kinds = [type(b) for b in d.blocks]
    assert kinds == [Markdown, Cell, Embed]
    cell = d.blocks[1]
    assert cell.options == {"label": "fig-a", "fig-cap": "Legenda"}
    assert cell.code == "x = 1"
    assert (cell.start, cell.end) == (8, 12)
    assert d.blocks[2].notebook == "../../notebooks/n.ipynb" and d.blocks[2].label == "fig-b"
    assert d.blocks[0].expressions == ["1 + 1"] and d.blocks[0].lines == [6]


def test_shared_metadata_is_merged_under_the_document():
    d = doc("Olá.\n", meta={"execute": {"echo": False}, "lang": "en"})
    assert d.meta["execute"] == {"echo": False}
    assert d.meta["lang"] == "pt"


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("```{r}\nx <- 1\n```\n", 6, "`{r}` cells"),
        ("```{python}\n#| fig-align: left\nx = 1\n```\n", 7, "cell option `fig-align`"),
        ("```{python}\n#| fig-width: large\nx = 1\n```\n", 7, "`fig-width: large` is not supported; write a size in inches"),
        ("```{python}\n#| fig-format: pdf\nx = 1\n```\n", 7, "write one of svg, png, retina"),
        ("{{< video clip.mp4 >}}\n", 6, "shortcode"),
        ("{{< include other.qmd >}}\n", 6, "included file `other.qmd` not found"),
        ("::: {.column-margin}\nx\n:::\n", 6, "outside the supported subset"),
        ("Ver @thm-one.\n", 6, "@thm-one"),
        ("Valor `{r} 1`.\n", 6, "inline `{r}`"),
    ],
)
def test_outside_the_subset_names_file_and_line(body, line, words):
    with pytest.raises(UserError) as error:
        doc(body)
    message = str(error.value)
    assert f"reports/x/index.qmd, line {line}" in message
    assert words in message


def test_reference_location_is_read_as_quarto_places_footnotes():
    for value in ("document", "section", "block"):
        assert doc("x\n", front=f'---\ntitle: "T"\nreference-location: {value}\n---\n').notes == []  # used, not ignored


def test_front_matter_keys_the_engine_does_not_use_are_ignored_with_a_note():
    d = doc("x\n", front='---\ntitle: "T"\nformat-links: false\nexecute:\n  cache: true\n---\n')
    assert d.notes == ["front matter `format-links` ignored (the built-in engine does not use it)",
                       "front matter `execute: cache` ignored (the built-in engine does not use it)"]


@pytest.mark.parametrize("front, line, words", [
    ("params:\n  iso3: CPV\n", 3, "`params` is not supported by the built-in engine: the built-in engine does not inject parameters"),
    ("echo: false\n", 3, "write it under `execute:`"),
    ("number-offset: [2]\n", 3, "section numbers and references would change"),
    ("format:\n  typst:\n    fig-width: 4\n", 5, "`format: typst: fig-width` is not supported"),
    ("fig-dpi: many\n", 3, "`fig-dpi: many` is not supported"),
    ("reference-location: margin\n", 3, "`reference-location: margin` is not supported by the built-in engine (footnotes in the margin"),
    ("format:\n  html:\n    reference-location: section\n", 5, "`format: html: reference-location` is not supported"),
])
def test_front_matter_keys_that_change_meaning_are_refused(front, line, words):
    with pytest.raises(UserError) as error:
        doc("x\n", front=f'---\ntitle: "T"\n{front}---\n')
    assert f"line {line}: " in str(error.value) and words in str(error.value)


def test_figure_options_come_from_the_cell_the_document_or_quartos_defaults():
    from observatorio.reports.qmd import figure_options

    assert figure_options({}, {}) == (7.0, 5.0, 96, "svg")
    assert figure_options({"fig-width": 4, "format": {"html": {"fig-format": "png"}}}, {"fig-dpi": 150}) == (4, 5.0, 150, "png")


def test_unclosed_cell_and_div():
    with pytest.raises(UserError, match="line 6: code block is not closed"):
        doc("```{python}\nx = 1\n")
    with pytest.raises(UserError, match="not closed at the end"):
        doc("::: {.callout-note}\nx\n")


def test_numbering_and_cross_references():
    d = doc("## Um {#sec-um}\n\n```{python}\n#| label: fig-a\nx\n```\n\n### Dois {#sec-dois}\n\n```{python}\n#| label: tbl-t\nx\n```\n\n```{python}\n#| label: fig-b\nx\n```\n\nVer @fig-b, [@tbl-t] e @sec-dois; email a@b.pt.\n")
    found = targets(d, context())
    assert found == {"fig-a": "Figura\u00a01", "tbl-t": "Tabela\u00a01", "fig-b": "Figura\u00a02", "sec-um": "Secção\u00a01", "sec-dois": "Secção\u00a01.1"}
    assert heading_numbers(d) == {0: "1", 1: "1.1"}
    assert [h.line for h in d.headings] == [6, 13]
    assert [key for key, _ in d.refs] == ["fig-b", "tbl-t", "sec-dois"]


def test_unknown_cross_reference_and_citation_are_errors():
    d = doc("Ver @fig-nada.\n")
    with pytest.raises(UserError, match=r"line 6: unknown cross-reference `@fig-nada`"):
        check_refs(d, targets(d, context()), context())
    d = doc("Como diz [@silva2020].\n")
    with pytest.raises(UserError, match=r"line 6: unknown citation `@silva2020`"):
        check_refs(d, targets(d, context(bib=["outra"])), context(bib=["outra"]))
    assert check_refs(d, {}, context(bib=["silva2020"])) is True


def test_section_label_needs_numbered_sections():
    d = doc("## Um {#sec-um}\n", front='---\ntitle: "T"\n---\n')
    with pytest.raises(UserError, match="number-sections: true"):
        targets(d, context())


def test_callout_headings_are_not_numbered():
    d = doc("## Um\n\n::: {.callout-note}\n## Título\nTexto.\n:::\n\n## Dois\n")
    assert sorted(heading_numbers(d).values()) == ["1", "2"]


def test_code_shown_in_fences_and_code_spans_is_never_syntax():
    d = doc("```markdown\nTexto com `{python} y` e @fig-nada.\n```\n\nUm atalho citado: `{{< include x.qmd >}}`.\n\nValor: `{python} x`.\n")
    markdown = [b for b in d.blocks if isinstance(b, Markdown)]
    assert [b.expressions for b in markdown] == [["x"]]
    assert markdown[0].lines == [12]
    assert d.refs == []


def test_multi_line_cell_options_and_quarto_callout_spellings():
    d = doc('```{python}\n#| label: tbl-a\n#| tbl-cap: |\n#|   Uma legenda\n#|   longa\nx = 1\n```\n\n::: callout-tip\nDica.\n:::\n\n::: {.callout title="T"}\nNota.\n:::\n')
    assert d.blocks[0].options["tbl-cap"] == "Uma legenda\nlonga"
    classes = [b["c"][0][1] for b in d.tree["blocks"] if b["t"] == "Div"]
    assert classes == [["callout-tip"], ["callout-note"]]


def test_equation_labels_are_targets():
    d = doc("$$ a = b $$ {#eq-um}\n\nVer @eq-um.\n")
    assert targets(d, context()) == {"eq-um": "Equação\u00a01"}
    assert d.refs == [("eq-um", 8)]


@pytest.mark.parametrize("data, for_print, expected", [
    ({"text/plain": "'*foo* a_b [c](d)'"}, False, ("markdown", r"\*foo\* a\_b \[c\]\(d\)")),  # a str: literal
    ({"text/plain": '"d\'Ivoire, 1.5"'}, False, ("markdown", r"d'Ivoire\, 1\.5")),
    ({"text/plain": "[1, 2]"}, True, ("markdown", "[1, 2]")),  # not a str: Markdown as it is, as Quarto does
    ({"text/markdown": "**b**", "text/plain": "<Markdown>"}, True, ("markdown", "**b**")),
    ({"text/html": "<i>h</i>", "text/plain": "'h'"}, False, ("html", "<i>h</i>")),  # raw HTML on the web only
    ({"text/html": "<i>h</i>", "text/plain": "'h'"}, True, ("markdown", "h")),
])
def test_inline_values_follow_quartos_display_priority_and_escaping(data, for_print, expected):
    from observatorio.reports.assemble import inline_value

    assert inline_value(data, for_print) == expected


def test_inline_values_are_parsed_in_one_pandoc_run():
    from observatorio.reports.assemble import inline_nodes

    values = {"0": [{"text/plain": "'*foo*'"}, {"text/markdown": "**b**"}, {"text/plain": "42"}]}
    nodes = inline_nodes(values, False, "x (pt)")
    assert nodes[("0", 0)] == [{"t": "Str", "c": "*foo*"}]
    assert nodes[("0", 1)][0]["t"] == "Strong"
    assert nodes[("0", 2)] == [{"t": "Str", "c": "42"}]
