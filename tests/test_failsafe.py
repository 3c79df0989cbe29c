"""Bad input anywhere stops the build with one clear message, and leaves the published site as it was.

Each case changes one source file of a built copy of the project, runs `observatorio build` as a
user would, and checks: exit status 1, one message naming the file and the place, no traceback,
and `_site/` byte-identical to before. The file is restored afterwards.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_built, tree_digest

from observatorio.cli import main

pytestmark = pytest.mark.slow

STOCK = "data/raw/un_desa_immigrant_stock_cabo_verde.csv"
REPORT = "reports/imigracao-retrato-estatistico/index.qmd"
REPORT_EN = "reports/imigracao-retrato-estatistico/index.en.qmd"
CAMPAIGN = "campaigns/morabeza-para-todos/campaign.yml"


def replace(path: str, old: str, new: str, count: int = 1):
    def change(root: Path):
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, count), encoding="utf-8")
    return change


def append(path: str, text: str):
    def change(root: Path):
        file = root / path
        file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")
    return change


def delete(path: str):
    def change(root: Path):
        (root / path).unlink()
    return change


def regex(path: str, pattern: str, new: str):
    def change(root: Path):
        file = root / path
        text, n = re.subn(pattern, new, file.read_text(encoding="utf-8"), count=1, flags=re.M)
        assert n == 1, f"{pattern!r} not in {path}"
        file.write_text(text, encoding="utf-8")
    return change


# (id, files the case touches, change, text the message must contain)
CASES = [
    # data
    ("csv-malformed", [STOCK], append(STOCK, 'international_migrant_stock,2030,both,"unclosed\n'), STOCK),
    ("csv-wrong-type", [STOCK], replace(STOCK, ",8931,", ",oito mil,"), f"{STOCK}, row 2, field `value`"),
    ("csv-negative-count", [STOCK], replace(STOCK, ",8931,", ",-8931,"), f"{STOCK}, row 2, field `value`"),
    ("csv-bad-sex", [STOCK], replace(STOCK, "1990,both,8931", "1990,ambos,8931"), f"{STOCK}, row 2, field `sex`"),
    ("csv-unknown-iso", ["data/raw/un_desa_immigrant_stock_cabo_verde_by_origin.csv"],
     replace("data/raw/un_desa_immigrant_stock_cabo_verde_by_origin.csv", ",CPV,MOZ,", ",CPV,XXZ,"), "un_desa_immigrant_stock_cabo_verde_by_origin.csv, row 2"),
    ("datapackage-yaml-syntax", ["data/datapackage.yaml"], replace("data/datapackage.yaml", "resources:", "resources: [\n"), "data/datapackage.yaml, line"),
    ("datapackage-missing-file", ["data/datapackage.yaml"], replace("data/datapackage.yaml", "raw/remittances_cabo_verde.csv", "raw/remessas.csv"), "data/raw/remessas.csv not found"),
    # reports
    ("report-failing-cell", [REPORT], regex(REPORT, r"^LANG = \"pt\"$", 'LANG = "pt"\nboom = 1 / 0'), "ZeroDivisionError"),
    ("report-unknown-dataset", [REPORT], regex(REPORT, r"^LANG = \"pt\"$", 'LANG = "pt"\nload_resource("nao_existe")'), "nao_existe"),
    ("report-unknown-crossref", [REPORT], append(REPORT, "\nVer a @fig-inexistente.\n"), "fig-inexistente"),
    ("report-unknown-citation", [REPORT], append(REPORT, "\nComo diz a literatura [@naoexiste2020].\n"), "naoexiste2020"),
    ("report-unsupported-syntax", [REPORT], append(REPORT, "\n{{< include outro.qmd >}}\n"), REPORT),
    ("report-missing-translation", [REPORT_EN], delete(REPORT_EN), "index.en.qmd"),
    ("report-front-matter-yaml", [REPORT], replace(REPORT, 'title: "Imigração', 'title: ["Imigração'), REPORT),
    # campaigns
    ("campaign-yaml-syntax", [CAMPAIGN], replace(CAMPAIGN, "status: published", "status: [published"), CAMPAIGN),
    ("campaign-unknown-dataset", [CAMPAIGN], replace(CAMPAIGN, "dataset: immigrant_stock\n", "dataset: imigrantes\n"), "facts[0]"),
    ("campaign-unknown-field", [CAMPAIGN], replace(CAMPAIGN, "column: value", "column: valor"), "facts[0]"),
    ("campaign-missing-translation", [CAMPAIGN], replace(CAMPAIGN, '      en: "Morabeza is for everyone"\n    body:', "    body:"), "messages[0].headline.en"),
    ("campaign-text-does-not-fit", [CAMPAIGN], replace(CAMPAIGN, 'pt: "Morabeza é para todos"\n      en', 'pt: "' + "Morabeza é para todos, " * 12 + '"\n      en'), "messages[0].headline.pt"),
    ("campaign-low-contrast", [CAMPAIGN], replace(CAMPAIGN, 'text: "#ffffff"', 'text: "#1a3a8f"'), "palette"),
    ("campaign-missing-image", [CAMPAIGN], replace(CAMPAIGN, "file: ilustracao.svg", "file: nao-existe.svg"), "nao-existe.svg"),
    # site pages
    ("page-broken-link", ["site/docs/sobre/index.md"], append("site/docs/sobre/index.md", "\nVer [a página perdida](perdida.md).\n"), "perdida.md"),
    ("page-unknown-marker", ["site/docs/sobre/index.md"], append("site/docs/sobre/index.md", "\n<!-- observatorio:grafico -->\n"), "site/docs/sobre/index.md, line"),
    ("page-missing-translation", ["site/docs/sobre/metodos.en.md"], delete("site/docs/sobre/metodos.en.md"), "site/docs/sobre/metodos.en.md"),
    ("ui-strings-yaml-syntax", ["site/i18n/en.yml"], replace("site/i18n/en.yml", "language_name: English", "language_name: [English"), "site/i18n/en.yml"),
]


@pytest.fixture(scope="module")
def published(built_site, tmp_path_factory):
    """A copy of the shared build of its own: the cases edit its sources (tests on other workers read the shared one)."""
    root = copy_built(built_site, tmp_path_factory.mktemp("failsafe") / "project")
    site = root / "_site"
    return root, site, tree_digest(site)


@pytest.mark.parametrize("case, touched, change, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_fails_cleanly_and_keeps_the_site(published, case, touched, change, expected):
    root, site, before = published
    saved = {name: (root / name).read_bytes() for name in touched}
    try:
        change(root)
        result = CliRunner().invoke(main, ["--root", str(root), "build"])
    finally:
        for name, content in saved.items():
            (root / name).write_bytes(content)
    output = result.output
    assert result.exit_code == 1, f"{case}: exit {result.exit_code}\n{output}\n{result.exception!r}"
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output
    assert expected in output, output
    assert tree_digest(site) == before
    assert not list(site.parent.glob(".site-*"))


def test_the_matrix_covers_at_least_twenty_cases():
    assert len(CASES) >= 20
    assert {c[0].split("-")[0] for c in CASES} >= {"csv", "datapackage", "report", "campaign", "page"}
