"""BibTeX text: the escaping that publication and figure citations share."""

from __future__ import annotations

import re

ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_"}
SPECIAL = re.compile("|".join(re.escape(character) for character in ESCAPES))


def escape(value: str) -> str:
    """`value` as BibTeX field text, in one pass (so the braces of `\\textbackslash{}` are not escaped again)."""
    return SPECIAL.sub(lambda found: ESCAPES[found.group()], value)
