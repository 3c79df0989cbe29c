"""Publishing the built site safely: what the build may replace, one build at a time, and the swap.

- `check_target`: the site folder is replaced only when it is empty or carries the marker file a
  build wrote there (`MARKER`), or is exactly what the project's last build published (a site built
  before the marker existed); never the project root, a folder above it, the home folder or `/`.
- Every generated file is written through `files.write_if_changed`, which refuses a path outside
  `build/` (`files.writes_under`); dataset, publication and campaign names are slugs.
- `build_lock`: one build per project (a lock file under `build/` with the PID of the build).
- `remove_stale`: temporary folders of builds that died (`.site-new-<pid>`, `.site-old-<pid>`).
- `finish` and `swap`: fixed permissions (0644 files, 0755 folders), the marker, a size limit per
  page, then the temporary folder replaces the published one; a full disk or a read-only target is
  one message and leaves the published folder as it was (`os_error`).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

from . import freshness, settings
from .errors import UserError
from .paths import build_dir

MARKER = ".observatorio-site"
MARKER_TEXT = "This folder was written by `observatorio build`, which replaces it as a whole at each build.\n"
TEMPORARY = re.compile(r"^\.site-(new|old)-(\d+)$")
LOCK = "build.lock"
FILE_SYSTEM_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


def check_target(root: Path, final: Path) -> None:
    """Stop unless `final` is a folder the build may replace (absent, empty, or marked as built)."""
    root, final = root.resolve(), final.resolve()
    forbidden = {Path("/"): "the file system root", Path.home().resolve(): "your home folder"}
    if final in forbidden:
        raise UserError(f"--site-dir {final}: refusing to publish into {forbidden[final]}, which the build would replace. Choose an empty folder, e.g. `{root / '_site'}`.")
    if root == final or root.is_relative_to(final):
        raise UserError(f"--site-dir {final}: refusing to publish into the project folder or a folder above it ({root}): the build replaces the whole site folder. Choose an empty folder, e.g. `{root / '_site'}`.")
    if final.exists() and not final.is_dir():
        raise UserError(f"--site-dir {final}: is a file, not a folder. Choose a folder the build may replace.")
    marked = (final / MARKER).is_file() or freshness.published_by_last_build(root, final)
    if final.is_dir() and any(final.iterdir()) and not marked:
        raise UserError(
            f"--site-dir {final}: the folder holds files that no build of this project wrote (it has no `{MARKER}` file), "
            "and the build would replace it. Choose an empty or new folder; if it is an old copy of the site, delete it yourself."
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def build_lock(root: Path):
    """Hold the project's build lock for the block; a second build stops with a message naming the first."""
    path = build_dir(root) / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:  # closing releases the lock, and so does the death of the process
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            other = handle.read().strip() or "unknown"
            raise UserError(
                f"another build of this project is running (process {other}, lock {path}). "
                "Wait for it to finish, or stop that process, then build again."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield


def remove_stale(parent: Path) -> list[str]:
    """Delete `.site-new-<pid>`/`.site-old-<pid>` folders in `parent` whose build process is gone."""
    removed = []
    if not parent.is_dir():
        return removed
    for path in sorted(parent.iterdir()):
        match = TEMPORARY.match(path.name)
        if match and path.is_dir() and not _alive(int(match.group(2))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def check_page_sizes(root: Path, folder: Path, suffix: str) -> None:
    """Stop when a page (`suffix`: `.md` in the docs folder, before MkDocs reads it; `.html` after) is above `limits.page_bytes`."""
    limit = settings.get(root, "limits.page_bytes")
    for path in sorted(folder.rglob(f"*{suffix}")):
        size = path.stat().st_size
        if size > limit:
            raise UserError(
                f"{path.relative_to(folder)}: the page is {size:,} bytes, above the limit of {limit:,} "
                "(setting `limits.page_bytes`). Print less in the cells of its source, or raise the setting in mkdocs.yml."
            )


def finish(root: Path, folder: Path) -> None:
    """Make the built `folder` ready to publish: page size limit, fixed permissions, the marker."""
    check_page_sizes(root, folder, ".html")
    for dirpath, _, filenames in os.walk(folder):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, 0o644)
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    os.chmod(folder / MARKER, 0o644)


def swap(temporary: Path, final: Path) -> None:
    """Replace `final` by `temporary`; the old site is removed only after the new one is in place."""
    old = final.parent / f".site-old-{os.getpid()}"
    if final.exists():
        final.rename(old)
    try:
        temporary.rename(final)
    except OSError:
        if old.exists():
            old.rename(final)
        raise
    shutil.rmtree(old, ignore_errors=True)


def os_error(exc: OSError, final: Path) -> UserError:
    """One message for a file-system failure while publishing (the published site is left as it was)."""
    where = exc.filename or final.parent
    if exc.errno == errno.ENOSPC:
        why = "the disk is full"
    elif exc.errno == errno.EDQUOT:
        why = "the disk quota is used up"
    else:
        why = "the folder cannot be written (read-only or no permission)"
    return UserError(f"{where}: {why}; the site was not published and {final} is as it was. Free space or fix the permissions, then build again.")
