"""Heading anchors in the page's language.

Python-Markdown's `toc` extension gives every heading anchor the same title, "Permanent link", in
every language, and MkDocs applies one set of Markdown options to all languages; the title is
replaced after rendering with the language's `theme.permalink` UI string.
"""

from __future__ import annotations

import re

from markupsafe import escape

ANCHOR = re.compile(r'(<a class="headerlink" href="[^"]*") title="Permanent link">')


def localise(html: str, title: str) -> str:
    """`html` with every heading anchor's title replaced by `title`."""
    return ANCHOR.sub(lambda m: f'{m[1]} title="{escape(title)}">', html)
