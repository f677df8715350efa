"""A built site served on 127.0.0.1, for the browser tests and the benchmarks.

The server binds when it is created, so a caller can build the site for ``origin`` (Material's
instant navigation only works at the ``site_url`` origin) before it starts answering. With
``compress=True`` text files go out gzip-compressed, as GitHub Pages and most hosts send them,
so page-weight and Lighthouse figures measure the site rather than the test server.
"""
from __future__ import annotations

import gzip
import http.server
import io
import sys
import threading
from pathlib import Path

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")


class _Handler(http.server.SimpleHTTPRequestHandler):
    compress = False
    cache: dict[Path, bytes] = {}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        return

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if not (self.compress and path.suffix in COMPRESSIBLE and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address) -> None:
        # A browser drops connections it no longer needs (navigation, aborted prefetch): not an error.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class StaticSite:
    """Serve ``directory`` on 127.0.0.1:``port`` (0: any free port) from a background thread."""

    def __init__(self, directory: Path, port: int = 0, compress: bool = False) -> None:
        directory = str(directory)
        handler = type("Handler", (_Handler,), {"compress": compress, "cache": {}})

        class Bound(handler):  # type: ignore[misc, valid-type]
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, directory=directory, **kwargs)

        self.server = _Server(("127.0.0.1", port), Bound)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="static-site", daemon=True)

    def start(self) -> StaticSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self.server.shutdown()
            self._thread.join(timeout=5)
        self.server.server_close()

    def __enter__(self) -> StaticSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
