"""Safe reading: hostile or broken files stop with one message naming the file, never a traceback."""

from __future__ import annotations

import os
import time

import pytest
import yaml

from observatorio.data import load_package, validate
from observatorio.errors import UserError
from observatorio.safe_read import (
    MAX_ALIASES,
    checked_file,
    parse_yaml,
    read_text,
    read_yaml,
    read_yaml_document,
)

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_billion_laughs_stops_at_once_with_a_clear_message(tmp_path):
    path = tmp_path / "laughs.yml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(UserError, match=r"laughs.yml, line \d+: not valid YAML \(more than [\d,]+ values once its aliases are expanded"):
        read_yaml(path, tmp_path)
    assert time.monotonic() - started < 1


def test_billion_laughs_in_the_catalogue_stops_the_data_validation(data_project):
    path = data_project / "data" / "datapackage.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nlaughs:\n" + "".join("  " + line + "\n" for line in BILLION_LAUGHS.splitlines()), encoding="utf-8")
    with pytest.raises(UserError, match=r"data/datapackage.yaml, line \d+: not valid YAML \(more than"):
        validate(data_project)


def test_aliases_beyond_the_limit_and_recursive_aliases_are_refused():
    many = "a: &a x\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(yaml.YAMLError, match="aliases"):
        parse_yaml(many)
    with pytest.raises(yaml.YAMLError, match="recursive"):
        parse_yaml("a: &a [1, *a]\n")
    assert parse_yaml("a: &a {x: 1}\nb: {<<: *a, y: 2}\n").data == {"a": {"x": 1}, "b": {"x": 1, "y": 2}}


def test_deep_nesting_is_refused():
    with pytest.raises(yaml.YAMLError, match="nested"):
        parse_yaml("a: " + "[" * 100 + "]" * 100)


@pytest.mark.parametrize("spelling", ["no", "yes", "off", "on", "n", "y", "No"])
def test_only_true_and_false_are_booleans(spelling):
    """YAML 1.2 (and Quarto): `no`, `yes`, `on`, `off` are text, so a schema refuses them where a boolean is due."""
    assert parse_yaml(f"x: {spelling}").data == {"x": spelling}
    assert parse_yaml("x: false\ny: True").data == {"x": False, "y": True}


def test_lines_are_kept_for_every_key_including_merged_ones():
    document = parse_yaml("a: &a\n  x: 1\nb:\n  <<: *a\n  y: [1, 2]\n", with_lines=True)
    assert document.lines[("b", "y")] == 5
    assert document.lines[("b", "x")] == 2
    assert document.line(("b", "y", 1, "missing")) == 5


def test_a_symlink_that_leaves_the_project_is_refused_with_its_name(data_project, tmp_path):
    outside = tmp_path / "outside.csv"
    raw = data_project / "data" / "raw" / "countries.csv"
    outside.write_bytes(raw.read_bytes())
    raw.unlink()
    os.symlink(outside, raw)
    with pytest.raises(UserError, match=r"^data/raw/countries.csv: leads outside the project \(to .*outside.csv\)"):
        load_package(data_project)


def test_a_stray_symlink_in_data_raw_is_refused_too(data_project, tmp_path):
    (tmp_path / "secret.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    os.symlink(tmp_path / "secret.csv", data_project / "data" / "raw" / "extra.csv")
    with pytest.raises(UserError, match=r"^data/raw/extra.csv: leads outside the project"):
        validate(data_project)


def test_a_symlink_inside_the_project_is_fine(tmp_path):
    (tmp_path / "real.yml").write_text("a: 1\n", encoding="utf-8")
    os.symlink(tmp_path / "real.yml", tmp_path / "link.yml")
    assert read_yaml(tmp_path / "link.yml", tmp_path) == {"a": 1}


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.yml"
    path.write_bytes("a: 1\nb: Não\n".encode("latin-1"))
    with pytest.raises(UserError, match=r"latin1.yml, line 2: not UTF-8 text \(byte 0xe3\). Save the file as UTF-8"):
        read_text(path, tmp_path)


def test_size_and_kind_of_file_are_bounded(tmp_path):
    path = tmp_path / "big.yml"
    path.write_text("a: " + "x" * 200 + "\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"big.yml: 204 bytes, more than the limit of 100"):
        checked_file(path, tmp_path, max_bytes=100)
    with pytest.raises(UserError, match="not a regular file"):
        read_text(tmp_path, tmp_path.parent)
    with pytest.raises(UserError, match="missing.yml: not found"):
        read_text(tmp_path / "missing.yml", tmp_path)


def test_schema_problems_name_file_line_and_key(tmp_path):
    path = tmp_path / "series_notes.yml"
    path.write_text("min_observations: 2\nbreaks:\n  - dataset: x\n    iso3: LUX\n    form: 2015\n    to: 2020\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_yaml_document(path, tmp_path, "series-notes")
    text = str(caught.value)
    assert "series_notes.yml, line 5: `breaks[0].form`: unknown key `form`. Did you mean `from`?" in text
    assert "series_notes.yml, line 3: `breaks[0]`: missing `from`." in text
