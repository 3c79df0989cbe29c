"""One hostile string put into every text field of every source kind (for the escaping tests).

If any of it reaches a page as markup, the page gains an element with `data-hostile` or runs a
script that sets `window.__hostile`; escaped, it shows as text.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

HOSTILE = "X\"'><i data-hostile>h</i><script>window.__hostile=1</script>"
REPORT = "reports/imigracao-retrato-estatistico"
CAMPAIGN = "campaigns/morabeza-para-todos/campaign.yml"
COUNTRY = "AGO"


def _yaml(text: str) -> str:
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sub(path: Path, pattern: str, replacement: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    new, found = re.subn(pattern, lambda m: replacement.format(*m.groups()), text, count=count, flags=re.MULTILINE)
    assert found, f"{pattern!r} not in {path}"
    path.write_text(new, encoding="utf-8")


def inject(root: Path) -> None:
    """Put HOSTILE into the text fields of the project copy at `root` (datasets, reports, topics,
    campaign, countries, bibliography), keeping every file valid."""
    package = root / "data" / "datapackage.yaml"
    # dataset immigrant_stock: titles, descriptions, a field title, a source title
    _sub(package, r"^(    titles:\n      pt: )(.*)$", "{0}" + _yaml("{1} " + HOSTILE))
    _sub(package, r"^(    titles:\n      pt: .*\n      en: )(.*)$", "{0}" + _yaml("{1} " + HOSTILE))
    _sub(package, r"^(    descriptions:\n      pt: >-\n)", "{0}        " + HOSTILE + "\n")
    _sub(package, r"^(      en: >-\n        UN DESA international migrant stock)", "      en: >-\n        " + HOSTILE + "\n        UN DESA international migrant stock")
    for name in ("index.qmd", "index.en.qmd"):
        path = root / REPORT / name
        _sub(path, r"^title: \"(.*)\"$", "title: " + _yaml("{0} " + HOSTILE))
        _sub(path, r"^subtitle: \"(.*)\"$", "subtitle: " + _yaml("{0} " + HOSTILE))
        _sub(path, r"^  - name: \"(.*)\"$", "  - name: " + _yaml("{0} " + HOSTILE))
        _sub(path, r"^(abstract: >-\n)", "{0}  " + HOSTILE + "\n")
    _sub(root / REPORT / "refs.bib", r"^(  title = \{\{International Migrant Stock 2020)", "{0} " + HOSTILE)
    _sub(root / "reports" / "_topics.yml", r"^imigracao: \{pt: Imigração, en: Immigration\}$",
         "imigracao: {{pt: " + _yaml("Imigração " + HOSTILE) + ", en: " + _yaml("Immigration " + HOSTILE) + "}}")
    campaign = root / CAMPAIGN
    # A campaign's name goes on cards and posters, so markup in it is refused outright (tests/test_campaigns_mistakes.py).
    _sub(campaign, r"^(summary:\n  pt: >-\n)", "{0}    " + HOSTILE + "\n")
    _sub(campaign, r"^(  en: >-\n    On International Migrants Day)", "  en: >-\n    " + HOSTILE + "\n    On International Migrants Day")
    countries = root / "data" / "raw" / "countries.csv"
    rows = list(csv.reader(io.StringIO(countries.read_text(encoding="utf-8"))))
    for row in rows:
        if row[0] == COUNTRY:
            row[1], row[2] = f"Angola {HOSTILE}", f"Angola {HOSTILE}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    countries.write_text(out.getvalue(), encoding="utf-8")
