"""Run a parsed document in a Jupyter kernel (nbclient), once per language.

The document becomes a notebook: a hidden set-up cell, one cell per `{python}` cell (unless
`eval: false`), one hidden cell per prose block with inline expressions (placed where the prose is,
so they see the variables defined above them; `EngineClient` asks the kernel for their values as
Jupyter `user_expressions`, as Quarto's Python engine does) and a last hidden cell that reports which data files
were read. The result is plain JSON: outputs per block, inline values, files read, timings, and the
`fingerprint` of the code that ran (see `fingerprint`), with which the cache reuses an execution
when only the prose around the cells changed.

Warm kernels: in a worker process of the build (`reports.Workers`), one kernel runs document after
document, so Python, pandas and Altair start once per worker instead of once per document. Each
document starts from a clean state: the set-up cell clears the namespace and `kernel.setup` restores
what documents can change (working folder, environment, `sys.path`, warnings filters, pandas options,
the Altair theme and renderer). A kernel is replaced after a failing document and after
`WARM_USES` documents, and never outlives its worker (which lives for one build). The main process
(one document, `--jobs 1`, `serve`) starts a fresh kernel per document as before;
`OBSERVATORIO_FRESH_KERNELS=1` does that everywhere.
"""

from __future__ import annotations

import atexit
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import run_hook

from .. import steps
from ..errors import UserError
from . import kernel
from .qmd import Cell, Document, Markdown, figure_options

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WARM_USES = 40  # documents per warm kernel before it is replaced (bounds what a long build accumulates)
FINGERPRINT_VERSION = "2"  # 2: inline values are `user_expressions` display data


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
        "get_ipython().reset(new_session=False)  # a warm kernel: start from an empty namespace\n"
        "import os as _obs_os\n"
        f"_obs_os.chdir({str(doc.path.parent.resolve())!r})\n"
        "from observatorio.reports import kernel as _obs_kernel\n"
        f"_obs_kernel.setup(validated={validated!r})\n"
        f"_obs_kernel.figure_options(*{figure_options(doc.meta, {})!r})"
    )
    nb.cells.append(_cell(setup, role="setup"))
    figures = figure_options(doc.meta, {})
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Cell) and option(doc, block, "eval"):
            if figure_options(doc.meta, block.options) != figures:  # the cell's own fig-width, fig-dpi, …
                figures = figure_options(doc.meta, block.options)
                nb.cells.append(_cell(f"_obs_kernel.figure_options(*{figures!r})", role="figure"))
            cell = _cell(block.code, role="cell", block=index)
            if option(doc, block, "error", False) is True:  # Quarto's `error: true`: show the error, go on
                cell.metadata["tags"] = ["raises-exception"]
            nb.cells.append(cell)
        elif isinstance(block, Markdown) and block.expressions:
            nb.cells.append(_cell(json.dumps(block.expressions, ensure_ascii=False), role="inline", block=index))
    nb.cells.append(_cell("_obs_kernel.reads()", role="reads"))
    return nb


class EngineClient(NotebookClient):
    """nbclient's client, except that a prose block's hidden `inline` cell (its source: the block's
    expressions as a JSON list) runs no code: the kernel evaluates the expressions as Jupyter
    `user_expressions`, as Quarto's Python engine does, and their display data go to the cell's
    `metadata.obs.values` (see `inline_values`)."""

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if cell.metadata.get("obs", {}).get("role") != "inline":
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        await run_hook(self.on_cell_execute, cell=cell, cell_index=cell_index)
        expressions = {str(number): text for number, text in enumerate(json.loads(cell.source))}
        msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions=expressions)
        reply = await self.async_wait_for_reply(msg_id, cell)
        cell.metadata["obs"]["values"] = (reply or {}).get("content", {}).get("user_expressions", {})
        return cell


def inline_values(doc: Document, cell, label: str) -> list[dict]:
    """The display data (`{"text/plain": …}`) of each expression of an executed `inline` cell; an
    expression that failed stops the build naming its file and line."""
    block = doc.blocks[cell.metadata["obs"]["block"]]
    found = cell.metadata["obs"].get("values") or {}
    values = []
    for number, expression in enumerate(block.expressions):
        value = found.get(str(number)) or {"status": "error", "ename": "Error", "evalue": "the kernel gave no value"}
        if value.get("status") != "ok":
            raise UserError(
                f"{label}, {doc.at(block.lines[number])}: the inline expression `{expression}` failed: {value.get('ename')}: {value.get('evalue')}"
            )
        values.append(_to_builtin(value.get("data") or {}))
    return values


def _cell(source: str, role: str, block: int | None = None):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["obs"] = {"role": role, "block": block}
    return cell


def fingerprint(doc: Document, lang: str, validated: bool = False) -> tuple[str, list[list]]:
    """(digest of everything the kernel runs for `doc`, [[role, block], …] of its cells).

    Prose without inline expressions is not part of the digest, so editing it keeps the digest; the
    code cells, inline expressions, `eval` options, the document's other files (not where its folder lies), the
    package's code (`steps.package_code`) and the Altair version are.
    """
    from importlib.metadata import version

    from .. import __version__

    nb = build_notebook(doc, validated)
    folder = doc.path.parent
    neighbours = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix not in (".qmd", ".ipynb")) if doc.path.suffix == ".qmd" else []
    parts = [FINGERPRINT_VERSION, __version__, version("altair"), lang, steps.package_code()]
    here = str(folder.resolve())  # the setup cell changes into the document's folder: where the project lies is not part of it
    parts += [json.dumps([(c.metadata["obs"]["role"], c.source.replace(here, "<folder>")) for c in nb.cells], ensure_ascii=False)]
    for path in neighbours:
        parts += [path.name, path.read_bytes()]
    return steps.checksum(*parts), [[c.metadata["obs"]["role"], c.metadata["obs"]["block"]] for c in nb.cells]


def reload(result: dict) -> tuple[Document, str, bool] | None:
    """The document an earlier `run` executed, parsed again from its current source (None if gone)."""
    source = result.get("source") or {}
    path = Path(source.get("path", ""))
    if not path.is_file():
        return None
    from ..paths import project_root
    from .render import load_document
    from .sources import Source

    kind = "report" if path.suffix == ".qmd" else "notebook"
    root = project_root(path.parent)
    return load_document(root, Source(kind, path.parent.name, source["lang"], path)), source["lang"], bool(source.get("validated"))


def cell_timeout(doc: Document, root: Path | None = None) -> int:
    """Seconds a cell may run: `execute: timeout:` (document, _quarto.yml or reports/_metadata.yml),
    else the setting `limits.cell_timeout`."""
    from .. import settings
    from ..files import load_yaml

    item = settings.setting("limits.cell_timeout")
    where = f"{doc.path}: `execute: timeout`"
    value = (doc.meta.get("execute") or {}).get("timeout")
    project = Path(root) / "_quarto.yml" if root is not None else None
    if value is None and project is not None and project.is_file():
        config = load_yaml(project.read_text(encoding="utf-8")) or {}
        value, where = ((config.get("execute") or {}) if isinstance(config, dict) else {}).get("timeout"), "_quarto.yml: `execute: timeout`"
    if value is None:
        return settings.get(root, item.name)
    settings.check(item, value, where)
    return value


def check_output_size(doc: Document, block: Cell, outputs: list, label: str, root: Path | None) -> None:
    """Stop when a cell's outputs are larger than the setting `limits.cell_output_mb`."""
    from .. import settings

    limit = settings.get(root, "limits.cell_output_mb")
    size = len(json.dumps(outputs, ensure_ascii=False).encode("utf-8"))
    if size > limit * 1_000_000:
        raise UserError(
            f"{label}: {block.describe()} shows {size / 1_000_000:.1f} MB of output, more than the limit of {limit} MB "
            "(setting `limits.cell_output_mb`); show a summary (`df.head()`, a chart) instead of everything."
        )


def run(doc: Document, lang: str, label: str, validated: bool = False, root: Path | None = None) -> dict:
    """Execute `doc`; return {"outputs": {block: [...]}, "inline": {block: [...]}, "reads": [...], "seconds": …}.

    `label` names the publication in error messages (e.g. "reports/x/index.qmd (pt)").
    """
    nb = build_notebook(doc, validated)
    digest, cells = fingerprint(doc, lang, validated)
    timeout = cell_timeout(doc, root)
    started = time.monotonic()
    resources = {"metadata": {"path": str(doc.path.parent)}}
    warm = _warm_kernel(str(doc.path.parent)) if _reuse_kernels() else None
    if warm is not None:
        client = EngineClient(nb, km=warm.km, timeout=timeout, kernel_name="python3", resources=resources)
        client.kc = warm.kc
        sockets = None
    else:
        client = EngineClient(nb, timeout=timeout, kernel_name="python3", resources=resources)
        client.km = client.create_kernel_manager()
        client.km.transport = "ipc"  # a local socket file, not TCP: nothing listens on the network
        sockets = Path(tempfile.mkdtemp(prefix="obs-kernel-"))
        client.km.connection_file = str(sockets / "kernel.json")
        client.km.ip = str(sockets / "ipc")
    # the limit is for the document's cells; the engine's own set-up (imports) is not counted
    client.timeout_func = lambda cell: None if cell.metadata["obs"]["role"] == "setup" else timeout
    running: list[int] = []  # index of the notebook cell that started last (for the timeout message)
    client.on_cell_execute = lambda cell, cell_index: running.append(cell_index)
    failed = True
    try:
        client.execute()
        failed = False
    except CellExecutionError as exc:
        raise _cell_error(doc, nb, label, exc) from None
    except CellTimeoutError:
        raise _timeout_error(doc, nb.cells[running[-1]] if running else None, label, timeout) from None
    except DeadKernelError as exc:
        raise UserError(f"{label}: the Python kernel died while running the document ({exc}).") from None
    finally:
        if sockets is not None:
            shutil.rmtree(sockets, ignore_errors=True)
        if warm is not None:
            warm.uses += 1
            if failed or warm.uses >= WARM_USES:
                _stop_warm()  # a failed document may have left anything behind; start the next one clean
    result = {"outputs": {}, "inline": {}, "reads": [], "seconds": round(time.monotonic() - started, 2),
              "fingerprint": digest, "cells": cells, "source": {"path": str(doc.path), "lang": lang, "validated": validated}}
    for cell in nb.cells:
        meta = cell.metadata["obs"]
        if meta["role"] == "cell":
            outputs = [_plain(o) for o in cell.outputs]
            check_output_size(doc, doc.blocks[meta["block"]], outputs, label, root)
            result["outputs"][str(meta["block"])] = outputs
        elif meta["role"] == "inline":
            result["inline"][str(meta["block"])] = inline_values(doc, cell, label)
        elif meta["role"] == "reads":
            result["reads"] = (_find_mime(cell, kernel.READS_MIME) or {}).get("files", [])
    return result



# --- warm kernels ----------------------------------------------------------------------------------


@dataclass
class _Warm:
    km: object
    kc: object
    sockets: Path
    uses: int = 0


_warm: _Warm | None = None


def _reuse_kernels() -> bool:
    """Warm kernels only in build workers (short-lived processes), never in a long-lived main process."""
    return multiprocessing.parent_process() is not None and os.environ.get("OBSERVATORIO_FRESH_KERNELS") != "1"


def _call(function, *args, **kwargs):
    """Call a kernel manager or client method, sync or async, from synchronous code."""
    from nbclient.util import ensure_async, run_sync

    return run_sync(ensure_async)(function(*args, **kwargs))


def _warm_kernel(cwd: str) -> _Warm:
    global _warm
    if _warm is not None:
        try:
            alive = _call(_warm.km.is_alive)
        except Exception:
            alive = False
        if alive:
            return _warm
        _stop_warm()
    starter = NotebookClient(nbformat.v4.new_notebook(), kernel_name="python3")
    km = starter.create_kernel_manager()
    km.transport = "ipc"
    sockets = Path(tempfile.mkdtemp(prefix="obs-kernel-"))
    km.connection_file = str(sockets / "kernel.json")
    km.ip = str(sockets / "ipc")
    starter.km = km
    try:
        starter.start_new_kernel(cwd=cwd)
        kc = starter.start_new_kernel_client()
    except Exception:
        shutil.rmtree(sockets, ignore_errors=True)
        raise
    _warm = _Warm(km, kc, sockets)
    return _warm


@atexit.register
def _stop_warm() -> None:
    global _warm
    warm, _warm = _warm, None
    if warm is None:
        return
    try:
        _call(warm.kc.stop_channels)
        _call(warm.km.shutdown_kernel, now=True)
        _call(warm.km.cleanup_resources)
    except Exception:
        pass
    finally:
        shutil.rmtree(warm.sockets, ignore_errors=True)


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


def _timeout_error(doc: Document, cell, label: str, timeout: int) -> UserError:
    meta = cell.metadata["obs"] if cell is not None else {}
    what = doc.blocks[meta["block"]].describe() if meta.get("role") == "cell" else "a cell"
    return UserError(
        f"{label}: {what} ran longer than the limit of {timeout} s and was stopped. "
        "Make it faster, or raise the limit with `execute: timeout: <seconds>` in the front matter, _quarto.yml or reports/_metadata.yml."
    )


def _user_trace(frames: list[str]) -> str:
    """The last frames of a cell's error, as context (the code around the failing line), without
    IPython's 'Traceback (most recent call last)' banner: the message is about the user's code."""
    lines = ANSI.sub("", "\n".join(frames[-3:])).split("\n")
    return "\n".join(line for line in lines if not re.fullmatch(r"-+", line.strip()) and "Traceback (most recent call last)" not in line).strip()


def _cell_error(doc: Document, nb, label: str, exc: CellExecutionError) -> UserError:
    for cell in nb.cells:
        if "raises-exception" in cell.metadata.get("tags", []):
            continue  # `error: true`: its error is shown, not a failure
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                meta = cell.metadata["obs"]
                trace = _user_trace(output.get("traceback", []))
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
