"""Render one document in one language with the built-in engine: execute (or reuse), assemble, pandoc, Typst.

`render_source` runs in a worker process; it returns the files to publish (relative paths under the
site's docs folder → bytes), the page's metadata and one line saying what it did and why.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .. import __version__, steps
from ..errors import UserError
from ..i18n import languages, strings
from ..paths import build_dir
from . import cache, execute, pdf, qmd, web
from .assemble import Context, add_references, assemble, local_files, read_bib_keys
from .pandoc import convert
from .qmd import Cell, Document, merge, parse
from .sources import Source, shared_metadata

ENGINE_VERSION = "1"


@dataclass
class Rendered:
    source: Source
    meta: dict
    files: dict[str, bytes] = field(default_factory=dict)  # docs-relative path -> content
    message: str = ""
    seconds: float = 0.0
    executed: bool = False


def page_dir(source: Source) -> str:
    return f"publicacoes/{source.slug}" if source.kind == "report" else f"metodos/{source.slug}"


def page_name(source: Source, default_lang: str) -> str:
    return "index.md" if source.lang == default_lang else f"index.{source.lang}.md"


def pdf_name(source: Source) -> str:
    return f"{source.slug}-{source.lang}.pdf"


def asset_prefix(source: Source, default_lang: str) -> str:
    """How a page reaches files stored beside the default-language page.

    The i18n plugin does not copy those files under /en/, and MkDocs does not rewrite links in raw
    HTML, so English pages link up to the Portuguese location explicitly.
    """
    if source.lang == default_lang:
        return ""
    return "../" * (page_dir(source).count("/") + 2) + page_dir(source) + "/"


def load_document(root: Path, source: Source) -> Document:
    if source.kind == "report":
        return parse(source.path, extra_meta=shared_metadata(root))
    return notebook_document(source.path)


def notebook_document(path: Path) -> Document:
    """A notebook as a Document (see `qmd.notebook_document`)."""
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:
        raise UserError(f"{path}: not a readable notebook ({exc}).") from None
    return qmd.notebook_document(path, nb)


def execution_inputs(root: Path, source: Source) -> steps.Inputs:
    """What an execution depends on before it runs; the data files it reads are added as found."""
    inputs = steps.Inputs(root).value("engine", [ENGINE_VERSION, __version__, source.lang]).libraries("altair").file(source.path)
    if source.kind == "report":
        inputs.file(root / "reports" / "_metadata.yml").files(qmd.included_files(source.path))  # `{{< include >}}`
    return inputs.code()


def executed_notebook_path(root: Path, source: Source) -> Path:
    return root / "build" / "reports" / "notebooks" / source.path.name


def record_path(root: Path, source: Source) -> Path:
    return root / "build" / "reports" / "cache" / source.kind / source.slug / f"{source.lang}.json"


def output_dir(root: Path, source: Source) -> Path:
    return root / "build" / "reports" / "out" / source.kind / source.slug / source.lang


def render_inputs(root: Path, source: Source, record: dict) -> steps.Inputs:
    """What the rendered files depend on beyond the execution (see `with_page_inputs`)."""
    return with_page_inputs(root, source, steps.Inputs(root).value("execution", record["inputs"]))


def with_page_inputs(root: Path, source: Source, inputs: steps.Inputs) -> steps.Inputs:
    """`inputs` and what a document's page and PDF are made with: the files beside it, the executed
    notebooks (embedded by reports), the UI strings, the languages, the code and templates."""
    folder = source.path.parent if source.kind == "report" else None
    # the folder's files (bibliography, images), but not the other languages' sources: each renders on its own
    neighbours = sorted(p for p in folder.rglob("*") if p.is_file() and (p.suffix != ".qmd" or p == source.path)) if folder else [source.path]
    executed = sorted((root / "build" / "reports" / "notebooks").glob("*.ipynb")) if source.kind == "report" else []
    inputs.value("languages", repr(languages(root)))
    return inputs.file(root / "site" / "i18n" / f"{source.lang}.yml").files([*neighbours, *executed]).code()


def cached_render(root: Path, source: Source) -> tuple[Rendered | None, str]:
    """The stored result of an earlier render when nothing it depends on changed (no kernel, no pandoc);
    otherwise None and why the document must be rendered again."""
    record = cache.load(record_path(root, source), root)
    valid, reason = cache.execution_valid(record, execution_inputs(root, source))
    if not valid or reason != "cached":
        return None, reason
    files, manifest, reason = steps.stored(output_dir(root, source), render_inputs(root, source, record))
    if files is None:
        return None, reason
    label = source.path.parent.relative_to(root) if source.kind == "report" else source.path.relative_to(root)
    return Rendered(source, manifest["meta"], files, f"{label} ({source.lang}): unchanged, nothing executed or rendered"), "cached"


def render_source(root: Path, source: Source, default_lang: str, validated: bool = False, why: str = "") -> Rendered:
    started = time.monotonic()
    root = Path(root)
    label = source.label(root)
    doc = load_document(root, source)
    s = strings(root, source.lang)
    check_document(root, source, doc, s)  # cross-references and citations, before any cell runs
    path = record_path(root, source)
    inputs = execution_inputs(root, source)
    record = cache.load(path, root)
    valid, reason = cache.execution_valid(record, inputs)
    executed = False
    if valid:
        result = record["result"]
        if reason == cache.TEXT_EDITED:  # the record took the new inputs
            record = cache.save(path, inputs.found(record.get("found") or {}), result)
    else:
        result = execute.run(doc, source.lang, label, validated, root=root)
        reads = sorted(set(result["reads"]) | ({str(root / "data" / "datapackage.yaml")} if result["reads"] else set()))
        record = cache.save(path, inputs.found(reads), result)
        executed = True
    if source.kind == "notebook":
        save_executed_notebook(root, source, doc, result)
    files, meta = render_outputs(root, source, doc, result, s, default_lang, label)
    steps.store(output_dir(root, source), "render", render_inputs(root, source, record), files, meta=meta)
    seconds = time.monotonic() - started
    if executed:
        what = f"executed in {result.get('seconds', 0)} s ({reason})"
    else:
        what = f"rendered again ({why or 'asked for'}), no cell executed"
    where = source.path.parent.relative_to(root) if source.kind == "report" else source.path.relative_to(root)
    what += "".join(f"; {note}" for note in doc.notes)  # front matter keys the engine ignores
    return Rendered(source, meta, files, f"{where} ({source.lang}): {what}", seconds, executed)


def save_executed_notebook(root: Path, source: Source, doc: Document, result: dict) -> None:
    """The notebook with this build's outputs, read by `embed` (the source file stays untouched)."""
    nb = nbformat.read(str(source.path), as_version=4)
    code_blocks = [i for i, b in enumerate(doc.blocks) if isinstance(b, Cell)]
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for cell, index in zip(code_cells, code_blocks):
        cell.outputs = [nbformat.from_dict(with_svg(o, build_dir(root) / "drawings")) for o in result["outputs"].get(str(index), [])]
    from ..files import write_if_changed

    write_if_changed(executed_notebook_path(root, source), nbformat.writes(nb))


def stale_notebooks(root: Path) -> list[str]:
    """Notebooks in notebooks/ whose saved outputs are not the last build's.

    They are committed with their outputs because Quarto's `embed` shows saved outputs only, so
    `quarto render` of a report from a fresh clone shows what the committed file holds.
    """
    problems = []
    for path in sorted((root / "notebooks").glob("*.ipynb")) if (root / "notebooks").is_dir() else []:
        executed = root / "build" / "reports" / "notebooks" / path.name
        if executed.is_file() and executed.read_bytes() != path.read_bytes():
            relative = path.relative_to(root)
            problems.append(f"{relative}: its saved outputs are not those of the last build (reports that embed it would show old ones "
                            f"under `quarto render`). Copy the build's: cp {executed.relative_to(root)} {relative}")
    return problems


def with_svg(output: dict, drawings: Path) -> dict:
    """A chart's output with its SVG beside its Vega-Lite spec: Quarto's `embed` shows saved outputs, and Vega-Lite only in HTML."""
    from .. import charts
    from .assemble import VEGALITE

    data = output.get("data") or {}
    spec = next((data[m] for m in data if VEGALITE.match(m)), None)
    if spec is None or "image/svg+xml" in data:
        return output
    return {**output, "data": {**data, "image/svg+xml": charts.drawing(spec, drawings)}}


def notebook_reader(root: Path):
    def read(path: Path) -> dict:
        executed = root / "build" / "reports" / "notebooks" / path.name
        chosen = executed if executed.is_file() and path.parent == (root / "notebooks").resolve() else path
        return json.loads(chosen.read_text(encoding="utf-8"))

    return read


def prefixes_of(meta: dict, s) -> dict:
    crossref = meta.get("crossref") or {}
    return {
        "fig": crossref.get("fig-prefix", s["reports.figure"]),
        "tbl": crossref.get("tbl-prefix", s["reports.table"]),
        "sec": crossref.get("sec-prefix", s["reports.section"]),
        "eq": crossref.get("eq-prefix", s["reports.equation"]),
    }


def bibliography_of(root: Path, source: Source, meta: dict) -> Path | None:
    if not meta.get("bibliography"):
        return None
    bibliography = (source.path.parent / str(meta["bibliography"])).resolve()
    if not bibliography.is_file():
        raise UserError(f"{source.path.relative_to(root)}: bibliography `{meta['bibliography']}` not found beside the document.")
    return bibliography


def check_document(root: Path, source: Source, doc: Document, s) -> None:
    """Every cross-reference and citation resolves (raises UserError naming file and line)."""
    from .assemble import check_refs, targets

    bibliography = bibliography_of(root, source, doc.meta)
    ctx = Context(
        lang=source.lang, prefixes=prefixes_of(doc.meta, s), delim=":", bib_keys=read_bib_keys(bibliography) if bibliography else set(),
        notebook=notebook_reader(root), label=source.label(root), figure_html=lambda f: ("", ""),
    )
    check_refs(doc, targets(doc, ctx), ctx)


def render_outputs(root: Path, source: Source, doc: Document, result: dict, s, default_lang: str, label: str):

    meta = doc.meta
    crossref = meta.get("crossref") or {}
    prefixes = prefixes_of(meta, s)
    bibliography = bibliography_of(root, source, meta)
    folder = page_dir(source)
    prefix = asset_prefix(source, default_lang)
    files: dict[str, bytes] = {}
    from .. import alt_text
    from .. import datasets_used as datasets

    page_figures = web.PageFigures(s, prefix, drawings=build_dir(root) / "drawings", page=figure_page(root, source, meta, default_lang),
                                   licences=datasets.licences(root, datasets.from_reads(root, result.get("reads") or []), source.lang))

    ctx = Context(
        lang=source.lang, prefixes=prefixes, delim=crossref.get("title-delim", ":"),
        bib_keys=read_bib_keys(bibliography) if bibliography else set(), notebook=notebook_reader(root),
        label=label, figure_html=page_figures.placeholder, echo_default=source.kind == "notebook",
        number_style=s.number_style(), root=root, code_label=s["reports.code"],
        describe=lambda spec: alt_text.describe(spec, s),
    )
    assembled = assemble(doc, result, ctx)
    from .. import charts, disclosure

    drawn = {f.label or f.stem: charts.data_rows(f.spec) for f in assembled.figures if f.spec is not None}
    disclosure.check_figures(root, result.get("reads") or [], drawn, label)
    files.update(page_figures.files(assembled.figures, folder))
    beside = local_files(assembled, doc, prefix)
    files.update({f"{folder}/{relative}": content for relative, content in beside.items()})

    used = datasets.from_reads(root, result.get("reads") or []) + [str(d) for d in meta.get("datasets") or []]
    if assembled.cites and not doc.has_refs_div:
        add_references(assembled, s["reports.references"])
    callout_meta = {f"obs-callout-{k}": s[f"reports.callouts.{k}"] for k in ("note", "tip", "warning", "important", "caution")}
    work = root / "build" / "reports" / "work" / source.kind / source.slug / source.lang
    work.mkdir(parents=True, exist_ok=True)
    for relative, content in beside.items():
        (work / relative).parent.mkdir(parents=True, exist_ok=True)
        (work / relative).write_bytes(content)
    fragment = convert(assembled.web, "html5", lang=source.lang, bibliography=bibliography if assembled.cites else None,
                       meta=callout_meta, label=label, cwd=work, reference_location=str(meta.get("reference-location", "document")))
    fragment = page_figures.restore(fragment)
    page = page_markdown(source, meta, fragment, s, prefix, default_lang)
    files[f"{folder}/{page_name(source, default_lang)}"] = page.encode("utf-8")
    if source.kind == "report":
        body = convert(assembled.print, "typst", lang=source.lang, bibliography=bibliography if assembled.cites else None,
                       meta=callout_meta, label=label, cwd=work)
        alts = {f.print_path: f.alt for f in assembled.figures}
        drawn = {f.print_path: f.print_image if f.print_image is not None else files[f"{folder}/{f.print_path}"] for f in assembled.figures}
        widths = {path: pdf.svg_width_percent(drawn[path]) for path in alts if path.endswith(".svg")}
        widths |= {f.print_path: pdf.png_width_percent(f.print_image, f.print_dpi) for f in assembled.figures if f.print_image is not None}
        body = pdf.add_alt_text(body, alts, widths)
        for path, content in drawn.items():
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_bytes(content)
        from .qmd import authors

        language_name = next((x.name for x in languages(root) if x.code == source.lang), source.lang)
        about = datasets.entries(root, used, source.lang, label) if meta.get("type") == "brief" else None
        main = pdf.main_typ(meta, body, s, authors(meta), language_name, about)
        files[f"{folder}/{pdf_name(source)}"] = pdf.compile_pdf(work, main, label)
    figure_list = [
        {"stem": f.stem, "label": f.label, "caption": f.caption, "alt": f.alt, "data": f.spec is not None, "ext": f.ext}
        for f in assembled.figures
    ]
    return files, page_info(source, meta, figure_list, used)


def figure_page(root: Path, source: Source, meta: dict, default_lang: str) -> web.FigurePage:
    """The document's title, address, authors and year, for its figures' citations and embed pages."""
    from ..sharing import site_url

    prefix = "" if source.lang == default_lang else f"{source.lang}/"
    year = str(meta.get("date", ""))[:4]
    return web.FigurePage(title=str(meta.get("title", source.slug)), url=f"{site_url(root)}{prefix}{page_dir(source)}/",
                          folder=page_dir(source), default_lang=source.lang == default_lang,
                          authors=tuple(authors_of(meta)), year=int(year) if year.isdigit() else None)


def page_info(source: Source, meta: dict, figure_list: list[dict], used: list[str]) -> dict:
    """What the landing page and the catalogue need of a rendered document (the same from both engines)."""
    return {
        "title": str(meta.get("title", source.slug)), "subtitle": meta.get("subtitle"), "date": str(meta.get("date", "")),
        "type": meta.get("type", "report"), "abstract": meta.get("abstract"), "authors": authors_of(meta),
        "figures": len([f for f in figure_list if f["label"]]),
        "datasets": list(dict.fromkeys(used)),
        "figure_list": figure_list,
    }


def authors_of(meta: dict) -> list[str]:
    from .qmd import authors

    return authors(meta)


def page_markdown(source: Source, meta: dict, fragment: str, s, prefix: str, default_lang: str, landing: bool = True) -> str:
    """The MkDocs page: front matter, a header (subtitle, authors, date, PDF link), the content, the chart scripts.

    Publications get their header (and more) from `observatorio.publications.landing` instead (`landing=True`).
    """
    import html

    title = str(meta.get("title", source.slug))
    front = {"title": title}
    if meta.get("abstract"):
        front["description"] = " ".join(str(meta["abstract"]).split())
    lines = ["---", front_matter(front).rstrip("\n"), "---", "", f"# {title}", "", ""]
    header = []
    if meta.get("subtitle") and not (landing and source.kind == "report"):
        header.append(f'<p class="obs-subtitle">{html.escape(str(meta["subtitle"]))}</p>')
    if source.kind == "report" and not landing:
        names = ", ".join(authors_of(meta))
        when = s.long_date(meta.get("date"))
        header.append(f'<p class="obs-byline">{html.escape(names)} · {html.escape(when)}</p>')
        header.append(
            f'<p class="obs-pdf"><a href="{prefix}{pdf_name(source)}" download>{html.escape(s["reports.download_pdf"])}</a></p>'
        )
        if meta.get("abstract"):
            header.append(f'<div class="obs-abstract"><p>{html.escape(" ".join(str(meta["abstract"]).split()))}</p></div>')
    depth = "../" * (page_dir(source).count("/") + 1 + (0 if source.lang == default_lang else 1))
    body = web.mkdocs_markdown(fragment)
    scripts = web.scripts_html(depth) if "obs-chart-spec" in body else ""
    return "\n".join(lines) + "\n".join(header) + "\n\n" + body + ("\n" + scripts + "\n" if scripts else "")


def front_matter(values: dict) -> str:
    """YAML for a page's front matter (any title or text, quoted as YAML needs)."""
    import yaml

    return yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=float("inf"))


_ = merge  # re-exported for callers that merge metadata the same way
