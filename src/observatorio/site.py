"""Assemble the MkDocs docs folder, build the site into a temporary folder, and swap it in.

`assemble` turns `site/docs` (hand-written pages) and every generator's output into the docs
folder MkDocs reads (`build/docs`). `build` runs MkDocs in strict mode into a temporary folder
beside `_site/` and replaces `_site/` only when everything succeeded, so a failed build never
leaves a half-written site.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import campaigns, catalogue, contact, freshness, key_figures, preview, profiles, publications, publish, search_index, sharing
from .accessibility import statement_page
from .data import validate_with_reason
from .disclosure import check_publishable, check_site
from .errors import UserError
from .files import recording_writes, write_if_changed, writes_under
from .i18n import languages, page_language, read_mkdocs_config, strings
from .paths import build_dir, docs_dir
from .translations import (
    front_matter,
    localized_name,
    missing_translations,
    only_language,
    status_page,
)

SHORTCODE = re.compile(r"<!--\s*observatorio:([a-z0-9-]+)\s*-->")
WATCHED = ("site", "data", "reports", "notebooks", "campaigns", "profiles")


@dataclass
class Options:
    engine: str = "auto"
    jobs: int | None = None
    preview: bool = False  # include draft campaigns (for `serve`)
    progress: Callable[[str], None] = field(default=lambda message: None)


def expand_shortcodes(root: Path, source: Path, relative: Path, text: str, langs, staging: Path | None = None) -> str:
    """Replace `<!-- observatorio:NAME -->` markers in a hand-written page; unknown names are errors.

    `world-maps` writes its figures' files (spec, SVG, PNG, CSV, embed pages) into `staging`."""
    lang = page_language(source, langs)

    def dataset_link(name: str) -> str:
        return os.path.relpath(f"dados/{name}/index.md", start=str(relative.parent) or ".")

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name == "key-figures":
            s = strings(root, lang.code)
            return key_figures.to_markdown(key_figures.compute(root, s), s, dataset_link)
        if name == "world-maps":
            return world_maps(root, lang, relative, staging)
        if name == "contact":
            return contact.markdown(contact.read(root), strings(root, lang.code))
        if name == "latest-publications":
            from .publications import latest_markdown

            return latest_markdown(root, lang, str(relative))
        line = text.count("\n", 0, match.start()) + 1
        raise UserError(
            f"{source.relative_to(root)}, line {line}: unknown marker `observatorio:{name}`. Known markers: contact, key-figures, latest-publications, world-maps."
        )

    return SHORTCODE.sub(replace, text)


def world_maps(root: Path, lang, relative: Path, staging: Path | None) -> str:
    """The home page's maps (`observatorio.maps`): immigrants by origin and Cabo Verdeans abroad by destination."""
    import html as html_lib

    from . import maps

    s = strings(root, lang.code)
    folder = "" if str(relative.parent) == "." else relative.parent.as_posix()
    site_url = str(read_mkdocs_config(root).get("site_url") or "")
    parts = [f"## {s['maps.heading']}", "", f"<p>{html_lib.escape(s['maps.intro'])}</p>", ""]
    for which in maps.DATASETS:
        made = maps.page_map(root, s, which, folder, lang.default, site_url, str(s["organisation"]))
        if staging is not None:
            for path, content in made.files.items():
                write_if_changed(staging / path, content)
        parts += [made.html, ""]
    parts.append(maps.scripts(folder, lang.default))
    return "\n".join(parts) + "\n"


def copy_hand_written(root: Path, staging: Path) -> None:
    langs = languages(root)
    source_dir = root / "site" / "docs"
    for source in sorted(source_dir.rglob("*")):
        if not source.is_file():
            continue
        relative = source.relative_to(source_dir)
        target = staging / relative
        if source.suffix == ".md":
            text = expand_shortcodes(root, source, relative, source.read_text(encoding="utf-8"), langs, staging)
            write_if_changed(target, text)
            if page_language(source, langs).default and only_language(source):
                write_language_notices(root, source, relative, staging, langs)
        else:
            write_if_changed(target, source.read_bytes())
    assets = root / "site" / "assets"
    for source in sorted(assets.rglob("*")):
        if source.is_file():
            write_if_changed(staging / "assets" / source.relative_to(assets), source.read_bytes())
    from . import maps

    geometry = root / maps.GEOMETRY  # the maps' basemap, fetched by the page from the site itself
    if geometry.is_file():
        write_if_changed(staging / maps.GEOMETRY_URL, geometry.read_bytes())


def page_url(relative: Path) -> str:
    """The URL path (no language prefix) of a page in the docs folder: `sobre/index.md` → `sobre/`."""
    parts = list(relative.with_suffix("").parts)
    if parts[-1] in ("index", "README"):
        parts = parts[:-1]
    return "/".join(parts) + "/" if parts else ""


def write_language_notices(root: Path, source: Path, relative: Path, staging: Path, langs) -> None:
    """For a page published in one language only, every other language gets a notice linking to it."""
    title = front_matter(source).get("title") or relative.stem
    available = langs[0]
    for lang in langs[1:]:
        twin = localized_name(staging / relative, lang, ".md")
        if localized_name(source, lang, ".md").exists():
            continue
        s = strings(root, lang.code)
        url = page_url(relative)
        back = "../" * len((lang.prefix() + url).strip("/").split("/")) + url
        text = [
            "---", f"title: {json.dumps(str(title), ensure_ascii=False)}", "---", "", f"# {title}", "",
            '<div class="admonition note" markdown>',
            f'<p class="admonition-title">{s["common.only_language_title"]}</p>',
            "",
            s.format("common.only_language_notice", language=available.name),
            f'<a href="{back}" hreflang="{available.code}" lang="{available.code}">{s.format("common.read_in", language=available.name)}</a>',
            "</div>", "",
        ]
        write_if_changed(twin, "\n".join(text))


def copy_fonts(root: Path, staging: Path) -> None:
    """The site's fonts as small WOFF2 subsets, with their licence."""
    from .fonts import WEB_FILES, WEB_ITALIC, font_dir, web_font

    for name in [*WEB_FILES.values(), WEB_ITALIC]:
        woff2 = Path(name).with_suffix(".woff2").name
        write_if_changed(staging / "assets" / "fonts" / woff2, web_font(name, build_dir(root) / "fonts"))
    write_if_changed(staging / "assets" / "fonts" / "LICENSE.txt", (font_dir() / "LICENSE.txt").read_bytes())


@dataclass(frozen=True)
class Generator:
    """A stage that writes pages and files into the docs folder being assembled and returns lines for
    the build summary; what it reuses from the last build, its `observatorio.steps` manifests decide."""

    name: str
    write: Callable[[Path, Path, Options], list[str]]


def write_publications(root: Path, docs: Path, options: Options) -> list[str]:
    return publications.write_pages(root, docs, jobs=options.jobs, engine=options.engine, progress=options.progress)


def write_profiles(root: Path, docs: Path, options: Options) -> list[str]:
    return profiles.write_pages(root, docs, jobs=options.jobs)


def write_campaigns(root: Path, docs: Path, options: Options) -> list[str]:
    return campaigns.write_pages(root, docs, preview=options.preview)


GENERATORS = (
    Generator("publications", write_publications),
    Generator("country profiles", write_profiles),
    Generator("campaigns", write_campaigns),
)


def assemble(root: Path, options: Options | None = None) -> list[str]:
    """Write the complete docs folder for MkDocs; return what each stage did."""
    options = options or Options()
    started = time.monotonic()
    summary = []

    options.progress("validating data")
    package, reason = validate_with_reason(root)
    summary.append(f"data: {reason}")
    check_publishable(package)
    contact.read(root)  # the site must say how to reach the observatory
    missing = missing_translations(root)
    if missing:
        raise UserError("missing translations:\n  " + "\n  ".join(missing) + "\nTranslate them, or mark the source `only-language: true` in its front matter.")
    # The staging folder is kept between builds, so that a file written with the same bytes as last
    # time costs a comparison, not a write; what no stage wrote this time is removed afterwards.
    staging = build_dir(root) / "docs.staging"
    staging.mkdir(parents=True, exist_ok=True)
    with recording_writes() as written, writes_under(build_dir(root)):
        options.progress("copying hand-written pages")
        copy_hand_written(root, staging)
        copy_fonts(root, staging)
        sharing.write_site_cards(root, staging)
        for lang in languages(root):
            write_if_changed(staging / "sobre" / localized_name(Path("traducoes.md"), lang, ".md"), status_page(root, lang))
            write_if_changed(staging / "sobre" / localized_name(Path("acessibilidade.md"), lang, ".md"), statement_page(root, lang))
        options.progress("writing the data catalogue and downloads")
        summary += catalogue.write_pages(root, staging, package)
        for generator in GENERATORS:
            options.progress(f"generating {generator.name}")
            summary += generator.write(root, staging, options)
    remove_unwritten(staging, written)
    publish.check_page_sizes(root, staging, ".md")  # before MkDocs holds a huge page (and its search entry) in memory
    sync_tree(staging, docs_dir(root))
    summary.append(f"docs assembled in {time.monotonic() - started:.1f} s")
    return summary


def remove_unwritten(folder: Path, written: set[str]) -> None:
    """Delete the files of `folder` that are not in `written` (absolute paths), then its empty folders."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and os.path.abspath(path) not in written:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def sync_tree(source: Path, target: Path) -> None:
    """Make `target` hold exactly `source`'s files, touching only what differs."""
    target.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for path in source.rglob("*"):
        if path.is_file():
            relative = path.relative_to(source)
            wanted.add(relative)
            write_if_changed(target / relative, path.read_bytes())
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target)
        if path.is_file() and relative not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


class _WarningCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


class _DirtyNotice(logging.Filter):
    """MkDocs warns that a dirty build may leave navigation stale; `freshness.pages_only` rules that out."""

    def filter(self, record):
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def mkdocs_build(root: Path, site_dir: Path) -> None:
    """Strict MkDocs build of the assembled docs into `site_dir`, keeping what `site_dir` already holds.

    MkDocs runs in its `--dirty` mode: it renders or copies only what is missing from `site_dir` or
    older than its source. `build` decides what `site_dir` starts with.
    """
    from mkdocs.commands.build import build as run_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    collector = _WarningCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    notice = _DirtyNotice()
    logging.getLogger("mkdocs.commands.build").addFilter(notice)
    mode = preview.state.mode
    preview.state.mode = "build"
    argv = sys.argv
    sys.argv = [*argv, "--dirty"]  # mkdocs-static-i18n reads the flag from there for the other languages' builds
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        run_build(config, dirty=True)
    except (Abort, ConfigurationError) as exc:
        details = "\n  ".join(collector.messages[:20]) or str(exc)
        raise UserError(f"the site build failed (MkDocs, strict mode):\n  {details}") from None
    finally:
        sys.argv = argv
        preview.state.mode = mode
        logging.getLogger("mkdocs.commands.build").removeFilter(notice)
        logger.removeHandler(collector)


def link_static_files(docs: Path, target: Path, langs) -> set[Path]:
    """Hard-link the docs folder's static files (everything but pages) into `target`, where MkDocs would copy them.

    MkDocs then finds them up to date and copies nothing. The docs folder only ever replaces a
    file (`write_if_changed`), never rewrites it, so a published file keeps its bytes when the docs
    folder changes later. Files with a language suffix (`x.en.png`) are left to MkDocs, which
    publishes them elsewhere. Where a link cannot be made (another file system), the file is copied.
    """
    codes = {lang.code for lang in langs}
    linked = set()
    for path in sorted(docs.rglob("*")):
        parts = path.name.split(".")
        relative = path.relative_to(docs)
        if not path.is_file() or path.suffix == ".md" or (len(parts) >= 3 and parts[-2] in codes):
            continue
        if any(part.startswith(".") for part in relative.parts) or relative.parts[0] == "templates":
            continue  # MkDocs's default `exclude_docs`: it would not publish these
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, destination)
        except OSError:
            shutil.copy2(path, destination)
        linked.add(relative)
    return linked


def copy_rendered(site: Path, target: Path, skip: set[Path]) -> None:
    """Copy what MkDocs rendered last time (pages, theme files, sitemaps, search index), with their times."""
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site)
        if path.is_file() and relative not in skip:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / relative)


def build(root: Path, options: Options | None = None, site_dir: Path | None = None) -> list[str]:
    """Assemble, build into a temporary folder, then replace `site_dir` (default `_site/`).

    Nothing to do when no input changed (`freshness.is_fresh`). Otherwise the temporary folder
    starts with the static files linked from the docs folder, and MkDocs renders every page; or,
    when only pages changed (`freshness.pages_only`), it also gets the pages of the published site
    and MkDocs renders just the pages whose source is newer.
    """
    options = options or Options()
    final = Path(site_dir or root / "_site").resolve()
    publish.check_target(root, final)
    with publish.build_lock(root):
        stale = publish.remove_stale(final.parent)
        try:
            summary = _build_locked(root, options, final)
        except OSError as exc:
            if exc.errno not in publish.FILE_SYSTEM_ERRORS:
                raise
            raise publish.os_error(exc, final) from None
    return ([f"removed {len(stale)} folder(s) left by builds that died: {', '.join(stale)}"] if stale else []) + summary


def _build_locked(root: Path, options: Options, final: Path) -> list[str]:
    inputs = freshness.inputs_digest(root, {"engine": options.engine, "preview": options.preview})
    if freshness.is_fresh(root, final, inputs):
        return [(f"nothing changed: {inputs.count} source files, the package, its libraries and the build date are as they were "
                 f"when {final.name}/ was built; it is left as it is")]
    summary = assemble(root, options)
    docs = docs_dir(root)
    langs = languages(root)
    in_place, how = freshness.pages_only(root, final, inputs, docs)
    temporary = final.parent / f".site-new-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    try:
        temporary.mkdir(parents=True)
        linked = link_static_files(docs, temporary, langs)
        if in_place:
            options.progress("updating the changed pages with MkDocs")
            copy_rendered(final, temporary, skip=linked)
            previous = search_index.read_languages(temporary, langs)
        else:
            options.progress("building the site with MkDocs")
        mkdocs_build(root, temporary)
        if in_place:
            search_index.merge_languages(temporary, langs, previous)
        check_site(root, temporary)  # fail closed: nothing from a non-public dataset leaves the build
        publish.finish(root, temporary)
        publish.swap(temporary, final)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    freshness.record(root, final, inputs, docs)
    summary += [f"site: {how}", f"site written to {final}"]
    return summary


def sources_stamp(root: Path) -> tuple:
    """Modification times of everything that feeds the docs folder (for `serve`)."""
    stamp = []
    for name in WATCHED:
        folder = root / name
        if folder.is_dir():
            stamp += [(str(p), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()]
    return tuple(sorted(stamp))


def serve(root: Path, options: Options, address: str = "127.0.0.1:8000") -> None:
    from mkdocs.commands.serve import serve as run_serve

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    print(f"Serving on http://{address}/ (Ctrl+C to stop)", file=sys.stderr)
    preview.state.stamp = sources_stamp(root)
    assemble(root, options)
    preview.state.mode, preview.state.options = "serve", options
    run_serve(config_file=str(root / "mkdocs.yml"), dev_addr=address, livereload=True)
