"""MkDocs hooks: the only glue between MkDocs and the observatorio package.

Everything the site shows is made by the package; these hooks only call it, so moving to
another static site generator stays cheap. mkdocs-static-i18n builds every language into the
same site folder, one after the other; the hooks below keep what must exist per language
(404 page, sitemap, search index) apart.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import FileSystemBytecodeCache
from mkdocs.plugins import event_priority

from observatorio import csp, headerlinks, markup, preview, search_index, site
from observatorio.i18n import languages, strings
from observatorio.paths import build_dir
from observatorio.sitemaps import language_sitemap, unlisted_pages, write_sitemap

_default_404: str | None = None


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def _language(config):
    code = config.theme["language"]
    return next(lang for lang in languages(_root(config)) if lang.code == code)


def on_pre_build(config):
    """Under `serve` (or plain `mkdocs serve`), re-assemble the docs folder when a source changed."""
    preview.refresh(_root(config))


def on_serve(server, config, builder):
    """Live reload when any source changes (the sources that exist in this project), allowed by the CSP."""
    root = _root(config)
    for name in (*site.WATCHED, "src/observatorio"):
        if (root / name).exists():
            server.watch(str(root / name))
    preview.install(server)
    return server


def on_env(env, config, files):
    """Templates read UI strings with `ui(language_code)`; compiled templates are kept under build/jinja.

    Jinja checks each template's source against the cached bytecode, so an edited template is
    compiled again; the cache only saves compiling Material's templates in every language's build.
    """
    root = _root(config)
    env.globals["ui"] = lambda code: strings(root, code).data
    cache = build_dir(root) / "jinja"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    return env


def on_page_markdown(markdown, page, config, files):
    """Front matter is text: escaped once here, so every template prints it as text."""
    page.meta = markup.escape_meta(page.meta)
    return markdown


def on_post_page(output, page, config):
    language = _language(config)
    output = headerlinks.localise(output, strings(_root(config), language.code)["theme.permalink"])
    return csp.add_policy(preview.with_error_banner(search_index.configure_search(output, language)), page.file.src_uri)


def on_post_template(output, template_name, config):
    """One 404 page per language: `/404.html` and `/<code>/404.html`."""
    global _default_404
    if template_name != "404.html":
        return output
    language = _language(config)
    output = csp.add_policy(search_index.configure_search(switcher_to_homes(output, config), language), "404.html")
    if language.default:
        _default_404 = output
        return output
    target = Path(config.site_dir) / language.code / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return _default_404 if _default_404 is not None else output


SWITCHER_LINK = re.compile(r'(<a href=")[^"]*(" hreflang="([A-Za-z-]+)" class="md-select__link")')


def switcher_to_homes(output: str, config) -> str:
    """On a 404 page the language menu leads to each language's home page.

    Left alone, it would point to the alternates of whichever page the plugin handled last.
    """
    base = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
    prefixes = {lang.code: lang.prefix() for lang in languages(_root(config))}
    return SWITCHER_LINK.sub(lambda m: f"{m[1]}{base}{prefixes.get(m[3], '')}{m[2]}", output)


@event_priority(-110)  # after mkdocs-static-i18n has built every language and merged the search index
def on_post_build(config):
    if getattr(config.plugins.get("i18n"), "building", False):
        return  # a language build nested inside the main one: wait for the end of the main build
    site_dir = Path(config.site_dir)
    langs = languages(_root(config))
    search_index.split_by_language(site_dir, langs)
    sitemap = site_dir / "sitemap.xml"
    unlisted = unlisted_pages(sitemap.read_bytes(), config.site_url, site_dir)
    full = sitemap.read_bytes()
    write_sitemap(sitemap, language_sitemap(full, config.site_url, unlisted))
    for other in langs[1:]:
        prefix = config.site_url.rstrip("/") + "/" + other.prefix()
        target = site_dir / other.code / "sitemap.xml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(language_sitemap(full, prefix, unlisted))
