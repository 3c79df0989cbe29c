"""What a running preview (`observatorio serve`) keeps between rebuilds, shared with the MkDocs hooks.

MkDocs loads `mkdocs_hooks.py` itself, but the hooks import this module like any other, so the
command's options reach every rebuild without environment variables. A rebuild whose sources
are broken keeps the last good docs folder (`site.assemble` replaces it only on success) and
shows the error at the top of every page, in the site's first language, until the sources are fixed.

`install` adapts MkDocs' development server (from the `on_serve` hook): its live-reload script is
inline, which the site's Content-Security-Policy refuses, so pages get a script file instead
(`templates/preview/livereload.js`, served at `LIVE_RELOAD`, never written into the site); and
under `observatorio studio` it serves Decap CMS at `/admin/` (see `observatorio.studio`).
"""

from __future__ import annotations

import mimetypes
import posixpath
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from markupsafe import escape

from .errors import UserError

BANNER_ID = "observatorio-preview-error"
LIVE_RELOAD = "/_preview/livereload.js"
ADMIN = "/admin/"
TYPES = {".js": "text/javascript", ".wasm": "application/wasm", ".yml": "text/yaml", ".json": "application/json", ".css": "text/css"}


@dataclass
class Preview:
    """`mode` is "serve" under `observatorio serve`, "build" while `site.mkdocs_build` runs MkDocs, else None."""

    mode: str | None = None
    options: object = None  # site.Options of the running preview
    stamp: tuple = ()
    error: str | None = None
    root: Path | None = None
    studio: object = None  # studio.Studio while `observatorio studio` runs: the files under /admin/


state = Preview()


def refresh(root: Path) -> None:
    """Before MkDocs builds: re-assemble the docs folder if a source changed since the last assembly.

    Outside `observatorio` (plain `mkdocs serve` or `mkdocs build`), assemble with the preview options.
    """
    from . import site

    if state.mode == "build":
        return
    state.root = root
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
    from .i18n import language_codes, strings

    ui = strings(state.root, language_codes(state.root)[0])
    banner = (
        f'<div id="{BANNER_ID}" role="alert" lang="{ui.code}" style="padding:1em;background:#fde7e9;color:#5c0011;border-bottom:3px solid #a8071a">'
        f"<strong>{escape(ui['preview.error_title'])}</strong> {escape(ui['preview.error_fix'])}"
        f'<pre style="white-space:pre-wrap;margin:0.5em 0 0">{escape(state.error)}</pre></div>'
    )
    start = html.find("<body")
    end = html.find(">", start) + 1 if start >= 0 else 0
    return html[:end] + banner + html[end:]


def install(server) -> None:
    """Live reload through a script file, and the studio's files under /admin/ (MkDocs' LiveReloadServer)."""
    serve_request = server._serve_request

    def inject(content: bytes, epoch: int) -> bytes:
        tag = f'<script src="{LIVE_RELOAD}" data-epoch="{epoch}" data-request="{time.time_ns() // 1000}"></script>'.encode()
        end = content.rfind(b"</body>")
        end = len(content) if end < 0 else end
        return content[:end] + tag + content[end:]

    def routed(environ, start_response):
        found = preview_file(environ["PATH_INFO"])
        if found is None:
            return serve_request(environ, start_response)
        name, body = found
        kind = TYPES.get(Path(name).suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")])
        return [body]

    server._inject_js_into_html = inject
    server._serve_request = routed


def preview_file(path: str) -> tuple[str, bytes] | None:
    """(name, bytes) of a file only the preview serves at `path`: the live-reload script, the studio's files."""
    if path == LIVE_RELOAD:
        return "livereload.js", (resources.files("observatorio") / "templates/preview/livereload.js").read_bytes()
    if state.studio is None or not (path + "/").startswith(ADMIN):
        return None
    name = posixpath.normpath(path[len(ADMIN):] or "index.html").lstrip("/")
    if name in ("", "."):
        name = "index.html"
    return state.studio.file(name)
