"""Dataset pages: the expected date of the next edition, when the catalogue gives one."""

from __future__ import annotations

import pytest

from observatorio import catalogue
from observatorio.data import load_package
from observatorio.errors import UserError
from observatorio.i18n import strings

RESOURCE = "  - name: immigrant_stock\n"


def with_next_update(project, value: str):
    path = project / "data" / "datapackage.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(RESOURCE, RESOURCE + f"    next_update: {value}\n", 1), encoding="utf-8")
    return load_package(project).resource("immigrant_stock")


def test_the_next_edition_is_shown_in_each_language(data_project):
    resource = with_next_update(data_project, '"2027-06-30"')
    package = load_package(data_project)
    for code, expected in (("pt", "Próxima edição prevista: <time datetime=\"2027-06-30\">30 de junho de 2027</time>."),
                           ("en", "Next edition expected: <time datetime=\"2027-06-30\">30 June 2027</time>.")):
        page = catalogue.dataset_page(package, resource, strings(data_project, code), [], "https://x/", 2026)
        assert expected in page


def test_a_dataset_without_next_update_says_nothing_about_it(data_project):
    package = load_package(data_project)
    page = catalogue.dataset_page(package, package.resource("immigrant_stock"), strings(data_project, "pt"), [], "https://x/", 2026)
    assert "obs-next-update" not in page and 'class="obs-updated"' in page


def test_a_next_update_that_is_not_a_date_names_the_dataset(data_project):
    with pytest.raises(UserError, match=r"data/datapackage.yaml, line \d+: `resources\[0\]\.next_update`"):
        with_next_update(data_project, "em breve")
