"""Publications: Quarto documents in `reports/` and notebooks in `notebooks/`, rendered to web pages and PDFs.

`render_documents` is what the publications step (`observatorio.publications.write_pages`) calls; the engine
imports nothing from `publications` (site → publications → reports). Modules, in the order a document flows through them:
`sources` (find documents) → `qmd` and `tree` (parse once into pandoc's document tree) → `execute` (Jupyter kernel, with
`kernel` helpers inside it; `cache` to skip it) → `assemble` (Quarto's meaning: options, numbering,
cross-references) → `pandoc` → `web` (MkDocs page) and `pdf` (Typst). `quarto` drives the real CLI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

from .. import pages, steps
from ..data import validate
from ..errors import UserError
from ..files import write_if_changed
from ..i18n import languages, strings
from . import sources
from .render import Rendered, cached_render, page_dir, page_name, render_source

ENGINES = ("auto", "quarto", "builtin")

__all__ = ["render_documents", "render_all", "select_engine", "ENGINES"]


def select_engine(engine: str) -> str:
    """`auto` → `quarto` when the Quarto CLI is on PATH, else `builtin`."""
    if engine not in ENGINES:
        raise UserError(f"--engine {engine}: unknown engine; use one of {', '.join(ENGINES)}.")
    if engine == "auto":
        return "quarto" if shutil.which("quarto") else "builtin"
    if engine == "quarto" and not shutil.which("quarto"):
        raise UserError("--engine quarto: the `quarto` command is not on PATH. Install Quarto or use --engine builtin.")
    return engine


def render_documents(root: Path, docs: Path, jobs: int | None = None, engine: str = "auto",
                     progress: Callable[[str], None] = lambda message: None) -> tuple[list[str], list[Rendered]]:
    """Render every report and notebook in every language into `docs`, with the notebooks' index; return what was
    rebuilt and why, and the rendered reports (for their landing pages).

    `progress` hears of each document rendered again as soon as it is done.
    """
    root, docs = Path(root).resolve(), Path(docs)
    chosen = select_engine(engine)
    langs = languages(root)
    default = langs[0].code
    found_notebooks = sources.notebooks(root, langs)
    found_reports = sources.reports(root, langs)
    with Workers(jobs) as pool:
        # notebooks first: reports embed their executed outputs
        rendered_nb = render_all(root, found_notebooks, default, pool, progress)
        if chosen == "quarto":
            from .quarto import render_with_quarto

            rendered = render_with_quarto(root, found_reports, default)
        else:
            rendered = render_all(root, found_reports, default, pool, progress)
    lines = []
    for item in [*rendered_nb, *rendered]:
        for relative, content in item.files.items():
            write_if_changed(docs / relative, content)
        lines.append(f"{item.message} [{item.seconds:.1f} s]")
    write_assets(docs)
    write_notebook_index(root, docs, rendered_nb, langs)
    return lines, rendered


class Workers:
    """Worker processes, started on first use and shared by every batch of one build."""

    def __init__(self, jobs: int | None):
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown()

    def map(self, function, items: list, done: Callable[[object], None] = lambda result: None) -> list:
        """`function(*item)` for every item, in parallel; `done` is called with each result as it arrives."""
        if self.jobs == 1 or len(items) == 1:
            results = []
            for item in items:
                results.append(function(*item))
                done(results[-1])
            return results
        if self.pool is None:
            # spawn, not fork: each worker starts Jupyter kernels and must not inherit the parent's sockets
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=get_context("spawn"))
        futures = [self.pool.submit(function, *item) for item in items]
        for future in as_completed(futures):
            if future.exception() is None:
                done(future.result())
        results, errors = [], []
        for future in futures:
            try:
                results.append(future.result())
            except UserError as exc:
                errors.append(str(exc))
        if errors:
            raise UserError("\n".join(errors))
        return results


def render_all(root: Path, found: list, default: str, pool: Workers | None = None,
               progress: Callable[[str], None] = lambda message: None) -> list[Rendered]:
    """Render documents in parallel worker processes (each with its own kernel); unchanged ones from the cache."""
    results: dict[int, Rendered] = {}
    why: dict[int, str] = {}
    for index, source in enumerate(found):
        hit, why[index] = cached_render(root, source)
        if hit is not None:
            results[index] = hit
    todo = [index for index in range(len(found)) if index not in results]
    if todo:
        validate(root)  # once here, so the kernels need not validate the data again
        pool = pool or Workers(1)
        done = pool.map(render_source, [(root, found[index], default, True, why[index]) for index in todo],
                        lambda item: progress(f"{item.message} [{item.seconds:.1f} s]"))
        results.update(zip(todo, done))
    return [results[index] for index in range(len(found))]


def write_assets(docs: Path) -> None:
    """The Vega bundle, self-hosted: vega, vega-lite and vega-embed bundled by vl-convert.

    Its loader, `observatorio-charts.js`, is a site asset (`site/assets/javascripts/`)."""
    write_if_changed(docs / "assets" / "javascripts" / "vega-bundle.js", _vega_bundle(docs))


def _vega_bundle(docs: Path) -> bytes:
    """vl-convert's JavaScript bundle, kept under build/ per vl-convert version (it takes seconds to make)."""
    from importlib.metadata import version

    import vl_convert

    return steps.memo(docs.parent / "vega-bundle", ".js", vl_convert.javascript_bundle, version("vl-convert-python"))


def _by_slug(rendered: list[Rendered]) -> dict[str, dict[str, Rendered]]:
    grouped: dict[str, dict[str, Rendered]] = {}
    for item in rendered:
        grouped.setdefault(item.source.slug, {})[item.source.lang] = item
    return grouped


def write_notebook_index(root: Path, docs: Path, rendered: list[Rendered], langs) -> None:
    """`metodos/index.md` per language, written even when there is no notebook (the page is in the navigation)."""
    grouped = _by_slug(rendered)
    for lang in langs:
        s = strings(root, lang.code)
        notebooks = []
        for slug, versions in sorted(grouped.items()):
            item = versions.get(lang.code) or versions[langs[0].code]
            notebooks.append({"title": item.meta["title"], "href": f"{slug}/{page_name(item.source, langs[0].code)}"})
        name = "index.md" if lang.default else f"index.{lang.code}.md"
        write_if_changed(docs / "metodos" / name, pages.render("notebooks-index", s=s, notebooks=notebooks))


_ = page_dir
