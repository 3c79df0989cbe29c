"""Content-hash cache of executions and renders, under build/reports/.

An execution is reused while its key (source, shared metadata, package and Altair versions) is the
same and every data file it read (recorded in the kernel), plus the data catalogue, still has the
hash it had. When the key changed, the execution is still reused if the code the kernel would run
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


def file_hashes(paths) -> dict[str, str]:
    return {str(p): sha256(Path(p)) if Path(p).is_file() else "missing" for p in paths}


_last_loaded: tuple[dict, Path] | None = None  # the record `load` returned last, and where it lives


def load(path: Path) -> dict | None:
    global _last_loaded
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    _last_loaded = (record, path) if isinstance(record, dict) else None
    return record


def save(path: Path, record: dict) -> None:
    write_if_changed(path, json.dumps(record, ensure_ascii=False))  # key order kept: a chart's data columns come back in their order


def execution_valid(record: dict | None, key: str) -> tuple[bool, str]:
    """(valid, reason to re-execute)."""
    if record is None:
        return False, "first build"
    if record.get("key") != key and not same_code(record, key):
        return False, "source or package changed"
    stored = record.get("data", {})
    current = file_hashes(stored)
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
        save(_last_loaded[1], record)
    return True
