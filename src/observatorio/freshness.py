"""Is `_site/` already what a build would make? The up-to-date check that makes a no-change rebuild cheap.

A build's output depends only on its inputs: the project's sources (`paths.SOURCE_PARTS`), the
package's own code and templates, the installed libraries, the build date (`clock`) and the
build's options. After a successful build, `record` stores a digest of those inputs and a
manifest of the published folder (path, size and modification time of every file) in
`build/site-stamp.json`. The next build asks `is_fresh` first: when the inputs hash the same and
the published folder is untouched, there is nothing to do and MkDocs does not run.
When only pages changed (nothing site-wide: configuration, theme overrides, UI strings, package,
libraries, date; and no file added or removed), `pages_only` lets MkDocs render just those pages
into a copy of the published folder (its "dirty" mode), which gives the same bytes as a full build.

Only the standard library is used here, so the check costs a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from . import clock
from .paths import NOT_SOURCES, SOURCE_PARTS, build_dir

PACKAGE = Path(__file__).resolve().parent


def _source_files(folder: Path):
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in NOT_SOURCES and not d.startswith(".site-"))
        for name in sorted(filenames):
            if not name.endswith((".pyc", ".pyo")):
                yield Path(dirpath) / name


def _hash_tree(digest, label: str, top: Path) -> int:
    """Feed every file under `top` (or `top` itself) into `digest`: its path and its bytes."""
    files = [top] if top.is_file() else list(_source_files(top)) if top.is_dir() else []
    for path in files:
        name = path.relative_to(top).as_posix() if top.is_dir() else ""
        digest.update(f"{label}/{name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return len(files)


def _installed_libraries() -> list[str]:
    """The names and versions of every installed distribution (their `.dist-info` folders)."""
    found = []
    for entry in sys.path:
        if entry.endswith("site-packages") and os.path.isdir(entry):
            found += [name for name in os.listdir(entry) if name.endswith(".dist-info")]
    return sorted(found)


# What every page's HTML depends on, beyond its own source in the docs folder
SITE_WIDE = ("mkdocs.yml", "site/overrides", "site/i18n")


@dataclass(frozen=True)
class Inputs:
    everything: str  # every input of the build
    site_wide: str  # what every page depends on: configuration, theme overrides, UI strings, package, libraries, date
    count: int  # the project's source files


def inputs_digest(root: Path, settings: dict) -> Inputs:
    """Digests of everything a build reads, and of the part of it that every page depends on."""
    site_wide = hashlib.sha256()
    for part in SITE_WIDE:
        _hash_tree(site_wide, part, root / part)
    _hash_tree(site_wide, "package", PACKAGE)
    context = {
        "python": sys.version,
        "libraries": _installed_libraries(),
        "date": clock.build_date(root).isoformat(),  # pages show the day, never the time
        "quarto": shutil.which("quarto"),
        **settings,
    }
    site_wide.update(json.dumps(context, sort_keys=True).encode())
    everything = hashlib.sha256(site_wide.digest())
    count = sum(_hash_tree(everything, part, root / part) for part in SOURCE_PARTS)
    return Inputs(everything.hexdigest(), site_wide.hexdigest(), count)


def docs_listing(docs: Path) -> str:
    """A digest of the names of the files in the assembled docs folder (not their contents)."""
    names = sorted(path.relative_to(docs).as_posix() for path in docs.rglob("*") if path.is_file())
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def site_manifest(site: Path) -> str:
    """A digest of the published folder's file list, sizes and modification times."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(site):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            status = path.stat()
            digest.update(f"{path.relative_to(site).as_posix()}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _stamp_path(root: Path) -> Path:
    return build_dir(root) / "site-stamp.json"


def _site_key(root: Path, site: Path) -> str:
    """The published folder as the stamp names it: relative to the project when inside it, so that a
    copied project (with its build/ and _site/) is still up to date where it lands."""
    site, root = Path(site).resolve(), Path(root).resolve()
    return site.relative_to(root).as_posix() if site.is_relative_to(root) else str(site)


def _stamp(root: Path, site: Path) -> dict:
    """What the last successful build recorded, if `site` is still exactly what it published."""
    try:
        stamp = json.loads(_stamp_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stamp, dict) or stamp.get("site_dir") != _site_key(root, site) or not site.is_dir() or stamp.get("site") != site_manifest(site):
        return {}
    return stamp


def published_by_last_build(root: Path, site: Path) -> bool:
    """True when `site` is exactly what this project's last build published (a site from before the marker file)."""
    return bool(_stamp(root, site))


def is_fresh(root: Path, site: Path, inputs: Inputs) -> bool:
    """True when `site` was built from exactly these inputs and nobody has touched it since."""
    return _stamp(root, site).get("inputs") == inputs.everything


def pages_only(root: Path, site: Path, inputs: Inputs, docs: Path) -> tuple[bool, str]:
    """Whether MkDocs may render only the pages whose source changed, into a copy of `site`; and why (not).

    That holds when nothing site-wide changed and no file was added to or removed from the docs
    folder: every other page's HTML is then exactly what it was.
    """
    stamp = _stamp(root, site)
    if not stamp:
        return False, "MkDocs rendered every page (no earlier build, or the published folder was changed since)"
    if stamp.get("site_wide") != inputs.site_wide:
        return False, "MkDocs rendered every page (mkdocs.yml, theme overrides, UI strings, the package, its libraries or the date changed)"
    if stamp.get("docs") != docs_listing(docs):
        return False, "MkDocs rendered every page (a page or file was added or removed)"
    return True, "MkDocs rendered only the pages whose source changed (nothing site-wide changed)"


def record(root: Path, site: Path, inputs: Inputs, docs: Path) -> None:
    """After a successful build: remember what `site` was built from."""
    stamp = {"inputs": inputs.everything, "site_wide": inputs.site_wide, "docs": docs_listing(docs),
             "site_dir": _site_key(root, site), "site": site_manifest(site)}
    path = _stamp_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
