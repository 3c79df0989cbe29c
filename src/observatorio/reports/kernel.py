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


def setup(validated: bool = False) -> None:
    """Prepare the kernel; `validated`: the build already validated the data, so skip doing it again here."""
    import altair as alt
    import pandas as pd
    from IPython import get_ipython

    from .. import data

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
