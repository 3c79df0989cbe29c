"""The build's settings (limits, thresholds, sizes): one table, one place.

Each setting has a name, a type, a default and a one-line help text; the table feeds the
documentation (`docs/settings.md`) and every module reads its values through `get`.
A project changes a setting in `mkdocs.yml`, under `extra: observatorio: settings:`, for example

    extra:
      observatorio:
        settings:
          limits.cell_timeout: 120

Settings whose natural home is another file say so in `where` (the disclosure threshold lives in
`data/datapackage.yaml`, a cell timeout also in a document's `execute: timeout:`); `get` returns the
project-wide value, and those modules apply the more specific one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: object
    help: str
    where: str = "mkdocs.yml: extra.observatorio.settings"
    minimum: int | float | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("limits.cell_timeout", int, 300, "Seconds a cell of a publication or notebook may run before the build stops.",
            "mkdocs.yml, or `execute: timeout:` in _quarto.yml, reports/_metadata.yml or a document", minimum=1),
    Setting("limits.page_bytes", int, 5_000_000, "Largest size in bytes of one published HTML page; a bigger page stops the build.", minimum=10_000),
    Setting("limits.cell_output_mb", int, 20, "Megabytes of output (text, tables, images) one cell may show before the build stops.",
            minimum=1),
    Setting("campaigns.messages_language", str, "", "Language of the campaign checks' messages (a site language code); empty: the site's first language."),
    Setting("campaigns.image_max_mb", int, 40, "Megabytes a campaign photo may have before it is refused (it is resized for each use).", minimum=1),
    Setting("campaigns.image_web_px", int, 1600, "Pixels on the long side of a campaign photo on the campaign page.", minimum=320),
    Setting("campaigns.image_print_px", int, 3000, "Pixels on the long side of a campaign photo in posters and the press kit (an A3 poster's image at 300 dpi).", minimum=1000),
    Setting("campaigns.image_web_kb", int, 800, "Kilobytes a campaign photo may take on the page after resizing.", minimum=50),
    Setting("campaigns.image_print_kb", int, 4000, "Kilobytes a campaign photo may take in posters and the press kit after resizing.", minimum=200),
    Setting("studio.backend_port", int, 8081, "Port on 127.0.0.1 of the studio's local backend (decap-server), which writes the form's entries into campaigns/.",
            minimum=1024),
    Setting("studio.git_repository", str, "", "GitHub repository (`owner/name`) a deployed studio commits to; empty: only the local backend of `observatorio studio`."),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def setting(name: str) -> Setting:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown setting {name!r}; declare it in observatorio.settings.SETTINGS") from None


@functools.lru_cache(maxsize=8)
def _overrides(root: Path, _mtime: int) -> dict:
    from .i18n import read_mkdocs_config

    extra = read_mkdocs_config(root).get("extra") or {}
    found = ((extra.get("observatorio") or {}) if isinstance(extra, dict) else {}).get("settings") or {}
    if not isinstance(found, dict):
        raise UserError("mkdocs.yml: `extra.observatorio.settings` must be a mapping of setting names to values.")
    for name, value in found.items():
        if name not in _BY_NAME:
            known = ", ".join(sorted(_BY_NAME))
            raise UserError(f"mkdocs.yml: extra.observatorio.settings: unknown setting `{name}`. Known settings: {known}.")
        check(_BY_NAME[name], value, "mkdocs.yml: extra.observatorio.settings")
    return dict(found)


def check(item: Setting, value, where: str) -> None:
    """Stop with a clear message when `value` is not of the setting's type or below its minimum."""
    wrong_type = isinstance(value, bool) or not isinstance(value, item.type)
    if item.type is float and isinstance(value, int) and not isinstance(value, bool):
        wrong_type = False
    if wrong_type:
        raise UserError(f"{where}: `{item.name}` must be {'an integer' if item.type is int else 'a number' if item.type is float else item.type.__name__}, not `{value!r}`.")
    if item.minimum is not None and value < item.minimum:
        raise UserError(f"{where}: `{item.name}` must be at least {item.minimum}, not {value}.")


def get(root: Path | None, name: str):
    """The value of setting `name` for the project at `root` (its default when `root` is None or sets nothing)."""
    item = setting(name)
    if root is None:
        return item.default
    config = Path(root) / "mkdocs.yml"
    if not config.is_file():
        return item.default
    return _overrides(Path(root).resolve(), config.stat().st_mtime_ns).get(name, item.default)


def reference_table() -> str:
    """The settings as a Markdown table, for the documentation."""
    lines = ["| setting | type | default | where | what it does |", "|---|---|---|---|---|"]
    for item in SETTINGS:
        lines.append(f"| `{item.name}` | {item.type.__name__} | `{item.default}` | {item.where} | {item.help} |")
    return "\n".join(lines) + "\n"


def reference_page() -> str:
    """docs/settings.md: every setting, generated from `SETTINGS` (`python -m observatorio.schemas` writes it)."""
    return ("# Build settings\n\n"
            "Limits, thresholds and sizes of the build, with their defaults.\n"
            "Change one in `mkdocs.yml`, under `extra: observatorio: settings:` (for example `limits.cell_timeout: 120`).\n"
            "This page is generated from `src/observatorio/settings.py` by `python -m observatorio.schemas`.\n\n"
            + reference_table())
