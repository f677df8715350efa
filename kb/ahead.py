"""Start work now and take its result later, in a forked copy of this process when that is safe.

MkDocs runs every hook on one core, one after another. The whole-site passes of the front matter
and citations hooks read only files on disk, so they can run in a second process while MkDocs goes
on (listing the files, rendering the first pages). On a machine with a second core they then cost
the build little more than taking their result.

A fork copies only the calling thread, so a lock that another thread holds would stay locked in the
child for ever. In a process with other threads (``mkdocs serve`` after its first build), where
``os.fork`` does not exist, or with ``KB_FORK=0`` in the environment, nothing is started. And
:meth:`Ahead.result` returns None whenever the child failed, for any reason: the caller then does
the work itself, as it would without this module, so a failure here can cost time but never a
result or an error message.

Before it forks, the process freezes what it holds (``gc.freeze``, as Python's documentation advises
for a fork without exec): the garbage collector then leaves those objects alone, so the child's
collections do not touch, and copy, the parent's memory, and the build's own collections skip the
modules, theme, configuration and file list that live as long as the build (a third of the time a
1,000-page build spent collecting garbage). :func:`thaw`, called by hooks/gc_thaw.py, hands them
back to the collector when the build ends, so that a later build under ``mkdocs serve`` can free what
this one no longer needs.
"""
from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import tempfile
import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")

DISABLE = "KB_FORK"
"""Environment variable: ``0`` runs every pass in the build's own process (for comparison)."""


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1 and os.environ.get(DISABLE) != "0"


def thaw() -> None:
    """Let the garbage collector see again what was frozen before forking (at the end of a build)."""
    gc.unfreeze()


class Ahead(Generic[T]):
    """``compute()`` running in a child process; :meth:`result` is what it returned (pickled).

    The child writes its result to an unnamed temporary file and exits; the end of the pipe
    between them tells the parent it is done (a pipe alone would make the child wait for the
    parent to read every 64 KB).
    """

    def __init__(self, compute: Callable[[], T], *, nice: int = 0) -> None:
        """``nice`` lowers the child's priority, so that a child started earlier finishes first."""
        self._pid: int | None = None
        self._done: int | None = None  # read end of the pipe: end of file once the child has exited
        self._file = None
        if not can_fork():
            return
        try:
            self._file = tempfile.TemporaryFile(prefix="kb-ahead-")
            read, write = os.pipe()
        except OSError:  # no temporary folder, no file descriptor left: do without
            self.cancel()
            return
        gc.freeze()  # see the module's docstring; thaw() undoes it
        try:
            pid = os.fork()
        except OSError:  # no process left
            os.close(read)
            os.close(write)
            self.cancel()
            return
        if pid == 0:  # the child: compute, write, and leave without running the parent's clean-up
            status = 1
            try:
                os.close(read)
                if nice:
                    os.nice(nice)
                pickle.dump(compute(), self._file, protocol=pickle.HIGHEST_PROTOCOL)
                self._file.flush()
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._done = pid, read

    @property
    def started(self) -> bool:
        """A child is computing (or has computed) the result."""
        return self._done is not None

    def ready(self) -> bool:
        """:meth:`result` would not wait: the child is done, or there is none."""
        return self._done is None or bool(select.select([self._done], [], [], 0)[0])

    def result(self) -> T | None:
        """The child's result (waiting for it), or None: no child, or it failed. Once only."""
        if self._done is None or self._pid is None or self._file is None:
            return None
        try:
            while os.read(self._done, 4096):  # nothing is written: returns b"" when the child has exited
                pass
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            if status != 0:
                return None
            self._file.seek(0)
            data = self._file.read()
            collecting = gc.isenabled()
            gc.disable()  # every object loaded is kept: a collection now would walk the whole build for nothing
            try:
                return pickle.loads(data)
            finally:
                if collecting:
                    gc.enable()
        except Exception:  # noqa: BLE001 - whatever went wrong, the caller computes the result itself
            return None
        finally:
            self.cancel()

    def __del__(self) -> None:
        self.cancel()

    def cancel(self) -> None:
        """Stop the child, if any, and forget it (a build that ended before its result was needed)."""
        if self._done is not None:
            os.close(self._done)
            self._done = None
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = None
        if self._file is not None:
            self._file.close()
            self._file = None
