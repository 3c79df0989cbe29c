"""Campaigns: `campaigns/<slug>/campaign.yml` becomes a bilingual page, social cards, posters and a
press kit. See `model` (the file), `facts` (numbers from the data), `validation` (every check, before
anything is written), `render` (Typst), `presskit` (zip and captions), `pages` (the site) and
`scaffold` (a new campaign from the commented template)."""

from __future__ import annotations

from pathlib import Path

from .pages import write_pages
from .scaffold import scaffold
from .validation import check_all

__all__ = ["scaffold", "validate_all", "write_pages"]


def validate_all(root: Path, lang: str | None = None) -> None:
    """Check every campaign of the project; raise one UserError listing every problem (in `lang`, by default the site's first language)."""
    check_all(root, lang=lang)
