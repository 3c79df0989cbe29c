"""The QR code printed on each poster: the campaign page in the poster's language (`segno`, from PyPI).

Black modules on a white square with the standard quiet zone, whatever the palette: phones read
dark-on-light codes best. The SVG goes to Typst as text (no file is written).
"""

from __future__ import annotations

import io

import segno


def qr_svg(url: str) -> str:
    """The QR code of `url` as SVG text."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", dark="#000000", light="#ffffff", border=4, xmldecl=False)
    return buffer.getvalue().decode("utf-8")
