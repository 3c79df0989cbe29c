"""Is `_site/` already what a build would make? The up-to-date check that makes a no-change rebuild cheap.

A build's output depends only on its inputs: the project's sources (`paths.SOURCE_PARTS`), the
package's own code and templates, the installed libraries, the build date (`clock`) and the
build's options. After a successful build, `record` stores a digest of those inputs and a
manifest of the published folder (path, size and modification time of every file) in
`build/site-stamp.json`. The next build asks `is_fresh` first: when the inputs hash the same and
the published folder is untouched, there is nothing to do and MkDocs does not run.

Only the standard library is used here, so the check costs a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
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


def inputs_digest(root: Path, settings: dict) -> tuple[str, int]:
    """A digest of everything a build reads, and how many of the project's source files that is."""
    digest = hashlib.sha256()
    count = 0
    for part in SOURCE_PARTS:
        count += _hash_tree(digest, part, root / part)
    if not PACKAGE.is_relative_to(root):
        _hash_tree(digest, "package", PACKAGE)
    context = {
        "python": sys.version,
        "libraries": _installed_libraries(),
        "date": clock.build_date(root).isoformat(),  # pages show the day, never the time
        "quarto": shutil.which("quarto"),
        **settings,
    }
    digest.update(json.dumps(context, sort_keys=True).encode())
    return digest.hexdigest(), count


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


def is_fresh(root: Path, site: Path, inputs: str) -> bool:
    """True when `site` was built from exactly these inputs and nobody has touched it since."""
    try:
        stamp = json.loads(_stamp_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if stamp.get("inputs") != inputs or stamp.get("site_dir") != str(site) or not site.is_dir():
        return False
    return stamp.get("site") == site_manifest(site)


def record(root: Path, site: Path, inputs: str) -> None:
    """After a successful build: remember what `site` was built from."""
    stamp = {"inputs": inputs, "site_dir": str(site), "site": site_manifest(site)}
    path = _stamp_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")

