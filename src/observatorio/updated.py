"""When a page's content last changed: the last commit that touched its sources.

Dataset pages use their data file, country profiles their template and the data files they read.
Publications carry their own dates (front matter `date` and corrections) and use those. Without git
history (a copy of the sources, an unborn branch), or for sources changed after the last commit,
the build date stands in (`clock.build_date`: SOURCE_DATE_EPOCH, else the last commit), so two
builds of one commit print the same dates.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import subprocess
from pathlib import Path

from .clock import build_date
from .i18n import Strings


def last_changed(root: Path, paths: list[Path]) -> dt.date:
    """The date of the last commit that touched any of `paths`, never later than the build date."""
    built = build_date(root)
    found = _git_date(Path(root).resolve(), tuple(sorted(str(Path(p).resolve()) for p in paths)))
    return min(found, built) if found else built


@functools.lru_cache(maxsize=256)
def _git_date(root: Path, paths: tuple[str, ...]) -> dt.date | None:
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct", "--", *paths], cwd=root,
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    if not out:
        return None
    modified = subprocess.run(["git", "status", "--porcelain", "--", *paths], cwd=root, capture_output=True, text=True, check=False).stdout
    if modified.strip():
        return None  # changed since the last commit: the build date is the better answer
    return dt.datetime.fromtimestamp(int(out), tz=dt.UTC).date()


def updated_line(s: Strings, day: dt.date) -> str:
    """`<p class="obs-updated">Atualizado em <time …>28 de novembro de 2026</time></p>`: how every page says when it changed."""
    return f'<p class="obs-updated">{s.format("common.updated", date=time_tag(day, s))}</p>'


def time_tag(day: dt.date, s: Strings) -> str:
    return f'<time datetime="{day.isoformat()}">{html.escape(s.long_date(day))}</time>'
