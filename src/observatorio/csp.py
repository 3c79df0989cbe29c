"""A Content-Security-Policy for every page, as a meta tag: only the site's own origin.

Inline scripts (Material writes a few) are allowed by their SHA-256 hash, computed per page, so
no 'unsafe-inline' is needed for scripts.
"""

from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
DATA_TYPES = ("application/json", "application/ld+json", "text/template")
CHARSET = re.compile(r"<meta charset=\"utf-8\">", re.I)


def script_hashes(html: str) -> list[str]:
    hashes = []
    for attributes, body in INLINE_SCRIPT.findall(html):
        if any(kind in attributes for kind in DATA_TYPES):
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        hashes.append(f"'sha256-{digest}'")
    return sorted(set(hashes))


def policy(html: str) -> str:
    scripts = " ".join(["'self'", *script_hashes(html)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def add_policy(html: str) -> str:
    """`html` with a CSP meta tag right after its charset declaration."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return CHARSET.sub(lambda m: m.group(0) + tag, html, count=1)
