"""Internal link check of a built site with LinkChecker, over HTTP as a reader's browser sees it.

Every link and asset inside the site must resolve; links to other sites are not followed
(the build machine may be offline).
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

from . import static_server
from .errors import UserError


def _linkchecker() -> list[str]:
    found = shutil.which("linkchecker") or str(Path(sys.executable).with_name("linkchecker"))
    if not Path(found).exists():
        raise UserError("LinkChecker is not installed: `pip install linkchecker` (it is a dependency of the observatorio package).")
    return [found]


def broken_links(site_dir: Path) -> list[str]:
    """One line per broken internal link: the page, the link as written, and what went wrong."""
    server = static_server.start(site_dir)
    origin = f"http://127.0.0.1:{server.server_port}/"
    try:
        result = subprocess.run(
            [*_linkchecker(), "--no-status", "--no-warnings", "--threads=4", "--output=csv", origin],
            capture_output=True, text=True, check=False,
        )
    finally:
        server.shutdown()
    rows = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    problems = []
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        if row.get("valid") == "False":
            page = (row.get("parentname") or "").replace(origin, "/")
            problems.append(f"{page or '/'}: broken link {row.get('urlname')} ({row.get('result')})")
    if result.returncode not in (0, 1):
        problems.append(f"LinkChecker failed: {result.stderr.strip()[-500:]}")
    return sorted(problems)
