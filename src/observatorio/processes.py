"""The processes a build starts (publication workers, Jupyter kernels, Quarto) end with it, on any signal.

Kernels run in sessions of their own (jupyter_client starts them so), so a process group does not
reach them; the build's descendants are found through `/proc` instead (parent links), which
reaches every process the build started, wherever it runs.

- SIGTERM, SIGHUP and SIGINT: `ended_with_the_build` ends the descendants, then the build stops
  as on an error (its temporary folder is removed, `_site/` is left as it was).
- SIGKILL cannot be caught: a small watchdog process notes the build's descendants twice a second
  and ends them when the build is gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, start time) of `pid`, from /proc; None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), fields[19]


def descendants(pid: int) -> dict[int, str]:
    """Every living descendant of `pid`, with its start time (to tell a reused pid apart)."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = _stat(int(entry))
            if found:
                children.setdefault(found[0], []).append((int(entry), found[1]))
    result, todo = {}, [pid]
    while todo:
        for child, started in children.get(todo.pop(), []):
            if child not in result:
                result[child] = started
                todo.append(child)
    return result


def end(processes: dict[int, str], grace: float = 1.0) -> None:
    """SIGTERM, then after `grace` seconds SIGKILL, to each process still running with the same start time."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        alive = {pid: started for pid, started in processes.items() if (_stat(pid) or (0, None))[1] == started}
        for pid in alive:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        deadline = time.monotonic() + grace
        while sig == signal.SIGTERM and alive and time.monotonic() < deadline:
            time.sleep(0.05)
            alive = {pid: s for pid, s in alive.items() if (_stat(pid) or (0, None))[1] == s}
        processes = alive


WATCHDOG = """
import os, sys, time
from observatorio.processes import descendants, end
build, me = int(sys.argv[1]), os.getpid()
seen = {}
while os.path.exists(f"/proc/{build}") and os.getppid() == build:
    seen = {p: s for p, s in descendants(build).items() if p != me}
    time.sleep(0.5)
end(seen)
"""


@contextmanager
def ended_with_the_build():
    """Inside the block, the build's child processes end with it, on a signal or a kill."""
    watchdog = subprocess.Popen([sys.executable, "-c", WATCHDOG, str(os.getpid())], start_new_session=True,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(signum, frame):
        for sig in SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        end({p: s for p, s in descendants(os.getpid()).items() if p != watchdog.pid})
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        watchdog.kill()
        watchdog.wait()
