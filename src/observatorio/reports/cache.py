"""Content-hash cache of executions and renders, under build/reports/.

An execution is reused while its key (source, shared metadata, package and Altair versions) is the
same and every data file it read (recorded in the kernel), plus the data catalogue, still has the
hash it had. Every path in a record is relative to the project root, so a copied project (with
its build/) checks its own data files, never the original folder's. When the key changed, the execution is still reused if the code the kernel would run
is the same (`execute.fingerprint`: cells, inline expressions, options, package versions): an edit
of the prose re-renders the page and PDF without running a cell. The record then takes the new key
and is saved again. jupyter-cache was considered: it keys on code cells only and cannot see the data files
a cell reads, which is the main reason to re-execute here; a small JSON record per document does.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..files import sha256, write_if_changed


def digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def package_code() -> str:
    """A digest of the package's Python code: cells import it (charts, data, disclosure), so a change runs them again."""
    package = Path(__file__).resolve().parents[1]
    return digest(*[f"{p.relative_to(package).as_posix()}\0".encode() + p.read_bytes() for p in sorted(package.rglob("*.py"))])


def file_hashes(root: Path, paths) -> dict[str, str]:
    """The SHA-256 of each file, by its path relative to the project root (a copied project checks its own files)."""
    return {relative(root, p): _hash(Path(root) / relative(root, p)) for p in paths}


def _hash(path: Path) -> str:
    return sha256(path) if path.is_file() else "missing"


def relative(root: Path, path) -> str:
    """`path` relative to `root`, as stored in a record (a path outside the project stays absolute)."""
    path = Path(path)
    return path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else path.as_posix()


def _with_paths(record: dict, change) -> dict:
    """A copy of `record` with `change` applied to the paths it holds: files read and the source document."""
    result = dict(record.get("result") or {})
    if "reads" in result:
        result["reads"] = [change(p) for p in result["reads"]]
    if (result.get("source") or {}).get("path"):
        result["source"] = {**result["source"], "path": change(result["source"]["path"])}
    return {**record, "result": result} if "result" in record else record


_last_loaded: tuple[dict, Path, Path | None] | None = None  # the record `load` returned last, where it lives, its project root


def load(path: Path, root: Path | None = None) -> dict | None:
    """The record at `path`; with `root`, the paths stored relative to the project are made absolute under it."""
    global _last_loaded
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(record, dict) and root is not None:
        record = _with_paths(record, lambda p: str(Path(root) / p))
    _last_loaded = (record, path, root) if isinstance(record, dict) else None
    return record


def save(path: Path, record: dict, root: Path | None = None) -> None:
    """Write `record`; with `root`, the paths in it are stored relative to the project root."""
    if root is not None:
        record = _with_paths(record, lambda p: relative(root, p))
    write_if_changed(path, json.dumps(record, ensure_ascii=False))  # key order kept: a chart's data columns come back in their order


def execution_valid(record: dict | None, key: str, root: Path) -> tuple[bool, str]:
    """(valid, reason to re-execute)."""
    if record is None:
        return False, "first build"
    stored = record.get("data", {})
    if any(Path(p).is_absolute() for p in stored):
        return False, "cache recorded by an older version (absolute paths)"
    if record.get("key") != key and not same_code(record, key):
        return False, "source or package changed"
    current = {p: _hash(Path(root) / p) for p in stored}
    changed = [Path(p).name for p, h in stored.items() if current.get(p) != h]
    if changed:
        return False, f"data changed: {', '.join(sorted(changed))}"
    return True, "cached"


def same_code(record: dict, key: str) -> bool:
    """Whether only the prose changed since `record` was executed; if so, adopt `key` and move the outputs.

    Outputs are stored per block of the document; adding or removing a paragraph moves the blocks, so
    the stored outputs follow their cells to the new block numbers.
    """
    from . import execute

    result = record.get("result") or {}
    if "fingerprint" not in result or "cells" not in result:
        return False
    try:
        again = execute.reload(result)
        if again is None:
            return False
        digest, cells = execute.fingerprint(*again)
    except Exception:  # a source that no longer parses is reported when it is rendered
        return False
    if digest != result["fingerprint"] or len(cells) != len(result["cells"]):
        return False
    moved = {str(old[1]): str(new[1]) for old, new in zip(result["cells"], cells) if old[1] is not None}
    for name in ("outputs", "inline"):
        result[name] = {moved.get(block, block): value for block, value in (result.get(name) or {}).items()}
    result["cells"] = cells
    record["key"] = key
    if _last_loaded is not None and _last_loaded[0] is record:
        save(_last_loaded[1], record, _last_loaded[2])
    return True
