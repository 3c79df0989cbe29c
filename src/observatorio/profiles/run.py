"""Execute the profile template once per country in ONE Jupyter kernel.

For each country the names the previous country defined are removed from the kernel's namespace
(nothing leaks; imported modules stay loaded, so the cost is small), then the template's cells run with an
injected-parameters cell right after the `parameters`-tagged cell, as Quarto and papermill do.
The result per country has the same shape as `reports.execute.run`'s, so the reports' `assemble`
turns it into Markdown.
"""

from __future__ import annotations

import asyncio
import copy
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError, DeadKernelError

from ..errors import UserError
from ..reports import execute, kernel
from .template import Template, injected

# Clears what the previous country defined (faster than `%reset -f`, which also collects garbage and
# clears the history); IPython's own names and the history variables stay.
RESET = """\
import re as _obs_re
_obs_ip = get_ipython()
_obs_keep = _obs_re.compile(r"_+|_i+|_i?\\d+|_(ih|oh|dh)|_obs_(ip|re|keep)")
[_obs_ip.user_ns.pop(n) for n in list(_obs_ip.user_ns) if n not in _obs_ip.user_ns_hidden and not _obs_keep.fullmatch(n)]
None"""


@dataclass
class Executed:
    iso3: str
    result: dict  # {"outputs", "inline", "reads", "seconds"} as reports.execute.run returns
    seconds: float


def _cell(source: str, role: str, block: int | None = None):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["obs"] = {"role": role, "block": block}
    return cell


def country_cells(template: Template, params: dict) -> list:
    """The template's notebook for one country: reset, set-up, cells, injected parameters, reads."""
    base = execute.build_notebook(template.doc, validated=True)
    cells = [_cell(RESET, "reset")]
    for cell in base.cells:
        cell = copy.deepcopy(cell)
        if cell.metadata["obs"]["role"] == "setup":
            # RESET already cleared the namespace; IPython's full reset also collects garbage (≈0.2 s a country)
            cell.source = "\n".join(line for line in cell.source.split("\n") if not line.startswith("get_ipython().reset("))
        cells.append(cell)
        if cell.metadata["obs"].get("block") == template.parameters_block and cell.metadata["obs"]["role"] == "cell":
            cells.append(_cell(injected(params), "params"))
    return cells


def run_all(template: Template, countries: list[str], label: str) -> list[Executed]:
    """Run the template for every country (in order) in one kernel; a failing cell stops with file, country and line."""
    return asyncio.run(_run_all(template, countries, label))


async def _run_all(template: Template, countries: list[str], label: str) -> list[Executed]:
    per_country = [country_cells(template, {"iso3": code}) for code in countries]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [cell for cells in per_country for cell in cells]
    folder = str(template.path.parent)
    client = execute.EngineClient(nb, timeout=execute.cell_timeout(template.doc), kernel_name="python3", resources={"metadata": {"path": folder}})
    client.km = client.create_kernel_manager()
    client.km.transport = "ipc"  # a local socket file, not TCP: nothing listens on the network
    sockets = Path(tempfile.mkdtemp(prefix="obs-kernel-"))
    client.km.connection_file = str(sockets / "kernel.json")
    client.km.ip = str(sockets / "ipc")
    done: list[Executed] = []
    index = 0
    try:
        async with client.async_setup_kernel():
            for code, cells in zip(countries, per_country):
                started = time.monotonic()
                where = f"{label}, iso3={code}"
                try:
                    for cell in cells:
                        await client.async_execute_cell(cell, index)
                        index += 1
                except CellExecutionError as exc:
                    holder = nbformat.v4.new_notebook()
                    holder.cells = cells
                    raise execute._cell_error(template.doc, holder, where, exc) from None
                seconds = time.monotonic() - started
                result = collect(template, cells, where)
                result["seconds"] = round(seconds, 2)
                done.append(Executed(code, result, seconds))
    except DeadKernelError as exc:
        raise UserError(f"{label}: the Python kernel died while running the profiles ({exc}).") from None
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    return done


def collect(template: Template, cells: list, label: str) -> dict:
    """Outputs per block, inline values and files read, from one country's executed cells."""
    doc = template.doc
    result = {"outputs": {}, "inline": {}, "reads": []}
    for cell in cells:
        meta = cell.metadata["obs"]
        if meta["role"] == "cell":
            result["outputs"][str(meta["block"])] = [execute._plain(o) for o in cell.outputs]
        elif meta["role"] == "inline":
            result["inline"][str(meta["block"])] = execute.inline_values(doc, cell, label)
        elif meta["role"] == "reads":
            result["reads"] = (execute._find_mime(cell, kernel.READS_MIME) or {}).get("files", [])
    return result
