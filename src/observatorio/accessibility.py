"""Accessibility: axe-core in Debian's Chromium, and the accessibility statement made from its results.

`python -m observatorio.accessibility` (run by `nox -s check`) audits every page type of the built
site in every language with the WCAG 2.0/2.1 A and AA rules and records the results in
`site/accessibility.json`; commit that file. The build turns it into the statement page
(`sobre/acessibilidade`), following the structure of the Portuguese public-sector model
(conformance status, how it was evaluated, known issues, contact).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import contact
from .i18n import Language, strings

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RESULTS = Path("site") / "accessibility.json"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def axe_run(page) -> list[dict]:
    """axe-core's violations on an open Playwright page, WCAG 2.0/2.1 A and AA rules."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response["violations"]


def axe_version() -> str:
    import axe_playwright_python

    script = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")[:300]
    marker = script.find("axe v")
    return script[marker + 5 : script.find(" ", marker + 5)].strip() if marker >= 0 else "?"


def audit(root: Path, site_dir: Path) -> dict:
    """Visit every page type in every language and record axe's findings."""
    from playwright.sync_api import sync_playwright

    from . import static_server
    from .audit import CHROMIUM, every_language, page_types
    from .clock import build_date

    server = static_server.start(site_dir)
    origin = f"http://127.0.0.1:{server.server_port}"
    pages = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path in every_language(root, page_types(site_dir)):
                page = browser.new_page()
                page.goto(origin + path)
                page.wait_for_load_state("networkidle")
                violations = axe_run(page)
                pages.append({"page": name, "path": path, "violations": [v["id"] for v in violations]})
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return {"date": build_date(root).isoformat(), "tool": f"axe-core {axe_version()}", "browser": "Chromium (Debian)",
            "standard": "WCAG 2.1 AA", "rules": AXE_TAGS, "pages": pages}


def statement_page(root: Path, lang: Language) -> str:
    s = strings(root, lang.code)
    path = root / RESULTS
    lines = ["---", f"title: {s['accessibility.title']}", "---", "", f"# {s['accessibility.title']}", "", s["accessibility.commitment"], ""]
    if not path.is_file():
        return "\n".join(lines + [s["accessibility.not_evaluated"], ""] + contact_section(root, s))
    results = json.loads(path.read_text(encoding="utf-8"))
    failing = [p for p in results["pages"] if p["violations"]]
    status = s["accessibility.status_full"] if not failing else s["accessibility.status_partial"]
    lines += [f"## {s['accessibility.status_heading']}", "", status, ""]
    lines += [f"## {s['accessibility.method_heading']}", ""]
    lines += [s.format("accessibility.method", date=results["date"], tool=results["tool"], browser=results["browser"],
                       standard=results["standard"], pages=len(results["pages"])), ""]
    lines += [s["accessibility.limits"], ""]
    lines += [f"| {s['accessibility.page']} | {s['accessibility.problems']} |", "|---|---|"]
    for page in results["pages"]:
        found = ", ".join(f"`{v}`" for v in page["violations"]) or s["accessibility.none"]
        lines.append(f"| `{page['path']}` | {found} |")
    return "\n".join(lines + [""] + contact_section(root, s))


def contact_section(root: Path, s) -> list[str]:
    return [f"## {s['accessibility.contact_heading']}", "", s["accessibility.contact"], "", contact.markdown(contact.read(root), s), ""]


def main() -> int:
    root = Path.cwd()
    results = audit(root, root / "_site")
    (root / RESULTS).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    failing = [f"{p['path']}: {', '.join(p['violations'])}" for p in results["pages"] if p["violations"]]
    print(f"{len(results['pages'])} pages audited with {results['tool']}; {len(failing)} with violations; recorded in {RESULTS}.")
    for line in failing:
        print("  " + line)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
