"""Publications from front matter alone: the real ones, and what a mistake in one looks like."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_project

from observatorio.errors import UserError
from observatorio.i18n import languages
from observatorio.publications import collect
from observatorio.publications.model import REQUIRED, load_topics


@pytest.fixture
def project(tmp_path) -> Path:
    """Only what the front matter checks read: reports, mkdocs.yml (languages) and site/ (strings)."""
    return copy_project(tmp_path / "project", parts=("reports", "mkdocs.yml", "site"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.search(old, text, re.MULTILINE), f"{old!r} not in {path}"
    path.write_text(re.sub(old, new, text, count=1, flags=re.MULTILINE), encoding="utf-8")


def test_every_real_publication_is_in_both_languages_with_known_topics(project):
    publications = collect(project)
    codes = [lang.code for lang in languages(project)]
    assert len(publications) >= 4
    assert sum(p.type == "brief" for p in publications) >= 2
    topics = load_topics(project)
    for publication in publications:
        assert publication.langs() == codes, publication.slug
        assert publication.topics and all(t.id in topics for t in publication.topics)
        for code in codes:
            assert publication.title(code) and publication.abstract(code)
    titles = {p.title("pt") for p in publications} | {p.title("en") for p in publications}
    assert len(titles) == 2 * len(publications)  # translated, not copied


def test_newest_first(project):
    folder = project / "reports" / "remessas-economia"
    for name in ("index.qmd", "index.en.qmd"):
        edit(folder / name, r'^date: .*$', 'date: "2030-01-02"')
    publications = collect(project)
    assert publications[0].slug == "remessas-economia"
    dates = [p.date() for p in publications]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("field", REQUIRED)
def test_missing_required_field_names_file_and_field(project, field):
    path = project / "reports" / "remessas-economia" / "index.en.qmd"
    text = path.read_text(encoding="utf-8")
    # drop the field's line and, for a folded block, its indented continuation lines
    text = re.sub(rf"^{field}:.*\n(?:[ \t]+.*\n)*", "", text, count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as error:
        collect(project)
    message = str(error.value)
    assert "reports/remessas-economia/index.en.qmd" in message
    assert f"missing required field `{field}` (English)" in message


def test_empty_abstract_is_missing(project):
    edit(project / "reports" / "remessas-economia" / "index.qmd", r"^abstract: >-\n(?:[ \t]+.*\n)*", 'abstract: ""\n')
    with pytest.raises(UserError, match=r"reports/remessas-economia/index.qmd: missing required field `abstract` \(Português\)"):
        collect(project)


def test_duplicate_slug_fails_naming_both(project):
    shutil.copytree(project / "reports" / "remessas-economia", project / "reports" / "remessas-copia")
    for name in ("index.qmd", "index.en.qmd"):
        edit(project / "reports" / "remessas-copia" / name, r"^type: brief$", "type: brief\nslug: remessas-economia")
    with pytest.raises(UserError) as error:
        collect(project)
    message = str(error.value)
    assert "duplicate slug `remessas-economia`" in message
    assert "reports/remessas-economia/" in message and "reports/remessas-copia/" in message


def test_slug_taken_by_the_catalogue_fails(project):
    edit(project / "reports" / "remessas-economia" / "index.qmd", r"^type: brief$", "type: brief\nslug: tema")
    with pytest.raises(UserError, match="slug `tema` is taken by the publications catalogue"):
        collect(project)


def test_unknown_topic_lists_the_known_ones(project):
    edit(project / "reports" / "remessas-economia" / "index.en.qmd", r"^topics: .*$", "topics: [remessas, tourism]")
    with pytest.raises(UserError) as error:
        collect(project)
    message = str(error.value)
    assert "reports/remessas-economia/index.en.qmd: field `topics`: unknown topic `tourism`" in message
    for ident, topic in load_topics(project).items():
        assert f"{ident} ({topic.label('en')})" in message


def test_topic_without_a_label_in_a_language_fails(project):
    edit(project / "reports" / "_topics.yml", r"^remessas: .*$", "remessas: {pt: Remessas}")
    with pytest.raises(UserError, match=r"reports/_topics.yml: topic `remessas` has no label in English \(`en:`\)"):
        collect(project)


def test_bad_date_and_type_name_the_field(project):
    path = project / "reports" / "remessas-economia" / "index.qmd"
    edit(path, r"^date: .*$", 'date: "28/11/2026"')
    with pytest.raises(UserError, match=r"index.qmd: field `date` is `28/11/2026`; write it as YYYY-MM-DD"):
        collect(project)
    edit(path, r"^date: .*$", 'date: "2026-11-28"')
    edit(path, r"^type: .*$", "type: livro")
    with pytest.raises(UserError, match=r"index.qmd, line \d+: `type`: must be one of `report`, `brief`, not the text \"livro\""):
        collect(project)


def test_corrections_log_is_read_newest_first(project):
    path = project / "reports" / "remessas-economia" / "index.qmd"
    edit(path, r'^version: .*$', 'version: "1.2"\ncorrections:\n  - date: 2026-12-01\n    version: "1.1"\n    text: "Primeira."\n'
         '  - date: 2026-12-10\n    version: "1.2"\n    text: "Segunda."')
    publication = next(p for p in collect(project) if p.slug == "remessas-economia")
    assert publication.version == "1.2"
    assert [c.text for c in publication.corrections("pt")] == ["Segunda.", "Primeira."]
    assert publication.updated("pt").isoformat() == "2026-12-10"
    edit(path, r'^    text: "Primeira."$', '    texto: "Primeira."')
    with pytest.raises(UserError, match=r"field `corrections`, item 1"):
        collect(project)


def test_a_brief_longer_than_four_pages_fails(project):
    import typst

    from observatorio.publications import check_brief_length

    publication = next(p for p in collect(project) if p.type == "brief")

    def pdf(pages: int) -> bytes:
        source = ("#set page(paper: \"a4\")\n" + "\n#pagebreak()\n".join(["Página de teste."] * pages)).encode()
        return typst.Compiler(input=source).compile(format="pdf")

    class Item:
        def __init__(self, code: str, pages: int):
            self.files = {f"publicacoes/{publication.slug}/{publication.slug}-{code}.pdf": pdf(pages)}

    check_brief_length(project, publication, {"pt": Item("pt", 4), "en": Item("en", 2)})
    with pytest.raises(UserError, match=rf"reports/{publication.folder.name}/index.en.qmd: the policy brief's PDF has 5 pages; a brief has at most 4"):
        check_brief_length(project, publication, {"pt": Item("pt", 3), "en": Item("en", 5)})
