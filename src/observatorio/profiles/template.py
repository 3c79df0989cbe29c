"""Read the parameterized profile study (`profiles/_template/index[.<lang>].qmd`).

The template is valid Quarto: its front matter declares `params:` and one cell carries
`#| tags: [parameters]` with the default values (Quarto's Jupyter convention, as papermill's).
The built-in engine's parser supports neither key, so both are blanked here before parsing, keeping
every line where it was (so messages still name the right line). Quarto itself renders one country
with `quarto render profiles/_template/index.qmd -P iso3:PRT`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import UserError
from ..files import load_yaml
from ..i18n import Language
from ..reports.qmd import Cell, Document, parse, read_front_matter
from ..reports.sources import localized
from ..safe_read import read_text
from .model import TEMPLATE_DIR

OPTION = re.compile(r"^\s*#\|\s*(.*)$")


@dataclass
class Template:
    path: Path
    lang: str
    doc: Document
    params: dict  # the defaults declared under `params:`
    parameters_block: int  # index in doc.blocks of the `parameters`-tagged cell


def template_path(root: Path, lang: Language) -> Path:
    return localized(root / TEMPLATE_DIR, "index", ".qmd", lang)


def load(root: Path, lang: Language) -> Template:
    path = template_path(root, lang)
    relative = path.relative_to(root)
    if not path.is_file():
        raise UserError(f"{relative}: missing; the country profiles need this template ({lang.name}). Copy index.qmd and translate it.")
    text = read_text(path, root).replace("\r\n", "\n")
    meta, body_start = read_front_matter(relative, text)
    params = meta.get("params")
    if not isinstance(params, dict) or "iso3" not in params:
        raise UserError(f"{relative}, front matter: declare the profile's parameter with `params:` and `iso3: <code>` under it.")
    lines = text.split("\n")
    blank_front_matter_key(lines, body_start, "params")
    tagged = []
    for number in range(body_start, len(lines)):
        match = OPTION.match(lines[number])
        if match:
            try:
                option = load_yaml(match.group(1))
            except yaml.YAMLError:
                continue
            if isinstance(option, dict) and "tags" in option:
                tags = option["tags"] if isinstance(option["tags"], list) else [option["tags"]]
                if "parameters" in tags:
                    tagged.append(number + 1)
                lines[number] = "#|"
    if len(tagged) != 1:
        raise UserError(
            f"{relative}: exactly one cell must carry `#| tags: [parameters]` (found {len(tagged)}); "
            "it sets the default parameters, e.g. `iso3 = \"GNB\"`."
        )
    doc = parse(relative, text="\n".join(lines))
    doc.path = path
    blocks = [i for i, b in enumerate(doc.blocks) if isinstance(b, Cell) and b.start < tagged[0] <= b.end]
    if not blocks:
        raise UserError(f"{relative}, line {tagged[0]}: `tags: [parameters]` must be inside a `{{python}}` cell.")
    return Template(path, lang.code, doc, params, blocks[0])


def blank_front_matter_key(lines: list[str], body_start: int, key: str) -> None:
    """Turn `key:` and its indented lines into YAML comments (the line count stays the same)."""
    inside = False
    for number in range(1, body_start - 1):
        line = lines[number]
        if re.match(rf"^{re.escape(key)}\s*:", line):
            inside = True
        elif inside and line and not line[0].isspace():
            inside = False
        if inside:
            lines[number] = "# " + line


def injected(params: dict) -> str:
    """The injected-parameters cell: one assignment per parameter (as Quarto and papermill write it)."""
    return "\n".join(f"{name} = {value!r}" for name, value in params.items())
