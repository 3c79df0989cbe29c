"""Safe publishing: the build replaces only what it made, writes only under its output folders,
runs one at a time, and reports file-system failures as one message (observatorio.publish)."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import tree_digest

from observatorio import publish
from observatorio.cli import main
from observatorio.errors import UserError
from observatorio.files import write_if_changed, writes_under
from observatorio.site import build


def run_build(root: Path, *extra: str):
    return CliRunner().invoke(main, ["--root", str(root), "build", *extra])


@pytest.mark.parametrize("where", ["root", "parent"])
def test_site_dir_at_the_project_or_above_is_refused_and_nothing_is_deleted(site_project, where):
    target = site_project if where == "root" else site_project.parent
    before = tree_digest(target)
    result = run_build(site_project, "--site-dir", str(target))
    assert result.exit_code == 1
    assert "refusing to publish into the project folder or a folder above it" in result.output
    assert "Traceback" not in result.output
    assert tree_digest(target) == before
    assert (site_project / "mkdocs.yml").is_file()


def test_site_dir_in_an_unrelated_non_empty_folder_is_refused(site_project, tmp_path):
    other = tmp_path / "someone-elses"
    other.mkdir()
    (other / "thesis.txt").write_text("years of work\n", encoding="utf-8")
    result = run_build(site_project, "--site-dir", str(other))
    assert result.exit_code == 1
    assert "holds files that no build of this project wrote" in result.output
    assert (other / "thesis.txt").read_text(encoding="utf-8") == "years of work\n"
    assert sorted(p.name for p in other.iterdir()) == ["thesis.txt"]


@pytest.mark.parametrize("target", ["/", "~"])
def test_root_and_home_are_refused(tmp_path, target):
    with pytest.raises(UserError, match="refusing to publish into"):
        publish.check_target(tmp_path, Path(target).expanduser())


def test_an_empty_folder_or_a_marked_site_may_be_replaced(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    publish.check_target(tmp_path / "project", empty)
    marked = tmp_path / "marked"
    marked.mkdir()
    (marked / "index.html").write_text("old", encoding="utf-8")
    (marked / publish.MARKER).write_text(publish.MARKER_TEXT, encoding="utf-8")
    publish.check_target(tmp_path / "project", marked)


def test_a_traversal_dataset_name_stops_before_anything_is_written_outside(data_project, tmp_path):
    descriptor = data_project / "data" / "datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(text.replace("  - name: population\n", "  - name: ../../../../escaped-pop\n", 1), encoding="utf-8")
    for command in (["data", "validate"], ["build"]):
        result = CliRunner().invoke(main, ["--root", str(data_project), *command])
        assert result.exit_code == 1
        assert '`resources[6].name`: the text "../../../../escaped-pop" is not allowed here' in result.output
    assert not list(tmp_path.rglob("escaped-pop*"))
    assert not [folder for folder in data_project.parents if list(folder.glob("escaped-pop*"))]


def test_writes_outside_the_output_folder_are_refused(tmp_path):
    with writes_under(tmp_path / "build"), pytest.raises(UserError, match="outside"):
        write_if_changed(tmp_path / "build" / "docs" / ".." / ".." / "escaped.csv", "x")
    assert not (tmp_path / "escaped.csv").exists()


def test_a_second_build_of_the_same_project_is_refused_naming_the_first(tmp_path):
    with publish.build_lock(tmp_path), pytest.raises(UserError, match=rf"another build of this project is running \(process {os.getpid()}"):
        with publish.build_lock(tmp_path):
            pass
    with publish.build_lock(tmp_path):  # released at the end of the first
        pass


def test_temporary_folders_of_dead_builds_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    stale = tmp_path / f".site-new-{dead.stdout.strip()}"
    (stale / "assets").mkdir(parents=True)
    mine = tmp_path / f".site-new-{os.getpid()}"
    mine.mkdir()
    assert publish.remove_stale(tmp_path) == [stale.name]
    assert not stale.exists() and mine.is_dir()


def test_finish_sets_fixed_permissions_and_limits_page_size(tmp_path, monkeypatch):
    old = os.umask(0o077)
    try:
        (tmp_path / "a").mkdir()
        (tmp_path / "a" / "index.html").write_text("<p>x</p>", encoding="utf-8")
    finally:
        os.umask(old)
    publish.finish(tmp_path, tmp_path)
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "a" / "index.html").stat().st_mode) == 0o644
    assert (tmp_path / publish.MARKER).is_file()
    monkeypatch.setattr(publish.settings, "get", lambda root, name: 4)
    with pytest.raises(UserError, match=r"a/index.html: the page is 8 bytes, above the limit of 4 \(setting `limits.page_bytes`\)"):
        publish.finish(tmp_path, tmp_path)


@pytest.mark.slow
def test_disk_full_and_read_only_targets_are_one_message_and_keep_the_site(site_project, monkeypatch):
    build(site_project)
    site = site_project / "_site"
    assert (site / publish.MARKER).is_file()
    assert stat.S_IMODE((site / "index.html").stat().st_mode) == 0o644
    before = tree_digest(site)
    page = site_project / "site" / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUma frase nova.\n", encoding="utf-8")
    for code, message, step in [(errno.ENOSPC, "the disk is full", "finish"), (errno.EROFS, "cannot be written (read-only or no permission)", "swap")]:
        def fail(*args, code=code):
            raise OSError(code, os.strerror(code), str(site))

        monkeypatch.setattr(publish, step, fail)
        result = run_build(site_project)
        monkeypatch.undo()
        assert result.exit_code == 1 and f"{message}; the site was not published" in result.output
        assert "Traceback" not in result.output
        assert tree_digest(site) == before
        assert not list(site_project.glob(".site-*"))


CHILDREN = """
import subprocess, sys, time
from observatorio.processes import ended_with_the_build
with ended_with_the_build():
    worker = subprocess.Popen(["sleep", "300"])
    kernel = subprocess.Popen(["sleep", "301"], start_new_session=True)  # as jupyter_client starts kernels
    print(worker.pid, kernel.pid, flush=True)
    time.sleep(300)
"""


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] not in "ZX"
    except OSError:
        return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_children_and_kernels_end_with_the_build(sig):
    build_process = subprocess.Popen([sys.executable, "-c", CHILDREN], stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in build_process.stdout.readline().split()]
    assert len(pids) == 2 and all(_running(p) for p in pids)
    time.sleep(1.2)  # the watchdog has seen them
    build_process.send_signal(sig)
    build_process.wait(timeout=10)
    deadline = time.monotonic() + 5
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in pids if _running(p)]


@pytest.mark.slow
def test_a_page_above_the_size_limit_stops_the_build_before_mkdocs(site_project):
    config = site_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nextra:\n" in text and "\n  observatorio:\n" not in text
    config.write_text(text.replace("\nextra:\n", "\nextra:\n  observatorio:\n    settings:\n      limits.page_bytes: 1000000\n", 1), encoding="utf-8")
    page = site_project / "site" / "docs" / "sobre" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + "Uma linha impressa vezes sem conta.\n" * 40_000, encoding="utf-8")
    result = run_build(site_project)
    assert result.exit_code == 1
    assert "sobre/index.md: the page is" in result.output and "above the limit of 1,000,000 (setting `limits.page_bytes`)" in result.output
    assert not (site_project / "_site").exists()
