"""Loading and validating the data catalogue, and one test per kind of bad input."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REPO

from observatorio.cli import main
from observatorio.data import load_package, load_resource, validate
from observatorio.downloads import to_json, write_all_downloads
from observatorio.errors import UserError

STOCK = "data/raw/un_desa_immigrant_stock_cabo_verde.csv"
ORIGIN = "data/raw/un_desa_immigrant_stock_cabo_verde_by_origin.csv"


def edit_csv(root: Path, relative: str, change) -> None:
    """Apply `change(rows)` to the CSV's rows (row 0 is the header) and write it back."""
    path = root / relative
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    change(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def set_cell(root: Path, relative: str, row: int, column: str, value: str) -> None:
    """Set the cell at spreadsheet row `row` (header = row 1) of `column`."""

    def change(rows):
        rows[row - 1][rows[0].index(column)] = value

    edit_csv(root, relative, change)


def error_of(root: Path) -> str:
    with pytest.raises(UserError) as caught:
        validate(root)
    return str(caught.value)


def test_the_real_catalogue_is_valid_and_every_reference_file_is_a_resource():
    package = validate(REPO)
    files = {r.path.name for r in package.resources}
    reference = {p.name for p in (REPO.parent / "shared" / "reference-data").glob("*.csv")} or {
        p.name for p in (REPO / "data" / "raw").glob("*.csv")
    }
    assert reference <= files
    for resource in package.resources:
        for lang in ("pt", "en"):
            assert resource.title(lang)
            assert resource.text("descriptions", lang)
        assert resource.sources and resource.licenses
        assert "public" in resource.descriptor


def test_raw_files_are_unchanged_copies_of_the_reference_data():
    shared = REPO.parent / "shared" / "reference-data"
    if not shared.is_dir():
        pytest.skip("shared/reference-data is not beside this checkout")
    for source in shared.glob("*.csv"):
        assert (REPO / "data" / "raw" / source.name).read_bytes() == source.read_bytes(), source.name


def test_load_resource_returns_typed_columns():
    frame = load_resource("immigrant_stock", REPO)
    assert str(frame["year"].dtype) == "Int64"
    assert str(frame["value"].dtype) == "Float64"
    assert str(frame["indicator"].dtype) == "string"
    row = frame[(frame.indicator == "international_migrant_stock") & (frame.year == 2024) & (frame.sex == "both")]
    assert row["value"].iloc[0] == 16515


def test_a_cell_in_a_staging_folder_whose_data_is_a_link_validates_and_loads(data_project, monkeypatch):
    """A staging folder whose data/ is a link (inside it): resource paths stay under data/, never resolved through the link."""
    stage = data_project / "build" / "reports" / "quarto-project"
    (stage / "reports" / "example").mkdir(parents=True)
    shutil.copytree(data_project / "data", stage / "shared-data")
    (stage / "data").symlink_to(stage / "shared-data")
    shutil.copy(data_project / "mkdocs.yml", stage / "mkdocs.yml")
    monkeypatch.chdir(stage / "reports" / "example")  # where a cell of reports/example/index.qmd runs

    frame = load_resource("immigrant_stock")

    assert frame["value"].max() > 0
    assert load_package().resource("immigrant_stock").path == stage.resolve() / STOCK
    set_cell(stage, STOCK, 3, "value", "muitos")
    assert f"{STOCK}, row 3, field `value`" in error_of(None)


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(UserError, match="no dataset named `nope`.*immigrant_stock"):
        load_package(REPO).resource("nope")


def test_cell_of_the_wrong_type(data_project):
    set_cell(data_project, STOCK, 3, "value", "muitos")
    message = error_of(data_project)
    assert f"{STOCK}, row 3, field `value`" in message
    assert '"muitos" is not a valid number' in message


def test_negative_count(data_project):
    set_cell(data_project, ORIGIN, 5, "value", "-12")
    message = error_of(data_project)
    assert f"{ORIGIN}, row 5, field `value`" in message
    assert "minimum" in message


def test_missing_required_column(data_project):
    def drop_unit(rows):
        index = rows[0].index("unit")
        for row in rows:
            del row[index]

    edit_csv(data_project, STOCK, drop_unit)
    message = error_of(data_project)
    assert f"{STOCK}, row 1 (header)" in message
    assert "unit" in message


def test_unknown_iso_code(data_project):
    set_cell(data_project, ORIGIN, 2, "origin_iso3", "XYZ")
    message = error_of(data_project)
    assert f"{ORIGIN}, row 2" in message
    assert "XYZ" in message and "ISO 3166" in message


def test_duplicate_key(data_project):
    edit_csv(data_project, STOCK, lambda rows: rows.insert(3, list(rows[1])))
    message = error_of(data_project)
    assert f"{STOCK}, row 4" in message
    assert "duplicate key" in message and "row at position 2" in message


def test_malformed_datapackage_names_its_line(data_project):
    path = data_project / "data" / "datapackage.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(5, "  broken: [unclosed")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = error_of(data_project)
    assert "data/datapackage.yaml, line" in message


def test_cli_reports_one_message_and_exit_status_1(data_project):
    set_cell(data_project, STOCK, 3, "value", "muitos")
    result = CliRunner().invoke(main, ["--root", str(data_project), "data", "validate"])
    assert result.exit_code == 1
    assert result.output.startswith("error: data validation failed")
    assert "Traceback" not in result.output
    assert f"{STOCK}, row 3, field `value`" in result.output


def test_cli_validates_the_real_data():
    result = CliRunner().invoke(main, ["--root", str(REPO), "data", "validate"])
    assert result.exit_code == 0, result.output
    assert "datasets valid" in result.output


@pytest.mark.parametrize("spelling", ["inf", "INF", "-inf", "+Infinity", "nan", "NaN", " -INFINITY"])
def test_infinite_or_not_a_number_is_refused(data_project, spelling):
    set_cell(data_project, STOCK, 4, "value", spelling)
    message = error_of(data_project)
    assert f'{STOCK}, row 4, field `value`: "{spelling}" is not a finite number' in message


def test_a_header_with_a_trailing_space_is_refused_by_data_validate(data_project):
    def pad(rows):
        rows[0][rows[0].index("value")] = "value "

    edit_csv(data_project, STOCK, pad)
    result = CliRunner().invoke(main, ["--root", str(data_project), "data", "validate"])
    assert result.exit_code == 1
    assert f"{STOCK}, row 1 (header): column `value ` has spaces around its name; write `value`" in result.output
    assert "datasets valid" not in result.output


def test_json_downloads_are_strict_json(data_project, tmp_path):
    package = validate(data_project)
    per_resource, _ = write_all_downloads(package, tmp_path / "docs")

    def refuse(constant):
        raise ValueError(f"not strict JSON: {constant}")

    files = [d.path for downloads in per_resource.values() for d in downloads if d.path.suffix == ".json"]
    assert len(files) >= 2 * len(per_resource)
    for path in files:
        json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        to_json(pd.DataFrame({"value": [float("inf")]}))


XLSX_BYTES = """
import hashlib, sys
if sys.argv[1] == "without":
    sys.modules["lxml"] = None  # as if lxml were not installed: openpyxl falls back to its own XML writer
from observatorio.data import read_typed, validate
from observatorio.downloads import to_xlsx
import openpyxl.xml
resource = validate(sys.argv[2]).resource("immigrant_stock")
print(openpyxl.xml.LXML, hashlib.sha256(to_xlsx(read_typed(resource), resource)).hexdigest())
"""


def test_xlsx_bytes_do_not_depend_on_lxml(data_project):
    runs = {}
    for case in ("with", "without"):
        done = subprocess.run([sys.executable, "-c", XLSX_BYTES, case, str(data_project)], capture_output=True, text=True, check=True)
        runs[case] = done.stdout.split()
    assert runs["with"][0] == "True" and runs["without"][0] == "False"  # the two writers really were used
    assert runs["with"][1] == runs["without"][1]
