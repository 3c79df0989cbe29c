"""Tasks: `nox -s build` builds the site into _site/, `nox -s tests` runs the test suite.

Every session installs the project into its own virtual environment from the package index,
so a fresh clone needs nothing but Python and nox.
"""

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
    """Quality gates: build, then validate data, translations and internal links."""
    install(session)
    session.run("observatorio", "build")
    session.run("observatorio", "check", *session.posargs)


@nox.session
def lint(session):
    """Static checks of the Python code."""
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "noxfile.py")
