"""Run a parsed document in a Jupyter kernel (nbclient), once per language.

The document becomes a notebook: a hidden set-up cell, one cell per `{python}` cell (unless
`eval: false`), one hidden cell per prose block with inline expressions (placed where the prose is,
so they see the variables defined above them) and a last hidden cell that reports which data files
were read. The result is plain JSON: outputs per block, inline values, files read, timings.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

from ..errors import UserError
from . import kernel
from .qmd import Cell, Document, Markdown, inline_expressions

TIMEOUT = 600
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def option(doc: Document, cell: Cell, name: str, default=True):
    """A cell option, else the document's `execute:` default, else Quarto's default."""
    if name in cell.options:
        return cell.options[name]
    execute = doc.meta.get("execute") or {}
    return execute.get(name, default)


def build_notebook(doc: Document, validated: bool = False) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    setup = (
        "import os as _obs_os\n"
        f"_obs_os.chdir({str(doc.path.parent.resolve())!r})\n"
        "from observatorio.reports import kernel as _obs_kernel\n"
        f"_obs_kernel.setup(validated={validated!r})"
    )
    nb.cells.append(_cell(setup, role="setup"))
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Cell) and option(doc, block, "eval"):
            nb.cells.append(_cell(block.code, role="cell", block=index))
        elif isinstance(block, Markdown):
            expressions = inline_expressions(block.text)
            if expressions:
                nb.cells.append(_cell(f"_obs_kernel.inline({expressions!r})", role="inline", block=index))
    nb.cells.append(_cell("_obs_kernel.reads()", role="reads"))
    return nb


def _cell(source: str, role: str, block: int | None = None):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["obs"] = {"role": role, "block": block}
    return cell


def run(doc: Document, lang: str, label: str, validated: bool = False) -> dict:
    """Execute `doc`; return {"outputs": {block: [...]}, "inline": {block: [...]}, "reads": [...], "seconds": …}.

    `label` names the publication in error messages (e.g. "reports/x/index.qmd (pt)").
    """
    nb = build_notebook(doc, validated)
    started = time.monotonic()
    client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(doc.path.parent)}})
    client.km = client.create_kernel_manager()
    client.km.transport = "ipc"  # a local socket file, not TCP: nothing listens on the network
    sockets = Path(tempfile.mkdtemp(prefix="obs-kernel-"))
    client.km.connection_file = str(sockets / "kernel.json")
    client.km.ip = str(sockets / "ipc")
    try:
        client.execute()
    except CellExecutionError as exc:
        raise _cell_error(doc, nb, label, exc) from None
    except DeadKernelError as exc:
        raise UserError(f"{label}: the Python kernel died while running the document ({exc}).") from None
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    result = {"outputs": {}, "inline": {}, "reads": [], "seconds": round(time.monotonic() - started, 2)}
    for cell in nb.cells:
        meta = cell.metadata["obs"]
        if meta["role"] == "cell":
            result["outputs"][str(meta["block"])] = [_plain(o) for o in cell.outputs]
        elif meta["role"] == "inline":
            values = _find_mime(cell, kernel.INLINE_MIME)
            block = doc.blocks[meta["block"]]
            if values is None:
                raise UserError(f"{label}: inline expressions at line {block.start} gave no value.")
            if "error" in values:
                expression = inline_expressions(block.text)[values["error"]]
                line = _line_of(block, expression)
                raise UserError(
                    f"{label}, line {line}: the inline expression `{expression}` failed: {values['ename']}: {values['evalue']}"
                )
            result["inline"][str(meta["block"])] = values["values"]
        elif meta["role"] == "reads":
            result["reads"] = (_find_mime(cell, kernel.READS_MIME) or {}).get("files", [])
    return result


def _plain(output) -> dict:
    return _to_builtin(output)


def _to_builtin(value):
    if isinstance(value, dict):
        return {k: _to_builtin(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_builtin(v) for v in value]
    return value


def _find_mime(cell, mime: str):
    for output in cell.outputs:
        data = output.get("data") or {}
        if mime in data:
            return data[mime]
    return None


def _line_of(block: Markdown, expression: str) -> int:
    for offset, line in enumerate(block.text.split("\n")):
        if expression in line:
            return block.start + offset
    return block.start


def _cell_error(doc: Document, nb, label: str, exc: CellExecutionError) -> UserError:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                meta = cell.metadata["obs"]
                trace = ANSI.sub("", "\n".join(output.get("traceback", [])[-3:]))
                what = f"{output['ename']}: {output['evalue']}"
                if meta["role"] == "cell":
                    block = doc.blocks[meta["block"]]
                    named = f" (label `{block.label}`)" if block.label else ""
                    where = ""
                    found = re.findall(r"Cell In\[\d+\], line (\d+)", trace)
                    if found and block.code_start:
                        where = f", at line {block.code_start + int(found[0]) - 1}"
                    return UserError(f"{label}: {block.describe()}{named} failed{where}: {what}\n{trace}")
                if meta["role"] == "setup":
                    return UserError(f"{label}: the engine's set-up cell failed: {what}. Is the observatorio package installed in the kernel's Python?")
                return UserError(f"{label}: {what}")
    return UserError(f"{label}: a cell failed: {ANSI.sub('', str(exc))[:2000]}")
