"""The build-step protocol (`observatorio.steps`): declared and found inputs, one manifest format, one wording."""

from __future__ import annotations

import json
import shutil

from observatorio import steps


def project(tmp_path):
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "data" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (root / "data" / "b.csv").write_text("x\n2\n", encoding="utf-8")
    return root


def test_unchanged_inputs_reuse_the_stored_files(tmp_path):
    root = project(tmp_path)
    inputs = steps.Inputs(root).file(root / "data" / "a.csv").value("language", "pt").code()
    steps.store(root / "build" / "step", "example", inputs, {"page.md": b"# A\n", "sub/figure.svg": b"<svg/>"})
    again = steps.Inputs(root).file(root / "data" / "a.csv").value("language", "pt").code()
    files, manifest, why = steps.stored(root / "build" / "step", again)
    assert why == "cached" and files == {"page.md": b"# A\n", "sub/figure.svg": b"<svg/>"}
    assert manifest["step"] == "example" and manifest["format"] == steps.FORMAT


def test_the_reason_names_what_changed(tmp_path):
    root = project(tmp_path)
    folder = root / "build" / "step"
    assert steps.stored(folder, steps.Inputs(root))[2] == "first build"
    steps.store(folder, "example", steps.Inputs(root).files([root / "data" / "a.csv", root / "data" / "b.csv"]).value("language", "pt"), {})
    (root / "data" / "b.csv").write_text("x\n3\n", encoding="utf-8")
    inputs = steps.Inputs(root).files([root / "data" / "a.csv", root / "data" / "b.csv"]).value("language", "en")
    assert steps.stored(folder, inputs)[2] == "changed: data/b.csv, language"
    many = steps.Inputs(root).value("language", "pt").files([root / "data" / "a.csv"])
    many.items.update({f"setting {n}": "x" for n in range(6)})
    assert steps.why(steps.load(folder / "manifest.json"), many) == "changed: data/b.csv, setting 0, setting 1, setting 2 and 3 more"


def test_found_inputs_are_hashed_again(tmp_path):
    """What the work turned out to read (a kernel's data files) is checked like a declared file."""
    root = project(tmp_path)
    path = root / "build" / "record.json"
    steps.save(path, "execution", steps.Inputs(root).value("source", "s").found([root / "data" / "a.csv"]))
    assert steps.why(steps.load(path), steps.Inputs(root).value("source", "s")) is None
    (root / "data" / "a.csv").write_text("x\n9\n", encoding="utf-8")
    assert steps.why(steps.load(path), steps.Inputs(root).value("source", "s")) == "changed: data/a.csv"
    (root / "data" / "a.csv").unlink()
    assert steps.why(steps.load(path), steps.Inputs(root).value("source", "s")) == "changed: data/a.csv"


def test_manifests_hold_no_absolute_path_and_a_copy_checks_its_own_files(tmp_path):
    root = project(tmp_path)
    path = root / "build" / "record.json"
    steps.save(path, "execution", steps.Inputs(root).file(root / "data" / "b.csv").found([root / "data" / "a.csv"]))
    assert str(tmp_path) not in path.read_text(encoding="utf-8")
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    (copy / "data" / "a.csv").write_text("x\n5\n", encoding="utf-8")
    assert steps.why(steps.load(copy / "build" / "record.json"), steps.Inputs(copy).file(copy / "data" / "b.csv")) == "changed: data/a.csv"
    assert steps.why(steps.load(path), steps.Inputs(root).file(root / "data" / "b.csv")) is None


def test_a_manifest_of_another_format_or_missing_files_is_not_reused(tmp_path):
    root = project(tmp_path)
    folder = root / "build" / "step"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"key": "old", "files": []}), encoding="utf-8")
    assert steps.stored(folder, steps.Inputs(root))[2] == "cache made by an older version"
    steps.store(folder, "example", steps.Inputs(root), {"page.md": b"x"})
    (folder / "files" / "page.md").unlink()
    assert steps.stored(folder, steps.Inputs(root))[2] == "stored files incomplete"


def test_memo_makes_once_per_content(tmp_path):
    made = []

    def make():
        made.append(1)
        return b"drawn"

    assert steps.memo(tmp_path, ".svg", make, "spec", "1.0") == b"drawn"
    assert steps.memo(tmp_path, ".svg", make, "spec", "1.0") == b"drawn"
    assert len(made) == 1
    steps.memo(tmp_path, ".svg", make, "spec", "1.1")
    assert len(made) == 2


def test_checksum_parts_cannot_run_into_each_other():
    assert steps.checksum("ab", "c") != steps.checksum("a", "bc")
    assert steps.checksum(b"x") == steps.checksum("x")
