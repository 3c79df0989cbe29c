"""Generated pages from Jinja templates (`observatorio.pages`)."""

from __future__ import annotations

import jinja2
import pytest

from observatorio import pages


def test_values_are_escaped_for_where_they_go(tmp_path, monkeypatch):
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.md.j2": '<a title="{{ x|e }}">{{ x|e }}</a> | {{ x|md }} |\n'}), undefined=jinja2.StrictUndefined)
    env.filters.update(pages.environment().filters)
    out = env.get_template("t.md.j2").render(x='<b>"*a*" | b</b>')
    assert out == '<a title="&lt;b&gt;&quot;*a*&quot; | b&lt;/b&gt;">&lt;b&gt;&quot;*a*&quot; | b&lt;/b&gt;</a> | ' + pages.md_text('<b>"*a*" | b</b>') + " |"
    assert "*a*" not in out.split("</a>")[1] and "|" not in out.split("</a> |")[1].rstrip(" |\n")


def test_a_misspelt_name_is_an_error_not_an_empty_text():
    with pytest.raises(jinja2.UndefinedError):
        pages.render("profiles-index", s={})
