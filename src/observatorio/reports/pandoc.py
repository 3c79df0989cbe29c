"""pandoc (from the pypandoc-binary wheel): the assembled document tree → HTML fragment for the site (math as MathML), → Typst for the PDF."""

from __future__ import annotations

import functools
import json
import subprocess
from pathlib import Path

from ..errors import UserError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CITEPROC_LOCALES = {"pt": "pt-PT", "en": "en-GB"}


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def convert(document: dict, to: str, *, lang: str, bibliography: Path | None, meta: dict[str, str], label: str, cwd: Path,
            reference_location: str = "document") -> str:
    """Run pandoc on a JSON document tree with citeproc and the callout filter; a pandoc error names the publication.
    `reference_location` (Quarto's front matter key): where the web page lists footnotes (the PDF's are at the page's foot)."""
    args = [
        pandoc_path(), "--from=json", f"--to={to}", "--wrap=none",
        f"--lua-filter={TEMPLATES / 'callouts.lua'}", f"--metadata=lang:{CITEPROC_LOCALES.get(lang, lang)}",
    ]
    if to == "typst":
        args.append("--shift-heading-level-by=-1")
    else:
        args.append("--mathml")  # equations written by pandoc, readable without a script
        args.append(f"--reference-location={reference_location}")
    for key, value in meta.items():
        args.append(f"--metadata={key}:{value}")
    if bibliography is not None:
        args += ["--citeproc", f"--bibliography={bibliography}"]
    done = subprocess.run(args, input=json.dumps(document, ensure_ascii=False), capture_output=True, text=True, cwd=cwd)
    if done.returncode != 0:
        raise UserError(f"{label}: pandoc failed: {done.stderr.strip()}")
    warnings = [line for line in done.stderr.splitlines() if "[WARNING]" in line and ("Citeproc" in line or "TeX math" in line)]
    if warnings:
        raise UserError(f"{label}: {'; '.join(warnings)}")
    return done.stdout
