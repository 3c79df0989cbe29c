"""MkDocs hooks: the only glue between MkDocs and the observatorio package.

Everything the site shows is made by the package; these hooks only call it, so moving to
another static site generator stays cheap.
"""

from __future__ import annotations

import os
from pathlib import Path

from observatorio import site
from observatorio.i18n import strings

_last_stamp: tuple | None = None


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_pre_build(config):
    """Under `mkdocs serve`, re-assemble the docs folder when a source changed."""
    global _last_stamp
    if os.environ.get("OBSERVATORIO_ASSEMBLED") == "1":
        return
    root = _root(config)
    stamp = site.sources_stamp(root)
    if stamp != _last_stamp:
        preview = os.environ.get("OBSERVATORIO_PREVIEW", "1") == "1"
        site.assemble(root, site.Options(preview=preview))
        _last_stamp = stamp


def on_env(env, config, files):
    """Templates read UI strings with `ui(language_code)`."""
    root = _root(config)
    env.globals["ui"] = lambda code: strings(root, code).data
    return env


def on_post_build(config):
    """Keep one 404 page per language: `/404.html` and `/<code>/404.html`.

    mkdocs-static-i18n builds each language into the same site folder, so each build's 404.html
    would overwrite the previous one; move each to its language's folder.
    """
    from observatorio.i18n import default_language

    site_dir = Path(config.site_dir)
    page = site_dir / "404.html"
    if not page.is_file():
        return
    language = config.theme["language"]
    kept = site_dir / ".404-default.html"
    if language == default_language(_root(config)).code:
        page.replace(kept)
    else:
        target = site_dir / language / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.replace(target)
    if kept.is_file() and language != default_language(_root(config)).code:
        kept.replace(page)
