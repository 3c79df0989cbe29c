"""The observatory's font (Source Sans Pro, SIL OFL), installed from PyPI as `font-source-sans-pro`.

The same files serve the website (self-hosted, no font CDN) and Typst (PDFs, cards, posters).
"""

from __future__ import annotations

from pathlib import Path

import font_source_sans_pro

FAMILY = "Source Sans Pro"
WEB_FILES = {  # weight -> file name, the faces the site uses
    400: "SourceSansPro-Regular.ttf",
    600: "SourceSansPro-Semibold.ttf",
    700: "SourceSansPro-Bold.ttf",
}
WEB_ITALIC = "SourceSansPro-It.ttf"


def font_dir() -> Path:
    """Folder of the font files (TTF and OTF) and their licence; pass it to Typst as a font path."""
    return Path(font_source_sans_pro.__file__).parent / "files"
