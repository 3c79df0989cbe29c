"""One protocol for the build's cached steps: declared inputs, one manifest format, one wording of why.

Every step that keeps work between builds (data validation, downloads, executions and renders of
publications and notebooks, country profiles, campaigns) says what its work depends on as `Inputs`:
files by their path relative to the project root, the package's code, library versions and other
values (settings, UI strings, options), each with one checksum (`checksum`). After the work, the step
saves a manifest under `build/` (`save`, or `store` with the files it made): a JSON object with the
format, the step's name, those checksums, the files and any metadata. The next build asks `why`,
which compares the manifest with the current inputs and says, in one wording, what changed
("first build", "changed: data/raw/countries.csv, code"), or None when the work can be reused.

A step may also record inputs it discovered while running (`Inputs.found`: the data files a kernel
read); `why` checks those by hashing the files again. No manifest holds an absolute path inside the
project, so a copied project (with its `build/`) checks its own files, never the original folder's.

Only the standard library is used: the up-to-date check runs before pandas is imported.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from .files import sha256, write_if_changed

FORMAT = 1  # of the manifests; a manifest of another format is read as "made by an older version"
PACKAGE = Path(__file__).resolve().parent
SHOWN = 4  # changed inputs named in a reason; the rest are counted


def checksum(*parts) -> str:
    """The one checksum of the build: SHA-256 over the parts, each prefixed by its length (so the
    parts cannot run into each other). A part is bytes, or anything `str` gives text for."""
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def value_checksum(value) -> str:
    """The checksum of a JSON-like value (keys sorted, so dictionaries compare by content)."""
    return checksum(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))


def file_checksum(path: Path) -> str:
    return sha256(path) if path.is_file() else "missing"


@functools.lru_cache(maxsize=1)
def package_code() -> str:
    """The checksum of the package's Python code and templates: cells import it (charts, data,
    disclosure) and every page is made with it, so a change makes every step run again."""
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".pyc", ".pyo"))
    return checksum(*[f"{p.relative_to(PACKAGE).as_posix()}\0".encode() + p.read_bytes() for p in files])


def relative(root: Path, path) -> str:
    """`path` as a manifest names it: relative to the project root (a path outside it stays absolute)."""
    path = Path(path)
    return path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else path.as_posix()


@dataclass
class Inputs:
    """What a step's work depends on: a name per input and its checksum."""

    root: Path
    items: dict[str, str] = field(default_factory=dict)
    discovered: dict[str, str] = field(default_factory=dict)

    def file(self, path: Path, name: str | None = None) -> Inputs:
        """A file, named by its path relative to the project (a missing file is an input too)."""
        path = Path(path) if Path(path).is_absolute() else self.root / path
        self.items[name or relative(self.root, path)] = file_checksum(path)
        return self

    def files(self, paths) -> Inputs:
        for path in paths:
            self.file(path)
        return self

    def code(self) -> Inputs:
        """The package's code and templates."""
        self.items["code"] = package_code()
        return self

    def libraries(self, *names: str) -> Inputs:
        for name in names:
            self.items[f"library {name}"] = version(name)
        return self

    def value(self, name: str, value) -> Inputs:
        """Anything else the work depends on (a setting, UI strings, a list of countries), by name."""
        self.items[name] = value_checksum(value)
        return self

    def found(self, paths) -> Inputs:
        """Files the work turned out to read (found while it ran); `why` hashes them again."""
        for path in paths:
            path = Path(path) if Path(path).is_absolute() else self.root / path
            self.discovered[relative(self.root, path)] = file_checksum(path)
        return self

    @property
    def key(self) -> str:
        """One checksum of every declared input (content-addressed folders are named by it)."""
        return value_checksum(self.items)


def changed(manifest: dict | None, inputs: Inputs) -> list[str] | None:
    """The names of the inputs that differ from `manifest`'s (None: there is no usable manifest)."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("inputs"), dict):
        return None
    found = manifest.get("found") or {}
    declared = {name: value for name, value in manifest["inputs"].items() if name not in found or name in inputs.items}
    names = [name for name in sorted(set(declared) | set(inputs.items)) if declared.get(name) != inputs.items.get(name)]
    names += [name for name, value in sorted(found.items()) if name not in inputs.items and file_checksum(inputs.root / name) != value]
    return names


def reason(names: list[str] | None, manifest: dict | None = None) -> str:
    """The one wording of why a step ran: "first build", "changed: a, b and 3 more", ..."""
    if names is None:
        return "first build" if manifest is None else "cache made by an older version"
    if not names:
        return "stored files incomplete"
    shown = ", ".join(names[:SHOWN])
    return f"changed: {shown}" + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def why(manifest: dict | None, inputs: Inputs) -> str | None:
    """None when `manifest` was made from these inputs; otherwise why the step must run again."""
    names = changed(manifest, inputs)
    return None if names == [] else reason(names, manifest)


def load(path: Path) -> dict | None:
    """The manifest at `path`, or None when there is none (or it is not readable)."""
    try:
        manifest = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def save(path: Path, step: str, inputs: Inputs, files=(), **extra) -> dict:
    """Write the manifest of a step's work done from `inputs` (files it made, relative to the manifest's folder)."""
    manifest = {"format": FORMAT, "step": step, "inputs": {**inputs.discovered, **inputs.items}, "found": inputs.discovered,
                "files": sorted(files), **extra}
    # key order kept in `extra` (a chart's data columns come back in their order)
    write_if_changed(Path(path), json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return manifest


def store(folder: Path, step: str, inputs: Inputs, files: dict[str, bytes], **extra) -> None:
    """Keep the files a step made under `folder/files/`, with their manifest."""
    for name, content in files.items():
        write_if_changed(folder / "files" / name, content)
    save(folder / "manifest.json", step, inputs, files, **extra)


def stored(folder: Path, inputs: Inputs) -> tuple[dict[str, bytes] | None, dict | None, str]:
    """The files kept by `store` when they were made from these inputs: (files, manifest, "cached");
    otherwise (None, the manifest, why the step must run again)."""
    manifest = load(folder / "manifest.json")
    because = why(manifest, inputs)
    if because is not None:
        return None, manifest, because
    try:
        return {name: (folder / "files" / name).read_bytes() for name in manifest["files"]}, manifest, "cached"
    except (OSError, KeyError, TypeError):
        return None, manifest, reason([])


def memo(folder: Path, suffix: str, make, *parts) -> bytes:
    """Bytes that depend only on `parts` (a drawing, a card, a font subset, a script bundle): made once
    by `make()` and kept under `folder`, named by the checksum of the parts."""
    key = checksum(*parts)
    path = Path(folder) / key[:2] / f"{key}{suffix}"
    if path.is_file():
        return path.read_bytes()
    made = make()
    write_if_changed(path, made)
    return made
