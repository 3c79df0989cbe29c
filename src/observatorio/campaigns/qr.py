"""The QR code printed on each poster: the campaign page in the poster's language (`segno`, from PyPI).

Black modules on a white square with the standard quiet zone, whatever the palette: phones read
dark-on-light codes best. The SVG is cached under `build/campaigns/<slug>/qr/` for Typst to embed.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import segno

from .model import Campaign


def qr_path(root: Path, campaign: Campaign, url: str) -> Path:
    """The QR code of `url` as an SVG file (relative to the project), written once."""
    target = root / "build" / "campaigns" / campaign.slug / "qr" / f"{hashlib.sha256(url.encode()).hexdigest()[:16]}.svg"
    if not target.is_file():
        buffer = io.BytesIO()
        segno.make(url, error="m").save(buffer, kind="svg", dark="#000000", light="#ffffff", border=4, xmldecl=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(target)
    return target.relative_to(root)
