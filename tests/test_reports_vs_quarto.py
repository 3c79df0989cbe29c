"""Quarto stays the reference: where the Quarto CLI is on PATH, the same synthetic document is rendered
by Quarto and by the built-in engine, and their meaning is compared (numbers in the prose, inline
values of every kind as Quarto escapes them, cross-reference texts, grouped and prefixed references,
references in captions, captions, headings, a folded callout, footnotes placed per section). Skipped where Quarto is not installed."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_reports_render import make_project

from observatorio import publications

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("quarto") is None, reason="the Quarto CLI is not on PATH")]

DOCUMENT = """---
title: "Comparação com o Quarto (sintético)"
lang: pt
number-sections: true
reference-location: section
crossref:
  sec-prefix: Secção
---

## Primeira secção {#sec-primeira}

```{python}
#| echo: false
total = 6 * 7
from IPython.display import Markdown
```

O total é `{python} total` e o texto `{python} "*literal*"`.[^nota]

[^nota]: Uma nota de rodapé sintética, listada no fim da secção.

::: {.callout-tip collapse="true"}
## Dobrada
Conteúdo de uma dica dobrada.
:::

Valores: `{python} "a_b *c* [d](e) 1.5"`, `{python} [1, 2]`, `{python} Markdown("**negrito**")` e `{python} 3.25`.

$$ a = b + c $$ {#eq-soma}

![Uma imagem sintética](imagem-sintetica.png){#fig-imagem}

![A mesma imagem, como na @fig-imagem](imagem-sintetica.png){#fig-outra}

```{python}
#| label: fig-linha
#| fig-cap: "Uma linha sintética, ao lado da @fig-outra"
import matplotlib.pyplot as plt
plt.plot([0, 1, 2], [0, 1, 4])
plt.show()
```

| a | b |
|---|---|
| 1 | 2 |

: Uma tabela sintética {#tbl-manual}

## Segunda secção

Ver @sec-primeira, @eq-soma, @fig-imagem, [-@fig-imagem] e @tbl-manual.

Juntas: [@fig-imagem; @fig-outra], [-@fig-imagem; -@fig-linha] e [Fig. @fig-linha].
"""


def text(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("\u00a0", " ")).strip()


def meaning(html: str) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    # references in the text and in captions
    links = sorted(text(a.get_text()) for a in soup.find_all("a") if re.match(r"#(fig|tbl|sec|eq)-", a.get("href", "")))
    captions = sorted(text(c.get_text()) for c in soup.find_all(["figcaption", "caption"]))
    headings = [text(h.get_text()) for h in soup.find_all(["h2"])]
    # the built-in engine's page gives MkDocs its top-level headings as Markdown lines
    headings += [text(m.group(1)) for m in re.finditer(r"^## (.*?)(?: \{[^}]*\})?$", html, re.M)]
    body = text(soup.get_text(" "))
    values = next(p for p in soup.find_all("p") if p.get_text().startswith("Valores:"))
    grouped = next(p for p in soup.find_all("p") if p.get_text().startswith("Juntas:"))
    # footnotes: how many section headings come before each list of notes (`reference-location: section`)
    events = [m.group(0) for m in re.finditer(r'<h2[\s>]|^## |class="footnotes', html, re.M)]
    notes = [sum(1 for e in events[:i] if e != 'class="footnotes') for i, e in enumerate(events) if e == 'class="footnotes']
    folded = []
    for box in soup.select("div.callout"):  # Quarto's collapsible callout
        title = box.select_one(".callout-title-container")
        for hidden in title.select(".screen-reader-only"):
            hidden.decompose()
        header = box.select_one(".callout-header")
        folded.append((text(title.get_text()), text(box.select_one(".callout-body").get_text()), "collapsed" in header.get("class", [])))
    for box in soup.select("details.callout-tip"):  # the built-in engine's folded admonition
        summary = box.find("summary").extract()
        folded.append((text(summary.get_text()), text(box.get_text()), not box.has_attr("open")))
    return {"links": links, "notes": notes, "folded": folded, "captions": captions, "headings": headings[:2], "total": "O total é 42" in body,
            "literal": "*literal*" in body, "values": text(values.get_text()), "grouped": text(grouped.get_text()), "bold": [text(b.get_text()) for b in values.find_all("strong")]}


def test_the_built_in_engine_means_what_quarto_means(tmp_path):
    quarto = tmp_path / "quarto"
    quarto.mkdir()
    (quarto / "index.qmd").write_text(DOCUMENT, encoding="utf-8")
    image = Path(__file__).parent / "fixtures" / "quarto_semantics" / "imagem-sintetica.png"
    shutil.copy(image, quarto / "imagem-sintetica.png")
    env = {**os.environ, "QUARTO_PYTHON": sys.executable}
    subprocess.run(["quarto", "render", "index.qmd", "--to", "html"], cwd=quarto, check=True, capture_output=True, env=env)
    theirs = meaning((quarto / "index.html").read_text(encoding="utf-8"))

    root = make_project(tmp_path / "project")
    folder = root / "reports" / "comparacao"
    folder.mkdir()
    (folder / "index.qmd").write_text(DOCUMENT.replace("lang: pt\n", "lang: pt\nonly-language: true\n"), encoding="utf-8")
    shutil.copy(image, folder / "imagem-sintetica.png")
    publications.write_pages(root, root / "build" / "docs", jobs=1, engine="builtin")
    ours = meaning((root / "build" / "docs" / "publicacoes" / "comparacao" / "index.md").read_text(encoding="utf-8"))
    assert theirs["notes"] == [1] and theirs["folded"] == [("Dobrada", "Conteúdo de uma dica dobrada.", True)]  # what is compared is there
    assert ours == theirs
