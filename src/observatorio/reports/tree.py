"""pandoc's document tree (its JSON form): read once, searched and rewritten as Quarto's Lua filters do.

`read_markdown` parses Markdown with the pandoc of pypandoc-binary; `find_blocks` finds on the tree
what the engine acts on (cells, inline expressions, embeds, cross-reference targets and references,
callouts, equations, shortcodes) and stops on what is outside the supported subset; the builders
make the nodes that cell outputs become (text, code blocks, tables built from values).
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable

import yaml

from ..errors import UserError

READER = "markdown-implicit_header_references"
INLINE_CODE = re.compile(r"^\{([A-Za-z0-9_]+)\}\s+(.*)$", re.S)
XREF_KINDS = ("fig", "tbl", "sec", "eq")
QUARTO_REF_KINDS = ("lst", "thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr", "sol", "rem", "alg")
CALLOUTS = ("note", "tip", "warning", "important", "caution")
SHORTCODES = ("embed", "pagebreak")


def read_markdown(text: str, label: str, first_line: int | None = None) -> dict:
    """Markdown (pandoc's dialect, as Quarto reads it) as pandoc's JSON document; with `first_line`
    (the file line of the text's first line) a block pandoc had to close itself is an error."""
    from .pandoc import pandoc_path

    done = subprocess.run([pandoc_path(), f"--from={READER}", "--to=json"], input=text, capture_output=True, text=True)
    if done.returncode != 0:
        raise UserError(f"{label}: pandoc failed: {done.stderr.strip()}")
    unclosed = re.search(r"Div at line (\d+) column \d+ unclosed", done.stderr)
    if unclosed and first_line is not None:
        line = int(unclosed.group(1)) + first_line - 1
        raise UserError(f"{label}, line {line}: this `:::` block is not closed at the end of its section; add a line `:::` where it ends.")
    return json.loads(done.stdout)


def markdown_blocks(text: str, label: str) -> list:
    """Markdown text (a `text/markdown` output, `output: asis`) as block nodes."""
    return read_markdown(text, label)["blocks"]


def markdown_inlines(text: str, label: str) -> list:
    """A caption written in Markdown as inline nodes (plain text needs no pandoc run)."""
    if not re.search(r"[*_`\[\]$\\<@^~&]", text):
        return text_inlines(text)
    blocks = markdown_blocks(text, label)
    if len(blocks) == 1 and blocks[0]["t"] in ("Para", "Plain"):
        return blocks[0]["c"]
    return text_inlines(text)


def markdown_inlines_many(texts: list[str], label: str) -> list[list]:
    """Several short Markdown texts (inline values) as inline nodes each, with one pandoc run for all
    of them (none when they are plain text); a text that is more than one paragraph stays literal."""
    needed = [i for i, text in enumerate(texts) if re.search(r"[*_`\[\]$\\<@^~&]", text)]
    out = [text_inlines(text) if text.strip() else [{"t": "Str", "c": text}] for text in texts]
    if not needed:
        return out
    source = "\n\n".join(f"::: {{#v{i}}}\n{texts[i]}\n:::" for i in needed)
    for block in read_markdown(source, label)["blocks"]:
        inner = block["c"][1] if block["t"] == "Div" else []
        if len(inner) == 1 and inner[0]["t"] in ("Para", "Plain"):
            out[int(block["c"][0][0][1:])] = inner[0]["c"]
    return out


# --- builders -----------------------------------------------------------------------------------

def attr(ident: str = "", classes=(), attributes=()) -> list:
    return [ident, list(classes), [list(pair) for pair in attributes]]


def text_inlines(text: str) -> list:
    """Literal text as Str and Space nodes: nothing in it is read as Markdown."""
    out: list = []
    for index, word in enumerate(re.split(r"[ \t\n]+", text.strip())):
        if index:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def para(inlines: list) -> dict:
    return {"t": "Para", "c": inlines}


def code_block(text: str, classes=()) -> dict:
    return {"t": "CodeBlock", "c": [attr(classes=classes), text]}


def raw_block(fmt: str, text: str) -> dict:
    return {"t": "RawBlock", "c": [fmt, text]}


def raw_inline(fmt: str, text: str) -> dict:
    return {"t": "RawInline", "c": [fmt, text]}


def div(blocks: list, ident: str = "", classes=()) -> dict:
    return {"t": "Div", "c": [attr(ident, classes), blocks]}


def link(inlines: list, target: str) -> dict:
    return {"t": "Link", "c": [attr(), inlines, [target, ""]]}


def table(header: list[str], rows: list[list[str]], right: list[bool], caption: list | None = None, ident: str = "") -> dict:
    """A pandoc Table node from cell texts (each cell literal text, never Markdown)."""

    def cell(text: str, align: str) -> list:
        return [attr(), {"t": align}, 1, 1, [{"t": "Plain", "c": text_inlines(text)}] if text else []]

    aligns = ["AlignRight" if r else "AlignLeft" for r in right]
    head = [attr(), [[attr(), [cell(h, a) for h, a in zip(header, aligns, strict=True)]]]]
    body = [[attr(), 0, [], [[attr(), [cell(v, a) for v, a in zip(row, aligns, strict=True)]] for row in rows]]]
    caption_blocks = [{"t": "Plain", "c": caption}] if caption else []
    colspecs = [[{"t": a}, {"t": "ColWidthDefault"}] for a in aligns]
    return {"t": "Table", "c": [attr(ident), [None, caption_blocks], colspecs, head, body, [attr(), []]]}


def stringify(nodes) -> str:
    """The plain text of nodes (for messages and for matching shortcodes)."""
    out: list[str] = []

    def visit(value) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            kind = value.get("t")
            if kind in ("Str", "Code", "Math"):
                out.append(value["c"] if kind == "Str" else value["c"][1])
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            elif kind == "Cite":
                visit(value["c"][1])
            else:
                visit(value.get("c"))

    visit(nodes)
    return "".join(out)


def transform(value, function: Callable):
    """A copy of `value` where each node for which `function(node)` returns a list is replaced by
    that list (spliced into its parent); other nodes are copied with their children transformed."""
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict) and "t" in item:
                replaced = function(item)
                if replaced is not None:
                    out.extend(replaced)
                    continue
            out.append(transform(item, function))
        return out
    if isinstance(value, dict):
        return {key: transform(item, function) if key == "c" else item for key, item in value.items()}
    return value


# --- finding what the engine acts on ------------------------------------------------------------

def find_blocks(doc, cells: list) -> None:
    """Fill `doc.blocks` (cells, prose segments with their inline expressions, embeds in document
    order), `doc.refs`, `doc.headings`, `doc.floats` and mark the tree's nodes for the assembly."""
    from .qmd import CELL_PLACEHOLDER, Markdown

    path, where = doc.path, doc.lines
    segment: list[dict] = []
    expressions: list[str] = []
    lines: list[int] = []
    doc.refs, doc.headings, doc.floats, doc.has_refs_div = [], [], [], False
    doc.subfigures = {}  # id of a sub-figure's node -> (its label or "", the parent's label, its letter)
    parents: list[dict] = []  # the `::: {#fig-x layout-ncol=2}` divs around the node being visited

    def flush() -> None:
        if expressions:
            number = len(doc.blocks)
            for position, node in enumerate(segment):
                node["c"][0] = attr(classes=["obs-inline"], attributes=[("block", str(number)), ("n", str(position))])
            doc.blocks.append(Markdown(list(expressions), list(lines)))
        segment.clear()
        expressions.clear()
        lines.clear()

    def fail(line: int, message: str):
        raise UserError(f"{path}, line {line}: {message}")

    def visit(value, divs: tuple) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item, divs)
            return
        if not isinstance(value, dict) or "t" not in value:
            return
        kind, content = value["t"], value.get("c")
        if kind == "RawBlock" and content[0] == CELL_PLACEHOLDER:
            flush()
            cell = cells[int(content[1])]
            content[1] = str(len(doc.blocks))
            doc.blocks.append(cell)
            if cell.label and cell.label.split("-", 1)[0] in ("fig", "tbl"):
                doc.floats.append((cell.label, cell.start, cell))
            doc.refs += caption_refs(cell, doc.where, path)
            return
        if kind == "RawBlock" or kind == "RawInline":
            if content[0] not in ("html", "typst", "tex", "latex"):
                fail(where.line(f"{{={content[0]}}}"), f"raw `{{={content[0]}}}` content is outside the supported subset; use `{{=html}}` or `{{=typst}}`.")
            return
        if kind == "Code":
            match = INLINE_CODE.match(content[1])
            if match:
                line = where.line(f"`{content[1]}`", advance=True)
                if match.group(1) != "python":
                    fail(line, f"inline `{{{match.group(1)}}}` code is outside the supported subset; use `{{python}} expression`.")
                segment.append(value)
                expressions.append(match.group(2).strip())
                lines.append(line)
            return
        if kind in ("CodeBlock", "Math"):
            return
        if kind in ("Para", "Plain") and stringify(content).lstrip().startswith("{{<"):
            embed = shortcode(doc, value)
            if embed is not None:
                flush()
                value["t"], value["c"] = "RawBlock", ["obs-embed", str(len(doc.blocks))]
                doc.blocks.append(embed)
                doc.floats.append((embed.label, embed.line, embed))
            return
        if kind == "Str" and content.startswith(":::"):
            fail(where.line(":::"), "this `:::` block is not closed, or this `:::` closes nothing; a block opens with `::: {.callout-note}` and ends with a line `:::`.")
        if kind == "Str" and "{{<" in content:
            fail(where.line("{{<"), "put a shortcode on a line of its own (or quote it in a code span to show it).")
        if kind == "Cite":
            for key, line in check_cite(content[0], lambda key: where.line("@" + key), fail):
                doc.refs.append((key, line))
            visit(content[1], divs)
            return
        if kind == "Header":
            level, (ident, classes, _), inlines = content
            explicit = ident if ident and re.search(r"\{[^}]*#" + re.escape(ident) + r"[\s}]", where.text) else None
            line = where.line(f"#{ident}") if explicit else where.line(stringify(inlines))
            if explicit and ident.split("-", 1)[0] in ("fig", "tbl", "eq"):
                fail(line, f"a heading cannot carry the label `{ident}`; use `#sec-…` for sections.")
            doc.headings.append(Heading(level, stringify(inlines), explicit, classes, line, bool(divs), value))
            visit(inlines, divs)
            return
        if kind == "Para" and equation_label(content):
            label = equation_label(content)
            doc.floats.append((label, where.line("{#" + label + "}"), value))
            value["c"] = [{"t": "Span", "c": [attr(label, ["obs-equation"]), [content[0]]]}]
            return
        if kind == "Figure" and parents:
            ident, parent = content[0][0], parents[-1]["c"][0][0]
            if ident and not ident.startswith("fig-"):
                fail(where.line("#" + ident), f"the label `{ident}` of a sub-figure must start with `fig-`.")
            letter = "abcdefghijklmnopqrstuvwxyz"[sum(1 for _, p, _ in doc.subfigures.values() if p == parent)]
            doc.subfigures[id(value)] = (ident, parent, letter)
            visit(content, divs)
            return
        if kind in ("Figure", "Table"):
            ident = content[0][0]
            if ident:
                wanted = "fig" if kind == "Figure" else "tbl"
                if not ident.startswith(wanted + "-"):
                    fail(where.line("#" + ident), f"the label `{ident}` of a {'figure' if kind == 'Figure' else 'table'} must start with `{wanted}-`.")
                doc.floats.append((ident, where.line("#" + ident), value))
        if kind == "Div":
            divs = divs + (div_kind(doc, value),)
            if divs[-1] == "subfigures":
                parents.append(value)
                visit(content, divs)
                parents.pop()
                return
        visit(content, divs)

    visit(doc.tree["blocks"], ())
    flush()


def is_xref(key: str) -> bool:
    return "-" in key and key.split("-", 1)[0] in XREF_KINDS


def check_cite(citations: list, line_of: Callable[[str], int], fail: Callable) -> list[tuple[str, int]]:
    """The (key, line) of each citation of a Cite node; stops on what Quarto would print otherwise than written:
    Quarto's other kinds of cross-reference, text after a cross-reference inside the brackets (Quarto drops it),
    cross-references and citations of works in the same brackets (Quarto drops the works)."""
    out = []
    for citation in citations:
        key = citation["citationId"]
        line = line_of(key)
        if key.split("-", 1)[0] in QUARTO_REF_KINDS and "-" in key:
            fail(line, f"cross-reference `@{key}` is outside the supported subset; only @fig-, @tbl-, @sec- and @eq- are supported.")
        if is_xref(key) and citation.get("citationSuffix"):
            fail(line, f"the text after `@{key}` inside the brackets would be dropped (Quarto drops it); write it after the brackets: "
                       f"`[@{key}] {stringify(citation['citationSuffix']).strip(' ,')}`.")
        out.append((key, line))
    if len({is_xref(citation["citationId"]) for citation in citations}) > 1:
        keys = "; ".join("@" + c["citationId"] for c in citations)
        fail(out[0][1], f"`[{keys}]` mixes cross-references and citations of works, and Quarto would drop the works; "
                        "write them in separate brackets, for example `[@fig-x] [@work2020]`.")
    return out


CAPTION_OPTIONS = ("fig-cap", "tbl-cap", "fig-subcap")


def caption_refs(cell, where: Callable[[int], str], path) -> list[tuple[str, int]]:
    """Cross-references written in a cell's captions (`#| fig-cap: "Como na @fig-x"`), with the lines of their options;
    a citation of a work there stops (the web page shows captions as text, without the bibliography)."""
    refs: list[tuple[str, int]] = []
    lines = cell.source.split("\n")
    for key in CAPTION_OPTIONS:
        value = cell.options.get(key)
        texts = [str(v) for v in value] if isinstance(value, list) else [str(value)] if value is not None else []
        if not any("@" in text for text in texts):
            continue
        offset = next((i for i, text in enumerate(lines) if re.match(rf"^\s*#\|\s*{key}\s*:", text)), 0)
        line = cell.start + offset

        def fail(_line: int, message: str, line=line):
            raise UserError(f"{where(line)}: {message}")

        for text in texts:
            cites: list = []
            walk(markdown_inlines(text, str(path)), lambda node, cites=cites: cites.append(node["c"][0]) if node["t"] == "Cite" else None)
            for citations in cites:
                found = check_cite(citations, lambda _key, line=line: line, fail)
                works = [k for k, _ in found if not is_xref(k)]
                if works:
                    fail(line, f"a citation (`@{works[0]}`) in the cell option `{key}` is not supported (captions are shown as text on the web); "
                               "cite the work in the text beside the figure or table.")
                refs += found
    return refs


def walk(value, function: Callable) -> None:
    """Call `function` on every node of `value` (a node or a list of nodes), children included."""
    if isinstance(value, list):
        for item in value:
            walk(item, function)
    elif isinstance(value, dict):
        if "t" in value:
            function(value)
        walk(value.get("c"), function)


def equation_label(inlines: list) -> str | None:
    """`$$ … $$ {#eq-x}`: the label of a paragraph that is one display equation and its label."""
    words = [n for n in inlines if n["t"] not in ("Space", "SoftBreak")]
    if len(words) == 2 and words[0]["t"] == "Math" and words[0]["c"][0]["t"] == "DisplayMath" and words[1]["t"] == "Str":
        match = re.fullmatch(r"\{#(eq-[\w-]+)\}", words[1]["c"])
        return match.group(1) if match else None
    return None


def shortcode(doc, node: dict):
    """The Embed of an `embed` shortcode paragraph; `pagebreak` becomes a raw page break; others stop."""
    from .qmd import Embed

    text = stringify(node["c"]).strip()
    match = re.fullmatch(r"\{\{<\s*([A-Za-z0-9_-]+)\s*(.*?)\s*>\}\}", text)
    line = doc.lines.line(text[:12])
    if not match:
        raise UserError(f"{doc.where(line)}: put a shortcode on a line of its own: `{{{{< name arguments >}}}}`.")
    name, argument = match.group(1), match.group(2).strip().strip('"')
    line = doc.lines.line(name, default=line) if name != "embed" else doc.lines.line(argument or name, default=line)
    if name == "pagebreak":
        node["t"], node["c"] = "RawBlock", ["obs-pagebreak", ""]
        return None
    if name != "embed":
        raise UserError(
            f"{doc.where(line)}: shortcode `{{{{< {name} >}}}}` is outside the supported subset; "
            f"use one of: {', '.join(SHORTCODES)} (to show a shortcode as text, quote it in a code span)."
        )
    if "#" not in argument:
        raise UserError(f"{doc.where(line)}: `embed` needs a cell label: `{{{{< embed notebook.ipynb#fig-label >}}}}`.")
    notebook, label = argument.split("#", 1)
    if not notebook.endswith(".ipynb"):
        raise UserError(f"{doc.where(line)}: only notebooks (.ipynb) can be embedded, not `{notebook}`.")
    return Embed(notebook, label, line)


def div_kind(doc, node: dict) -> str:
    """What a `:::` block is: a callout (every Quarto spelling), the references, a float; else stop."""
    ident, classes, attributes = node["c"][0]
    callout = [c for c in classes if c == "callout" or c.startswith("callout-")]
    if callout:
        kind = next((c[len("callout-"):] for c in callout if c != "callout"), "note")
        if kind not in CALLOUTS:
            line = doc.lines.line(f"callout-{kind}")
            raise UserError(f"{doc.where(line)}: unknown callout `callout-{kind}`; use one of: {', '.join('callout-' + k for k in CALLOUTS)}.")
        if ident:  # Quarto numbers a labelled callout ("Nota 1") and lets `@nte-x` refer to it
            raise UserError(
                f"{doc.where(doc.lines.line('#' + ident))}: a label on a callout (`#{ident}`) is not supported: Quarto would number it "
                f"and `@{ident}` would refer to it. Remove the label (the callout is then unnumbered) or refer to its section instead."
            )
        node["c"][0][1] = [c for c in classes if c not in callout] + [f"callout-{kind}"]
        check_callout_options(doc, node, kind)
        return "callout"
    if classes == ["panel-tabset"]:
        return "tabset"
    if ident == "refs" and not classes:
        doc.has_refs_div = True
        return "refs"
    if ident.split("-", 1)[0] in ("fig", "tbl") and not classes:
        line = doc.lines.line("#" + ident)
        layout = dict(attributes)
        if set(layout) - set(LAYOUT_KEYS) or (layout and (not ident.startswith("fig-") or read_layout(layout) is None)):
            raise UserError(
                f"{doc.where(line)}: `::: {{#{ident} {' '.join(f'{k}={v}' for k, v in attributes)}}}` is outside the supported subset; "
                "write one of `layout-ncol=2`, `layout-nrow=2` or `layout=\"[[1,1],[1]]\"` (rows of relative widths, one per sub-figure) "
                "on a `::: {#fig-name …}` around the sub-figures' images."
            )
        doc.floats.append((ident, line, node))
        return "subfigures" if layout else "float"
    shown = " ".join([f"#{ident}"] * bool(ident) + [f".{c}" for c in classes])
    line = doc.lines.line(classes[0] if classes else f"#{ident}") if (classes or ident) else doc.lines.line(":::")
    allowed = ", ".join(f"{{.callout-{kind}}}" for kind in CALLOUTS)
    raise UserError(
        f"{doc.where(line)}: `::: {{{shown}}}` is outside the supported subset; use a callout ({allowed}), "
        "`::: {.panel-tabset}`, a float (`::: {#fig-…}` or `::: {#tbl-…}`) or `::: {#refs}`."
    )


CALLOUT_OPTIONS = {  # Quarto's callout attributes and the values each takes; anything else stops the build
    "title": None,  # any text
    "collapse": ("true", "false"),  # a folded box (`<details>`) on the web, open when "false"; always open in the PDF
    "appearance": ("default", "simple", "minimal"),  # "simple": untinted title, left rule; "minimal": no icon either
    "icon": ("true", "false"),  # "false": no icon on the web (the PDF draws none)
}


def check_callout_options(doc, node: dict, kind: str) -> None:
    """A callout's attributes must be Quarto's (`CALLOUT_OPTIONS`) with values Quarto knows: none is dropped unseen."""
    for key, value in node["c"][0][2]:
        line = callout_line(doc, f"{key}={value}", f'{key}="{value}"', f"{key}='{value}'") or doc.lines.line(f"{key}=")
        if key not in CALLOUT_OPTIONS:
            raise UserError(
                f"{doc.where(line)}: the callout attribute `{key}` is outside the supported subset; "
                f"use {', '.join(f'`{k}`' for k in CALLOUT_OPTIONS)} (for example `::: {{.callout-{kind} collapse=\"true\"}}`)."
            )
        allowed = CALLOUT_OPTIONS[key]
        if allowed and value not in allowed:
            raise UserError(
                f"{doc.where(line)}: `{key}=\"{value}\"` on a callout is not supported; write "
                + " or ".join(f'`{key}=\"{v}\"`' for v in allowed) + "."
            )


def callout_line(doc, *needles: str) -> int | None:
    """The line of the first `:::` opening that carries one of `needles` (an attribute as written)."""
    for number, line in enumerate(doc.lines.text.split("\n"), 1):
        if line.lstrip().startswith(":::") and any(needle in line for needle in needles):
            return number
    return None


LAYOUT_KEYS = ("layout-ncol", "layout-nrow", "layout")


def read_layout(options: dict) -> dict | None:
    """Quarto's sub-figure layout (`layout-ncol: 2`, `layout-nrow: 2` or `layout: "[[1,1],[1]]"`, rows of
    relative widths), typed (div attributes are text); None when it is outside the supported subset."""
    given = {key: options[key] for key in LAYOUT_KEYS if key in options}
    if len(given) != 1:
        return None
    key, value = next(iter(given.items()))
    if key == "layout":
        rows = yaml.safe_load(value) if isinstance(value, str) else value
        rows = [rows] if isinstance(rows, list) and rows and all(isinstance(w, (int, float)) for w in rows) else rows
        widths = [w for row in rows for w in row] if isinstance(rows, list) and all(isinstance(r, list) and r for r in rows) else []
        if not widths or not all(isinstance(w, (int, float)) and not isinstance(w, bool) and w > 0 for w in widths):
            return None
        return {"layout": rows}
    number = int(value) if str(value).isdigit() else 0
    return {key: number} if number > 0 else None


def layout_rows(layout: dict, count: int, where: str) -> list[list[float]]:
    """The relative widths of each row of `count` sub-figures laid out as `layout` (from `read_layout`) says."""
    if "layout" in layout:
        rows = layout["layout"]
        if sum(len(row) for row in rows) != count:
            raise UserError(f"{where}: `layout` places {sum(len(row) for row in rows)} sub-figures but there are {count}; give one width per sub-figure.")
        return rows
    columns = layout.get("layout-ncol") or -(-count // layout["layout-nrow"])
    return [[1] * len(range(start, min(start + columns, count))) for start in range(0, count, columns)]


class Heading:
    def __init__(self, level: int, text: str, ident: str, classes: list, line: int, in_callout: bool, node: dict):
        self.level, self.text, self.ident, self.classes = level, text, ident or None, classes
        self.line, self.in_callout, self.node = line, in_callout, node
