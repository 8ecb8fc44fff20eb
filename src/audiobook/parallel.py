"""The cores this process may use, and a thread map for numpy work (FFTs and array reductions run
without the GIL, so threads scale on them)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


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
