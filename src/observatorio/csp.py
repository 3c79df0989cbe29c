"""A Content-Security-Policy for every page, as a meta tag: only the site's own origin, no inline script.

Every script the project runs is a file under `assets/javascripts/`, including Material's small
inline scripts, which `site/overrides/partials/javascripts/` loads from files instead
(`md-base.js`, `md-content.js`, `md-palette.js`). So the policy is `script-src 'self'` with no
hashes, and a script that reached a page from a source's text would not run. A page that still
holds an inline script stops the build (`check_no_inline_script`): it was either added to a
template or let through by a generator, and both need fixing, not allowing.
"""

from __future__ import annotations

import re

from .errors import UserError

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
DATA_TYPES = ("application/json", "application/ld+json", "text/template")
CHARSET = re.compile(r"<meta charset=\"utf-8\">", re.IGNORECASE)

POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
])


def check_no_inline_script(html: str, page: str) -> None:
    """Stop when `html` holds an inline script that a browser would run (data blocks are fine)."""
    for attributes, body in INLINE_SCRIPT.findall(html):
        if any(kind in attributes for kind in DATA_TYPES):
            continue
        raise UserError(
            f"{page}: the page holds an inline script ({' '.join(body.split())[:80]!r}), which the site's "
            "Content-Security-Policy does not allow. If a template wrote it, move it to a file under "
            "site/assets/javascripts/; if it came from a source's text, that text was not escaped (a bug to report)."
        )


def add_policy(html: str, page: str = "a page") -> str:
    """`html` with a CSP meta tag right after its charset declaration (after checking for inline scripts)."""
    check_no_inline_script(html, page)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
    return CHARSET.sub(lambda m: m.group(0) + tag, html, count=1)
