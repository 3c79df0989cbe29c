"""Read a Quarto document (.qmd) of the supported subset into pandoc's document tree, with line numbers.

As Quarto does, the text is only lightly preprocessed: the YAML front matter is read, each
`{python}` cell (its fence and `#|` options, read as one YAML mapping) is taken out and replaced by a
placeholder, and the rest is parsed once by pandoc (`pandoc -t json`). Everything else is found on
that tree (`observatorio.reports.tree`): inline values `` `{python} expr` `` (Code nodes), cross-references and
citations (Cite nodes), callouts and floats (Div nodes), headings, equations and shortcodes, so that
code shown inside a fence or a code span is never mistaken for syntax.
Anything Quarto-specific outside the supported subset is a `UserError` naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import UserError
from ..files import load_yaml
from ..schemas import check_front_matter as check_front_matter_schema
from . import tree

CELL_OPTIONS = {
    "label", "echo", "output", "eval", "include", "fig-cap", "fig-alt", "tbl-cap", "code-fold", "warning", "error", "tbl-colwidths",
    "fig-subcap", "layout-ncol", "layout-nrow", "layout", "fig-width", "fig-height", "fig-dpi", "fig-format",
}
FIGURE_OPTIONS = {"fig-width": 7.0, "fig-height": 5.0, "fig-dpi": 96, "fig-format": "svg"}  # Quarto's HTML defaults, but SVG
FIGURE_FORMATS = ("svg", "png", "retina")
FRONT_MATTER_KEYS = {
    "title", "subtitle", "author", "authors", "date", "lang", "abstract", "keywords", "type", "topics",
    "bibliography", "number-sections", "crossref", "execute", "format", "jupyter", "toc", "toc-title",
    "description", "engine", "draft", "only-language", "csl", "reference-section-title", "reference-location",
    "slug", "version", "corrections", "datasets",  # publications: address, version log, datasets beyond those read
    *FIGURE_OPTIONS,  # document defaults of the cell options
}
EXECUTE_KEYS = {"echo", "output", "eval", "include", "timeout", "warning", "error"}
REFERENCE_LOCATIONS = ("document", "section", "block")  # Quarto's `reference-location` (footnotes), but `margin`
CROSSREF_KEYS = {"fig-prefix", "tbl-prefix", "sec-prefix", "eq-prefix", "title-delim"}

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(.*)$")
EXECUTABLE = re.compile(r"^\{\s*([A-Za-z0-9_]+)([^}]*)\}\s*$")
INCLUDE = re.compile(r"^\s*\{\{<\s*include\s+(.*?)\s*>\}\}\s*$")
CELL_PLACEHOLDER = "obs-cell"  # raw block format of a cell's placeholder in the tree


@dataclass
class Cell:
    """A `{python}` code cell: its code, `#|` options and the lines it spans in the file."""

    code: str
    options: dict
    start: int  # line of the opening fence (1-based)
    end: int  # line of the closing fence
    code_start: int = 0  # file line of the first line of `code`
    place: str = ""  # how messages name the cell when it has no file lines (notebook cells)
    source: str = ""  # the cell as written, options included (for `echo: fenced`)

    @property
    def label(self) -> str | None:
        return self.options.get("label")

    def lines(self) -> str:
        return f"{self.start}–{self.end}"

    def describe(self) -> str:
        return self.place or f"the cell at lines {self.lines()}"


@dataclass
class Markdown:
    """The inline expressions of the prose between two cells, in order, with their lines."""

    expressions: list[str]
    lines: list[int]

    @property
    def start(self) -> int:
        return self.lines[0] if self.lines else 1


@dataclass
class Embed:
    """`{{< embed path#label >}}`: a notebook cell's saved output."""

    notebook: str
    label: str
    line: int


@dataclass
class Document:
    path: Path
    meta: dict
    blocks: list = field(default_factory=list)  # Cell, Markdown and Embed in document order
    tree: dict = field(default_factory=dict)  # pandoc's JSON document, cells as placeholders
    lines: LineMap | None = None
    notes: list[str] = field(default_factory=list)  # what the build summary should say (ignored keys)
    origins: list[tuple[Path, int]] = field(default_factory=list)  # file and line of each line, after includes

    def where(self, line: int) -> str:
        if 0 < line <= len(self.origins):
            path, line = self.origins[line - 1]
            return f"{path}, line {line}"
        return f"{self.path}, line {line}"

    def at(self, line: int) -> str:
        """`line N`, or `_part.qmd, line N` for a line written in an included file."""
        if 0 < line <= len(self.origins) and self.origins[line - 1][0] != self.path:
            path, line = self.origins[line - 1]
            return f"{path.name}, line {line}"
        return f"line {line}"

    def relocate(self, error: UserError) -> UserError:
        """The error with its `file, line N` (a line of the text after includes) naming the file and line written."""
        message = str(error)
        found = re.match(rf"{re.escape(str(self.path))}, line (\d+)", message)
        if not found or not self.origins:
            return error
        return UserError(self.where(int(found.group(1))) + message[found.end() :])

    @property
    def cells(self) -> list[Cell]:
        return [b for b in self.blocks if isinstance(b, Cell)]


class LineMap:
    """Where a piece of the source text is, for messages: the first occurrence outside code blocks,
    searched from a cursor that follows the document order."""

    def __init__(self, text: str, skipped: list[tuple[int, int]]):
        self.text = text
        self.skipped = skipped  # (start, end) character ranges of code blocks and cells
        self.cursor = 0

    def line(self, needle: str, advance: bool = False, default: int = 1) -> int:
        start = self.cursor if advance else 0
        while True:
            found = self.text.find(needle, start)
            if found < 0:
                return self.line(needle) if advance and start else default
            inside = next((end for begin, end in self.skipped if begin <= found < end), None)
            if inside is None:
                if advance:
                    self.cursor = found + len(needle)
                return self.text.count("\n", 0, found) + 1
            start = inside


def read_front_matter(path: Path, text: str) -> tuple[dict, int]:
    """The YAML front matter and the index of the first body line (0-based)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise UserError(f"{path}, line 1: a publication starts with YAML front matter between `---` lines (title, lang, …).")
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            try:
                meta = load_yaml("\n".join(lines[1:index])) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = mark.line + 2 if mark else 1
                raise UserError(f"{path}, line {line}: front matter is not valid YAML ({getattr(exc, 'problem', exc)}).") from None
            if not isinstance(meta, dict):
                raise UserError(f"{path}, line 2: front matter must be a mapping of keys (title:, lang:, …).")
            if meta.get("date") in ("today", "last-modified"):
                meta["date"] = quarto_date(path, meta["date"])
            return meta, index + 1
    raise UserError(f"{path}, line 1: the front matter is not closed; add a line `---` after it.")


def quarto_date(path: Path, keyword: str):
    """Quarto's `date: today` (the build's day, `SOURCE_DATE_EPOCH` when set) and `date: last-modified` (the file's)."""
    import datetime as dt
    import os

    if keyword == "last-modified" and Path(path).is_file():
        return dt.date.fromtimestamp(Path(path).stat().st_mtime)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()


def _key_line(lines: list[str], key: str, default: int = 1) -> int:
    for number, line in enumerate(lines, 1):
        if re.match(rf"^\s*{re.escape(key)}\s*:", line):
            return number
    return default


REFUSED_KEYS = {  # keys Quarto reads that would change what the page says: refused, with what to write instead
    "params": "the built-in engine does not inject parameters; set the values in a cell",
    "filters": "Lua filters are not run, so the page would say something else; remove it",
    "shortcodes": "shortcode extensions are not run; remove it",
    "execute-dir": "cells run in the publication's folder; remove it and read files relative to that folder",
    "shift-heading-level-by": "section numbers and references would change; remove it",
    "number-offset": "section numbers and references would change; remove it",
    "number-depth": "section numbers and references would change; remove it",
    "citeproc": "citations are always processed by citeproc; remove it",
    "cite-method": "citations are always processed by citeproc; remove it",
    "nocite": "only the works cited in the text are listed; cite the work or remove it",
    "df-print": "a DataFrame is always shown as a table built from its values; remove it",
    "include-before-body": "text added to the page is not supported; write it in the document",
    "include-after-body": "text added to the page is not supported; write it in the document",
    "include-in-header": "text added to the page is not supported; remove it",
    "header-includes": "text added to the page is not supported; remove it",
    **{key: "Quarto applies it to every cell; write it under `execute:`" for key in ("echo", "eval", "output", "warning", "error", "include")},
}
EXECUTE_IGNORED = {"cache", "freeze", "daemon", "daemon-restart", "debug", "keep-ipynb"}  # only how fast or where Quarto runs cells


def check_front_matter(path: Path, meta: dict, text: str) -> list[str]:
    """The one place where a document's front matter is checked against the supported subset; returns
    the notes for the build summary on keys it ignores. A key that would change what the page says
    (`REFUSED_KEYS`) stops the build; other keys the engine does not use are ignored with a note."""
    lines = text.split("\n")
    ignored: list[tuple[str, ...]] = []
    for key, value in meta.items():
        if key in REFUSED_KEYS:
            raise UserError(f"{path}, line {_key_line(lines, key)}: front matter key `{key}` is not supported by the built-in engine: {REFUSED_KEYS[key]}.")
        if key not in FRONT_MATTER_KEYS:
            ignored.append((key,))
            continue
        if key in FIGURE_OPTIONS:
            check_figure_option(path, _key_line(lines, key), key, value)
        if key == "reference-location" and value not in REFERENCE_LOCATIONS:
            raise UserError(
                f"{path}, line {_key_line(lines, key)}: `reference-location: {value}` is not supported by the built-in engine "
                f"(footnotes in the margin are not drawn); write `reference-location:` {', '.join(REFERENCE_LOCATIONS)}, or remove it "
                "(footnotes at the end of the page)."
            )
        if key == "execute" and isinstance(value, dict):
            for option in value:
                if option in EXECUTE_IGNORED:
                    ignored.append(("execute", option))
                elif option not in EXECUTE_KEYS:
                    raise UserError(f"{path}, line {_key_line(lines, option)}: `execute: {option}` is not supported; use {', '.join(sorted(EXECUTE_KEYS))}.")
        if key == "format" and isinstance(value, dict):
            for name, options in value.items():
                options = options if isinstance(options, dict) else {}
                if "reference-location" in options:
                    raise UserError(
                        f"{path}, line {_key_line(lines, 'reference-location')}: `format: {name}: reference-location` is not supported by "
                        "the built-in engine (one placement for the page; the PDF's footnotes are at the page's foot); "
                        "write `reference-location:` at the top level of the front matter."
                    )
                for option_name in set(options) & set(FIGURE_OPTIONS) if name == "html" else ():
                    check_figure_option(path, _key_line(lines, option_name), option_name, options[option_name])
                changed = sorted(o for o in options if str(o).startswith(("fig-", "code-", "df-")) and not (name == "html" and o in FIGURE_OPTIONS))
                if changed:
                    raise UserError(
                        f"{path}, line {_key_line(lines, changed[0])}: `format: {name}: {changed[0]}` is not supported by the built-in engine "
                        "(it runs the document once for the web and the PDF); write it at the top level of the front matter "
                        "or under `format: html:` (figure options), or set the option on the cell."
                    )
        if key == "crossref" and isinstance(value, dict):
            for option in value:
                if option not in CROSSREF_KEYS:
                    raise UserError(f"{path}, line {_key_line(lines, option)}: `crossref: {option}` is not supported; use {', '.join(sorted(CROSSREF_KEYS))}.")
    check_front_matter_schema(str(path), text, tuple(ignored))
    return [f"front matter `{': '.join(key)}` ignored (the built-in engine does not use it)" for key in ignored]


def check_figure_option(path: Path, line: int, key: str, value) -> None:
    """`fig-width`/`fig-height` (inches), `fig-dpi` and `fig-format` with values the engine can honour."""
    if key == "fig-format":
        ok, wanted = value in FIGURE_FORMATS, f"one of {', '.join(FIGURE_FORMATS)}"
    elif key == "fig-dpi":
        ok, wanted = isinstance(value, int) and not isinstance(value, bool) and 10 <= value <= 1200, "a whole number of dots per inch (for example 150)"
    else:
        ok, wanted = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 50, "a size in inches (for example 6.5)"
    if not ok:
        raise UserError(f"{path}, line {line}: `{key}: {value}` is not supported; write {wanted}.")


def figure_options(meta: dict, options: dict) -> tuple:
    """A cell's (fig-width, fig-height, fig-dpi, fig-format): the cell's option, else the document's
    (top level, else `format: html:`), else Quarto's HTML default (the format: SVG)."""
    html = ((meta.get("format") or {}).get("html") or {}) if isinstance(meta.get("format"), dict) else {}
    html = html if isinstance(html, dict) else {}
    return tuple(options.get(key, meta.get(key, html.get(key, default))) for key, default in FIGURE_OPTIONS.items())


def option_lines(lines: list[str]) -> int:
    """How many of the cell's first lines are `#|` option comments."""
    count = 0
    while count < len(lines) and lines[count].lstrip().startswith("#|"):
        count += 1
    return count


def parse_options(path: Path, lines: list[str], first_line: int) -> dict:
    """`#| key: value` lines read as one YAML mapping (so `#| fig-cap: |` over several lines works);
    unknown keys are errors naming their line."""
    body = "\n".join(re.sub(r"^\s*#\|\s?", "", line) for line in lines)
    if not body.strip():
        return {}
    try:
        options = load_yaml(body)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        raise UserError(
            f"{path}, line {line}: cannot read the cell options ({getattr(exc, 'problem', exc)}); "
            "write `#| key: value`, and a value over several lines as `#| key: |` followed by `#|   text` lines."
        ) from None
    if not isinstance(options, dict):
        raise UserError(f"{path}, line {first_line}: cannot read the cell options; write `#| key: value`.")
    for key in options:
        if key not in CELL_OPTIONS:
            number = first_line + next((i for i, text in enumerate(lines) if re.match(rf"^\s*#\|\s*{re.escape(str(key))}\s*:", text)), 0)
            raise UserError(
                f"{path}, line {number}: cell option `{key}` is outside the supported subset. "
                f"Use one of: {', '.join(sorted(CELL_OPTIONS))}."
            )
    for key in set(options) & set(FIGURE_OPTIONS):
        number = first_line + next((i for i, text in enumerate(lines) if re.match(rf"^\s*#\|\s*{key}\s*:", text)), 0)
        check_figure_option(path, number, key, options[key])
    label = options.get("label")
    if label is not None and not re.fullmatch(r"[A-Za-z][\w-]*", str(label)):
        raise UserError(f"{path}, line {first_line}: label `{label}` must be letters, digits and hyphens (fig-name, tbl-name).")
    if "fig-subcap" in options or set(options) & set(tree.LAYOUT_KEYS):
        subcaps = options.get("fig-subcap")
        if not (str(label).startswith("fig-") and isinstance(subcaps, list) and subcaps and tree.read_layout(options) is not None):
            raise UserError(
                f"{path}, line {first_line}: sub-figures from a cell need `#| label: fig-name`, `#| fig-cap:`, "
                "`#| fig-subcap:` as a list (`- First`, `- Second`) and one of `#| layout-ncol: 2`, `#| layout-nrow: 2` "
                "or `#| layout: [[1,1],[1]]` (rows of relative widths) together."
            )
    return options


def split_cells(path: Path, body: list[str], first_line: int) -> tuple[str, list[Cell], list[tuple[int, int]]]:
    """The body with each `{python}` cell replaced by a placeholder raw block, the cells, and the
    character ranges of all code (cells and ordinary fences) in the original text."""
    out: list[str] = []
    cells: list[Cell] = []
    code_ranges: list[tuple[int, int]] = []
    offsets = [0]
    for line in body:
        offsets.append(offsets[-1] + len(line) + 1)
    index = 0
    while index < len(body):
        line = body[index]
        number = first_line + index
        fence = FENCE.match(line)
        if not fence:
            out.append(line)
            index += 1
            continue
        marks, info = fence.group(2), fence.group(3).strip()
        close = _find_close(body, index, marks)
        if close is None:
            raise UserError(f"{path}, line {number}: code block is not closed; add a line `{marks}`.")
        code_ranges.append((offsets[index], offsets[close + 1]))
        executable = EXECUTABLE.match(info)
        if not executable:
            out.extend(body[index : close + 1])
            index = close + 1
            continue
        language = executable.group(1)
        if language != "python":
            raise UserError(f"{path}, line {number}: `{{{language}}}` cells are outside the supported subset; only `{{python}}` cells run.")
        lines = body[index + 1 : close]
        count = option_lines(lines)
        options = parse_options(path, lines[:count], number + 1)
        code_lines = lines[count:]
        leading = next((i for i, text in enumerate(code_lines) if text.strip()), 0)
        source = "\n".join(body[index : close + 1])
        cells.append(Cell("\n".join(code_lines).strip("\n"), options, number, first_line + close, number + 1 + count + leading, source=source))
        filler = [""] * max(0, close - index - 2)  # the placeholder keeps the cell's line count, so pandoc's lines are the file's
        out += [f"```{{={CELL_PLACEHOLDER}}}", str(len(cells) - 1), *filler, "```"]
        index = close + 1
    return "\n".join(out), cells, code_ranges


def expand_includes(path: Path, text: str, chain: tuple[Path, ...] = ()) -> tuple[str, list[tuple[Path, int]]]:
    """Quarto's `{{< include file >}}` on a line of its own: the file's text in its place, before
    anything is parsed (a path is relative to the file that includes it; code blocks are left as written).
    Returns the text and, for each of its lines, the file and line it was written on."""
    lines = text.split("\n")
    out: list[str] = []
    origins: list[tuple[Path, int]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = FENCE.match(line)
        close = _find_close(lines, index, fence.group(2)) if fence else None
        if close is not None:
            out += lines[index : close + 1]
            origins += [(path, number) for number in range(index + 1, close + 2)]
            index = close + 1
            continue
        include = INCLUDE.match(line)
        if not include:
            out.append(line)
            origins.append((path, index + 1))
            index += 1
            continue
        where = f"{path}, line {index + 1}"
        name = include.group(1).strip("\"'")
        if not name or name.startswith("/"):
            raise UserError(f"{where}: write the included file as a path relative to this file: `{{{{< include _part.qmd >}}}}`.")
        target = path.parent / name
        if not target.is_file():
            raise UserError(f"{where}: included file `{name}` not found (looked for {target}).")
        if target.resolve() in chain + (path.resolve(),):
            raise UserError(f"{where}: `{name}` includes itself (through {' → '.join(p.name for p in chain + (path,))}); remove one of the includes.")
        included = target.read_text(encoding="utf-8").replace("\r\n", "\n")
        if included.startswith("---\n"):
            raise UserError(f"{target}, line 1: an included file has no front matter; move its keys into the document that includes it.")
        part, part_origins = expand_includes(target, included.rstrip("\n"), chain + (path.resolve(),))
        out += part.split("\n")
        origins += part_origins
        index += 1
    return "\n".join(out), origins


def included_files(path: Path) -> list[Path]:
    """The files `path` includes (`{{< include >}}`, also through other included files), in order."""
    _, origins = expand_includes(path, path.read_text(encoding="utf-8").replace("\r\n", "\n"))
    return list(dict.fromkeys(file for file, _ in origins if file != path))


def _find_close(lines: list[str], start: int, marks: str) -> int | None:
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith(marks[0] * len(marks)) and set(stripped) == {marks[0]}:
            return index
    return None


def parse(path: Path, text: str | None = None, extra_meta: dict | None = None) -> Document:
    """Parse `path` (or `text`) into a Document; `extra_meta` (from _metadata.yml) is merged under it."""

    path = Path(path)
    text = path.read_text(encoding="utf-8") if text is None else text
    text = text.replace("\r\n", "\n")
    own, body_start = read_front_matter(path, text)
    notes = check_front_matter(path, own, text)
    text, origins = expand_includes(path, text)
    doc = Document(path=path, meta=merge(extra_meta or {}, own), notes=notes, origins=origins if len(set(p for p, _ in origins)) > 1 else [])
    try:
        lines = text.split("\n")
        body, cells, code_ranges = split_cells(path, lines[body_start:], body_start + 1)
        offset = sum(len(line) + 1 for line in lines[:body_start])
        doc.lines = LineMap(text, [(begin + offset, end + offset) for begin, end in code_ranges])
        doc.tree = tree.read_markdown(body, f"{path}", first_line=body_start + 1)
        tree.find_blocks(doc, cells)
    except UserError as error:
        raise doc.relocate(error) from None
    for cell in doc.cells if doc.origins else ():
        (source, start), (_, end) = origins[cell.start - 1], origins[cell.end - 1]
        if source != path:
            cell.place = f"the cell at lines {start}–{end} of {source.name}"
            cell.code_start = origins[cell.code_start - 1][1] if cell.code_start else 0
    return doc


def notebook_document(path: Path, nb) -> Document:
    """A notebook as a Document: markdown cells are prose, code cells are cells (echo on); the first
    `# Heading` is the title."""

    doc = Document(path=path, meta={"execute": {"echo": True}})
    title = None
    parts: list[str] = []
    cells: list[Cell] = []
    for number, cell in enumerate(nb.cells, 1):
        text = cell.source
        if cell.cell_type == "markdown":
            if title is None and text.lstrip().startswith("# "):
                first, _, rest = text.lstrip().partition("\n")
                title, text = first[2:].strip(), rest
            parts.append(text)
        elif cell.cell_type == "code":
            lines = text.split("\n")
            count = option_lines(lines)
            options = parse_options(path, lines[:count], 1)
            code = "\n".join(lines[count:]).strip("\n")
            cells.append(Cell(code, options, number, number, place=f"cell {number}", source=f"```{{python}}\n{text}\n```"))
            parts.append(f"```{{={CELL_PLACEHOLDER}}}\n{len(cells) - 1}\n```")
    doc.meta["title"] = title or path.stem
    doc.lines = LineMap("", [])
    doc.tree = tree.read_markdown("\n\n".join(parts), str(path))
    tree.find_blocks(doc, cells)
    return doc


def merge(base: dict, over: dict) -> dict:
    """Deep-merge two metadata mappings (`over` wins), as Quarto merges _metadata.yml."""
    result = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def authors(meta: dict) -> list[str]:
    """Author names from `author:`/`authors:` as a string, a list of strings or of {name: …}."""
    value = meta.get("author", meta.get("authors")) or []
    if isinstance(value, (str, dict)):
        value = [value]
    names = []
    for item in value:
        if isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, dict):
                name = name.get("literal") or " ".join(str(v) for v in name.values())
            names.append(str(name))
        else:
            names.append(str(item))
    return names
