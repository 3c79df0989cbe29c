"""The `quarto` engine: the real Quarto CLI renders each publication (when it is installed).

Quarto renders the same sources (`_quarto.yml` at the project root) in a staging copy of the
project: gfm for the web page, typst for the PDF. The gfm text becomes the same kind of page as the
built-in engine's (pandoc's HTML, `render.page_markdown`), with the figure files at the same places
(`figures/<label>-<lang>.svg|png|csv|-vegalite.json`) and the same metadata (`figure_list`,
`datasets`), so the landing pages and the rest of the site do not know which engine ran.

Two records come back from Quarto's kernel through environment variables (Quarto starts the
kernel; nothing else reaches it): the data files read (`data.READS_LOG`) and the spec of every
chart drawn (`charts.QUARTO_SPECS`), found again from the SVG image Quarto saved.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup

from .. import alt_text, charts, disclosure, steps
from .. import datasets_used as datasets
from ..data import READS_LOG
from ..errors import UserError
from ..i18n import strings
from . import figure_view, web
from .assemble import VEGALITE, Figure
from .pandoc import pandoc_path
from .qmd import parse
from .render import (
    Rendered,
    asset_prefix,
    execution_inputs,
    figure_page,
    page_dir,
    page_info,
    page_markdown,
    page_name,
    pdf_name,
    with_page_inputs,
)
from .sources import Source, shared_metadata

# Quarto writes callouts in gfm as alerts (`> [!NOTE]`); on the page they are the built-in engine's
# admonitions (templates/callouts.lua), with the site's default titles.
CALLOUTS = {"note": "note", "tip": "tip", "warning": "warning", "important": "info", "caution": "danger"}


def quarto_render(path: Path, to: str, output_dir: Path, env: dict[str, str]) -> Path:
    """`quarto render` of one document of the staging project; the path of the file it wrote.

    Quarto's kernel runs this Python (unless QUARTO_PYTHON says otherwise): the one with observatorio installed.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    suffix = {"gfm": ".md", "typst": ".pdf"}[to]
    name = f"{path.stem}{suffix}"
    done = subprocess.run(
        ["quarto", "render", str(path), "--to", to, "--output", name, "--output-dir", str(output_dir)],
        capture_output=True, text=True, cwd=path.parent, env={"QUARTO_PYTHON": sys.executable, **os.environ, **env},
    )
    if done.returncode != 0:
        raise UserError(f"{path}: quarto render --to {to} failed:\n{done.stderr.strip()[-3000:]}")
    written = sorted(output_dir.rglob(name))  # inside a project Quarto keeps the document's folder
    if len(written) != 1:
        raise UserError(f"{path}: quarto render --to {to} wrote {len(written)} files named {name} under {output_dir}; expected one.")
    return written[0]


def staging_project(root: Path) -> Path:
    """A copy of the project for Quarto in which notebooks/ hold this build's outputs (Quarto's embed reads saved outputs).

    The sources in the repository stay as they are. data, site and mkdocs.yml are copied (small), not
    linked: a link out of the staging project is refused, like any link that leaves a project.
    """
    stage = root / "build" / "reports" / "quarto-project"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    for name in ("data", "site"):
        if (root / name).is_dir():
            shutil.copytree(root / name, stage / name)
    shutil.copy(root / "mkdocs.yml", stage / "mkdocs.yml")
    shutil.copy(root / "_quarto.yml", stage / "_quarto.yml")
    shutil.copytree(root / "reports", stage / "reports")
    (stage / "notebooks").mkdir()
    executed = root / "build" / "reports" / "notebooks"
    for notebook in sorted((root / "notebooks").glob("*.ipynb")) if (root / "notebooks").is_dir() else []:
        chosen = executed / notebook.name if (executed / notebook.name).is_file() else notebook
        shutil.copy(chosen, stage / "notebooks" / notebook.name)
    return stage


STEP = "quarto render"


@functools.lru_cache(maxsize=1)
def quarto_version() -> str:
    """The Quarto CLI on PATH, by its place and version (an input of every Quarto render)."""
    done = subprocess.run(["quarto", "--version"], capture_output=True, text=True)
    return f"{shutil.which('quarto')} {done.stdout.strip()}"


def quarto_inputs(root: Path, source: Source) -> steps.Inputs:
    """What a Quarto render depends on: what the built-in engine's execution and render do, plus
    Quarto itself and `_quarto.yml`; the data files its kernel read are added as found."""
    inputs = execution_inputs(root, source).value("quarto", quarto_version()).file(root / "_quarto.yml")
    return with_page_inputs(root, source, inputs)


def stored_dir(root: Path, source: Source) -> Path:
    return root / "build" / "reports" / "quarto-out" / source.slug / source.lang


def render_with_quarto(root: Path, found: list[Source], default: str) -> list[Rendered]:
    """Each publication rendered by Quarto, or its files from the last Quarto render when nothing it depends on changed."""
    rendered, stage, notebook_charts = [], None, {}
    for source in found:
        inputs = quarto_inputs(root, source)
        files, manifest, why = steps.stored(stored_dir(root, source), inputs)
        where = source.path.parent.relative_to(root)
        if files is not None:
            rendered.append(Rendered(source, manifest["meta"], files, f"{where} ({source.lang}): unchanged, not rendered by Quarto again"))
            continue
        if stage is None:  # only when a document must be rendered: copying the project takes a while
            stage = staging_project(root)
            notebook_charts = notebook_specs(stage)
        item, reads = render_one(root, stage, source, default, notebook_charts)
        item.message += f" ({why})"
        steps.store(stored_dir(root, source), STEP, inputs.found([*reads, root / "data" / "datapackage.yaml"]), item.files, meta=item.meta)
        rendered.append(item)
    return rendered


def render_one(root: Path, stage: Path, source: Source, default: str, notebook_charts: dict[str, dict]) -> tuple[Rendered, list[str]]:
    """The document rendered by Quarto, and the data files its kernel read."""
    started = time.monotonic()
    label = source.label(root)
    doc = parse(source.path, extra_meta=shared_metadata(root))
    meta = doc.meta
    s = strings(root, source.lang)
    out = root / "build" / "reports" / "quarto" / source.slug / source.lang
    shutil.rmtree(out, ignore_errors=True)
    (out / "specs").mkdir(parents=True)
    env = {READS_LOG: str(out / "reads.txt"), charts.QUARTO_SPECS: str(out / "specs")}
    staged = stage / source.path.relative_to(root)
    markdown_file = quarto_render(staged, "gfm", out / "gfm", env)
    pdf = quarto_render(staged, "typst", out / "typst", env).read_bytes()
    logged = (out / "reads.txt").read_text(encoding="utf-8").splitlines() if (out / "reads.txt").is_file() else []
    reads = sorted({str(in_project(Path(line), stage, root)) for line in logged})
    specs = {**notebook_charts, **{p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (out / "specs").glob("*.json")}}

    folder = page_dir(source)
    downloads = web.PageFigures(s, asset_prefix(source, default), page=figure_page(root, source, meta, default),
                                licences=datasets.licences(root, datasets.from_reads(root, reads), source.lang))
    fragment, figures, files = web_fragment(markdown_file, source, downloads, specs, label)
    drawn = {f["label"] or f["stem"]: charts.data_rows(specs[f["spec"]]) for f in figures if f["spec"]}
    disclosure.check_figures(root, reads, drawn, label)
    files = {f"{folder}/{name}": content for name, content in files.items()}
    files[f"{folder}/{page_name(source, default)}"] = page_markdown(source, meta, fragment, s, asset_prefix(source, default), default).encode("utf-8")
    files[f"{folder}/{pdf_name(source)}"] = pdf
    used = datasets.from_reads(root, reads) + [str(d) for d in meta.get("datasets") or []]
    info = page_info(source, meta, [{k: f[k] for k in ("stem", "label", "caption", "alt", "data", "ext")} for f in figures], used)
    where = source.path.parent.relative_to(root)
    return Rendered(source, info, files, f"{where} ({source.lang}): rendered by Quarto", time.monotonic() - started, True), reads


def in_project(path: Path, stage: Path, root: Path) -> Path:
    """A file read by Quarto's kernel in the staged copy of the project, as the same file of the project itself
    (the datasets a page cites, their licences and the disclosure check go by the project's files)."""
    path, stage = path.resolve(), stage.resolve()
    return Path(root).resolve() / path.relative_to(stage) if path.is_relative_to(stage) else path


def notebook_specs(stage: Path) -> dict[str, dict]:
    """The charts in the staged notebooks' saved outputs, by the SHA-256 of their SVG (what an embed shows)."""
    found = {}
    for path in sorted((stage / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(str(path), as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data") or {}
                spec = next((data[m] for m in data if VEGALITE.match(m)), None)
                if spec is not None and "image/svg+xml" in data:
                    found[svg_digest(data["image/svg+xml"])] = spec
    return found


def svg_digest(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def web_fragment(markdown_file: Path, source: Source, downloads: web.PageFigures, specs: dict[str, dict], label: str):
    """Quarto's gfm page as an HTML fragment, its figures (label, caption, alt, spec) and their files."""
    text = markdown_file.read_text(encoding="utf-8")
    body = re.sub(r"\A# .*\n(?:.+\n)*", "", text)  # Quarto's title block: title, subtitle, authors, date
    done = subprocess.run([pandoc_path(), "--from=gfm", "--to=html5", "--wrap=none"], input=body, capture_output=True, text=True)
    if done.returncode != 0:
        raise UserError(f"{label}: pandoc could not read Quarto's output {markdown_file}: {done.stderr.strip()}")
    soup = BeautifulSoup(done.stdout, "html.parser")
    for embed in soup.select("div.quarto-embed-nb-cell"):  # its attributes name this build's folders
        embed.unwrap()
    for kind, admonition in CALLOUTS.items():
        for box in soup.select(f"div.{kind}"):
            callout_as_admonition(soup, box, kind, admonition, downloads.s)
    figures, files = [], {}
    for image in soup.find_all("img"):
        path = markdown_file.parent / str(image.get("src", ""))
        if "//" in str(image.get("src", "")) or not path.is_file():
            continue
        holder = image.find_parent(id=re.compile(r"^fig-"))
        fig_label = holder["id"] if holder else None
        stem = f"{fig_label}-{source.lang}" if fig_label else f"cell{len(figures) + 1}-{source.lang}"
        caption_node = next((p for p in holder.find_all("p") if not p.find("img")), None) if holder else None
        caption_text = caption_node.get_text(" ", strip=True) if caption_node else ""
        content = path.read_bytes()
        spec_key = svg_digest(content) if path.suffix == ".svg" and svg_digest(content) in specs else None
        if spec_key:
            files.update(downloads.chart_files(specs[spec_key], stem, fig_label, caption_text, "figures"))
            ext = "svg"
        else:
            ext = path.suffix.lstrip(".")
            files[f"figures/{stem}.{ext}"] = content
        image["src"] = f"{downloads.asset_prefix}figures/{stem}.{ext}"
        if spec_key and not image.get("data-fig-alt"):  # no `fig-alt`: the alt text is written from the data
            image["alt"] = alt_text.describe(specs[spec_key], downloads.s) or str(image.get("alt", ""))
        image.attrs.pop("data-fig-alt", None)
        figures.append({"stem": stem, "label": fig_label, "caption": web.NUMBER_PREFIX.sub("", " ".join(caption_text.split())),
                        "alt": str(image.get("alt", "")), "data": spec_key is not None, "ext": ext, "spec": spec_key})
        if spec_key:  # a chart: the same figure view as the built-in engine's (tabs, table, downloads, cite and share)
            figure = Figure(stem, fig_label, " ".join(caption_text.split()), str(image.get("alt", "")), spec=specs[spec_key])
            view = web.figure_html(figure, downloads.s, downloads.asset_prefix, charts.data_csv(figure.spec), downloads.page,
                                   caption_html=caption_node.decode_contents().strip() if caption_node else None)  # Quarto's links kept
            (holder if holder is not None else image).replace_with(BeautifulSoup(view, "html.parser"))
            files.update(embed_page(downloads, figure))
    return str(soup), figures, files


def embed_page(downloads: web.PageFigures, figure: Figure) -> dict[str, bytes]:
    """The figure's embed page, by its path in the page's folder (the caller puts the page's files there)."""
    page, s = downloads.page, downloads.s
    if page is None:
        return {}
    ident = figure_view.figure_id(figure.label, figure.stem, s.code)
    html_text = figure_view.embed_page(page, ident, figure.caption or ident, figure.alt, figure_view.in_folder(page.folder, f"figures/{figure.stem}.svg"),
                                       figure_view.source_line(figure.spec), s)
    return {figure_view.embed_path(page, ident, s).removeprefix(f"{page.folder}/"): html_text.encode("utf-8")}


def callout_as_admonition(soup, box, kind: str, admonition: str, s) -> None:
    """pandoc's reading of a gfm alert (`div.<kind>` with an English `div.title`) as the built-in engine's admonition."""
    for generic in box.find_all("div", class_="title", recursive=False):
        generic.decompose()
    first = next(iter(box.find_all(True, recursive=False)), None)
    if first is not None and re.fullmatch(r"h[1-6]", first.name):
        title = first.get_text(" ", strip=True)
        first.decompose()
    else:
        title = str(s[f"reports.callouts.{kind}"])
    box["class"] = ["admonition", admonition, f"callout-{kind}"]
    heading = soup.new_tag("p", attrs={"class": "admonition-title"})
    heading.string = title
    box.insert(0, heading)
