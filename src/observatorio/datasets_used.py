"""Which datasets a document uses (the data files its cells read, plus `datasets:` in the front matter), and their
licences and sources: read by the reports engine, the profiles and the publications' pages."""

from __future__ import annotations

from pathlib import Path

from .data import load_package
from .errors import UserError


def from_reads(root: Path, reads: list[str]) -> list[str]:
    """Names of the catalogue's resources whose files were read, in catalogue order."""
    package = load_package(root)
    read = {str(Path(r).resolve()) for r in reads}
    return [r.name for r in package.resources if str(Path(r.path).resolve()) in read]


def licences(root: Path, names: list[str], lang: str) -> tuple[str, ...]:
    """The licence titles (in `lang`) of the named resources, once each, in catalogue order."""
    from .catalogue import in_language

    package = load_package(root)
    wanted = set(names)
    found = (in_language(licence, "title", lang) or str(licence.get("name") or "")
             for r in package.resources if r.name in wanted for licence in r.licenses)
    return tuple(dict.fromkeys(text for text in found if text))


def entries(root: Path, names: list[str], lang: str, label: str = "") -> list[dict]:
    """Name, title and sources ("Publisher, Title (date)") of each public dataset; unknown names are errors."""
    package = load_package(root)
    known = {r.name: r for r in package.resources}
    found = []
    for name in dict.fromkeys(names):
        if name not in known:
            raise UserError(f"{label or 'publication'}: field `datasets`: unknown dataset `{name}`. Known datasets: {', '.join(known)}.")
        resource = known[name]
        if not resource.public:
            continue  # never linked: the site does not publish it
        dates: dict[str, list[str]] = {}  # "Publisher, Title" -> its editions' dates
        for source in resource.sources:
            text = ", ".join(str(source[k]) for k in ("publisher", "title") if source.get(k))
            if text:
                found_dates = dates.setdefault(text, [])
                if source.get("date") and str(source["date"]) not in found_dates:
                    found_dates.append(str(source["date"]))
        sources = [text + (f" ({', '.join(when)})" if when else "") for text, when in dates.items()]
        found.append({"name": name, "title": resource.title(lang), "sources": sources})
    return found
