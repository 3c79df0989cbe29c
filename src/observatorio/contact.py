"""The observatory's contact: one `extra.contact` block in mkdocs.yml, shown in the footer, on the
About page and in the accessibility statement.

    extra:
      contact:
        email: geral@example.cv          # general enquiries
        press_email: imprensa@example.cv # press contact
        address: Rua …, Praia, Cabo Verde
        provisional: true                # optional: `observatorio check` warns until it is removed

A missing block, a missing or empty field, or an e-mail without `@` stops the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import UserError
from .i18n import Strings, read_mkdocs_config

FIELDS = ("email", "press_email", "address")
EXAMPLE = "extra:\n    contact:\n      email: geral@…\n      press_email: imprensa@…\n      address: Rua …, Praia, Cabo Verde"


@dataclass(frozen=True)
class Contact:
    email: str
    press_email: str
    address: str
    provisional: bool


def read(root: Path) -> Contact:
    """The contact block of mkdocs.yml; a missing or empty field is a `UserError` naming it."""
    extra = read_mkdocs_config(root).get("extra") or {}
    block = extra.get("contact") if isinstance(extra, dict) else None
    if not isinstance(block, dict) or not block:
        raise UserError(f"mkdocs.yml: `extra.contact` is missing or empty. The site must say how to reach the observatory; write\n  {EXAMPLE}")
    unknown = sorted(set(block) - {*FIELDS, "provisional"})
    if unknown:
        raise UserError(f"mkdocs.yml: `extra.contact` has unknown key(s) {', '.join(unknown)}. Known keys: {', '.join(FIELDS)}, provisional.")
    values = {}
    for name in FIELDS:
        value = block.get(name)
        if not isinstance(value, str) or not value.strip():
            raise UserError(f"mkdocs.yml: `extra.contact.{name}` is missing or empty. Write it as text, for example\n  {EXAMPLE}")
        if name.endswith("email") and ("@" not in value or " " in value.strip()):
            raise UserError(f"mkdocs.yml: `extra.contact.{name}` is {value!r}, not an e-mail address. Write an address such as geral@observatorio-migracoes.cv.")
        values[name] = value.strip()
    provisional = block.get("provisional", False)
    if not isinstance(provisional, bool):
        raise UserError(f"mkdocs.yml: `extra.contact.provisional` is {provisional!r}; write true or false (or remove it).")
    return Contact(**values, provisional=provisional)


def warnings(root: Path) -> list[str]:
    """What `observatorio check` prints while the contact is marked provisional."""
    if read(root).provisional:
        return [("mkdocs.yml: `extra.contact` is marked `provisional: true`: replace it with the observatory's real contact "
                 "(e-mail, press e-mail, postal address) and remove the marker before launch.")]
    return []


def markdown(contact: Contact, s: Strings) -> str:
    """The contact as a Markdown list, in the page's language."""
    return "\n".join([
        f"- {s['contact.email']}: [{contact.email}](mailto:{contact.email})",
        f"- {s['contact.press']}: [{contact.press_email}](mailto:{contact.press_email})",
        f"- {s['contact.address']}: {contact.address}",
    ])
