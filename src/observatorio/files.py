"""Small file helpers shared by every generator: write only what changed, atomically; parse YAML safely."""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import UserError
from .safe_read import parse_yaml

_recorders: list[set[str]] = []
_allowed: list[str] = []


@contextmanager
def writes_under(folder: Path):
    """Inside the block, `write_if_changed` refuses any path outside `folder` (a name with `..`, say)."""
    _allowed.append(os.path.abspath(folder))
    try:
        yield
    finally:
        _allowed.pop()


@contextmanager
def recording_writes():
    """Inside the block, collect the absolute path of every file `write_if_changed` is asked to write."""
    written: set[str] = set()
    _recorders.append(written)
    try:
        yield written
    finally:
        _recorders.remove(written)


def write_if_changed(path: Path, content: bytes | str) -> bool:
    """Write `content` to `path` unless it already holds exactly that; return whether it wrote.

    Skipping identical writes keeps `mkdocs serve` from reloading in a loop and keeps
    incremental builds cheap.
    """
    target = os.path.abspath(path)
    if _allowed and os.path.commonpath([_allowed[-1], target]) != _allowed[-1]:
        raise UserError(f"refusing to write {target}: it is outside {_allowed[-1]}. "
                        "Names used in addresses and file names must be lowercase letters, digits, `-` and `_`.")
    for written in _recorders:
        written.add(target)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return True


def load_yaml(text: str):
    """`yaml.safe_load` within the limits of `safe_read` (aliases, size, depth; YAML 1.2 booleans).

    Errors are `yaml.YAMLError`s with line marks. To read a file, use `safe_read.read_yaml`.
    """
    return parse_yaml(text).data


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def human_size(size: int, decimal_mark: str = ".") -> str:
    """`1.2 MB`-style size for download links."""
    units = ["B", "KB", "MB", "GB"]
    value = float(size)
    for unit in units:
        if value < 1000 or unit == units[-1]:
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
            return f"{text.replace('.', decimal_mark)} {unit}"
        value /= 1000
    raise AssertionError("unreachable")
