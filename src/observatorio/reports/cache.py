"""Content-hash cache of executions and renders, under build/reports/.

An execution is reused while its key (source, shared metadata, package and Altair versions) is the
same and every data file it read (recorded in the kernel), plus the data catalogue, still has the
hash it had. jupyter-cache was considered: it keys on code cells only and cannot see the data files
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


def file_hashes(paths) -> dict[str, str]:
    return {str(p): sha256(Path(p)) if Path(p).is_file() else "missing" for p in paths}


def load(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save(path: Path, record: dict) -> None:
    write_if_changed(path, json.dumps(record, ensure_ascii=False, sort_keys=True))


def execution_valid(record: dict | None, key: str) -> tuple[bool, str]:
    """(valid, reason to re-execute)."""
    if record is None:
        return False, "first build"
    if record.get("key") != key:
        return False, "source or package changed"
    stored = record.get("data", {})
    current = file_hashes(stored)
    changed = [Path(p).name for p, h in stored.items() if current.get(p) != h]
    if changed:
        return False, f"data changed: {', '.join(sorted(changed))}"
    return True, "cached"
