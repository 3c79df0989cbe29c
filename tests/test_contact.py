"""The observatory's contact (mkdocs.yml `extra.contact`): read, checked, and shown where readers look."""

from __future__ import annotations

import pytest

from observatorio import contact
from observatorio.checks import notices
from observatorio.errors import UserError
from observatorio.i18n import strings

LINE = "    email: geral@observatorio-migracoes.cv\n"


def edit(project, old: str, new: str) -> None:
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_projects_contact_is_complete_and_marked_provisional(data_project):
    found = contact.read(data_project)
    assert found.email.endswith("@observatorio-migracoes.cv") and found.press_email and found.address
    assert found.provisional
    assert "PROVISIONAL: replace with the observatory's real contact before launch" in (data_project / "mkdocs.yml").read_text(encoding="utf-8")


def test_check_warns_while_the_contact_is_provisional_and_names_the_translation_status(data_project, tmp_path):
    lines = notices(data_project, tmp_path / "_site")
    assert any("`extra.contact` is marked `provisional: true`" in line for line in lines)
    assert any("sobre/traducoes/index.html" in line and "en/sobre/traducoes/index.html" in line for line in lines)
    edit(data_project, "    provisional: true", "    provisional: false")
    assert not any("provisional" in line for line in notices(data_project, tmp_path / "_site"))


@pytest.mark.parametrize(("old", "new", "message"), [
    (LINE, "", r"mkdocs.yml, line \d+: `extra.contact`: missing `email`"),
    (LINE, '    email: ""\n', r"mkdocs.yml, line \d+: `extra.contact.email`"),
    (LINE, "    email: geral\n", r'mkdocs.yml, line \d+: `extra.contact.email`: the text "geral" is not allowed here'),
    (LINE, LINE + "    phone: 123\n", r"`extra.contact.phone`: unknown key `phone`"),
    ("    provisional: true", "    provisional: sim", r"`extra.contact.provisional`: must be true or false"),
])
def test_a_bad_contact_names_the_field(data_project, old, new, message):
    edit(data_project, old, new)
    with pytest.raises(UserError, match=message):
        contact.read(data_project)


def test_a_missing_contact_block_stops_the_build(site_project):
    from observatorio.site import assemble

    path = site_project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("extra:\n")
    end = text.index("\n\n", start)
    path.write_text(text[:start] + text[end + 2:], encoding="utf-8")
    with pytest.raises(UserError, match=r"mkdocs.yml: `extra.contact` is missing or empty"):
        assemble(site_project)


def test_contact_markdown_links_both_addresses(data_project):
    text = contact.markdown(contact.read(data_project), strings(data_project, "pt"))
    assert "[geral@observatorio-migracoes.cv](mailto:geral@observatorio-migracoes.cv)" in text
    assert "- Imprensa: [imprensa@observatorio-migracoes.cv](mailto:imprensa@observatorio-migracoes.cv)" in text
