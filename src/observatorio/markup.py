"""Text from source files, made safe at the point where it enters a page.

Every generator that puts a source's text into a page uses one of these, by context:

- `html_text`: plain text inside HTML, element content or attribute value (markupsafe).
- `md_text`: plain text inside generated Markdown: HTML-escaped, and Markdown's punctuation
  written as character references, so it shows as typed and never turns into markup or a link.
- `md_html`: a field that is written in Markdown (dataset descriptions, definitions, caveats):
  rendered with Python-Markdown, then cleaned by nh3 with an allow-list of tags and attributes.
- `escape_meta`: front matter, which MkDocs and Material print into `<title>`, the header and
  `<meta>` tags: every string becomes escaped `Markup` (the `on_page_markdown` hook calls it for
  every page), so templates print it as text, and autoescaping templates do not escape it twice.
"""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup, escape

# HTML's special characters, and Markdown punctuation that could start emphasis, a link, code, a
# table cell, an attribute list or a heading, all as character references (one pass over the text)
MARKDOWN_SPECIALS = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]#+!|~"}

LINE_BREAKS = re.compile(r"[ \t\r\n]+")

TAGS = {"p", "a", "em", "strong", "code", "ul", "ol", "li", "br", "sub", "sup", "abbr", "blockquote"}
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def html_text(value) -> Markup:
    """`value` as text in HTML (element content or a quoted attribute value)."""
    return escape(str(value))


def md_text(value) -> str:
    """`value` as plain text in a line of generated Markdown (one line: newlines become spaces)."""
    line = LINE_BREAKS.sub(" ", str(value)).strip(" ")  # no-break spaces (number formats) stay
    return "".join(MARKDOWN_SPECIALS.get(c, c) for c in line)


def md_html(value) -> str:
    """A Markdown field rendered to HTML with only the allowed tags, attributes and link schemes.

    The result is one line (an HTML block in the page's Markdown, which Markdown leaves alone).
    """
    rendered = markdown.markdown(str(value).strip())
    clean = nh3.clean(rendered, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener")
    return clean.replace("\n", " ")


def md_inline(value) -> str:
    """A short Markdown field (a column's description) as sanitised inline HTML for a table cell: no wrapping paragraph, no `|`."""
    html = md_html(value).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html.replace("|", "&#124;")


def escape_meta(value):
    """Front matter with every string escaped as `Markup` (dicts and lists followed)."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {key: escape_meta(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escape_meta(item) for item in value]
    return value
