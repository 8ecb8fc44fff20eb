"""The cores this process may use, a thread map for numpy work (FFTs and array reductions run without the
GIL, so threads scale on them), and a forked child for pure-Python work beside this process's own."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Linux forks where it is safe (Forked, synth._start_method); macOS's system libraries are not fork-safe.
CAN_FORK = sys.platform == "linux"
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def cpu_cores() -> int:
    """Cores this process may run on: its CPU affinity where the OS has one (a container or `taskset`
    may allow fewer than the machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def thread_map(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`fn` over `items` on one thread per core, results in order."""
    items = list(items)
    workers = min(cpu_cores(), len(items))
    if workers <= 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


def die_with_parent(parent: int) -> None:
    """A child must not outlive the render (SIGTERM or SIGKILL to it): it would hold the caller's stdout and
    stderr open. Linux sends the child SIGKILL when its parent dies; the parent check covers a parent that
    died before the request was made."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


class Forked(Generic[R]):
    """`fn()` computed in a forked child while this process goes on with other work (imports, checks), for
    pure-Python work that threads would only take turns at under the GIL. `result()` returns its value or
    raises its exception, as calling `fn` here would. Where a fork is not safe (not Linux, or another thread
    running, which could hold a lock the child then waits on forever) `fn` runs in `result()` instead.
    Leaving the `with` block unconsumed kills the child."""

    def __init__(self, fn: Callable[[], R]) -> None:
        self._fn = fn
        self._pid: int | None = None
        self._fd = -1
        if not CAN_FORK or threading.active_count() != 1:
            return
        parent = os.getpid()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns, never runs the parent's atexit handlers
            code = 1
            try:
                os.close(r)
                die_with_parent(parent)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's, which kills this
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                try:
                    payload: tuple[bool, object] = (True, fn())
                except BaseException as e:  # noqa: BLE001 - every outcome goes back to the parent
                    payload = (False, e)
                try:
                    data = pickle.dumps(payload)
                except Exception as e:  # noqa: BLE001 - an unpicklable value or exception
                    data = pickle.dumps((False, RuntimeError(f"{type(e).__name__}: {e}")))
                with os.fdopen(w, "wb") as f:
                    f.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        self._pid, self._fd = pid, r

    def result(self) -> R:
        if self._pid is None:
            return self._fn()
        pid, self._pid = self._pid, None
        with os.fdopen(self._fd, "rb") as f:
            data = f.read()  # the child writes all, then exits: read to the end before reaping it
        _, status = os.waitpid(pid, 0)
        if not data:
            raise RuntimeError(f"a forked helper process died ({_status_text(status)})")
        ok, value = pickle.loads(data)
        if ok:
            return value  # type: ignore[no-any-return]
        raise value

    def cancel(self) -> None:
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.close(self._fd)
        os.waitpid(pid, 0)

    def __enter__(self) -> Forked[R]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.cancel()


def _status_text(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
