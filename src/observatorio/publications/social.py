"""Social cards: a 1200 × 630 PNG per publication and language (title and key figure, branded), by Typst.

The key figure is what the author marked in the text with `[`{python} expr`]{.key-figure}`: an inline
value computed from the data, so the card never carries a number typed by hand. Its label is
the sentence around it.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from importlib import resources

from ..errors import UserError
from ..fonts import font_dir

TEMPLATE = "templates/publications/card.typ"
WIDTH, HEIGHT = 1200, 630
PPI = 144  # the template is laid out at 600 × 315 pt
KEY_FIGURE = re.compile(r'<span class="key-figure">(.*?)</span>', re.DOTALL)
BLOCKS = re.compile(r"<(li|p|td)\b[^>]*>(.*?)</\1>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«“\"])")
MAX_LABEL = 150
# citations "(World Bank 2026)" and cross-references "(Figura 1)": not for a card
REFERENCES = re.compile(r'\s*\(?<span class="citation"[^>]*>.*?</span>\)?|\s*\(<a href="#(?:fig|tbl|sec)-[^"]*">[^<]*</a>\)', re.DOTALL)


@dataclass(frozen=True)
class KeyFigure:
    value: str
    label: str  # the sentence that holds the value, as plain text

    def alt(self) -> str:
        return self.label


def plain(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub("", fragment)).split())


def key_figure(page_html: str) -> KeyFigure | None:
    """The first `.key-figure` span of a page and the list item or paragraph around it."""
    match = KEY_FIGURE.search(page_html)
    if not match:
        return None
    value = plain(match.group(1))
    label = value
    for block in BLOCKS.finditer(page_html):
        if block.start() <= match.start() < block.end():
            label = plain(REFERENCES.sub("", block.group(2)))
    # the sentence that holds the value, not the whole paragraph
    sentences = SENTENCE.split(label)
    label = next((sentence for sentence in sentences if value in sentence), label)
    if len(label) > MAX_LABEL:
        label = label[: MAX_LABEL - 1].rsplit(" ", 1)[0] + "…"
    return KeyFigure(value, label)


def card_name(slug: str, lang: str) -> str:
    return f"{slug}-card-{lang}.png"


class Cards:
    """One Typst compiler for every card of a build (fonts loaded once)."""

    def __init__(self):
        import typst

        self.source = (resources.files("observatorio") / TEMPLATE).read_bytes()
        self.compiler = typst.Compiler(input=self.source, font_paths=[str(font_dir())], ignore_system_fonts=True)

    def render(self, name: str, data: dict) -> bytes:
        import typst

        try:
            out = self.compiler.compile(
                input=self.source, format="png", ppi=PPI, sys_inputs={"data": json.dumps(data, ensure_ascii=False)}, timestamp=0
            )
        except typst.TypstError as exc:
            raise UserError(f"{name}: Typst could not render the social card: {exc.message}") from None
        if isinstance(out, list):
            raise UserError(f"{name}: the social card ran over {len(out)} pages; shorten the title.")
        return out
