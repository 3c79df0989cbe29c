"""Generated pages written from Jinja templates (`templates/pages/<name>.md.j2`).

A generated page is Markdown with HTML in it, so no escaping is applied by default: a template says
how each value enters the page, with `|e` for HTML text and attributes (`html.escape`) and `|md`
for Markdown text (`markup.md_text`), `|tojson_text` for a front matter value. UI strings (`s`) are the project's own and are written as they
are. `StrictUndefined` makes a misspelt name an error, never an empty string.
"""

from __future__ import annotations

import functools
import html
import json

import jinja2

from .markup import md_text


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("observatorio", "templates/pages"),
        autoescape=False,  # Markdown and HTML: each value is escaped for where it goes (see above)
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["e"] = lambda value: html.escape(str(value))
    env.filters["md"] = lambda value: md_text(str(value))
    env.filters["tojson_text"] = lambda value: json.dumps(str(value), ensure_ascii=False)  # a YAML scalar (JSON is YAML)
    return env


def render(name: str, **values) -> str:
    """The page `templates/pages/<name>.md.j2` with `values`."""
    return environment().get_template(f"{name}.md.j2").render(**values)
