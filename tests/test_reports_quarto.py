"""The `quarto` engine renders the same sources with the real Quarto CLI (the slow tests only where it is installed).

To run them here: `PATH=/path/to/quarto/bin:$PATH python -m pytest tests/test_reports_quarto.py`.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, copy_project

from observatorio import publications, reports
from observatorio.errors import UserError
from observatorio.i18n import strings
from observatorio.reports import web
from observatorio.reports.quarto import web_fragment
from observatorio.reports.render import stale_notebooks
from observatorio.reports.sources import Source

QUARTO = shutil.which("quarto")
needs_quarto = pytest.mark.skipif(QUARTO is None, reason="the Quarto CLI is not installed on this machine (quarto not on PATH)")

SPEC = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "mark": "bar",
        "data": {"values": [{"a": "x", "n": 7}]}, "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "n", "type": "quantitative"}}}


def test_quarto_engine_without_quarto_is_a_clear_error():
    if QUARTO:
        pytest.skip("Quarto is installed here")
    with pytest.raises(UserError, match="`quarto` command is not on PATH"):
        reports.select_engine("quarto")


def test_quartos_gfm_becomes_the_built_in_engines_page_with_figures_and_their_files(tmp_path):
    """Without Quarto: a gfm page as Quarto writes it (an alert, an embed, a chart drawn by `charts.quarto_svg`)."""
    svg = "<svg xmlns='http://www.w3.org/2000/svg'><rect width='1' height='1'/></svg>"
    (tmp_path / "index_files" / "figure-commonmark").mkdir(parents=True)
    (tmp_path / "index_files" / "figure-commonmark" / "fig-a-output-1.svg").write_text(svg, encoding="utf-8")
    gfm = tmp_path / "index.md"
    gfm.write_text(
        "# Título\nEquipa\n2026-11-28\n\n## Secção\n\nTexto com 76\u00a0835 pessoas.\n\n"
        '<div class="quarto-embed-nb-cell" notebook="/somewhere/build/notebooks/x.ipynb">\n\n<div id="fig-a">\n\n'
        '<img src="index_files/figure-commonmark/fig-a-output-1.svg" data-fig-alt="Barras" alt="Barras" />\n\n'
        "Figura 1: Pessoas por país\n\n</div>\n\n</div>\n\n> [!NOTE]\n>\n> Uma nota sem título.\n",
        encoding="utf-8",
    )
    source = Source("report", "amostra", "en", tmp_path / "index.en.qmd")
    specs = {hashlib.sha256(svg.encode()).hexdigest(): SPEC}

    page = web.FigurePage(title="Amostra", url="https://example.org/en/publicacoes/amostra/", folder="publicacoes/amostra", default_lang=False)
    downloads = web.PageFigures(strings(REPO, "pt"), "../../../publicacoes/amostra/", page=page)
    fragment, figures, files = web_fragment(gfm, source, downloads, specs, "amostra")

    soup = BeautifulSoup(fragment, "html.parser")
    assert "Título" not in fragment and "/somewhere" not in fragment
    assert soup.select_one("#fig-a img")["src"] == "../../../publicacoes/amostra/figures/fig-a-en.svg"
    # the figure view of the built-in engine: tabs, the data as a table, downloads, cite and share, an embed page
    view = soup.select_one("figure.obs-figure#fig-a")
    assert view.figcaption.get_text() == "Figura 1: Pessoas por país"
    assert [row.get_text(" ", strip=True) for row in view.select("table tbody tr")] == ["x 7"]
    assert view.select_one("blockquote.obs-citation") and view.select_one('script.obs-chart-spec')
    assert "#fig-a" in view.select_one("a.obs-figure-address")["href"]
    assert [(f["label"], f["caption"], f["alt"], f["data"]) for f in figures] == [("fig-a", "Pessoas por país", "Barras", True)]
    embed_file = "figuras/fig-a/index.pt.html"  # the strings are Portuguese, on a page that is not the default language's
    assert sorted(files) == [embed_file, "figures/fig-a-en-download.svg", "figures/fig-a-en-vegalite.json", "figures/fig-a-en.csv",
                             "figures/fig-a-en.png", "figures/fig-a-en.svg"]
    embed = BeautifulSoup(files[embed_file].decode(), "html.parser")
    assert embed.find("img")["src"].endswith("publicacoes/amostra/figures/fig-a-en.svg")
    assert files["figures/fig-a-en.csv"].decode().splitlines()[-2:] == ["a,n", "x,7"]
    assert "https://example.org/en/publicacoes/amostra/#fig-a" in files["figures/fig-a-en-download.svg"].decode()
    note = soup.select_one("div.admonition.note.callout-note")
    assert note.select_one("p.admonition-title").get_text() == str(strings(REPO, "pt")["reports.callouts.note"])


def test_stale_notebook_outputs_are_listed_with_the_command_that_refreshes_them(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "build" / "reports" / "notebooks").mkdir(parents=True)
    (tmp_path / "notebooks" / "x.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "build" / "reports" / "notebooks" / "x.ipynb").write_text("{}", encoding="utf-8")
    assert stale_notebooks(tmp_path) == []
    (tmp_path / "build" / "reports" / "notebooks" / "x.ipynb").write_text('{"outputs": 1}', encoding="utf-8")
    [problem] = stale_notebooks(tmp_path)
    assert problem.startswith("notebooks/x.ipynb: its saved outputs") and "cp build/reports/notebooks/x.ipynb notebooks/x.ipynb" in problem


@pytest.mark.slow
def test_committed_notebooks_hold_the_outputs_of_a_build(built_site):
    """`quarto render` of a fresh clone embeds the committed outputs: they must be what a build makes."""
    root, _site = built_site
    assert stale_notebooks(root) == []
    notebook = json.loads((REPO / "notebooks" / "remessas-pib.ipynb").read_text(encoding="utf-8"))
    kinds = {kind for cell in notebook["cells"] for output in cell.get("outputs", []) for kind in output.get("data", {})}
    assert {"image/svg+xml", "application/vnd.vegalite.v6+json"} <= kinds


@needs_quarto
@pytest.mark.slow
def test_quarto_renders_the_test_report(tmp_path):
    from test_reports_render import make_project

    root = make_project(tmp_path / "project")
    shutil.copy(REPO / "_quarto.yml", root / "_quarto.yml")
    docs = root / "build" / "docs"
    publications.write_pages(root, docs, jobs=1, engine="quarto")
    page = (docs / "publicacoes" / "amostra" / "index.md").read_text().replace("\u00a0", " ")  # Quarto: "Figura\u00a01"
    assert "Figura 1" in page and "Secção 2" in page
    assert 'id="figuras"' in page or "{ #figuras }" in page
    assert (docs / "publicacoes" / "amostra" / "amostra-pt.pdf").stat().st_size > 1000


def landing(site, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


@needs_quarto
@pytest.mark.slow
def test_the_site_builds_with_the_quarto_engine_and_its_pages_have_the_built_in_sections(tmp_path):
    from observatorio.site import Options, build

    root = copy_project(tmp_path / "project")
    build(root, Options(engine="quarto"))
    site = root / "_site"
    for relative, lang in [("publicacoes/diaspora-remessas/index.html", "pt"), ("en/publicacoes/diaspora-remessas/index.html", "en")]:
        page = landing(site, relative)
        article = page.select_one("article")
        text = article.get_text(" ")
        assert "\\xa0" not in text and "<Altair chart>" not in text and "quarto-project" not in str(article)
        figures = page.select_one("#figuras").find_next("ul").select("li")
        assert len(figures) == 5  # four cells and the embedded notebook figure
        csv_links = [a["href"] for a in page.select_one("#figuras").find_next("ul").select("a[href$='.csv']")]
        assert len(csv_links) == 5
        if lang == "pt":
            assert all((site / "publicacoes" / "diaspora-remessas" / href).is_file() for href in csv_links), csv_links
        datasets = [a["href"] for a in page.select_one("#dados").find_next("ul").select("a")]
        assert any("remittances" in href for href in datasets)
        assert page.select_one("#fig-remessas-pib img") is not None
        assert page.select_one(".admonition-title").get_text().strip() not in ("Important", "")
        # the charts are in the built-in engine's figure views, each with its table, citation and embed page
        views = page.select("figure.obs-figure")
        assert len(views) >= 4 and all(v.select_one("table") and v.select_one("blockquote.obs-citation") for v in views)
        embeds = list((site / relative).parent.glob("figuras/*/index.html" if lang == "pt" else "figures/*/index.html"))
        assert len(embeds) == len(views), (relative, embeds)
    assert (site / "publicacoes" / "diaspora-remessas" / "diaspora-remessas-pt.pdf").stat().st_size > 10_000


@needs_quarto
@pytest.mark.slow
def test_quarto_render_of_every_report_source_from_a_fresh_copy(tmp_path):
    """The README's promise: `quarto render` accepts the same documents, straight from the sources."""
    root = copy_project(tmp_path / "project")
    sources = sorted(root.glob("reports/*/index*.qmd"))
    assert len(sources) >= 8
    env = {**os.environ, "QUARTO_PYTHON": sys.executable}  # as with the project's environment activated
    done = subprocess.run(["quarto", "render", "--to", "gfm"], cwd=root, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    for source in sources:
        written = root / "build" / "quarto" / source.relative_to(root).with_suffix(".md")
        text = written.read_text(encoding="utf-8")
        assert "\\xa0" not in text and "<Altair chart>" not in text, written
        assert re.search(r"<img src=\"[^\"]+\.svg\"", text), f"{written}: no chart image"


def test_files_read_in_the_staged_copy_count_as_the_projects_own(tmp_path):
    """Quarto runs in a copy of the project (build/reports/quarto-project): a data file read there is the
    project's file, so the page lists its dataset and licence, and the disclosure check sees it."""
    from observatorio.reports.quarto import in_project

    root = tmp_path / "project"
    stage = root / "build" / "reports" / "quarto-project"
    (stage / "data" / "raw").mkdir(parents=True)
    read = stage / "data" / "raw" / "x.csv"
    assert in_project(read, stage, root) == (root / "data" / "raw" / "x.csv").resolve()
    assert in_project(tmp_path / "elsewhere.csv", stage, root) == (tmp_path / "elsewhere.csv").resolve()


def test_quarto_renders_are_kept_and_redone_only_when_an_input_changed(tmp_path, monkeypatch):
    """The Quarto path is a build step too (`observatorio.steps`): a second build reuses every render,
    an edited source is rendered again and the summary says why. Quarto itself is faked here."""
    from test_reports_render import make_project

    from observatorio.i18n import languages
    from observatorio.reports import quarto, sources

    root = make_project(tmp_path / "project")
    shutil.copy(REPO / "_quarto.yml", root / "_quarto.yml")
    calls = []

    def fake_render(path, to, output_dir, env):
        calls.append((path.relative_to(root / "build" / "reports" / "quarto-project").as_posix(), to))
        output_dir.mkdir(parents=True, exist_ok=True)
        written = output_dir / f"{path.stem}{'.md' if to == 'gfm' else '.pdf'}"
        if to == "gfm":
            written.write_text(f"Texto renderizado de {path.name}.\n", encoding="utf-8")
        else:
            written.write_bytes(b"%PDF-1.7 fake")
        return written

    monkeypatch.setattr(quarto, "quarto_render", fake_render)
    monkeypatch.setattr(quarto, "quarto_version", lambda: "/usr/bin/quarto 1.10.18")
    found = sources.reports(root, languages(root))
    first = quarto.render_with_quarto(root, found, "pt")
    assert [r.message.split(": ", 1)[1] for r in first] == ["rendered by Quarto (first build)"] * len(found)
    count = len(calls)
    assert count == 2 * len(found)

    again = quarto.render_with_quarto(root, found, "pt")
    assert len(calls) == count and all(r.message.endswith("unchanged, not rendered by Quarto again") for r in again)
    assert [(r.files, r.meta) for r in again] == [(r.files, r.meta) for r in first]

    path = root / "reports" / "amostra" / "index.qmd"
    path.write_text(path.read_text(encoding="utf-8") + "\nUma frase nova.\n", encoding="utf-8")
    third = quarto.render_with_quarto(root, found, "pt")
    assert calls[count:] == [("reports/amostra/index.qmd", "gfm"), ("reports/amostra/index.qmd", "typst")]
    assert "rendered by Quarto (changed: reports/amostra/index.qmd)" in next(r.message for r in third if r.source.path == path)

    monkeypatch.setattr(quarto, "quarto_version", lambda: "/usr/bin/quarto 1.11.0")
    assert all("(changed: quarto)" in r.message for r in quarto.render_with_quarto(root, found, "pt"))
