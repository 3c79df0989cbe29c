"""What a running preview (`observatorio serve`) keeps between rebuilds, shared with the MkDocs hooks.

MkDocs loads `mkdocs_hooks.py` itself, but the hooks import this module like any other, so the
command's options reach every rebuild without environment variables. A rebuild whose sources
are broken keeps the last good docs folder (`site.assemble` replaces it only on success) and
shows the error at the top of every page until the sources are fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from .errors import UserError

BANNER_ID = "observatorio-preview-error"


@dataclass
class Preview:
    """`mode` is "serve" under `observatorio serve`, "build" while `site.mkdocs_build` runs MkDocs, else None."""

    mode: str | None = None
    options: object = None  # site.Options of the running preview
    stamp: tuple = ()
    error: str | None = None


state = Preview()


def refresh(root: Path) -> None:
    """Before MkDocs builds: re-assemble the docs folder if a source changed since the last assembly.

    Outside `observatorio` (plain `mkdocs serve` or `mkdocs build`), assemble with the preview options.
    """
    from . import site

    if state.mode == "build":
        return
    stamp = site.sources_stamp(root)
    if stamp == state.stamp:
        return
    options = state.options or site.Options(preview=True)
    try:
        site.assemble(root, options)
        state.error = None
    except UserError as exc:
        if state.mode != "serve":
            raise
        state.error = str(exc)
        print(f"error: {exc}\n(the preview keeps the last good pages until this is fixed)", flush=True)
    state.stamp = stamp


def with_error_banner(html: str) -> str:
    """The page with the current build error shown at the top of its body (nothing when there is none)."""
    if state.error is None:
        return html
    banner = (
        f'<div id="{BANNER_ID}" role="alert" style="padding:1em;background:#fde7e9;color:#5c0011;border-bottom:3px solid #a8071a">'
        f"<strong>The sources have an error; this preview shows the last good build.</strong>"
        f'<pre style="white-space:pre-wrap;margin:0.5em 0 0">{escape(state.error)}</pre></div>'
    )
    start = html.find("<body")
    end = html.find(">", start) + 1 if start >= 0 else 0
    return html[:end] + banner + html[end:]
