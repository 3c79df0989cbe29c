"""The Decap CMS configuration of the studio, generated from the campaign schema.

`schemas/campaign.schema.json` is the one description of a campaign file: the validator checks
files against it, `docs/reference/` lists its keys, and `config()` turns it into Decap's
collection, field by field, so that the form can never offer a key the build refuses.
Labels are the schema's titles in the studio's language (`x-title-<code>`), help texts come from
`site/i18n/<code>.yml` (`studio.hints`). Facts are picked from a list, never typed: the facts
every campaign of the project already defines, each shown with its value and source
(`available_facts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..campaigns.facts import resolve_facts
from ..campaigns.model import CAMPAIGNS, FILENAME, campaign_folders, read_campaign
from ..i18n import Strings, language_codes, strings
from ..schemas import schema as load_schema

COLLECTION = "campaigns"
# Decap widgets that the schema's types alone do not say (long texts, files, dates).
WIDGETS = {"summary": "text", "messages.body": "text", "press_release": "text",
           "logo": "image", "images.file": "image", "dates.start": "date", "dates.end": "date"}
# Fields a campaign may leave out (the build checks the rest, with the same rules).
OPTIONAL = {"summary", "logo", "facts", "images", "press_release", "press_contact", "messages.fact"}
# Fields given by the fact picker (facts) or not edited in the form.
PICKED = {"facts", "messages.fact"}
DEFAULTS = {"status": "draft", "palette.background": "#003893", "palette.text": "#ffffff", "palette.accent": "#f7d116"}


@dataclass(frozen=True)
class AvailableFact:
    """A fact defined by a campaign of the project, with its value and source in the studio's language."""

    id: str
    definition: dict  # the keys of the fact in campaign.yml (dataset, where, column, format, decimals, label)
    option: str  # what the picker shows: value, label, source and `{id}`
    value: str  # the number as printed in the studio's language
    campaign: str


def available_facts(root: Path, ui: Strings) -> list[AvailableFact]:
    """Every fact the project's campaigns define and the data resolve, once per id (first campaign wins)."""
    langs = language_codes(root)
    found: dict[str, AvailableFact] = {}
    for folder in campaign_folders(root):
        campaign, _ = read_campaign(root, folder, langs, ui)
        if not campaign.facts:
            continue
        resolved, _ = resolve_facts(root, campaign)
        for fact_id, fact in sorted(resolved.items()):
            if fact_id in found:
                continue
            f = fact.fact
            definition = {"dataset": f.dataset, "where": dict(f.where), "column": f.column, "format": f.format,
                          "decimals": f.decimals, "label": dict(f.label)}
            option = ui.format("studio.fact_option", value=fact.text(ui), label=f.label.get(ui.code, ""),
                               source=fact.source.short(), id=fact_id)
            found[fact_id] = AvailableFact(fact_id, definition, option, fact.text(ui), campaign.slug)
    return list(found.values())


def config(root: Path, lang: str, backend_url: str, repository: str = "") -> dict:
    """Decap's `config.yml`. On localhost Decap uses the local backend (decap-server at `backend_url`);
    elsewhere the GitHub repository `repository` (setting `studio.git_repository`), else Git Gateway."""
    ui = strings(root, lang)
    facts = available_facts(root, ui)
    schema = load_schema("campaign")
    fields = _fields(schema, "", ui, language_codes(root), facts, required=True)
    backend = {"name": "github", "repo": repository, "branch": "main"} if repository else {"name": "git-gateway", "branch": "main"}
    return {
        "backend": backend,
        "local_backend": {"url": backend_url},
        "locale": lang,
        "load_config_file": False,
        "media_folder": CAMPAIGNS.as_posix(),
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [{
            "name": COLLECTION,
            "label": str(ui["studio.collection"]),
            "label_singular": _title(schema, ui),
            "description": str(ui["studio.collection_hint"]),
            "folder": CAMPAIGNS.as_posix(),
            "path": "{{slug}}/" + Path(FILENAME).stem,
            "extension": "yml",
            "format": "yml",
            "create": True,
            "delete": False,
            "identifier_field": f"name.{language_codes(root)[0]}",
            "slug": "{{slug}}",
            "media_folder": "",
            "public_folder": "",
            "fields": fields,
        }],
    }


def _title(node: dict, ui: Strings) -> str:
    return str(node.get(f"x-title-{ui.code}") or node.get("title", ""))


def _hint(ui: Strings, path: str) -> str:
    """The help text of the field at `path` (`studio.hints.messages_body` for messages.body), or ""."""
    return str(ui.data.get("studio", {}).get("hints", {}).get(path.replace(".", "_"), ""))


def _fields(node: dict, prefix: str, ui: Strings, langs: list[str], facts: list[AvailableFact], required: bool) -> list[dict]:
    return [_field(name, child, f"{prefix}{name}", ui, langs, facts, required) for name, child in node.get("properties", {}).items()]


def _field(name: str, node: dict, path: str, ui: Strings, langs: list[str], facts: list[AvailableFact], required: bool) -> dict:
    """One Decap field for the schema node at `path` (dotted, without list indices)."""
    required = required and path not in OPTIONAL
    field = {"name": name, "label": _title(node, ui), "required": required}
    hint = _hint(ui, path)
    if hint:
        field["hint"] = hint
    if path in DEFAULTS:
        field["default"] = DEFAULTS[path]
    if path == "facts":
        return field | {"label_singular": _title(node["items"], ui)} | _fact_picker(facts, ui)
    if path == "messages.fact":
        return field | {"widget": "select", "options": [{"label": f.option, "value": f.id} for f in facts]}
    if "patternProperties" in node:  # one text per language
        widget = "list" if path.endswith("hashtags") else WIDGETS.get(path, "string")
        return field | {"widget": "object", "collapsed": False, "fields": [
            {"name": code, "label": str(strings(ui.root, code)["language_name"]), "widget": widget, "required": required}
            for code in langs]}
    if "enum" in node:
        options = ui.data.get("studio", {}).get(f"{name}_options", {})
        return field | {"widget": "select", "options": [{"label": str(options.get(v, v)), "value": v} for v in node["enum"]]}
    kind = node.get("type")
    if kind == "object" and "properties" in node:
        return field | {"widget": "object", "collapsed": False, "fields": _fields(node, f"{path}.", ui, langs, facts, required)}
    if kind == "array" and node.get("items", {}).get("type") == "object":
        items = node["items"]
        return field | {"widget": "list", "label_singular": _title(items, ui),
                        "fields": _fields(items, f"{path}.", ui, langs, facts, True)}
    if kind == "integer":
        return field | {"widget": "number", "value_type": "int"}
    widget = WIDGETS.get(path, "string")
    if widget == "date":
        return field | {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False, "picker_utc": True}
    if "pattern" in node:
        field["pattern"] = [node["pattern"], _hint(ui, path.split(".")[0])]
    return field | {"widget": widget}


def _fact_picker(facts: list[AvailableFact], ui: Strings) -> dict:
    """A list whose item types are the available facts: adding one writes its whole definition, `id` first."""
    if not facts:
        return {"widget": "list", "hint": str(ui["studio.no_facts"]), "fields": [{"name": "id", "widget": "string"}]}
    return {"widget": "list", "typeKey": "id", "types": [
        {"name": f.id, "label": f.option, "widget": "object",
         "fields": [{"name": key, "widget": "hidden", "default": value} for key, value in f.definition.items()]}
        for f in facts]}
