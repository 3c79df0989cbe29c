"""The execution record of a document in one language, under build/reports/cache/ (a `steps` manifest).

An execution is reused while its declared inputs (the source and its included files, the shared
metadata, the package's code, the Altair version) are as they were and every data file the kernel
read (recorded as found inputs, by their paths relative to the project root, so a copied project
checks its own data files) still has its checksum. When a declared input changed, the execution is
still reused if the code the kernel would run is the same (`execute.fingerprint`: cells, inline
expressions, options, package versions): an edit of the prose re-renders the page and PDF without
running a cell, and the record takes the new inputs. jupyter-cache was considered: it keys on code
cells only and cannot see the data files a cell reads, which is the main reason to re-execute here.
"""

from __future__ import annotations

from pathlib import Path

from .. import steps

STEP = "execution"
TEXT_EDITED = "text edited, code unchanged"


def _with_paths(result: dict, change) -> dict:
    """A copy of `result` with `change` applied to the paths it holds: files read and the source document."""
    result = dict(result)
    if "reads" in result:
        result["reads"] = [change(p) for p in result["reads"]]
    if (result.get("source") or {}).get("path"):
        result["source"] = {**result["source"], "path": change(result["source"]["path"])}
    return result


def load(path: Path, root: Path) -> dict | None:
    """The record at `path`, the paths in its result made absolute under the project root."""
    record = steps.load(path)
    if record is not None and isinstance(record.get("result"), dict):
        record["result"] = _with_paths(record["result"], lambda p: str(Path(root) / p))
    return record


def save(path: Path, inputs: steps.Inputs, result: dict) -> dict:
    """Write the record of an execution from `inputs`, the paths in its result relative to the project."""
    return steps.save(path, STEP, inputs, result=_with_paths(result, lambda p: steps.relative(inputs.root, p)))


def execution_valid(record: dict | None, inputs: steps.Inputs) -> tuple[bool, str]:
    """(whether the recorded execution can be reused, and why not or how: "cached" or TEXT_EDITED).

    With TEXT_EDITED, `record` has taken the new inputs (and its outputs moved with their cells):
    the caller saves it again.
    """
    names = steps.changed(record, inputs)
    if names is None:
        return False, steps.reason(None, record)
    declared = [name for name in names if name in inputs.items]
    read = [name for name in names if name not in inputs.items]
    if declared and not same_code(record, inputs):
        return False, steps.reason(declared)
    if read:
        return False, steps.reason(read)
    return True, TEXT_EDITED if declared else "cached"


def same_code(record: dict, inputs: steps.Inputs) -> bool:
    """Whether only the prose changed since `record` was executed; if so, adopt `inputs` and move the outputs.

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
    found = record.get("found") or {}
    record["inputs"] = {**found, **inputs.items}
    return True

