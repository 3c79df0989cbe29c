"""`observatorio serve`: options kept on every rebuild, one assembly at start-up, errors shown in the page."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from observatorio import preview


def test_every_rebuild_uses_the_options_serve_was_started_with(monkeypatch, tmp_path):
    from observatorio import site

    seen = []
    monkeypatch.setattr(site, "assemble", lambda root, options: seen.append(options))
    stamps = iter([("a",), ("b",), ("b",)])
    monkeypatch.setattr(site, "sources_stamp", lambda root: next(stamps))
    options = site.Options(engine="builtin", jobs=3, preview=False)
    monkeypatch.setattr(preview, "state", preview.Preview(mode="serve", options=options, stamp=("a",)))
    for _ in range(3):
        preview.refresh(tmp_path)
    assert seen == [options]  # unchanged sources: no assembly; changed: one, with the same options


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def wait_for(url: str, condition, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and condition(page):
            return page
        time.sleep(0.5)
    raise AssertionError(f"{url}: the condition was not met within {timeout} s")


@pytest.mark.slow
def test_serve_rebuilds_on_edit_and_shows_errors_in_the_page(site_project: Path, tmp_path):
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "observatorio", "--root", str(site_project), "serve", "--address", f"127.0.0.1:{port}", "--no-drafts"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/sobre/"
    try:
        first = wait_for(url, lambda page: "<h1" in page)
        assert preview.BANNER_ID not in first
        log.flush()
        assert (tmp_path / "serve.log").read_text().count("validating data") == 1  # assembled once at start-up

        source = site_project / "site" / "docs" / "sobre" / "index.md"
        source.write_text(source.read_text(encoding="utf-8") + "\nFrase acrescentada na pré-visualização.\n", encoding="utf-8")
        wait_for(url, lambda page: "Frase acrescentada na pré-visualização." in page)

        orphan = site_project / "site" / "docs" / "sobre" / "sem-traducao.md"
        orphan.write_text("# Sem tradução\n", encoding="utf-8")
        broken = wait_for(url, lambda page: preview.BANNER_ID in page)
        banner = BeautifulSoup(broken, "html.parser").find(id=preview.BANNER_ID)
        assert "missing translations" in banner.get_text()
        assert "sem-traducao.md" in banner.get_text()
        assert "Frase acrescentada na pré-visualização." in broken  # the last good pages stay

        orphan.unlink()
        wait_for(url, lambda page: preview.BANNER_ID not in page)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "(the preview keeps the last good pages until this is fixed)" in output
