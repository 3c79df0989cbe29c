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
        ("```{python}\n#| fig-width: 3\nx = 1\n```\n", 7, "cell option `fig-width`"),
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


def test_unknown_front_matter_key_names_its_line():
    with pytest.raises(UserError, match=r"line 3: front matter key `format-links`"):
        doc("x\n", front='---\ntitle: "T"\nformat-links: false\n---\n')


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


