"""`observatorio new campaign <slug>`: a commented campaign.yml to start from."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from ..errors import UserError
from .model import CAMPAIGNS, FILENAME, SLUG

TEMPLATE = "templates/campaign.yml"


def scaffold(root: Path, slug: str, today: dt.date | None = None) -> Path:
    """Write `campaigns/<slug>/campaign.yml` from the commented template and return its path."""
    if not SLUG.match(slug or ""):
        raise UserError(
            f"`{slug}` cannot be a campaign name: use lowercase letters, digits and hyphens only, "
            "e.g. `observatorio new campaign dia-dos-migrantes-2026`."
        )
    path = Path(root) / CAMPAIGNS / slug / FILENAME
    if path.exists():
        raise UserError(f"{path.relative_to(root)}: already exists. Edit it, or choose another name for a new campaign.")
    start = today or dt.date.today()
    text = (resources.files("observatorio") / TEMPLATE).read_text(encoding="utf-8")
    text = text.replace("{start}", start.isoformat()).replace("{end}", (start + dt.timedelta(days=30)).isoformat())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
