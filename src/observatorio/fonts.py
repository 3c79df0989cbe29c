"""The observatory's font (Source Sans Pro, SIL OFL), installed from PyPI as `font-source-sans-pro`.

The same files serve the website (self-hosted, no font CDN) and Typst (PDFs, cards, posters).
"""

from __future__ import annotations

import io
from pathlib import Path

import font_source_sans_pro

from . import steps

FAMILY = "Source Sans Pro"
WEB_FILES = {  # weight -> file name, the faces the site uses
    400: "SourceSansPro-Regular.ttf",
    600: "SourceSansPro-Semibold.ttf",
    700: "SourceSansPro-Bold.ttf",
}
WEB_ITALIC = "SourceSansPro-It.ttf"


# Latin, Latin-1, Latin Extended-A, general punctuation, currency and a few symbols: every
# Portuguese and Cabo Verdean letter, with room to spare.
WEB_UNICODES = "U+0000-00FF,U+0100-017F,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215"


def font_dir() -> Path:
    """Folder of the font files (TTF and OTF) and their licence; pass it to Typst as a font path."""
    return Path(font_source_sans_pro.__file__).parent / "files"


def web_font(name: str, cache: Path) -> bytes:
    """`name` subset to WEB_UNICODES as WOFF2, cached under `cache` (a build folder)."""
    from fontTools import subset

    source = font_dir() / name

    def make() -> bytes:
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk", "tnum", "lnum"]
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(WEB_UNICODES))
        subsetter.subset(font)
        out = io.BytesIO()
        subset.save_font(font, out, options)
        return out.getvalue()

    return steps.memo(cache, ".woff2", make, source.read_bytes(), WEB_UNICODES)
