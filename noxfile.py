"""Tasks: `nox -s build` builds the site into _site/, `nox -s tests` runs the test suite.

Every session installs the project into its own virtual environment from the package index,
so a fresh clone needs nothing but Python and nox.
"""

from pathlib import Path

import nox

nox.options.sessions = ["build", "tests"]
nox.options.reuse_existing_virtualenvs = True

def install(session, *extras):
    spec = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", spec)


@nox.session
def build(session):
    """Build the whole site into _site/ (pass options through, e.g. `-- --jobs 2`)."""
    install(session)
    session.run("observatorio", "build", *session.posargs)


@nox.session
def tests(session):
    """Run the test suite, slow end-to-end tests included (`-- -m "not slow"` for the fast ones)."""
    install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session
def serve(session):
    """Preview the site at http://127.0.0.1:8000 with live reload."""
    install(session)
    session.run("observatorio", "serve", *session.posargs)


@nox.session
def check(session):
    """Quality gates: build; data, translations, internal links; axe-core (recorded for the accessibility statement); Lighthouse."""
    install(session, "test")
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
    install(session, "bench")
    session.run("python", "bench/bench.py", *session.posargs)


@nox.session
def lint(session):
    """Static checks of the Python code."""
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "noxfile.py")
