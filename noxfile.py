"""Tasks: `nox -s build` builds the site into _site/, `nox -s tests` runs the test suite.

Every session installs the project into its own virtual environment, made with uv (installed with
`nox[uv]`), from the lock files in requirements/: the same commit installs the same versions.
`nox -s lock` writes the lock files again after a change to the dependencies in pyproject.toml.
"""

from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.sessions = ["build", "tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "uv|virtualenv"

RUNTIME_LOCK = "requirements/runtime.txt"  # what building the site needs
DEV_LOCK = "requirements/dev.txt"  # runtime + tests + benchmark + lint, same versions for what they share
PYTHON = "3.11"  # the lowest Python the project supports; the locks are resolved for it and every platform


def install(session, lock=RUNTIME_LOCK):
    """The locked dependencies, then the project itself without resolving anything again.

    uv writes no bytecode unless asked (pip does): compiled once here, every build process and kernel starts
    without compiling its imports again, also where PYTHONDONTWRITEBYTECODE is set."""
    session.install(*(["--compile-bytecode"] if session.venv_backend == "uv" else []), "-r", lock)
    session.install("--no-deps", "-e", ".")


@nox.session
def build(session):
    """Build the whole site into _site/ (pass options through, e.g. `-- --jobs 2`)."""
    install(session)
    session.run("observatorio", "build", *session.posargs)


@nox.session
def tests(session):
    """Run the test suite, slow end-to-end tests included (`-- -m "not slow"` for the fast ones).

    One pytest-xdist worker per core, each test file on one worker (its module fixtures built once);
    `-- -n 0` runs in one process."""
    install(session, DEV_LOCK)
    session.run("pytest", "-n", "auto", "--dist", "loadfile", *session.posargs)


@nox.session
def serve(session):
    """Preview the site at http://127.0.0.1:8000 with live reload."""
    install(session)
    session.run("observatorio", "serve", *session.posargs)


@nox.session
def check(session):
    """Quality gates: build; data, translations, internal links; axe-core (recorded for the accessibility statement); Lighthouse."""
    install(session, DEV_LOCK)
    session.run("observatorio", "build")
    session.run("observatorio", "check")
    session.run("python", "-m", "observatorio.accessibility")
    _lighthouse(session)


@nox.session
def lighthouse(session):
    """Lighthouse (mobile preset, Debian's Chromium) on every page type of the built site: a score table."""
    install(session)
    if not Path("_site/index.html").is_file():
        session.run("observatorio", "build")
    _lighthouse(session)


def _lighthouse(session):
    session.run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", external=True)
    session.run("python", "-m", "observatorio.audit", *session.posargs)


@nox.session(default=False)
def bench(session):
    """Build benchmark in a temporary copy: rebuilds and 10/50/200 publications as ratios to a cold build (`-- --quick`: 10/50)."""
    install(session, DEV_LOCK)
    session.run("python", "bench/bench.py", *session.posargs)


@nox.session
def lint(session):
    """Static checks of the Python code (ruff, pinned in pyproject.toml's `lint` extra; rules under [tool.ruff])."""
    session.install("-c", DEV_LOCK, "ruff")
    session.run("ruff", "check", "src", "tests", "bench", "noxfile.py", *session.posargs)


@nox.session(default=False, venv_backend="uv")
def minimums(session):
    """The fast tests at the lowest versions pyproject.toml declares (checks that its lower bounds are true)."""
    session.install("--resolution", "lowest-direct", "-e", ".[test]")
    session.run("pytest", "-m", "not slow", *session.posargs)


@nox.session(default=False, venv_backend="uv")
def lock(session):
    """Write requirements/*.txt again from pyproject.toml (after changing a dependency); `-- --upgrade` takes newer versions."""
    compile_ = ["uv", "pip", "compile", "pyproject.toml", "--universal", "--python-version", PYTHON, "--quiet", *session.posargs]
    session.run(*compile_, "--extra", "test", "--extra", "bench", "--extra", "lint", "-o", DEV_LOCK, external=True)
    session.run(*compile_, "--constraint", DEV_LOCK, "-o", RUNTIME_LOCK, external=True)
