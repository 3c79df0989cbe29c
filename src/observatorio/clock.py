"""The build's date: from SOURCE_DATE_EPOCH, else the last commit, else today.

Every date printed by a build comes from here, so two builds of one commit agree.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path


def build_datetime(root: Path) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        try:
            epoch = subprocess.run(
                ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            epoch = ""
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def build_date(root: Path) -> dt.date:
    return build_datetime(root).date()
