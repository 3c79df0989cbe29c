"""Turn a parsed document and its execution results into pandoc Markdown, once for the web and once for print.

Here Quarto's meaning is reproduced: cell options, inline values, numbered figures and tables,
numbered sections, cross-references with localised prefixes, embedded notebook cells. Citations,
footnotes and callouts stay Markdown for pandoc (citeproc and the callout Lua filter).
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import UserError
from .execute import option
from .qmd import INLINE_CODE, Cell, Document, Embed, Markdown, parse_options

VEGALITE = re.compile(r"^application/vnd\.vegalite\.v\d+[.+]json$")
BIB_KEY = re.compile(r"@\w+\s*\{\s*([^,\s]+)\s*,")


@dataclass
class Figure:
    """One figure output: an Altair chart (spec) or an image, numbered when it has a `fig-` label."""

    stem: str
    label: str | None
    caption: str  # with "Figura 1: " when numbered
    alt: str
    spec: dict | None = None
    image: bytes | None = None
    ext: str = "svg"


@dataclass
class Assembled:
    web: str  # pandoc Markdown; figures as raw HTML placeholders
    print: str  # pandoc Markdown; figures as images
    figures: list[Figure] = field(default_factory=list)
    cites: bool = False


@dataclass
class Context:
    lang: str
    prefixes: dict  # fig/tbl/sec -> "Figura"/…
    delim: str
    bib_keys: set[str]
    notebook: Callable[[Path], dict]  # path -> notebook JSON with outputs (for embeds)
    label: str  # "reports/x/index.qmd (pt)" for messages
    figure_html: Callable[[Figure], str]
    echo_default: bool = True


def read_bib_keys(path: Path) -> set[str]:
    return set(BIB_KEY.findall(path.read_text(encoding="utf-8")))


def heading_numbers(doc: Document) -> dict[int, str]:
    """Section numbers ("1", "2.1") by file line, as Quarto numbers them with `number-sections: true`."""
    if not doc.meta.get("number-sections"):
        return {}
    headings = [h for h in doc.headings if not h.in_callout and "unnumbered" not in h.classes]
    if not headings:
        return {}
    top = min(h.level for h in headings)
    counters = [0] * 7
    numbers = {}
    for heading in headings:
        depth = heading.level - top
        counters[depth] += 1
        for deeper in range(depth + 1, 7):
            counters[deeper] = 0
        numbers[heading.line] = ".".join(str(c) for c in counters[: depth + 1])
    return numbers


def targets(doc: Document, ctx: Context) -> dict[str, str]:
    """Every cross-reference target and its text ("Figura 2"), checking labels are unique."""
    found: dict[str, str] = {}
    counts = {"fig": 0, "tbl": 0}

    def add(label: str, text: str, line: int) -> None:
        if label in found:
            raise UserError(f"{doc.path}, line {line}: the label `{label}` is used twice; labels must be unique.")
        found[label] = text

    for block in doc.blocks:
        label, line = None, None
        if isinstance(block, Cell) and option(doc, block, "include") is not False:
            label, line = block.label, block.start
        elif isinstance(block, Embed):
            label, line = block.label, block.line
        if label:
            kind = label.split("-", 1)[0]
            if kind in counts:
                counts[kind] += 1
                add(label, f"{ctx.prefixes[kind]}\u00a0{counts[kind]}", line)
    numbers = heading_numbers(doc)
    for heading in doc.headings:
        if heading.ident and heading.ident.startswith("sec-"):
            if heading.line not in numbers:
                raise UserError(
                    f"{doc.path}, line {heading.line}: `#{heading.ident}` is a section label, but sections are not numbered. "
                    "Add `number-sections: true` to the front matter (Quarto needs it too)."
                )
            add(heading.ident, f"{ctx.prefixes['sec']}\u00a0{numbers[heading.line]}", heading.line)
    return found


def check_refs(doc: Document, found: dict[str, str], ctx: Context) -> bool:
    """Every @fig-/@tbl-/@sec- must resolve and every other @key must be in the bibliography."""
    cites = False
    for key, line in doc.refs:
        kind = key.split("-", 1)[0]
        if kind in ("fig", "tbl", "sec") and "-" in key:
            if key not in found:
                raise UserError(f"{doc.path}, line {line}: unknown cross-reference `@{key}`; no figure, table or section has that label.")
        else:
            if key not in ctx.bib_keys:
                where = "the bibliography" if ctx.bib_keys else "a bibliography (add `bibliography: refs.bib` to the front matter)"
                raise UserError(f"{doc.path}, line {line}: unknown citation `@{key}`; add it to {where}.")
            cites = True
    return cites


def resolve_refs(text: str, found: dict[str, str]) -> str:
    def link(match: re.Match) -> str:
        key = match.group(2)
        if key not in found:
            return match.group(0)
        return f"[{found[key]}](#{key})"

    text = re.sub(r"\[(-?@)((?:fig|tbl|sec)-[\w-]*\w)\]", link, text)
    return re.sub(r"(?<![\w@.\[])(@)((?:fig|tbl|sec)-[\w-]*\w)", link, text)


def prose(doc: Document, block: Markdown, values: list[str], found: dict, numbers: dict[int, str]) -> str:
    """The block's Markdown with inline values, numbered headings and resolved cross-references."""
    iterator = iter(values)
    lines = block.text.split("\n")
    out = []
    in_fence = None
    for offset, line in enumerate(lines):
        number = block.start + offset
        stripped = line.strip()
        fence = re.match(r"^(`{3,}|~{3,})", stripped)
        if in_fence:
            out.append(line)
            if stripped.startswith(in_fence) and set(stripped) == {in_fence[0]}:
                in_fence = None
            continue
        if fence:
            in_fence = fence.group(1)
            out.append(line)
            continue
        line = INLINE_CODE.sub(lambda m: next(iterator) if m.group(1) == "python" else m.group(0), line)
        if number in numbers:
            line = re.sub(r"^(#{1,6})\s+", lambda m: f"{m.group(1)} {numbers[number]} ", line, count=1)
        out.append(_outside_code_spans(line, lambda part: resolve_refs(part, found)))
    return "\n".join(out)


def _outside_code_spans(line: str, function) -> str:
    parts = re.split(r"(`[^`]*`)", line)
    return "".join(part if part.startswith("`") else function(part) for part in parts)


def assemble(doc: Document, result: dict, ctx: Context, stem_prefix: str = "") -> Assembled:
    found = targets(doc, ctx)
    cites = check_refs(doc, found, ctx)
    numbers = heading_numbers(doc)
    web, printed, figures = [], [], []
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Markdown):
            text = prose(doc, block, result["inline"].get(str(index), []), found, numbers)
            web.append(text)
            printed.append(text)
        elif isinstance(block, Cell):
            if option(doc, block, "include") is False:
                continue
            if option(doc, block, "echo", ctx.echo_default) is True:
                code = f"```python\n{block.code}\n```"
                web.append(code)
                printed.append(code)
            if option(doc, block, "output") is False or not option(doc, block, "eval"):
                continue
            outputs = result["outputs"].get(str(index), [])
            w, p = outputs_markdown(outputs, block.label, block.options, found, ctx, figures, f"{stem_prefix}cell{index}")
            web += w
            printed += p
        elif isinstance(block, Embed):
            outputs, options = embedded(doc, block, ctx)
            w, p = outputs_markdown(outputs, block.label, options, found, ctx, figures, f"{stem_prefix}{Path(block.notebook).stem}-{block.label}")
            web += [f'<div class="obs-embed" data-notebook="{html.escape(block.notebook)}">\n', *w, "</div>\n"] if w else []
            printed += p
    return Assembled("\n\n".join(web) + "\n", "\n\n".join(printed) + "\n", figures, cites)


def outputs_markdown(outputs, label, options, found, ctx: Context, figures: list, stem: str) -> tuple[list[str], list[str]]:
    web, printed = [], []
    numbered = label if label and label in found else None
    kind = label.split("-", 1)[0] if label else None
    caption_text = str(options.get("fig-cap") or options.get("tbl-cap") or "")
    caption = f"{found[numbered]}{ctx.delim} {caption_text}".strip() if numbered else caption_text
    figure_used = False
    table_parts_web, table_parts_print = [], []
    for output in outputs:
        kind_out = output.get("output_type")
        if kind_out == "stream":
            if output.get("name") == "stdout" and output.get("text", "").strip():
                block = "```\n" + output["text"].rstrip("\n") + "\n```"
                web.append(block)
                printed.append(block)
            continue
        if kind_out not in ("display_data", "execute_result"):
            continue
        data = output.get("data") or {}
        mime_vl = next((m for m in data if VEGALITE.match(m)), None)
        if mime_vl or "image/svg+xml" in data or "image/png" in data:
            this_label = label if kind == "fig" and not figure_used else None
            figure = Figure(
                stem=f"{this_label or stem}-{ctx.lang}" if this_label else f"{stem}-{len(figures) + 1}-{ctx.lang}",
                label=this_label,
                caption=caption if this_label else "",
                alt=str(options.get("fig-alt") or caption_text or ""),
            )
            if mime_vl:
                figure.spec = data[mime_vl]
            elif "image/svg+xml" in data:
                svg = data["image/svg+xml"]
                figure.image = ("".join(svg) if isinstance(svg, list) else svg).encode("utf-8")
            else:
                figure.image, figure.ext = base64.b64decode(data["image/png"]), "png"
            figure_used = figure_used or bool(this_label)
            figures.append(figure)
            web.append("```{=html}\n" + ctx.figure_html(figure) + "\n```")
            printed.append(print_figure(figure))
        elif "text/markdown" in data:
            text = _text(data["text/markdown"])
            if kind == "tbl" and numbered:
                table_parts_web.append(text)
                table_parts_print.append(text)
            else:
                web.append(text)
                printed.append(text)
        elif "text/html" in data:
            web.append("```{=html}\n" + _text(data["text/html"]) + "\n```")
            if "text/plain" in data:
                printed.append("```\n" + _text(data["text/plain"]) + "\n```")
        elif "text/plain" in data:
            block = "```\n" + _text(data["text/plain"]) + "\n```"
            web.append(block)
            printed.append(block)
    if kind == "tbl" and numbered:
        if not table_parts_web:
            raise UserError(f"{ctx.label}: the cell `{label}` has `tbl-cap` but shows no table; end the cell with a DataFrame.")
        table = f"::: {{#{label}}}\n\nTable: {_md_escape(caption)}\n\n" + "\n\n".join(table_parts_web) + "\n\n:::"
        web.insert(0, table)
        printed.insert(0, table)
    elif kind == "fig" and numbered and not figure_used:
        raise UserError(f"{ctx.label}: the cell `{label}` has a figure label but shows no chart or image.")
    return web, printed


def print_figure(figure: Figure) -> str:
    path = f"figures/{figure.stem}.{figure.ext}"
    ident = f"{{#{figure.label}}}" if figure.label else ""
    return f"![{_md_escape(figure.caption)}]({path}){ident}"


def _md_escape(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def embedded(doc: Document, block: Embed, ctx: Context) -> tuple[list, dict]:
    """The saved outputs and `#|` options of the notebook cell `block.label` (Quarto's embed)."""
    path = (doc.path.parent / block.notebook).resolve()
    if not path.is_file():
        raise UserError(f"{doc.path}, line {block.line}: embedded notebook `{block.notebook}` not found.")
    nb = ctx.notebook(path)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = _text(cell.get("source", "")).split("\n")
        option_lines = []
        for line in source:
            if not line.lstrip().startswith("#|"):
                break
            option_lines.append(line)
        try:
            options = parse_options(path, option_lines, 1)
        except UserError:
            options = {}
        tags = (cell.get("metadata") or {}).get("tags") or []
        if options.get("label") == block.label or block.label in tags:
            outputs = cell.get("outputs") or []
            if not outputs:
                raise UserError(
                    f"{doc.path}, line {block.line}: the cell `{block.label}` of `{block.notebook}` has no saved outputs; "
                    "run the notebook (the build does this for notebooks/) or save it with outputs."
                )
            return outputs, options
    raise UserError(f"{doc.path}, line {block.line}: no cell labelled `{block.label}` in `{block.notebook}`.")
