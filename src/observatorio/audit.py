"""Audits of the built site in a real browser: the page types to visit and Lighthouse.

`python -m observatorio.audit lighthouse` (or `nox -s lighthouse`) runs Lighthouse with its mobile
preset in Debian's Chromium on every page type in every language, and writes a table of the four
category scores to test-artifacts/lighthouse.md and .json. `--runs N` runs each page N times and keeps
each category's median, as Lighthouse advises for performance, which varies with the machine's load;
`--pages campaign,profile-list` audits only those page types.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from . import static_server
from .i18n import languages

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}


def page_types(site: Path) -> dict[str, str]:
    """One URL path (default language) per page type the built site has."""
    types = {"home": "/", "catalogue": "/dados/", "dataset": "/dados/immigrant_stock/", "about": "/sobre/",
             "methods": "/sobre/metodos/", "404": "/404.html"}
    if (site / "dados" / "emigrant_stock_by_destination" / "index.html").is_file():  # a dataset page whose figure has a map view
        types["dataset-map"] = "/dados/emigrant_stock_by_destination/"
    for name, section in (("publication", "publicacoes"), ("campaign", "campanhas"), ("profile", "perfis")):
        folder = site / section
        if folder.is_dir():
            types[f"{name}-list"] = f"/{section}/"
            pages = sorted(p.parent.name for p in folder.glob("*/index.html"))
            if pages:
                types[name] = f"/{section}/{pages[0]}/"
    return types


def every_language(root: Path, types: dict[str, str]) -> list[tuple[str, str]]:
    """(name-code, path) for every page type in every language."""
    return [(f"{name}-{lang.code}", "/" + lang.prefix() + path.lstrip("/")) for name, path in types.items() for lang in languages(root)]


def lighthouse(root: Path, site: Path, binary: Path, out: Path, runs: int = 1, only: set[str] | None = None) -> list[dict]:
    """Lighthouse on every page type in every language (`only`: just these page types, e.g. {"campaign"})."""
    server = static_server.start(site)
    origin = f"http://127.0.0.1:{server.server_port}"
    rows = []
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    try:
        types = {name: path for name, path in page_types(site).items() if not only or name in only}
        for name, path in every_language(root, types):
            reports = []
            for run in range(runs):
                report = out / (f"lighthouse-{name}.json" if run == 0 else f"lighthouse-{name}-{run + 1}.json")
                subprocess.run(
                    [str(binary), origin + path, "--quiet", f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
                     "--output=json", f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}"],
                    check=True, env=env,
                )
                reports.append(json.loads(report.read_text(encoding="utf-8")))
            scores = {c: statistics.median(data["categories"][c]["score"] for data in reports) for c in CATEGORIES}
            failing = sorted({k for data in reports for k, v in data["audits"].items()
                              if v.get("score") is not None and v["score"] < 1 and v.get("scoreDisplayMode") in ("binary", "numeric")})
            rows.append({"page": name, "path": path, **scores, "runs": runs, "below_one": failing})
    finally:
        server.shutdown()
    return rows


def write_table(rows: list[dict], out: Path) -> str:
    lines = ["| page | performance | accessibility | best practices | SEO |", "|---|--:|--:|--:|--:|"]
    for row in rows:
        lines.append(f"| {row['page']} | " + " | ".join(f"{row[c]:.2f}" for c in CATEGORIES) + " |")
    table = "\n".join(lines) + "\n"
    (out / "lighthouse.md").write_text(table, encoding="utf-8")
    (out / "lighthouse.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return table


def main(argv: list[str]) -> int:
    root = Path.cwd()
    binary = root / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        print("Lighthouse is not installed: run `npm ci` (nox -s lighthouse does).", file=sys.stderr)
        return 1
    out = root / "test-artifacts"
    out.mkdir(exist_ok=True)
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 1
    only = set(argv[argv.index("--pages") + 1].split(",")) if "--pages" in argv else None
    rows = lighthouse(root, root / "_site", binary, out, runs, only)
    print(write_table(rows, out))
    misses = [f"{r['page']}: {c} {r[c]:.2f} < {TARGETS[c]:.2f} ({', '.join(r['below_one'])})" for r in rows for c in CATEGORIES if r[c] < TARGETS[c]]
    for miss in misses:
        print("below target:", miss, file=sys.stderr)
    return 1 if misses and "--strict" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
