"""Read a Quarto document (.qmd) of the supported subset into blocks, with line numbers.

The subset (see ARCHITECTURE.md, "Reports and policy briefs"): YAML front matter, `{python}` cells
with `#|` options, inline `` `{python} expr` ``, cross-references `@fig-`/`@tbl-`/`@sec-`, callouts,
footnotes, citations and the `embed` shortcode. Anything else Quarto-specific is a `UserError`
naming the file and line, so nothing is silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import UserError
from ..files import load_yaml
from ..schemas import check_front_matter as check_front_matter_schema

CELL_OPTIONS = {"label", "echo", "output", "eval", "include", "fig-cap", "fig-alt", "tbl-cap"}
FRONT_MATTER_KEYS = {
    "title", "subtitle", "author", "authors", "date", "lang", "abstract", "keywords", "type", "topics",
    "bibliography", "number-sections", "crossref", "execute", "format", "jupyter", "toc", "toc-title",
    "description", "engine", "draft", "only-language", "csl", "reference-section-title",
    "slug", "version", "corrections", "datasets",  # publications: address, version log, datasets beyond those read
}
EXECUTE_KEYS = {"echo", "output", "eval", "include"}
CROSSREF_KEYS = {"fig-prefix", "tbl-prefix", "sec-prefix", "title-delim"}
CALLOUTS = ("note", "tip", "warning", "important", "caution")
REF_KINDS = ("fig", "tbl", "sec")
QUARTO_REF_KINDS = ("eq", "lst", "thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr", "sol", "rem", "alg")

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(.*)$")
EXECUTABLE = re.compile(r"^\{\s*([A-Za-z0-9_]+)([^}]*)\}\s*$")
DIV_OPEN = re.compile(r"^(:{3,})\s*(.*?)\s*$")
SHORTCODE = re.compile(r"\{\{<\s*([A-Za-z0-9_-]+)\s*(.*?)\s*>\}\}")
INLINE_CODE = re.compile(r"`\{([A-Za-z0-9_]+)\}\s+([^`]+)`")
REF = re.compile(r"(?<![\w@.])-?@([A-Za-z0-9_][\w:.#$%&+?<>~/-]*[\w])")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
HEADING_ATTRS = re.compile(r"\s*\{([^}]*)\}\s*$")


@dataclass
class Cell:
    """A `{python}` code cell: its code, `#|` options and the lines it spans in the file."""

    code: str
    options: dict
    start: int  # line of the opening fence (1-based)
    end: int  # line of the closing fence
    code_start: int = 0  # file line of the first line of `code`
    place: str = ""  # how messages name the cell when it has no file lines (notebook cells)

    @property
    def label(self) -> str | None:
        return self.options.get("label")

    def lines(self) -> str:
        return f"{self.start}–{self.end}"

    def describe(self) -> str:
        return self.place or f"the cell at lines {self.lines()}"


@dataclass
class Markdown:
    """Prose between cells; `start` is the file line of its first line."""

    text: str
    start: int


@dataclass
class Embed:
    """`{{< embed path#label >}}`: a notebook cell's saved output."""

    notebook: str
    label: str
    line: int


@dataclass
class Heading:
    level: int
    text: str
    ident: str | None
    classes: list[str]
    line: int
    in_callout: bool


@dataclass
class Document:
    path: Path
    meta: dict
    blocks: list = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    refs: list[tuple[str, int]] = field(default_factory=list)  # (key, line) of every @key

    def where(self, line: int) -> str:
        return f"{self.path}, line {line}"

    @property
    def cells(self) -> list[Cell]:
        return [b for b in self.blocks if isinstance(b, Cell)]


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
            return meta, index + 1
    raise UserError(f"{path}, line 1: the front matter is not closed; add a line `---` after it.")


def _key_line(lines: list[str], key: str, default: int = 1) -> int:
    for number, line in enumerate(lines, 1):
        if re.match(rf"^\s*{re.escape(key)}\s*:", line):
            return number
    return default


def check_front_matter(path: Path, meta: dict, text: str) -> None:
    lines = text.split("\n")
    for key, value in meta.items():
        if key not in FRONT_MATTER_KEYS:
            allowed = ", ".join(sorted(FRONT_MATTER_KEYS))
            raise UserError(f"{path}, line {_key_line(lines, key)}: front matter key `{key}` is outside the supported subset. Use one of: {allowed}.")
        if key == "execute" and isinstance(value, dict):
            for option in value:
                if option not in EXECUTE_KEYS:
                    raise UserError(f"{path}, line {_key_line(lines, option)}: `execute: {option}` is not supported; use {', '.join(sorted(EXECUTE_KEYS))}.")
        if key == "crossref" and isinstance(value, dict):
            for option in value:
                if option not in CROSSREF_KEYS:
                    raise UserError(f"{path}, line {_key_line(lines, option)}: `crossref: {option}` is not supported; use {', '.join(sorted(CROSSREF_KEYS))}.")
    check_front_matter_schema(str(path), text)


def parse_options(path: Path, lines: list[str], first_line: int) -> dict:
    """`#| key: value` lines as a dict; unknown keys are errors naming their line."""
    options = {}
    for offset, line in enumerate(lines):
        number = first_line + offset
        body = line.strip()[2:].strip()
        if not body:
            continue
        try:
            value = load_yaml(body)
        except yaml.YAMLError:
            raise UserError(f"{path}, line {number}: cannot read the cell option `{body}`; write `#| key: value`.") from None
        if not isinstance(value, dict) or len(value) != 1:
            raise UserError(f"{path}, line {number}: cannot read the cell option `{body}`; write `#| key: value`.")
        key, val = next(iter(value.items()))
        if key not in CELL_OPTIONS:
            raise UserError(
                f"{path}, line {number}: cell option `{key}` is outside the supported subset. "
                f"Use one of: {', '.join(sorted(CELL_OPTIONS))}."
            )
        options[key] = val
    label = options.get("label")
    if label is not None and not re.fullmatch(r"[A-Za-z][\w-]*", str(label)):
        raise UserError(f"{path}, line {first_line}: label `{label}` must be letters, digits and hyphens (fig-name, tbl-name).")
    return options


def parse(path: Path, text: str | None = None, extra_meta: dict | None = None) -> Document:
    """Parse `path` (or `text`) into a Document; `extra_meta` (from _metadata.yml) is merged under it."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if text is None else text
    text = text.replace("\r\n", "\n")
    own, body_start = read_front_matter(path, text)
    check_front_matter(path, own, text)
    meta = merge(extra_meta or {}, own)
    doc = Document(path=path, meta=meta)
    lines = text.split("\n")
    prose: list[str] = []
    prose_start = body_start + 1
    divs: list[str] = []  # stack of open div kinds: "callout" | "refs"
    index = body_start

    def flush(next_line: int) -> None:
        nonlocal prose, prose_start
        if prose and any(line.strip() for line in prose):
            doc.blocks.append(Markdown("\n".join(prose), prose_start))
        prose = []
        prose_start = next_line

    while index < len(lines):
        line = lines[index]
        number = index + 1
        fence = FENCE.match(line)
        if fence:
            marks, info = fence.group(2), fence.group(3).strip()
            close = _find_close(lines, index, marks)
            if close is None:
                raise UserError(f"{path}, line {number}: code block is not closed; add a line `{marks}`.")
            executable = EXECUTABLE.match(info)
            if executable:
                language = executable.group(1)
                if language != "python":
                    raise UserError(f"{path}, line {number}: `{{{language}}}` cells are outside the supported subset; only `{{python}}` cells run.")
                if divs:
                    raise UserError(f"{path}, line {number}: a code cell inside a `:::` block is not supported; move it out.")
                flush(close + 2)
                body = lines[index + 1 : close]
                count = 0
                while count < len(body) and body[count].lstrip().startswith("#|"):
                    count += 1
                options = parse_options(path, body[:count], number + 1)
                code_lines = body[count:]
                leading = next((i for i, text in enumerate(code_lines) if text.strip()), 0)
                doc.blocks.append(Cell("\n".join(code_lines).strip("\n"), options, number, close + 1, number + 1 + count + leading))
                index = close + 1
                continue
            if info.startswith("{=") or info.startswith("{."):
                raise UserError(f"{path}, line {number}: raw or attribute code blocks (`{info}`) are outside the supported subset; use a plain ``` block.")
            prose.extend(lines[index : close + 1])
            index = close + 1
            continue
        div = DIV_OPEN.match(line)
        if div:
            attrs = div.group(2)
            if not attrs:
                if not divs:
                    raise UserError(f"{path}, line {number}: `:::` closes nothing; remove it or open a callout before it.")
                divs.pop()
            else:
                divs.append(_div_kind(path, number, attrs))
            prose.append(line)
            index += 1
            continue
        for match in SHORTCODE.finditer(line):
            name = match.group(1)
            if name != "embed":
                raise UserError(f"{path}, line {number}: shortcode `{{{{< {name} >}}}}` is outside the supported subset; only `embed` is supported.")
            if line.strip() != match.group(0):
                raise UserError(f"{path}, line {number}: put the `embed` shortcode on a line of its own.")
            target = match.group(2).strip().strip('"')
            if "#" not in target:
                raise UserError(f"{path}, line {number}: `embed` needs a cell label: `{{{{< embed notebook.ipynb#fig-label >}}}}`.")
            notebook, label = target.split("#", 1)
            if not notebook.endswith(".ipynb"):
                raise UserError(f"{path}, line {number}: only notebooks (.ipynb) can be embedded, not `{notebook}`.")
            flush(number + 1)
            doc.blocks.append(Embed(notebook, label, number))
            line = None
            break
        if line is None:
            index += 1
            continue
        _check_prose_line(doc, line, number, bool(divs))
        prose.append(line)
        index += 1
    if divs:
        raise UserError(f"{path}: a `:::` block is not closed at the end of the file; add a line `:::`.")
    flush(len(lines) + 1)
    return doc


def _find_close(lines: list[str], start: int, marks: str) -> int | None:
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith(marks[0] * len(marks)) and set(stripped) == {marks[0]}:
            return index
    return None


def _div_kind(path: Path, number: int, attrs: str) -> str:
    inner = attrs.strip()
    if inner.startswith("{") and inner.endswith("}"):
        inner = inner[1:-1].strip()
    tokens = inner.split()
    if tokens and tokens[0] == "#refs" and len(tokens) == 1:
        return "refs"
    classes = [t for t in tokens if t.startswith(".")]
    if len(classes) == 1 and classes[0][1:] in {f"callout-{kind}" for kind in CALLOUTS}:
        return "callout"
    allowed = ", ".join(f"{{.callout-{kind}}}" for kind in CALLOUTS)
    raise UserError(f"{path}, line {number}: `::: {attrs}` is outside the supported subset; use a callout ({allowed}) or `::: {{#refs}}`.")


def _check_prose_line(doc: Document, line: str, number: int, in_div: bool) -> None:
    path = doc.path
    for match in INLINE_CODE.finditer(line):
        if match.group(1) != "python":
            raise UserError(f"{path}, line {number}: inline `{{{match.group(1)}}}` code is outside the supported subset; use `{{python}} expression`.")
    stripped = _without_inline_code(line)
    heading = HEADING.match(stripped) if not stripped.startswith("    ") else None
    if heading:
        text = heading.group(2)
        ident, classes = None, []
        attrs = HEADING_ATTRS.search(text)
        if attrs:
            text = text[: attrs.start()]
            for token in attrs.group(1).split():
                if token.startswith("#"):
                    ident = token[1:]
                elif token.startswith("."):
                    classes.append(token[1:])
                elif token == "-":
                    classes.append("unnumbered")
        doc.headings.append(Heading(len(heading.group(1)), text.strip(), ident, classes, number, in_div))
        if ident and "-" in ident and ident.split("-")[0] in ("fig", "tbl"):
            raise UserError(f"{path}, line {number}: a heading cannot carry the label `{ident}`; use `#sec-…` for sections.")
    for match in REF.finditer(stripped):
        key = match.group(1)
        prefix = key.split("-", 1)[0] if "-" in key else ""
        if prefix in QUARTO_REF_KINDS:
            raise UserError(f"{path}, line {number}: cross-reference `@{key}` is outside the supported subset; only @fig-, @tbl- and @sec- are supported.")
        doc.refs.append((key, number))


def _without_inline_code(line: str) -> str:
    """The line with `code spans` blanked, so `@` or `#` inside them are not taken as syntax."""
    return re.sub(r"`[^`]*`", lambda m: " " * len(m.group(0)), line)


def merge(base: dict, over: dict) -> dict:
    """Deep-merge two metadata mappings (`over` wins), as Quarto merges _metadata.yml."""
    result = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def inline_expressions(text: str) -> list[str]:
    return [m.group(2).strip() for m in INLINE_CODE.finditer(text) if m.group(1) == "python"]


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
