"""The `observatorio` command line: build, serve, studio, check, data validate, new campaign."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import UserError
from .paths import project_root

ENGINES = click.Choice(["auto", "quarto", "builtin"])


def _progress(message: str) -> None:
    click.echo(f"· {message}", err=True)


def _options(engine: str, jobs: int | None, preview: bool = False):
    from .site import Options

    return Options(engine=engine, jobs=jobs, preview=preview, progress=_progress)


class UserErrorGroup(click.Group):
    """Turns a UserError anywhere below into one readable message and exit status 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=UserErrorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="observatorio")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project folder (default: the nearest folder above the current one holding mkdocs.yml).")
@click.pass_context
def main(ctx, root):
    """Build and check the Cabo Verde Migration Observatory's publications and website."""
    ctx.obj = root


def _root(ctx) -> Path:
    return project_root(ctx.obj)


@main.command()
@click.option("--engine", type=ENGINES, default="auto", show_default=True,
              help="How to render reports: the Quarto CLI, the built-in engine, or Quarto when it is installed.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Publications rendered in parallel (default: all cores).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to publish the site (default: _site/ in the project). Replaced only when the build succeeds.")
@click.pass_context
def build(ctx, engine, jobs, site_dir):
    """Build the whole site into _site/ (data, publications, campaigns, pages)."""
    from .processes import ended_with_the_build
    from .site import build as build_site

    started = time.monotonic()
    with ended_with_the_build():
        summary = build_site(_root(ctx), _options(engine, jobs), site_dir=site_dir)
    for line in summary:
        click.echo(f"  {line}", err=True)
    click.echo(f"Built in {time.monotonic() - started:.1f} s.", err=True)


@main.command()
@click.option("--address", "-a", default="127.0.0.1:8000", show_default=True, help="Address and port to serve on.")
@click.option("--engine", type=ENGINES, default="auto", show_default=True, help="How to render reports (see `build`).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Publications rendered in parallel.")
@click.option("--no-drafts", is_flag=True, help="Preview as published: leave draft campaigns out.")
@click.pass_context
def serve(ctx, address, engine, jobs, no_drafts):
    """Preview the site with live reload; sources under site/, data/, reports/ and campaigns/ are watched."""
    from .site import serve as serve_site

    serve_site(_root(ctx), _options(engine, jobs, preview=not no_drafts), address=address)


@main.command()
@click.option("--address", "-a", default="127.0.0.1:8000", show_default=True, help="Address and port of the preview and the studio.")
@click.option("--engine", type=ENGINES, default="auto", show_default=True, help="How to render reports (see `build`).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Publications rendered in parallel.")
@click.option("--backend-port", type=click.IntRange(min=1024, max=65535), default=None,
              help="Port of the editor's local backend on 127.0.0.1 (default: the setting studio.backend_port, 8081).")
@click.pass_context
def studio(ctx, address, engine, jobs, backend_port):
    """Edit campaigns in a browser form (at /admin/ of the preview), saved to campaigns/<slug>/campaign.yml; drafts included."""
    from .studio import run

    run(_root(ctx), _options(engine, jobs, preview=True), address=address, backend_port=backend_port)


@main.command()
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Built site to check (default: _site/).")
@click.pass_context
def check(ctx, site_dir):
    """Quality gates: data validation, translation completeness, and internal links of the built site."""
    from .checks import notices, run_checks

    root = _root(ctx)
    site = Path(site_dir or root / "_site")
    problems = run_checks(root, site, progress=_progress)
    for notice in notices(root, site):
        click.echo(f"note: {notice}", err=True)
    if problems:
        raise UserError(f"{len(problems)} problem(s):\n  " + "\n  ".join(problems))
    click.echo("All checks passed.", err=True)


@main.group()
def data():
    """Work with the data catalogue (data/datapackage.yaml)."""


@data.command("validate")
@click.pass_context
def data_validate(ctx):
    """Check every dataset against its schema; report file, row, field and rule for each problem."""
    from .data import validate

    package = validate(_root(ctx.parent))
    click.echo(f"{len(package.resources)} datasets valid.", err=True)


@main.group()
def new():
    """Start something new from a template."""


@new.command("campaign")
@click.argument("slug")
@click.pass_context
def new_campaign(ctx, slug):
    """Write campaigns/SLUG/campaign.yml from the commented template (SLUG: lowercase words joined by hyphens)."""
    try:
        from .campaigns import scaffold
    except ImportError:
        raise UserError("campaigns are not available in this version.") from None
    path = scaffold(_root(ctx.parent), slug)
    click.echo(f"Wrote {path}. Edit it, then run `nox -s serve` to preview.", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
