"""The `quarto` engine renders the same sources with the real Quarto CLI (only where it is installed)."""

import shutil

import pytest

from observatorio import reports
from observatorio.errors import UserError

QUARTO = shutil.which("quarto")
needs_quarto = pytest.mark.skipif(QUARTO is None, reason="the Quarto CLI is not installed on this machine (quarto not on PATH)")


def test_quarto_engine_without_quarto_is_a_clear_error():
    if QUARTO:
        pytest.skip("Quarto is installed here")
    with pytest.raises(UserError, match="`quarto` command is not on PATH"):
        reports.select_engine("quarto")


@needs_quarto
@pytest.mark.slow
def test_quarto_renders_the_test_report(tmp_path):
    from test_reports_render import make_project

    root = make_project(tmp_path / "project")
    shutil.copy(reports.__file__.replace("src/observatorio/reports/__init__.py", "_quarto.yml"), root / "_quarto.yml")
    docs = root / "build" / "docs"
    reports.write_pages(root, docs, jobs=1, engine="quarto")
    page = (docs / "publicacoes" / "amostra" / "index.md").read_text()
    assert "Figura 1" in page and "Secção 2" in page
    assert (docs / "publicacoes" / "amostra" / "amostra-pt.pdf").stat().st_size > 1000
