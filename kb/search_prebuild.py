"""A Node process that builds the prebuilt search index while the site's pages are being rendered.

Material's search plugin adds each page's search entries as the page is rendered; this class sends
them on to `node hooks/search_prebuilt.cjs` as JSON lines (one array per page), a few pages at a time, so the lunr indexing (most of
the work) runs on another core while MkDocs renders the next pages. At the end of the build only
the last entries and the compact file remain to be done. Knows nothing of MkDocs: the hook passes
entries in and takes the written file out.

Writing to Node's pipe happens on a thread of its own: a write waits whenever Node is busy with the
previous page, and the build should not wait with it (the thread holds no lock while it waits).
"""
from __future__ import annotations

import atexit
import json
import queue
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import orjson


def _line(item: object) -> bytes:
    """One JSON line, with the values ``json.dumps(item, default=str)`` gives (as the search plugin
    writes search_index.json); orjson takes a sixth of the time, on the build's own thread. A page's
    entries go as one line (a JSON array): one call instead of one per heading."""
    try:
        return orjson.dumps(item, default=str, option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:  # what orjson refuses (a lone surrogate, a huge integer): as the plugin
        return (json.dumps(item, separators=(",", ":"), default=str) + "\n").encode("utf-8")


BATCH_BYTES = 1 << 16
"""Entries go to the writer thread about 64 KB (six pages) at a time: waking it for every page cost
the build more than encoding the entries."""


class IndexBuilder:
    """Feed search entries to Node as they appear; `finish` returns the written search_lunr.json."""

    def __init__(self, node: str, script: Path, worker_source: str, index_config: dict) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="kb-search-index-"))
        worker = self._dir / "worker.js"
        worker.write_text(worker_source, encoding="utf-8")
        self.output = self._dir / "search_lunr.json"
        self._stderr = (self._dir / "stderr.txt").open("w+b")
        self._process = subprocess.Popen([node, str(script), str(worker), str(self.output)],
                                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr)
        self.config = index_config
        self.sent: list[dict] = []
        self.error: str | None = None
        self._pending: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._unsent: list[bytes] = []  # encoded, not yet handed to the writer thread
        self._unsent_size = 0
        self._ended = False  # no more entries: Node was told the list is complete
        self._stop_sent = False  # the writer thread was told to close Node's input after the queue
        self._writer = threading.Thread(target=self._write_all, name="search-index-feed", daemon=True)
        self._writer.start()
        atexit.register(self.close)  # a build that stops half-way leaves no process or files behind
        self._pending.put(_line(index_config))

    def add(self, entries: list[dict]) -> None:
        """Send the entries of `entries` (the plugin's growing list) that were not sent yet."""
        new = entries[len(self.sent):]
        if new and self.error is None and not self._ended:
            self.sent.extend(new)
            self._unsent.append(_line(new))
            self._unsent_size += len(self._unsent[-1])
            if self._unsent_size >= BATCH_BYTES:
                self._hand_over()

    def end(self, entries: list[dict]) -> None:
        """Send what is left of `entries` and tell Node the list is complete, so that it finishes the
        index while the build goes on (the last page is rendered; the search plugin writes its file).
        Entries added to the list later are not sent: :meth:`finish` then writes no index."""
        self.add(entries)
        if not self._ended:
            self._ended = True
            self._stop_writing(wait=False)

    def finish(self, entries: list[dict], index_config: dict, timeout: float = 600) -> Path | None:
        """Wait for the index of exactly `entries`; None (and `error` says why) if it was not built."""
        self.end(entries)
        self._stop_writing()
        if self.error is None and (index_config != self.config or len(entries) != len(self.sent)
                                   or any(a is not b for a, b in zip(entries, self.sent))):
            self.error = "search entries changed after their pages were rendered"
        if self.error is not None:
            return None
        try:
            code = self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.error = f"building the index took more than {timeout:.0f} s"
            return None
        if code != 0 or not self.output.exists():
            self.error = f"building the index failed: {self._stderr_tail() or f'exit status {code}'}"
            return None
        return self.output

    def close(self) -> None:
        """Stop Node if it still runs and remove the temporary files (again: nothing happens)."""
        if self._writer.is_alive() and self._process.poll() is None:
            self._process.kill()  # unblocks a write that waits for Node
        self._stop_writing()
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._process.stdin and not self._process.stdin.closed:
            try:
                self._process.stdin.close()
            except OSError:  # the pipe broke when Node stopped
                pass
        self._stderr.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def _write_all(self) -> None:
        """The writer thread: every queued line to Node, in order, until None; then end of input."""
        while (data := self._pending.get()) is not None:
            if self.error is not None:
                continue  # Node stopped: drain the queue without writing
            try:
                self._process.stdin.write(data)
                self._process.stdin.flush()
            except (OSError, ValueError):  # a broken pipe, or stdin closed by close()
                self._process.wait()
                self.error = f"the index builder stopped: {self._stderr_tail() or 'no message'}"
        try:
            self._process.stdin.close()  # Node writes the index once its input ends
        except OSError:  # the pipe broke when Node stopped: reported above
            pass

    def _stop_writing(self, wait: bool = True) -> None:
        """Let the writer thread finish what is queued and close Node's input; ``wait``: until it has."""
        self._hand_over()
        if not self._stop_sent:
            self._stop_sent = True
            self._pending.put(None)
        if wait and self._writer.is_alive():
            self._writer.join()

    def _hand_over(self) -> None:
        """What was encoded since the last hand-over, to the writer thread."""
        if self._unsent:
            self._pending.put(b"".join(self._unsent))
            self._unsent.clear()
            self._unsent_size = 0

    def _stderr_tail(self) -> str:
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace").strip()[-500:]
