"""Helpers that run inside the Jupyter kernel of the built-in engine (imported by a hidden first cell).

They switch Altair to a renderer whose output the engine can turn into both an interactive web
chart and a static SVG, give DataFrames a Markdown table output, evaluate inline expressions and
record which data files the document read (for the cache).
"""

from __future__ import annotations

import json

INLINE_MIME = "application/x-observatorio-inline+json"
READS_MIME = "application/x-observatorio-reads+json"

_reads: set[str] = set()
_initial: dict = {}


def setup(validated: bool = False) -> None:
    """Prepare the kernel; `validated`: the build already validated the data, so skip doing it again here.

    In a warm kernel (one that already ran another document) this also puts back what a document
    can change for the next one: environment, `sys.path`, warnings filters, pandas options, the
    Altair theme and data transformer, matplotlib's settings, and the record of files read.
    """
    import altair as alt
    import pandas as pd
    from IPython import get_ipython

    from .. import data

    _restore()
    _reads.clear()

    alt.renderers.register("observatorio", vegalite_bundle)
    alt.renderers.enable("observatorio")
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/markdown"].for_type(pd.DataFrame, dataframe_markdown)
    original = data.read_typed

    def recording(resource):
        _reads.add(str(resource.path))
        return original(resource)

    if getattr(data.read_typed, "__name__", "") != "recording":
        data.read_typed = recording
    if validated:
        data.validate = data.load_package


def _restore() -> None:
    """The first call records the kernel's initial state; later calls (next documents) restore it."""
    import os
    import sys
    import warnings

    import altair as alt

    if not _initial:
        _initial.update(environ=dict(os.environ), path=list(sys.path), filters=list(warnings.filters), pandas=_pandas_options())
        return
    os.environ.clear()
    os.environ.update(_initial["environ"])
    sys.path[:] = _initial["path"]
    warnings.filters[:] = _initial["filters"]
    changed = {k: v for k, v in _initial["pandas"].items() if _pandas_options().get(k, v) != v}
    if changed:
        import pandas as pd

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key, value in changed.items():
                pd.set_option(key, value)
    alt.data_transformers.enable("default")
    charts = sys.modules.get("observatorio.charts")
    if charts is not None:  # imported by an earlier document: its import-time theme choice is not made again
        alt.theme.enable(charts.THEME)
    if "matplotlib" in sys.modules:
        import matplotlib

        matplotlib.rcdefaults()


def _pandas_options() -> dict:
    import warnings

    import pandas as pd

    values = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key in pd._config.config._registered_options:
            try:
                values[key] = pd.get_option(key)
            except Exception:
                pass
    return values


def vegalite_bundle(spec: dict, **_options) -> dict:
    """The chart as a Vega-Lite spec (the engine makes the web chart, SVG, PNG and CSV from it)."""
    major = str(spec.get("$schema", "v6")).split("/v")[-1].split(".")[0] or "6"
    return {f"application/vnd.vegalite.v{major}+json": spec, "text/plain": "<Altair chart>"}


def dataframe_markdown(frame) -> str:
    """A pipe table (pandoc and Python-Markdown both read it); the index only when it is named."""
    import pandas as pd

    show_index = not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None
    columns = ([str(frame.index.name or "")] if show_index else []) + [str(c) for c in frame.columns]
    numeric = ([False] if show_index else []) + [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]

    def cell(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return "–"
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("--:" if n else ":--" for n in numeric) + "|"]
    for key, row in frame.iterrows():
        values = ([cell(key)] if show_index else []) + [cell(v) for v in row.tolist()]
        lines.append("| " + " | ".join(values) + " |")
    return "\n".join(lines)


def inline(expressions: list[str]) -> None:
    """Evaluate each inline expression in the notebook's namespace; display str() values or the error."""
    from IPython import get_ipython
    from IPython.display import display

    namespace = get_ipython().user_ns
    values = []
    for number, expression in enumerate(expressions):
        try:
            values.append(str(eval(expression, namespace)))
        except Exception as exc:  # reported by the engine with the file and line
            display({INLINE_MIME: {"error": number, "ename": type(exc).__name__, "evalue": str(exc)}}, raw=True)
            return
    display({INLINE_MIME: {"values": values}}, raw=True)


def reads() -> None:
    from IPython.display import display

    display({READS_MIME: {"files": sorted(_reads)}}, raw=True)


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
