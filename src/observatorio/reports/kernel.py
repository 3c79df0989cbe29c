"""Helpers that run inside the Jupyter kernel of the built-in engine (imported by a hidden first cell).

They switch Altair to a renderer whose output the engine can turn into both an interactive web
chart and a static SVG, give DataFrames an output of their values (the engine makes a table node), evaluate inline expressions and
record which data files the document read (for the cache).
"""

from __future__ import annotations

import json

INLINE_MIME = "application/x-observatorio-inline+json"
READS_MIME = "application/x-observatorio-reads+json"
TABLE_MIME = "application/x-observatorio-table+json"

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
        shell.display_formatter.mimebundle_formatter.for_type(pd.DataFrame, dataframe_bundle)
        from pandas.io.formats.style import Styler

        shell.display_formatter.mimebundle_formatter.for_type(Styler, styler_bundle)
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


def dataframe_bundle(frame, include=None, exclude=None) -> dict:
    """A DataFrame's values for the engine, which builds a table node from them (never Markdown
    text, so `$`, `*` or `<` in a cell stay literal); the index only when it is named."""
    import pandas as pd

    from ..tables import is_number, plain

    show_index = not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None
    table = frame.reset_index() if show_index else frame
    columns = [str(c) if c is not None else "" for c in table.columns]

    def value(item):  # numbers stay numbers, in object columns too ("< 5" beside counts); None when missing
        item = plain(item)
        return item if item is None or is_number(item) else str(item).replace("\n", " ")

    rows = [[value(item) for item in row] for row in table.itertuples(index=False, name=None)]
    return {TABLE_MIME: {"columns": columns, "rows": rows}}  # `observatorio.tables` tells numbers from texts


def styler_bundle(styler, include=None, exclude=None) -> dict:
    """A `df.style` output: its own HTML for the web page (with ids that do not change between
    builds), and the texts it shows (its formats, hidden rows and columns; not its colours) for the
    PDF's table."""
    import hashlib

    separator = "\x1f"
    lines = styler.to_string(delimiter=separator).rstrip("\n").split("\n")
    cells = [line.split(separator) for line in lines]
    body = len(styler.data.index) - len(styler.hidden_rows)
    page = styler.set_uuid(hashlib.sha256("\n".join(lines).encode()).hexdigest()[:10]).to_html()
    return {"text/html": page, TABLE_MIME: {"styled": True, "header_rows": len(cells) - body, "columns": cells[0], "rows": cells[1:]}}


def inline(expressions: list[str]) -> None:
    """Evaluate each inline expression in the notebook's namespace; display str() values (Markdown
    objects as their Markdown) or the error."""
    from IPython import get_ipython
    from IPython.display import display

    namespace = get_ipython().user_ns
    values = []
    for number, expression in enumerate(expressions):
        try:
            value = eval(expression, namespace)
            markdown = getattr(value, "_repr_markdown_", None)  # IPython.display.Markdown: Markdown, as Quarto shows it
            values.append({"markdown": markdown()} if callable(markdown) and not isinstance(value, str) else str(value))
        except Exception as exc:  # reported by the engine with the file and line
            display({INLINE_MIME: {"error": number, "ename": type(exc).__name__, "evalue": str(exc)}}, raw=True)
            return
    display({INLINE_MIME: {"values": values}}, raw=True)


def reads() -> None:
    from IPython.display import display

    display({READS_MIME: {"files": sorted(_reads)}}, raw=True)


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
