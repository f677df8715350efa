"""Checks of kb.ahead, run by tests/test_second_process.py in a pytest process of their own: kb.ahead
forks only a process with one thread, which the main test process may no longer be."""
from __future__ import annotations

import os
import threading
import time

import pytest

from kb import ahead


def _pid_and_value(value: int) -> tuple[int, int]:
    return os.getpid(), value


def test_result_is_computed_in_another_process() -> None:
    assert ahead.can_fork(), "pytest's process is expected to have one thread"
    pending = ahead.Ahead(lambda: _pid_and_value(42))
    assert pending.started
    pid, value = pending.result()
    assert value == 42 and pid != os.getpid()
    assert pending.result() is None, "a result is taken once"


@pytest.mark.parametrize("compute", [
    lambda: 1 / 0,                      # the function raises
    lambda: threading.Lock(),           # the result cannot be pickled
    lambda: os._exit(3),                # the child dies
], ids=["raises", "unpicklable", "dies"])
def test_any_failure_in_the_child_gives_none(compute) -> None:
    pending = ahead.Ahead(compute)
    assert pending.started
    assert pending.result() is None


def test_nothing_is_started_with_another_thread_or_kb_fork_0(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pending = ahead.Ahead(lambda: calls.append(1))
        assert not pending.started and pending.ready() and pending.result() is None
    finally:
        stop.set()
        thread.join()
    monkeypatch.setenv("KB_FORK", "0")
    pending = ahead.Ahead(lambda: calls.append(1))
    assert not pending.started and pending.result() is None
    assert calls == [], "the function never runs in this process"


def test_ready_only_once_the_child_is_done_and_cancel_leaves_no_process() -> None:
    read, write = os.pipe()
    pending = ahead.Ahead(lambda: os.read(read, 1))  # waits until the test writes a byte
    try:
        time.sleep(0.2)
        assert not pending.ready()
        os.write(write, b"x")
        deadline = time.monotonic() + 10
        while not pending.ready() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert pending.ready()
        assert pending.result() == b"x"
    finally:
        os.close(read)
        os.close(write)
    waiting = ahead.Ahead(lambda: time.sleep(60))
    pid = waiting._pid
    waiting.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # killed and reaped: no zombie left
    assert waiting.result() is None


def test_nothing_is_started_without_a_temporary_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ahead.tempfile, "TemporaryFile", no_space)
    pending = ahead.Ahead(lambda: 1)
    assert not pending.started and pending.result() is None


def test_nice_lowers_the_childs_priority() -> None:
    assert ahead.Ahead(lambda: os.nice(0), nice=5).result() >= os.nice(0) + 5


def test_what_the_parent_held_is_frozen_until_thaw() -> None:
    """Objects alive at the fork are left out of garbage collection (the child copies less, the build
    collects faster) until thaw(), after which a cycle from before the fork is freed again."""
    import gc
    import weakref

    class Node:
        pass

    cycle = Node()
    cycle.self = cycle
    alive = weakref.ref(cycle)
    pending = ahead.Ahead(lambda: 1)
    assert pending.result() == 1
    assert gc.get_freeze_count() > 0
    del cycle
    gc.collect()
    assert alive() is not None, "frozen: not collected"
    ahead.thaw()
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert alive() is None
