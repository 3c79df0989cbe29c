"""Safe reading: the one way the build reads a source file (text, YAML or data).

Every file is read as a regular file inside the project (a symlink that leads outside it is
refused), below a size limit, as UTF-8 (anything else stops with the file and line named).
YAML is read with YAML 1.2 booleans (`true`/`false` only: `no`, `yes`, `on`, `off` stay text, so a
schema refuses them where a boolean is due), a bounded number of aliases, a bounded size once
aliases are expanded (a "billion laughs" document stops at once) and a bounded nesting depth.
`read_yaml` also checks the file against its schema (`observatorio.schemas`) and returns plain data.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import UserError

MAX_TEXT_BYTES = 5_000_000  # a configuration file, a page, a document
MAX_DATA_BYTES = 500_000_000  # a CSV in data/
MAX_ALIASES = 200  # alias uses (`*name`, `<<: *name`) in one YAML document
MAX_NODES = 200_000  # values in one YAML document once its aliases are expanded
MAX_DEPTH = 60  # nesting levels of one YAML document

LIMITS = (
    ("MAX_TEXT_BYTES", MAX_TEXT_BYTES, "bytes of a configuration file, page or document"),
    ("MAX_DATA_BYTES", MAX_DATA_BYTES, "bytes of a data file (CSV)"),
    ("MAX_ALIASES", MAX_ALIASES, "alias uses (`*name`, `<<: *name`) in one YAML file"),
    ("MAX_NODES", MAX_NODES, "values in one YAML file once its aliases are expanded"),
    ("MAX_DEPTH", MAX_DEPTH, "nesting levels of one YAML file"),
)

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser: 10-20 times faster


class Loader(_Base):
    """PyYAML's safe loader with YAML 1.2 booleans: only true/false (any case) are booleans."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class TolerantLoader(Loader):
    """`Loader` that reads mkdocs.yml, whose Python-specific tags (!!python/name, !ENV) it keeps as plain values."""


def _ignore_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


TolerantLoader.add_multi_constructor("", _ignore_tag)


class YAMLLimitError(yaml.YAMLError):
    """A YAML document beyond the limits above (too many aliases, too large once expanded, too deep)."""

    def __init__(self, problem: str, mark=None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


@dataclass
class YamlDocument:
    """Parsed YAML and the 1-based line of every key path, e.g. `("resources", 2, "public")`."""

    data: object
    lines: dict = field(default_factory=dict)

    def line(self, path: tuple) -> int | None:
        """The line of `path`, or of its nearest parent that is in the file."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)


def relative(path: Path, root: Path | None) -> str:
    """`path` as the user sees it: relative to the project when it is inside it."""
    if root is not None:
        try:
            return Path(path).absolute().relative_to(Path(root).absolute()).as_posix()
        except ValueError:
            pass
    return str(path)


def checked_file(path: Path, root: Path | None, max_bytes: int = MAX_TEXT_BYTES) -> Path:
    """`path` if it is a regular file inside `root` (after following symlinks) and not larger than `max_bytes`."""
    path = Path(path)
    name = relative(path, root)
    if root is not None:
        try:
            path.resolve().relative_to(Path(root).resolve())
        except ValueError:
            raise UserError(
                f"{name}: leads outside the project (to {path.resolve()}). "
                "Copy the file into the project instead of linking to it."
            ) from None
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UserError(f"{name}: not found.") from None
    if not stat.S_ISREG(info.st_mode):
        raise UserError(f"{name}: not a regular file. Replace it with a plain file.")
    if info.st_size > max_bytes:
        raise UserError(f"{name}: {info.st_size:,} bytes, more than the limit of {max_bytes:,}. Split the file or make it smaller.")
    return path


def decode(data: bytes, name: str) -> str:
    """`data` as UTF-8 text (a leading byte-order mark dropped); else an error naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(f"{name}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}). Save the file as UTF-8 (the default in most editors).") from None


def read_text(path: Path, root: Path | None = None, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """The text of a source file, read safely (see the module's docstring)."""
    path = checked_file(path, root, max_bytes)
    return decode(path.read_bytes(), relative(path, root))


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_node(node) -> None:
    """Refuse documents with too many aliases, too many values once expanded, or too deep.

    A depth-first walk in document order (an anchor comes before its aliases): a node met again
    is an alias, and the size of a node counts each alias as the whole value it names.
    """
    aliases = 0
    expanded: dict[int, int] = {}  # id(node) -> number of values in it, aliases expanded
    open_nodes: set[int] = set()  # nodes whose children are being walked
    stack = [(node, 1, False)]
    while stack:
        current, depth, children_done = stack.pop()
        key = id(current)
        if children_done:
            open_nodes.discard(key)
            expanded[key] = 1 + sum(expanded[id(child)] for child in _children(current))
            if expanded[key] > MAX_NODES:
                raise YAMLLimitError(f"more than {MAX_NODES:,} values once its aliases are expanded; write the values out or use fewer aliases", current.start_mark)
            continue
        if key in expanded or key in open_nodes:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YAMLLimitError(f"more than {MAX_ALIASES} aliases (`*name`); write the values out instead", current.start_mark)
            if key in open_nodes:
                raise YAMLLimitError("an alias inside the value it names (a recursive document)", current.start_mark)
            continue
        if depth > MAX_DEPTH:
            raise YAMLLimitError(f"nested more than {MAX_DEPTH} levels deep", current.start_mark)
        open_nodes.add(key)
        stack.append((current, depth, True))
        stack.extend((child, depth + 1, False) for child in reversed(_children(current)))


def _line_map(node, path: tuple = (), lines: dict | None = None) -> dict:
    lines = {} if lines is None else lines
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        merged = []
        for key, value in node.value:
            if key.tag == "tag:yaml.org,2002:merge":
                merged += value.value if isinstance(value, yaml.SequenceNode) else [value]
                continue
            child = path + (key.value,)
            lines[child] = key.start_mark.line + 1
            _line_map(value, child, lines)
        for source in merged:  # keys merged with `<<: *name` point at the anchor's lines
            if isinstance(source, yaml.MappingNode):
                for key, value in source.value:
                    if path + (key.value,) not in lines:
                        _line_map(value, path + (key.value,), lines)
                        lines[path + (key.value,)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, path + (index,), lines)
    return lines


def parse_yaml(text: str, loader: type = Loader, with_lines: bool = False) -> YamlDocument:
    """Parse one YAML document within the limits; raises `yaml.YAMLError` (with a line mark) otherwise."""
    if len(text) > MAX_TEXT_BYTES:
        raise YAMLLimitError(f"more than {MAX_TEXT_BYTES:,} characters")
    parser = loader(text)
    try:
        node = parser.get_single_node()
        if node is None:
            return YamlDocument(None, {})
        _check_node(node)
        data = parser.construct_document(node)
    finally:
        parser.dispose()
    return YamlDocument(data, _line_map(node) if with_lines else {})


def yaml_error(name: str, exc: yaml.YAMLError, line_offset: int = 0) -> UserError:
    """A `UserError` naming the file and line of a YAML problem."""
    mark = getattr(exc, "problem_mark", None)
    where = f", line {mark.line + 1 + line_offset}" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc)
    return UserError(f"{name}{where}: not valid YAML ({problem}). Fix the indentation, quoting or aliases there.")


def read_yaml_document(path: Path, root: Path | None, kind: str | None = None, loader: type = Loader) -> YamlDocument:
    """Read a YAML file safely, check it against the schema `kind` (see `observatorio.schemas`), keep its lines."""
    name = relative(path, root)
    text = read_text(path, root)
    try:
        document = parse_yaml(text, loader, with_lines=True)
    except yaml.YAMLError as exc:
        raise yaml_error(name, exc) from None
    if kind is not None:
        from .schemas import validate

        validate(kind, document, name)
    return document


def read_yaml(path: Path, root: Path | None, kind: str | None = None, loader: type = Loader):
    """`read_yaml_document(...).data`."""
    return read_yaml_document(path, root, kind, loader).data
