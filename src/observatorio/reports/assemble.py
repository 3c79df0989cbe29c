"""Turn a parsed document and its execution results into pandoc document trees, one for the web and one for print.

Here Quarto's meaning is reproduced on the tree (as Quarto's Lua filters do): cell options, inline
values, cell outputs as nodes (tables built from values, text escaped, Markdown parsed), numbered
figures, tables, equations and sections, cross-references with localised prefixes, embedded notebook
cells. Citations, footnotes and callouts stay in the tree for pandoc (citeproc and the callout filter).
"""

from __future__ import annotations

import base64
import copy
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from . import tree as t
from .execute import option
from .kernel import PRINT_PNG_MIME, TABLE_MIME
from .qmd import CELL_PLACEHOLDER, Cell, Document, Embed, option_lines, parse_options

VEGALITE = re.compile(r"^application/vnd\.vegalite\.v\d+[.+]json$")
BIB_KEY = re.compile(r"@\w+\s*\{\s*([^,\s]+)\s*,")


LETTERS = "abcdefghijklmnopqrstuvwxyz"  # sub-figures: (a), (b), …


@dataclass
class SubFigures:
    """A cell's plots as lettered sub-figures (`fig-subcap`, `layout-ncol`, …) under one numbered caption."""

    label: str
    layout: dict  # from `tree.read_layout`
    figures: list
    caption_nodes: list


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
    caption_nodes: list = field(default_factory=list)
    print_image: bytes | None = None  # a PNG at print resolution for the PDF (matplotlib's `fig-format: png`)
    print_dpi: int = 0

    @property
    def print_path(self) -> str:
        """The file the PDF shows: the print PNG, else the web's SVG or image."""
        if self.print_image is not None:
            return f"figures/{self.stem}-print.png"
        return f"figures/{self.stem}.{'svg' if self.spec is not None else self.ext}"


@dataclass
class Assembled:
    web: dict  # pandoc JSON document; figures as raw HTML placeholders
    print: dict  # pandoc JSON document; figures as images
    figures: list[Figure] = field(default_factory=list)
    cites: bool = False


@dataclass
class Context:
    lang: str
    prefixes: dict  # fig/tbl/sec/eq -> "Figura"/…
    delim: str
    bib_keys: set[str]
    notebook: Callable[[Path], dict]  # path -> notebook JSON with outputs (for embeds)
    label: str  # "reports/x/index.qmd (pt)" for messages
    figure_html: Callable[[Figure], tuple[str, str]]  # the web figure's HTML before and after its caption
    echo_default: bool = True
    number_style: tuple[str, str] = (".", ",")  # decimal mark, thousands separator
    root: Path | None = None  # the project, whose data catalogue gives tables their column titles
    code_label: str = "Code"  # the summary of folded code (`code-fold: true`)
    describe: Callable[[dict], str] = lambda spec: ""  # a chart's alt text from its data, used without `fig-alt`


def read_bib_keys(path: Path) -> set[str]:
    return set(BIB_KEY.findall(path.read_text(encoding="utf-8")))


def heading_numbers(doc: Document) -> dict[int, str]:
    """Section numbers ("1", "2.1") by heading index in `doc.headings`, as Quarto numbers them with `number-sections: true`."""
    if not doc.meta.get("number-sections"):
        return {}
    headings = [(i, h) for i, h in enumerate(doc.headings) if not h.in_callout and "unnumbered" not in h.classes]
    if not headings:
        return {}
    top = min(h.level for _, h in headings)
    counters = [0] * 7
    numbers = {}
    for index, heading in headings:
        depth = heading.level - top
        counters[depth] += 1
        for deeper in range(depth + 1, 7):
            counters[deeper] = 0
        numbers[index] = ".".join(str(c) for c in counters[: depth + 1])
    return numbers


def targets(doc: Document, ctx: Context) -> dict[str, str]:
    """Every cross-reference target and its text ("Figura 2"), checking labels are unique."""
    found: dict[str, str] = {}
    counts = {"fig": 0, "tbl": 0, "eq": 0}

    def add(label: str, text: str, line: int) -> None:
        if label in found:
            raise UserError(f"{doc.where(line)}: the label `{label}` is used twice; labels must be unique.")
        found[label] = text

    for label, line, source in doc.floats:
        if isinstance(source, Cell) and option(doc, source, "include") is False:
            continue
        kind = label.split("-", 1)[0]
        if kind in counts:
            counts[kind] += 1
            add(label, f"{ctx.prefixes[kind]}\u00a0{counts[kind]}", line)
    numbers = heading_numbers(doc)
    for index, heading in enumerate(doc.headings):
        if heading.ident and heading.ident.startswith("sec-"):
            if index not in numbers:
                raise UserError(
                    f"{doc.where(heading.line)}: `#{heading.ident}` is a section label, but sections are not numbered. "
                    "Add `number-sections: true` to the front matter (Quarto needs it too)."
                )
            add(heading.ident, f"{ctx.prefixes['sec']}\u00a0{numbers[index]}", heading.line)
    for label, line, source in doc.floats:
        for number, _ in enumerate(source.options.get("fig-subcap") or [] if isinstance(source, Cell) else [], 1):
            add(f"{label}-{number}", f"{found[label]} ({LETTERS[number - 1]})", line)  # Quarto's `fig-x-1`
    for label, parent, letter in doc.subfigures.values():
        if label:
            add(label, f"{found[parent]} ({letter})", doc.lines.line("#" + label))  # "Figura 1 (a)", as Quarto writes it
    return found


is_xref = t.is_xref


def check_refs(doc: Document, found: dict[str, str], ctx: Context) -> bool:
    """Every @fig-/@tbl-/@sec-/@eq- must resolve and every other @key must be in the bibliography."""
    cites = False
    for key, line in doc.refs:
        if is_xref(key):
            if key not in found:
                raise UserError(f"{doc.where(line)}: unknown cross-reference `@{key}`; no figure, table, equation or section has that label.")
        else:
            if key not in ctx.bib_keys:
                where = "the bibliography" if ctx.bib_keys else "a bibliography (add `bibliography: refs.bib` to the front matter)"
                raise UserError(f"{doc.where(line)}: unknown citation `@{key}`; add it to {where}.")
            cites = True
    return cites


def xref_inlines(citations: list, found: dict[str, str]) -> list:
    """As Quarto writes references: `@fig-x` → a link "Figura 1"; `[-@fig-x]` → "1"; `[ver @fig-x]` → "ver 1" (the
    prefix written takes the place of "Figura"); several in one pair of brackets joined by ", " (`[@fig-a; @fig-b]` →
    "Figura 1, Figura 2"). Text after a reference inside the brackets is refused earlier (`tree.check_cite`)."""
    out: list = []
    for index, citation in enumerate(citations):
        key = citation["citationId"]
        number = found[key].split("\u00a0", 1)[-1]
        prefix = citation.get("citationPrefix") or []
        if prefix:
            inner = [*copy.deepcopy(prefix), {"t": "Str", "c": "\u00a0" + number}]
        elif citation["citationMode"]["t"] == "SuppressAuthor":
            inner = [{"t": "Str", "c": number}]
        else:
            inner = [{"t": "Str", "c": found[key]}]
        if index:
            out += [{"t": "Str", "c": ","}, {"t": "Space"}]
        out.append(t.link(inner, f"#{key}"))
    return out


def resolved_caption(nodes: list, found: dict[str, str], where: str) -> list:
    """A cell's caption with its cross-references as Quarto writes them (`xref_inlines`); they were checked
    before the cells ran (`tree.caption_refs`), except in embedded notebook cells, checked here."""

    def visit(node: dict):
        if node["t"] != "Cite":
            return None
        citations = node["c"][0]
        missing = [c["citationId"] for c in citations if not is_xref(c["citationId"]) or c["citationId"] not in found]
        if missing:
            raise UserError(f"{where}: `@{missing[0]}` in a caption is not a figure, table, equation or section of the document; "
                            "write a cross-reference to one of them, or cite the work in the text.")
        return xref_inlines(citations, found)

    return t.transform(nodes, visit)


def assemble(doc: Document, result: dict, ctx: Context, stem_prefix: str = "") -> Assembled:
    found = targets(doc, ctx)
    cites = check_refs(doc, found, ctx)
    numbers = heading_numbers(doc)
    header_numbers = {id(doc.headings[i].node): n for i, n in numbers.items()}
    figures: list[Figure] = []
    pieces: dict[int, list] = {}  # block index -> nodes and Figures
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Cell):
            pieces[index] = cell_pieces(doc, block, result["outputs"].get(str(index), []), found, ctx, figures, f"{stem_prefix}cell{index}")
        elif isinstance(block, Embed):
            outputs, options = embedded(doc, block, ctx)
            inner = output_pieces(outputs, block.label, options, found, ctx, figures, f"{stem_prefix}{Path(block.notebook).stem}-{block.label}")
            pieces[index] = inner
    captioned = {label for label, _, source in doc.floats if isinstance(source, dict)}
    inline = {for_print: inline_nodes(result["inline"], for_print, ctx.label) for for_print in (False, True)}

    def rewrite(for_print: bool) -> dict:
        tabsets: list[int] = []
        def visit(node: dict):
            kind, content = node["t"], node.get("c")
            if kind == "RawBlock" and content[0] in (CELL_PLACEHOLDER, "obs-embed"):
                index = int(content[1])
                nodes = materialise(pieces[index], ctx, for_print)
                if content[0] == "obs-embed" and nodes and not for_print:
                    notebook = html.escape(doc.blocks[index].notebook)
                    return [t.raw_block("html", f'<div class="obs-embed" data-notebook="{notebook}">'), *nodes, t.raw_block("html", "</div>")]
                return nodes
            if kind == "RawBlock" and content[0] == "obs-pagebreak":
                return [t.raw_block("typst", "#pagebreak()")] if for_print else []
            if kind == "Code" and "obs-inline" in content[0][1]:
                attributes = dict(content[0][2])
                return copy.deepcopy(inline[for_print][(attributes["block"], int(attributes["n"]))])
            if kind == "Cite" and all(is_xref(c["citationId"]) for c in content[0]):
                return xref_inlines(content[0], found)
            if kind == "Header" and id(node) in header_numbers:
                level, attributes, inlines = content
                return [{"t": "Header", "c": [level, attributes, [{"t": "Str", "c": header_numbers[id(node)]}, {"t": "Space"}, *t.transform(inlines, visit)]]}]
            if kind == "Span" and "obs-equation" in content[0][1]:
                return equation(content, found, for_print)
            if kind == "Div" and content[0][1] == ["panel-tabset"]:
                return tabset(t.transform(content[1], visit), for_print, len(tabsets) + 1, tabsets)
            if kind == "Figure" and id(node) in doc.subfigures:
                return [sub_figure(node, doc.subfigures[id(node)][2], visit)]
            if kind in ("Figure", "Table", "Div") and content[0][0] in captioned and content[0][0] in found:
                return [numbered_float(node, found[content[0][0]], ctx, visit, for_print)]
            return None

        body = t.transform(doc.tree["blocks"], visit)
        return {"pandoc-api-version": doc.tree["pandoc-api-version"], "meta": {}, "blocks": body}

    return Assembled(rewrite(False), rewrite(True), figures, cites)


def quarto_escaped(text: str) -> str:
    """Quarto's `asEscapedMarkdown` for an inline value's `text/plain`: a quoted string (a `str`'s
    repr) loses its quotes and has its Markdown punctuation backslash-escaped; anything else is Markdown as it is."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        inner = text[1:-1].replace("\\", "\\\\")
        return re.sub(r"([\\`*_{}\[\]()>#+,\-.!])", r"\\\1", inner)
    return text


def inline_value(data: dict, for_print: bool) -> tuple[str, str]:
    """("html" or "markdown", text) of an inline value's display data, by Quarto's priority:
    `text/html` on the web (raw), then `text/markdown`, then `text/plain` escaped as Quarto escapes it."""
    if not for_print and "text/html" in data:
        return "html", _text(data["text/html"])
    if "text/markdown" in data:
        return "markdown", _text(data["text/markdown"])
    return "markdown", quarto_escaped(_text(data.get("text/plain", "")))


def inline_nodes(values: dict, for_print: bool, label: str) -> dict:
    """The inline nodes of every inline value, by (block, position); one pandoc run for all."""
    keys, texts, nodes = [], [], {}
    for block, data_list in values.items():
        for position, data in enumerate(data_list):
            kind, text = inline_value(data, for_print)
            if kind == "html":
                nodes[(block, position)] = [t.raw_inline("html", text)]
            else:
                keys.append((block, position))
                texts.append(text)
    nodes.update(zip(keys, t.markdown_inlines_many(texts, label), strict=True))
    return nodes


def local_files(assembled: Assembled, doc: Document, web_prefix: str) -> dict[str, bytes]:
    """Images beside the document (`![…](map.png)`): their bytes by relative path, published with the
    page and given to Typst; web links get `web_prefix` (pages in other languages link to the main one)."""
    found: dict[str, bytes] = {}

    def visit(for_web: bool):
        def image(node: dict):
            if node["t"] != "Image":
                return None
            target = node["c"][2][0]
            if re.match(r"^[a-z][a-z0-9+.-]*:|^/|^#", target) or target.startswith("figures/"):
                return None
            source = (doc.path.parent / target).resolve()
            if ".." in Path(target).parts or not source.is_file():
                raise UserError(
                    f"{doc.where(doc.lines.line(target))}: image `{target}` not found beside the document; "
                    "put the file in the publication's folder (or a folder inside it) and write its relative path."
                )
            found[target] = source.read_bytes()
            if for_web and web_prefix:
                return [{"t": "Image", "c": [node["c"][0], node["c"][1], [web_prefix + target, node["c"][2][1]]]}]
            return None
        return image

    assembled.web["blocks"] = t.transform(assembled.web["blocks"], visit(True))
    assembled.print["blocks"] = t.transform(assembled.print["blocks"], visit(False))
    return found


def add_references(assembled: Assembled, title: str) -> None:
    """The reference list at the end (where `::: {#refs}` is not placed), under an unnumbered heading."""
    for document in (assembled.web, assembled.print):
        document["blocks"] += [
            {"t": "Header", "c": [2, t.attr("references", ["unnumbered"]), t.text_inlines(title)]},
            t.div([], ident="refs"),
        ]


def tabset(blocks: list, for_print: bool, number: int, tabsets: list) -> list:
    """`::: {.panel-tabset}`: a tab per heading of its first level; Material's tabs on the web, and in
    the PDF each tab a bold title followed by its content."""
    tabsets.append(number)
    level = min((b["c"][0] for b in blocks if b["t"] == "Header"), default=None)
    tabs: list[tuple[list, list]] = []
    for block in blocks:
        if block["t"] == "Header" and block["c"][0] == level:
            tabs.append((block["c"][2], []))
        elif tabs:
            tabs[-1][1].append(block)
    if not tabs:
        return blocks
    if for_print:
        return [node for title, content in tabs for node in ([t.para([{"t": "Strong", "c": title}])] + content)]
    name = f"__tabbed_obs_{number}"
    out = [t.raw_block("html", f'<div class="tabbed-set tabbed-alternate" data-tabs="{number}:{len(tabs)}">')]
    out += [t.raw_block("html", f'<input{" checked" if i == 0 else ""} id="{name}_{i + 1}" name="{name}" type="radio">') for i in range(len(tabs))]
    out.append(t.raw_block("html", '<div class="tabbed-labels">'))
    for i, (title, _) in enumerate(tabs):
        out += [t.raw_block("html", f'<label for="{name}_{i + 1}">'), {"t": "Plain", "c": title}, t.raw_block("html", "</label>")]
    out.append(t.raw_block("html", '</div>\n<div class="tabbed-content">'))
    for _, content in tabs:
        out.append(t.div(content, classes=["tabbed-block"]))
    out.append(t.raw_block("html", "</div>\n</div>"))
    return out


def equation(content: list, found: dict, for_print: bool) -> list:
    """A labelled display equation, numbered "(1)" as Quarto numbers it; in Typst a numbered `math.equation`."""
    label = content[0][0]
    number = found[label].split("\u00a0", 1)[-1]
    math = content[1]
    if for_print:
        return [t.raw_inline("typst", f'#block[#set math.equation(numbering: _ => "({number})")\n'), *math,
                t.raw_inline("typst", f" <{label}>]")]
    return [{"t": "Span", "c": [t.attr(label, ["obs-equation"]), [*math, {"t": "Space"}, {"t": "Str", "c": f"({number})"}]]}]


def sub_figure(node: dict, letter: str, visit) -> dict:
    """A sub-figure with its caption prefixed "(a) ", as Quarto writes it."""
    content = t.transform(node["c"], visit)
    caption_blocks = content[1][1]
    prefix = [{"t": "Str", "c": f"({letter})"}, {"t": "Space"}]
    if caption_blocks and caption_blocks[0]["t"] in ("Plain", "Para"):
        caption_blocks[0] = {"t": caption_blocks[0]["t"], "c": prefix + caption_blocks[0]["c"]}
    else:
        content[1][1] = [{"t": "Plain", "c": prefix[:1]}]
    return {"t": "Figure", "c": [t.attr(content[0][0]), content[1], content[2]]}


def sub_figure_grid(figures: list[list], rows: list[list[float]], for_print: bool) -> list:
    """The sub-figures (each a list of blocks) in rows of relative widths (`tree.layout_rows`): a CSS grid per row
    on the web, a Typst grid in the PDF."""
    out, start = [], 0
    for row in rows:
        cells, start = figures[start : start + len(row)], start + len(row)
        if for_print:
            inner = [node for blocks in cells for node in (t.raw_block("typst", "["), *blocks, t.raw_block("typst", "],"))]
            widths = ", ".join(f"{w:g}fr" for w in row)
            out += [t.raw_block("typst", f"#grid(columns: ({widths},), gutter: 1em,"), *inner, t.raw_block("typst", ")")]
        else:
            widths = " ".join(f"minmax(0,{w:g}fr)" for w in row)
            style = f"display:grid;grid-template-columns:{widths};gap:1em;margin-bottom:1em"
            out += [t.raw_block("html", f'<div class="obs-subfigures" style="{style}">'), *(n for blocks in cells for n in blocks),
                    t.raw_block("html", "</div>")]
    return out


def numbered_float(node: dict, number: str, ctx: Context, visit, for_print: bool = False) -> dict:
    """A Markdown figure, a pipe table or a `::: {#fig-…}` div with its caption prefixed "Figura 1: "."""
    kind, content = node["t"], t.transform(node["c"], visit)
    prefix = [{"t": "Str", "c": number + ctx.delim}, {"t": "Space"}]
    if kind in ("Figure", "Table"):
        caption_blocks = content[1][1]
        if caption_blocks and caption_blocks[0]["t"] in ("Plain", "Para"):
            caption_blocks[0] = {"t": caption_blocks[0]["t"], "c": prefix + caption_blocks[0]["c"]}
        else:
            content[1][1] = [{"t": "Plain", "c": prefix[:1]}]
        return {"t": kind, "c": content}
    blocks = content[1]
    if blocks and blocks[-1]["t"] == "Para":
        caption = blocks.pop()
        layout = t.read_layout(dict(content[0][2]))
        if layout:
            blocks = sub_figure_grid([[block] for block in blocks], t.layout_rows(layout, len(blocks), f"{ctx.label}: `#{content[0][0]}`"), for_print)
            content[0] = t.attr(content[0][0])
        return {"t": "Figure", "c": [content[0], [None, [{"t": "Plain", "c": prefix + caption["c"]}]], blocks]}
    return {"t": "Div", "c": content}


def web_figure(figure: Figure, ctx: Context) -> list:
    """The figure's HTML around its caption, which pandoc writes with the page (cross-references as links)."""
    head, tail = ctx.figure_html(figure)
    caption = [t.raw_block("html", "<figcaption>"), {"t": "Plain", "c": copy.deepcopy(figure.caption_nodes)},
               t.raw_block("html", "</figcaption>")] if figure.caption else []
    return [t.raw_block("html", head), *caption, t.raw_block("html", tail)]


def materialise(pieces: list, ctx: Context, for_print: bool) -> list:
    out = []
    for piece in pieces:
        if isinstance(piece, Figure):
            out += [print_figure(piece)] if for_print else web_figure(piece, ctx)
        elif isinstance(piece, SubFigures):
            inner = [materialise([figure], ctx, for_print) for figure in piece.figures]
            caption = [None, [{"t": "Plain", "c": copy.deepcopy(piece.caption_nodes)}]]
            rows = t.layout_rows(piece.layout, len(inner), f"{ctx.label}: the cell `{piece.label}`")
            out.append({"t": "Figure", "c": [t.attr(piece.label), caption, sub_figure_grid(inner, rows, for_print)]})
        elif isinstance(piece, tuple):  # (web nodes, print nodes)
            out += copy.deepcopy(piece[1] if for_print else piece[0])
        else:
            out.append(copy.deepcopy(piece))
    return out


def cell_pieces(doc: Document, cell: Cell, outputs: list, found: dict, ctx: Context, figures: list, stem: str) -> list:
    """What a cell shows: its code (per `echo`) and its outputs (per `output`, `eval`, `include`)."""
    if option(doc, cell, "include") is False:
        return []
    pieces: list = []
    echo = option(doc, cell, "echo", ctx.echo_default)
    if echo == "fenced":
        pieces.append(t.code_block(cell.source, ["markdown"]))
    elif echo is True:
        code = t.code_block(cell.code, ["python"])
        if option(doc, cell, "code-fold", False) is True:
            summary = html.escape(ctx.code_label)
            pieces.append(([t.raw_block("html", f"<details class=\"obs-code\"><summary>{summary}</summary>"), code, t.raw_block("html", "</details>")], [code]))
        else:
            pieces.append(code)
    if option(doc, cell, "output") is False or not option(doc, cell, "eval"):
        return pieces
    asis = option(doc, cell, "output") == "asis"
    if option(doc, cell, "warning", False) is not True:  # the project's _quarto.yml sets `warning: false`
        outputs = [o for o in outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    return pieces + output_pieces(outputs, cell.label, cell.options, found, ctx, figures, stem, asis=asis)


def output_pieces(outputs, label, options, found, ctx: Context, figures: list, stem: str, asis: bool = False) -> list:
    pieces: list = []
    numbered = label if label and label in found else None
    kind = label.split("-", 1)[0] if label else None
    caption_text = str(options.get("fig-cap") or options.get("tbl-cap") or "").strip()
    where = f"{ctx.label}: the cell `{label}`" if label else f"{ctx.label}: a cell"
    caption_nodes = resolved_caption(t.markdown_inlines(caption_text, ctx.label), found, where) if caption_text else []
    caption_plain = t.stringify(caption_nodes)  # the caption as read, references resolved (the alt text without `fig-alt`)
    if numbered:
        caption_nodes = [{"t": "Str", "c": found[numbered] + ctx.delim}, *([{"t": "Space"}] + caption_nodes if caption_nodes else [])]
    caption = t.stringify(caption_nodes)
    figure_used = False
    tables: list = []
    subcaps = options.get("fig-subcap") if numbered else None
    subfigures: list = []
    for output in outputs:
        kind_out = output.get("output_type")
        if kind_out == "stream":
            if output.get("text", "").strip():
                text = _text(output["text"])
                pieces += t.markdown_blocks(text, ctx.label) if asis else [t.code_block(text.rstrip("\n"))]
            continue
        if kind_out == "error":  # only kept with `error: true`
            pieces.append(t.code_block(f"{output.get('ename')}: {output.get('evalue')}", ["error"]))
            continue
        if kind_out not in ("display_data", "execute_result"):
            continue
        data = output.get("data") or {}
        mime_vl = next((m for m in data if VEGALITE.match(m)), None)
        if (mime_vl or "image/svg+xml" in data or "image/png" in data) and subcaps:
            number = len(subfigures) + 1
            if number > len(subcaps):
                raise UserError(f"{ctx.label}: the cell `{label}` shows more plots than its {len(subcaps)} `fig-subcap` captions; add a caption for each.")
            sub_text = resolved_caption(t.markdown_inlines(str(subcaps[number - 1]), ctx.label), found, where)
            sub_nodes = [{"t": "Str", "c": f"({LETTERS[number - 1]})"}, {"t": "Space"}, *sub_text]
            figure = Figure(stem=f"{label}-{number}-{ctx.lang}", label=f"{label}-{number}", caption=t.stringify(sub_nodes),
                            alt=t.stringify(sub_text), caption_nodes=sub_nodes)
            set_figure_data(figure, data, mime_vl)
            figures.append(figure)
            if number == 1:
                pieces.append(SubFigures(label, t.read_layout(options), subfigures, caption_nodes))
            subfigures.append(figure)
        elif mime_vl or "image/svg+xml" in data or "image/png" in data:
            this_label = label if kind == "fig" and not figure_used else None
            figure = Figure(
                stem=f"{this_label or stem}-{ctx.lang}" if this_label else f"{stem}-{len(figures) + 1}-{ctx.lang}",
                label=this_label,
                caption=caption if this_label or caption_text else "",
                alt=str(options.get("fig-alt") or caption_plain or ""),
                caption_nodes=caption_nodes if this_label or caption_text else [],
            )
            set_figure_data(figure, data, mime_vl)
            if figure.spec is not None and not options.get("fig-alt"):
                figure.alt = ctx.describe(figure.spec) or figure.alt
            figure_used = figure_used or bool(this_label) or bool(caption_text)
            figures.append(figure)
            pieces.append(figure)
        elif TABLE_MIME in data and data[TABLE_MIME].get("styled"):
            pieces.append(([t.raw_block("html", _text(data["text/html"]))], [styled_table(data[TABLE_MIME], ctx, label, kind)]))
        elif TABLE_MIME in data:
            node = dataframe_table(data[TABLE_MIME], ctx, options)
            if kind == "tbl" or (caption_text and options.get("tbl-cap")):
                tables.append(node)
            else:
                pieces.append(node)
        elif "text/markdown" in data:
            pieces += t.markdown_blocks(_text(data["text/markdown"]), ctx.label)
        elif "text/html" in data:
            plain = [t.code_block(_text(data["text/plain"]))] if "text/plain" in data else []
            pieces.append(([t.raw_block("html", _text(data["text/html"]))], plain))
        elif "text/plain" in data:
            text = _text(data["text/plain"])
            pieces += t.markdown_blocks(text, ctx.label) if asis else [t.code_block(text)]
    if kind == "tbl" or (tables and caption_text):
        if not tables:
            raise UserError(f"{ctx.label}: the cell `{label}` has `tbl-cap` but shows no table; end the cell with a DataFrame.")
        first = tables[0]
        first["c"][1] = [None, [{"t": "Plain", "c": caption_nodes}]] if caption_nodes else first["c"][1]
        tables[0] = t.div([first], ident=numbered or "")
        pieces = tables + pieces
    elif subcaps:
        if len(subfigures) != len(subcaps):
            raise UserError(f"{ctx.label}: the cell `{label}` has {len(subcaps)} `fig-subcap` captions but shows {len(subfigures)} plots; give one caption per plot.")
    elif kind == "fig" and numbered and not figure_used:
        raise UserError(f"{ctx.label}: the cell `{label}` has a figure label but shows no chart or image.")
    return pieces


def dataframe_table(payload: dict, ctx: Context, options: dict) -> dict:
    """A DataFrame's values as a pandoc Table, formatted for the page's language (`observatorio.tables`)."""
    from .. import tables

    columns = payload["columns"]
    titles = tables.catalogue_titles(ctx.root, ctx.lang) if ctx.root else {}
    node = tables.pandoc_table(tables.formatted(columns, payload["rows"], ctx.number_style, titles))
    widths = options.get("tbl-colwidths")
    if isinstance(widths, list) and len(widths) == len(columns):
        total = sum(widths) or 1
        node["c"][2] = [[spec[0], {"t": "ColWidth", "c": w / total}] for spec, w in zip(node["c"][2], widths, strict=True)]
    return node


def styled_table(payload: dict, ctx: Context, label: str | None, kind: str | None) -> dict:
    """A `df.style` output in the PDF: a table of the texts it shows on the web (formats applied, colours not)."""
    from .. import tables

    where = f"{ctx.label}: the cell `{label}`" if label else f"{ctx.label}: a cell"
    if kind == "tbl":
        raise UserError(f"{where} shows `df.style` under a table label; a numbered table must be a DataFrame "
                        "(formatted by the observatory). End the cell with the DataFrame itself, or drop the `tbl-` label.")
    if payload["header_rows"] != 1:
        raise UserError(f"{where} shows `df.style` with {payload['header_rows']} header rows; the PDF can print one. "
                        "Give the frame one row of column names (`df.columns = [...]`) and no index name "
                        "(`df.reset_index()`, or `.hide(axis=\"index\")`).")
    return tables.pandoc_table(tables.formatted(payload["columns"], payload["rows"], ctx.number_style))


def set_figure_data(figure: Figure, data: dict, mime_vl: str | None) -> None:
    """A chart's spec, or an image's bytes and extension (and a print PNG when there is one), from an output's data."""
    if mime_vl:
        figure.spec, figure.ext = data[mime_vl], "svg"
    elif "image/svg+xml" in data:
        figure.image, figure.ext = _text(data["image/svg+xml"]).encode("utf-8"), "svg"
    else:
        figure.image, figure.ext = base64.b64decode(_text(data["image/png"])), "png"
    if PRINT_PNG_MIME in data:
        figure.print_image, figure.print_dpi = base64.b64decode(data[PRINT_PNG_MIME]["png"]), int(data[PRINT_PNG_MIME]["dpi"])


def print_figure(figure: Figure) -> dict:
    path = figure.print_path
    image = {"t": "Image", "c": [t.attr(), copy.deepcopy(figure.caption_nodes), [path, ""]]}
    if not figure.caption_nodes:
        return t.para([image])
    return {"t": "Figure", "c": [t.attr(figure.label or ""), [None, [{"t": "Plain", "c": copy.deepcopy(figure.caption_nodes)}]],
                                 [{"t": "Plain", "c": [image]}]]}


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def embedded(doc: Document, block: Embed, ctx: Context) -> tuple[list, dict]:
    """The saved outputs and `#|` options of the notebook cell `block.label` (Quarto's embed)."""
    path = (doc.path.parent / block.notebook).resolve()
    if not path.is_file():
        raise UserError(f"{doc.where(block.line)}: embedded notebook `{block.notebook}` not found.")
    nb = ctx.notebook(path)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = _text(cell.get("source", "")).split("\n")
        try:
            options = parse_options(path, source[: option_lines(source)], 1)
        except UserError:
            options = {}
        tags = (cell.get("metadata") or {}).get("tags") or []
        if options.get("label") == block.label or block.label in tags:
            outputs = cell.get("outputs") or []
            if not outputs:
                raise UserError(
                    f"{doc.where(block.line)}: the cell `{block.label}` of `{block.notebook}` has no saved outputs; "
                    "run the notebook (the build does this for notebooks/) or save it with outputs."
                )
            return outputs, options
    raise UserError(f"{doc.where(block.line)}: no cell labelled `{block.label}` in `{block.notebook}`.")
