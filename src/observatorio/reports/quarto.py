"""The `quarto` engine: the real Quarto CLI renders each publication (when it is installed).

Quarto renders the same sources (`_quarto.yml` at the project root): gfm for the web page, typst
for the PDF. Its outputs are copied into the docs folder at the same places as the built-in
engine's, so the rest of the site does not know which engine ran.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

from ..errors import UserError
from .render import Rendered, page_dir, page_name, pdf_name
from .qmd import parse
from .sources import Source, shared_metadata


def quarto_render(path: Path, to: str, output_dir: Path) -> Path:
    output_dir.mkdir(parents=True, exist_ok=True)
    suffix = {"gfm": ".md", "typst": ".pdf"}[to]
    name = f"{path.stem}{suffix}"
    done = subprocess.run(
        ["quarto", "render", str(path), "--to", to, "--output", name, "--output-dir", str(output_dir)],
        capture_output=True, text=True, cwd=path.parent,
    )
    if done.returncode != 0:
        raise UserError(f"{path}: quarto render --to {to} failed:\n{done.stderr.strip()[-3000:]}")
    return output_dir / name


def staging_project(root: Path) -> Path:
    """A copy of the project for Quarto in which notebooks/ hold this build's outputs (Quarto's embed reads saved outputs).

    The sources in the repository stay as they are; data, site and mkdocs.yml are linked, not copied.
    """
    stage = root / "build" / "reports" / "quarto-project"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    for name in ("data", "site", "mkdocs.yml"):
        if (root / name).exists():
            (stage / name).symlink_to(root / name)
    shutil.copy(root / "_quarto.yml", stage / "_quarto.yml")
    shutil.copytree(root / "reports", stage / "reports")
    (stage / "notebooks").mkdir()
    executed = root / "build" / "reports" / "notebooks"
    for notebook in sorted((root / "notebooks").glob("*.ipynb")) if (root / "notebooks").is_dir() else []:
        chosen = executed / notebook.name if (executed / notebook.name).is_file() else notebook
        shutil.copy(chosen, stage / "notebooks" / notebook.name)
    return stage


def render_with_quarto(root: Path, found: list[Source], default: str) -> list[Rendered]:
    rendered = []
    stage = staging_project(root)
    for source in found:
        started = time.monotonic()
        doc = parse(source.path, extra_meta=shared_metadata(root))
        staged = stage / source.path.relative_to(root)
        out = root / "build" / "reports" / "quarto" / source.slug / source.lang
        shutil.rmtree(out, ignore_errors=True)
        markdown = quarto_render(staged, "gfm", out).read_text(encoding="utf-8")
        pdf = quarto_render(staged, "typst", out).read_bytes()
        folder = page_dir(source)
        title = str(doc.meta.get("title", source.slug))
        body = re.sub(r"^# .*\n", "", markdown, count=1)
        files = {f"{folder}/{page_name(source, default)}": f"---\ntitle: {title!r}\n---\n\n# {title}\n\n{body}".encode()}
        files[f"{folder}/{pdf_name(source)}"] = pdf
        for asset in out.rglob("*"):
            if asset.is_file() and asset.suffix in (".png", ".svg"):
                files[f"{folder}/{asset.relative_to(out)}"] = asset.read_bytes()
        meta = {"title": title, "subtitle": doc.meta.get("subtitle"), "date": str(doc.meta.get("date", "")),
                "type": doc.meta.get("type", "report"), "abstract": doc.meta.get("abstract"), "authors": [], "figures": 0}
        rendered.append(Rendered(source, meta, files, f"{source.path.parent.relative_to(root)} ({source.lang}): rendered by Quarto", time.monotonic() - started, True))
    return rendered
