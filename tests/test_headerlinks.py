"""Heading anchors get their title in the page's language."""

from observatorio.headerlinks import localise


def test_only_heading_anchors_are_retitled_and_the_title_is_escaped():
    html = ('<h2 id="a">A<a class="headerlink" href="#a" title="Permanent link">&para;</a></h2>'
            '<p><a href="x" title="Permanent link">x</a></p>')
    out = localise(html, 'Ligação "permanente"')
    assert '<a class="headerlink" href="#a" title="Ligação &#34;permanente&#34;">' in out
    assert '<a href="x" title="Permanent link">' in out
