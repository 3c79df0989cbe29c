"""Quality gates over the sources and the built site (`observatorio check`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .data import validate
from .translations import missing_translations
from .links import broken_links
from .reports.render import stale_notebooks


def run_checks(root: Path, site_dir: Path, progress: Callable[[str], None] = lambda m: None) -> list[str]:
    progress("validating data")
    validate(root)
    progress("checking translations")
    problems = missing_translations(root)
    if not site_dir.is_dir():
        problems.append(f"{site_dir}: no built site. Run `observatorio build` first.")
        return problems
    progress("checking internal links")
    problems += broken_links(site_dir)
    problems += stale_notebooks(root)
    return problems
