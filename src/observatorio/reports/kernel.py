"""Helpers that run inside the Jupyter kernel of the built-in engine (imported by a hidden first cell).

They switch Altair to a renderer whose output the engine can turn into both an interactive web
chart and a static SVG, give DataFrames an output of their values (the engine makes a table node), draw matplotlib figures
as the cell options `fig-width`, `fig-height`, `fig-dpi` and `fig-format` ask and
record which data files the document read (for the cache).
"""

from __future__ import annotations

import json

READS_MIME = "application/x-observatorio-reads+json"
TABLE_MIME = "application/x-observatorio-table+json"
PRINT_PNG_MIME = "application/x-observatorio-print-png+json"  # a JSON value (nbformat requires it of a mapping); a matplotlib figure's PNG at print resolution, for the PDF
PRINT_DPI = 300  # Quarto's default `fig-dpi` for print formats

_figure = {"fig-width": 7.0, "fig-height": 5.0, "fig-dpi": 96, "fig-format": "svg"}  # the options of the cell that runs next

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

    if shell is not None:
        shell.display_formatter.mimebundle_formatter.for_type_by_name("matplotlib.figure", "Figure", figure_bundle)
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


def figure_options(width: float, height: float, dpi: int, fmt: str) -> None:
    """The cell options `fig-width`, `fig-height` (inches), `fig-dpi` and `fig-format` for the cells
    that follow, as Quarto sets them: matplotlib's default figure size and resolution, and the
    format in which figures are shown (`figure_bundle`). matplotlib is not imported for this: the
    options are applied when a cell first imports it."""
    import sys

    _figure.update({"fig-width": width, "fig-height": height, "fig-dpi": dpi, "fig-format": fmt})
    if "matplotlib" in sys.modules:
        _apply_figure_options(sys.modules["matplotlib"])
    elif not any(isinstance(finder, _MatplotlibImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _MatplotlibImport())


class _MatplotlibImport:
    """A finder that only watches: when matplotlib is first imported, the figure options are applied to it."""

    def find_spec(self, name, path=None, target=None):
        if name != "matplotlib":
            return None
        import importlib.util
        import sys

        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            _apply_figure_options(module)

        spec.loader.exec_module = exec_module
        return spec


def _apply_figure_options(matplotlib) -> None:
    matplotlib.rcParams["figure.figsize"] = (_figure["fig-width"], _figure["fig-height"])
    matplotlib.rcParams["figure.dpi"] = _figure["fig-dpi"]
    from matplotlib_inline.config import InlineBackend

    InlineBackend.instance().figure_formats = set()  # the inline backend draws nothing itself: `figure_bundle` does


def figure_bundle(figure, include=None, exclude=None) -> dict | None:
    """A matplotlib figure as the cell's `fig-format` asks (SVG by default, `png` at `fig-dpi`, `retina` at
    twice that) for the web, and for the PDF as vector SVG or a PNG at print resolution (at least 300 dpi)."""
    import base64
    import io

    if not figure.axes and not figure.lines:
        return None  # an empty figure shows nothing, as in Jupyter

    def drawn(fmt: str, dpi: float) -> bytes:
        out = io.BytesIO()
        figure.canvas.print_figure(out, format=fmt, dpi=dpi, bbox_inches="tight",
                                   facecolor=figure.get_facecolor(), edgecolor=figure.get_edgecolor())
        return out.getvalue()

    fmt, dpi = _figure["fig-format"], _figure["fig-dpi"]
    bundle = {"text/plain": repr(figure)}
    if fmt == "svg":
        bundle["image/svg+xml"] = drawn("svg", dpi).decode("utf-8")
        return bundle
    bundle["image/png"] = base64.b64encode(drawn("png", dpi * 2 if fmt == "retina" else dpi)).decode("ascii")
    bundle[PRINT_PNG_MIME] = {"png": base64.b64encode(drawn("png", max(PRINT_DPI, dpi))).decode("ascii"), "dpi": max(PRINT_DPI, dpi)}
    return bundle


def reads() -> None:
    from IPython.display import display

    display({READS_MIME: {"files": sorted(_reads)}}, raw=True)


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
