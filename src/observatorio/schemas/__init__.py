"""The schemas of the project's configuration files (JSON Schema, checked with `jsonschema`).

One file per kind of configuration file, `<kind>.schema.json` beside this module; `KINDS` says
which file each one checks. Every object refuses unknown keys (the message suggests the closest
known key), types are strict (`public: "false"` is text, not a boolean) and every message names
the file, the line and the key as the user wrote them. Each property carries a title and a
description in Portuguese and English (`title`/`description` in English, `x-title-pt`/
`x-description-pt` in Portuguese): `reference_page` makes the reference tables of docs/reference/.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
from importlib import resources

import jsonschema

from .. import settings
from ..errors import UserError
from ..safe_read import parse_yaml

KINDS = {
    "datapackage": "data/datapackage.yaml",
    "metadata": "reports/_metadata.yml",
    "topics": "reports/_topics.yml",
    "front-matter": "the front matter of reports/<slug>/index[.<lang>].qmd",
    "campaign": "campaigns/<slug>/campaign.yml",
    "series-notes": "profiles/series_notes.yml",
    "i18n": "site/i18n/<language>.yml",
    "mkdocs": "mkdocs.yml (the keys the observatorio package reads)",
}
MAX_LISTED = 20

TYPE_WORDS = {
    "boolean": "true or false (a YAML boolean, without quotes)",
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys to values",
    "date": "a date written YYYY-MM-DD",
    "null": "empty",
}

_types = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
    "date", lambda checker, value: isinstance(value, dt.date)
)
Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=_types)


@functools.cache
def schema(kind: str) -> dict:
    """The schema of one kind of file (see `KINDS`)."""
    if kind not in KINDS:
        raise KeyError(f"no schema {kind!r}; known: {', '.join(KINDS)}")
    loaded = json.loads((resources.files(__package__) / f"{kind}.schema.json").read_text(encoding="utf-8"))
    if kind == "mkdocs":
        settings_schema = loaded["properties"]["extra"]["properties"]["observatorio"]["properties"]["settings"]
        settings_schema["properties"] = {item.name: _setting_schema(item) for item in settings.SETTINGS}
    return loaded


def _setting_schema(item: settings.Setting) -> dict:
    """The schema of one build setting, from its row in `observatorio.settings.SETTINGS`."""
    words = {int: "integer", float: "number", str: "string", bool: "boolean"}
    found = {"type": words[item.type], "title": item.name, "x-title-pt": item.name, "description": item.help}
    if item.minimum is not None:
        found["minimum"] = item.minimum
    return found


@functools.cache
def _validator(kind: str):
    return Validator(schema(kind))


def dotted(path) -> str:
    """`resources[2].public` for the path ("resources", 2, "public")."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _shown(value) -> str:
    if isinstance(value, str):
        return f'the text "{value}"' if len(value) < 60 else "a text"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return TYPE_WORDS["object" if isinstance(value, dict) else "array"]
    return f"`{value}`"


def _unknown_keys(error) -> list[str]:
    known = set(error.schema.get("properties", {}))
    patterns = error.schema.get("patternProperties", {})
    return [str(key) for key in error.instance if key not in known and not any(re.search(p, str(key)) for p in patterns)]


def _describe(error) -> list[tuple[tuple, str]]:
    """(key path, message) pairs for one jsonschema error, in the user's words."""
    path = tuple(error.absolute_path)
    hint = error.schema.get("x-hint")
    tail = f" {hint}" if hint else ""
    if error.validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        found = []
        for key in _unknown_keys(error):
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            advice = f"Did you mean `{close[0]}`?" if close else (f"Known keys here: {', '.join(known)}." if known else hint or "Remove it.")
            found.append((path + (key,), f"unknown key `{key}`. {advice}"))
        return found
    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        return [(path, f"missing `{key}`.{tail}") for key in missing]
    if error.validator == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = " or ".join(TYPE_WORDS.get(w, w) for w in wanted)
        return [(path, f"must be {words}, not {_shown(error.instance)}.{tail}")]
    if error.validator == "enum":
        choices = ", ".join(f"`{c}`" for c in error.validator_value)
        return [(path, f"must be one of {choices}, not {_shown(error.instance)}.{tail}")]
    if error.validator == "pattern":
        return [(path, f"{_shown(error.instance)} is not allowed here.{tail or ' It must match ' + error.validator_value + '.'}")]
    if error.validator in ("minimum", "exclusiveMinimum", "maximum"):
        words = {"minimum": "at least", "exclusiveMinimum": "more than", "maximum": "at most"}[error.validator]
        return [(path, f"must be {words} {error.validator_value}, not {_shown(error.instance)}.{tail}")]
    if error.validator in ("minLength", "maxLength", "minItems", "maxItems"):
        words = "at least" if error.validator.startswith("min") else "at most"
        unit = "characters" if error.validator.endswith("Length") else "items"
        return [(path, f"must have {words} {error.validator_value} {unit}; it has {len(error.instance)}.{tail}")]
    if error.validator in ("anyOf", "oneOf") and error.context:
        return _describe(min(error.context, key=lambda e: (-len(e.absolute_path), e.validator == "type")))
    return [(path, f"{error.message}.{tail}")]


def _text_keys(data):
    """`data` with every mapping key as text, as YAML wrote it (`1:`, `true:` and `2026-01-01:` are keys too)."""
    if isinstance(data, dict):
        return {(key if isinstance(key, str) else json.dumps(key, default=str).strip('"')): _text_keys(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_text_keys(item) for item in data]
    return data


def problems(kind: str, data, lines=None, validator=None) -> list[tuple[int | None, str, str]]:
    """(line, key, message) for every way `data` breaks the schema `kind` (or `validator`), in file order."""
    found = []
    for error in (validator or _validator(kind)).iter_errors(_text_keys(data)):
        for path, message in _describe(error):
            line = lines.line(path) if lines is not None else None
            found.append((line, dotted(path), message))
    return sorted(set(found), key=lambda p: (p[0] or 0, p[1], p[2]))


def validate(kind: str, document, name: str, line_offset: int = 0, validator=None) -> None:
    """Stop with one `UserError` listing every problem of `document` (a `safe_read.YamlDocument`) against the schema `kind`."""
    found = problems(kind, document.data, document, validator)
    if not found:
        return
    listed = []
    for line, key, message in found[:MAX_LISTED]:
        where = name + (f", line {line + line_offset}" if line else "")
        listed.append(f"{where}: {('`' + key + '`: ') if key else ''}{message}")
    more = len(found) - len(listed)
    raise UserError("\n".join(listed) + (f"\n… and {more} more" if more else ""))


def mirror(reference, node: dict) -> dict:
    """A schema admitting, at every level, only the keys of the nested mapping `reference`, except
    below keys that the schema `node` marks `x-own-keys` (each file has its own, e.g. CLDR plural forms)."""
    if not isinstance(reference, dict):
        return {}
    children = node.get("properties", {})
    return {"type": "object", "additionalProperties": False, "properties": {
        str(key): {} if children.get(str(key), {}).get("x-own-keys") else mirror(value, children.get(str(key), {}))
        for key, value in reference.items()}}


def validate_keys(kind: str, reference: dict, document, name: str) -> None:
    """Refuse keys of `document` that `reference` (the same kind of file, e.g. the default language's strings) does not have."""
    validate(kind, document, name, validator=Validator(mirror(reference, schema(kind))))


def check_front_matter(name: str, text: str, ignored: tuple[tuple[str, ...], ...] = ()) -> None:
    """Check the front matter at the top of a .qmd `text` against the `front-matter` schema, with file lines;
    `ignored`: key paths (("theme",), ("execute", "cache")) the engine ignores, left out of the check."""
    lines = text.replace("\r\n", "\n").split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if not lines or lines[0].strip() != "---" or end is None:
        return  # `qmd.read_front_matter` explains a missing or unclosed front matter
    document = parse_yaml("\n".join(lines[1:end]), with_lines=True)
    for path in ignored:
        parent = document.data
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
    validate("front-matter", document, name, line_offset=1)


# --- reference tables for the documentation -----------------------------------------------


def _rows(node: dict, path: str, required: bool, rows: list) -> None:
    if path:
        rows.append((path, _type_of(node), "yes" if required else "", node.get("title", ""), node.get("x-title-pt", ""),
                     node.get("description", ""), node.get("x-description-pt", "")))
    for key, child in node.get("properties", {}).items():
        _rows(child, f"{path}.{key}" if path else key, key in node.get("required", []), rows)
    for child in node.get("patternProperties", {}).values():
        _rows(child, f"{path}.<{child.get('x-key', 'key')}>" if path else f"<{child.get('x-key', 'key')}>", False, rows)
    items = node.get("items")
    if isinstance(items, dict):
        _rows(items, f"{path}[]", False, rows)


def _type_of(node: dict) -> str:
    kinds = node.get("type")
    text = " or ".join(kinds) if isinstance(kinds, list) else (kinds or ("one of the forms below" if "anyOf" in node else ""))
    if "enum" in node:
        text = " | ".join(f"`{v}`" for v in node["enum"])
    if "minimum" in node:
        text += f" ≥ {node['minimum']}"
    if "pattern" in node:
        text += f" matching `{node['pattern']}`".replace("|", "\\|")
    return text


def reference_page(kind: str) -> str:
    """A Markdown page describing every key of the schema `kind` (English and Portuguese)."""
    root = schema(kind)
    rows: list = []
    _rows(root, "", False, rows)
    lines = [
        f"# {root.get('title', kind)}",
        "",
        f"<!-- Generated from src/observatorio/schemas/{kind}.schema.json by `python -m observatorio.schemas`; do not edit by hand. -->",
        "",
        f"File: `{KINDS[kind]}`.",
        "",
        root.get("description", ""),
        "",
        root.get("x-description-pt", ""),
        "",
        *(["Unknown keys are refused. / Chaves desconhecidas são recusadas.", ""] if root.get("additionalProperties") is False else []),
        "| key / chave | type / tipo | required / obrigatória | meaning | significado |",
        "|---|---|---|---|---|",
    ]
    for key, kind_text, required, title, title_pt, description, description_pt in rows:
        english = " ".join(part for part in (title + ("." if title and not title.endswith(".") else ""), description) if part)
        portuguese = " ".join(part for part in (title_pt + ("." if title_pt and not title_pt.endswith(".") else ""), description_pt) if part)
        lines.append(f"| `{key}` | {kind_text} | {required} | {english} | {portuguese} |".replace("\n", " "))
    return "\n".join(lines) + "\n"


def write_reference(folder) -> list:
    """Write docs/reference/<kind>.md for every kind; return the paths written."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        target = folder / f"{kind}.md"
        target.write_text(reference_page(kind), encoding="utf-8")
        written.append(target)
    return written

