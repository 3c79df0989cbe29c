"""A small static server for the built site, as a host would serve it: gzip for text, cache
headers, and the site's own 404 pages. Used by the browser tests and
the Lighthouse audit (never in production)."""

from __future__ import annotations

import functools
import gzip
import http.server
import threading
from pathlib import Path

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".md")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        immutable = "/assets/" in self.path and any(s in self.path for s in (".min.", ".woff2"))
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "public, max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if path.is_file() and path.suffix in COMPRESSIBLE and wants_gzip:
            body = gzip.compress(path.read_bytes(), mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Body(body)
        if not path.exists():
            return self._not_found()
        return super().send_head()

    def _not_found(self):
        root = Path(self.directory)
        language = self.path.strip("/").split("/", 1)[0]
        page = root / language / "404.html"
        if not page.is_file():
            page = root / "404.html"
        body = page.read_bytes() if page.is_file() else b"Not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    """A file-like object over bytes, for SimpleHTTPRequestHandler.copyfile."""

    def __init__(self, data: bytes):
        self.data = data
        self.sent = False

    def read(self, size=-1):
        if self.sent:
            return b""
        self.sent = True
        return self.data

    def close(self):
        pass


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that closes the connection early (a link checker reading only headers) is normal."""
        import sys

        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def start(site_dir: Path, host: str = "127.0.0.1", port: int = 0) -> http.server.ThreadingHTTPServer:
    """Serve `site_dir` in a background thread; the address is `server.server_address`."""
    handler = functools.partial(SiteHandler, directory=str(site_dir))
    server = SiteServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
