"""Internal link check of a built site with LinkChecker.

LinkChecker crawls the site's files from its home page (following every page, asset and download);
links to other sites are not followed (the build machine may be offline).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import UserError


def _linkchecker() -> list[str]:
    found = shutil.which("linkchecker") or str(Path(sys.executable).with_name("linkchecker"))
    if not Path(found).exists():
        raise UserError("LinkChecker is not installed: `pip install linkchecker` (it is a dependency of the observatorio package).")
    return [found]


def _site_path(url: str, site_dir: Path) -> str:
    prefix = site_dir.resolve().as_uri()
    path = url[len(prefix):] if url.startswith(prefix) else url
    return path.removesuffix("index.html") or "/"


def broken_links(site_dir: Path) -> list[str]:
    """One line per broken internal link: the page, the link as written, and what went wrong."""
    if os.geteuid() == 0:
        # LinkChecker run as root drops to user `nobody`, who may not read the site's folder:
        # check a world-readable copy instead.
        with tempfile.TemporaryDirectory() as folder:
            os.chmod(folder, 0o755)
            copy = Path(folder) / "site"
            shutil.copytree(site_dir, copy)
            for path in [copy, *copy.rglob("*")]:
                os.chmod(path, 0o755 if path.is_dir() else 0o644)
            return [line.replace(copy.resolve().as_uri(), "") for line in _check(copy)]
    return _check(site_dir)


def _check(site_dir: Path) -> list[str]:
    home = site_dir.resolve() / "index.html"
    result = subprocess.run(
        [*_linkchecker(), "--no-status", "--no-warnings", "--threads=4", "--output=csv", str(home)],
        capture_output=True, text=True, check=False,
    )
    rows = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    problems = []
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        if row.get("valid") == "False":
            reason = "not found" if "No such file" in (row.get("result") or "") else row.get("result")
            problems.append(f"{_site_path(row.get('parentname') or '', site_dir)}: broken link {row.get('urlname')} ({reason})")
    if result.returncode not in (0, 1):
        problems.append(f"LinkChecker failed: {result.stderr.strip()[-500:]}")
    return sorted(problems)
