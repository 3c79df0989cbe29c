"""Write data/raw/countries.csv: the ISO 3166-1 country reference table of the data package.

One row per ISO 3166-1 country (all 249 in pycountry) plus the world aggregate `WLD`, with the
columns `iso3,name_en,name_pt,is_aggregate`, sorted by `iso3`, UTF-8, `\\n` line endings.

- `name_en` is pycountry's `name`; `name_pt` comes from pycountry's Portuguese gettext catalogue
  (`iso3166-1`, language `pt`). Both come from Debian's iso-codes (LGPL-2.1), which pycountry
  packages.
- Where the reference CSVs in data/raw/ already name a code (`*_iso3` with `*_name_en` and
  `*_name_pt`), their names win: they were chosen for European Portuguese (e.g. "Guiné-Bissau",
  not the catalogue's "Guiné-Bissáu"). Two CSVs naming the same code differently is an error.
- `WLD,World,Mundo,true` is the UN / World Bank world aggregate used in the reference data.

This script is rerun by hand (`/tmp/venv/bin/python data/scripts/make_countries.py` or any Python
with pycountry and pandas), not at build time: the build reads the committed countries.csv. Rerun it
after a pycountry upgrade or when a reference CSV adds a country, and review the diff.
"""

from __future__ import annotations

import csv
import gettext
import sys
from pathlib import Path

import pandas as pd
import pycountry

RAW = Path(__file__).resolve().parent.parent / "raw"
OUT = RAW / "countries.csv"
AGGREGATES = {"WLD": ("World", "Mundo")}
PREFIXES = ("origin", "destination", "country", "counterpart")


def names_in_reference_csvs() -> dict[str, tuple[str, str]]:
    """{iso3: (name_en, name_pt)} as used by the reference CSVs; fails on conflicting names."""
    found: dict[str, tuple[str, str, str]] = {}
    for path in sorted(RAW.glob("*.csv")):
        if path == OUT:
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for prefix in PREFIXES:
            cols = [f"{prefix}_iso3", f"{prefix}_name_en", f"{prefix}_name_pt"]
            if not all(c in frame.columns for c in cols):
                continue
            for code, en, pt in frame[cols].drop_duplicates().itertuples(index=False):
                if not code:
                    continue
                if code in found and found[code][:2] != (en, pt):
                    sys.exit(f"{path.name}: {code} is named {en!r}/{pt!r} here but "
                             f"{found[code][0]!r}/{found[code][1]!r} in {found[code][2]}")
                found[code] = (en, pt, path.name)
    return {code: (en, pt) for code, (en, pt, _) in found.items()}


def main() -> None:
    pt = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["pt"])
    overrides = names_in_reference_csvs()
    rows = {}
    for country in pycountry.countries:
        rows[country.alpha_3] = (country.name, pt.gettext(country.name), "false")
    for code, (en, pt_name) in AGGREGATES.items():
        rows[code] = (en, pt_name, "true")
    unknown = sorted(set(overrides) - set(rows))
    if unknown:
        sys.exit(f"codes in the reference CSVs that are neither ISO 3166-1 nor a known aggregate: {unknown}")
    for code, (en, pt_name) in overrides.items():
        rows[code] = (en, pt_name, rows[code][2])
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["iso3", "name_en", "name_pt", "is_aggregate"])
        for code in sorted(rows):
            writer.writerow([code, *rows[code]])
    print(f"wrote {OUT} ({len(rows)} rows; {len(overrides)} names taken from the reference CSVs)")


if __name__ == "__main__":
    main()
