"""parallel.Forked: the article is parsed in a forked child while the CLI loads the audio stack. Its value,
its exception and its cancellation must each come back as if the work had run here, with no child left."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from conftest import SAMPLE

from audiobook.errors import AudiobookError
from audiobook.parallel import CAN_FORK, Forked
from audiobook.text.prepare import prepare

needs_fork = pytest.mark.skipif(not CAN_FORK, reason="fork is used on Linux only")


def _children() -> set[int]:
    """This process's children, zombies included (/proc/<pid>/task/<pid>/children)."""
    text = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text()
    return {int(p) for p in text.split()}


@needs_fork
def test_value_comes_from_a_child_process() -> None:
    here = os.getpid()
    with Forked(os.getpid) as child:
        assert child._pid is not None  # forked, not deferred
        pid = child.result()
    assert pid != here
    assert pid not in _children()  # reaped


@needs_fork
def test_prepared_article_equals_the_one_made_here() -> None:
    with Forked(lambda: prepare(SAMPLE)) as child:
        forked = child.result()
    here = prepare(SAMPLE)
    assert forked.script == here.script
    assert forked.lines == here.lines and len(here.lines) > 10
    assert forked.warnings == here.warnings


@needs_fork
def test_the_childs_exception_is_raised_here(tmp_path: Path) -> None:
    missing = tmp_path / "жоқ.txt"
    with Forked(lambda: prepare(missing)) as child, pytest.raises(AudiobookError, match="not found"):
        child.result()


@needs_fork
def test_a_child_that_dies_is_reported() -> None:
    with Forked(lambda: os._exit(3)) as child, pytest.raises(RuntimeError, match="exit status 3"):
        child.result()


@needs_fork
def test_leaving_unconsumed_kills_and_reaps_the_child() -> None:
    with Forked(lambda: time.sleep(60)) as child:
        pid = child._pid
        assert pid in _children()
    assert pid not in _children()


def test_with_another_thread_running_it_runs_in_result() -> None:
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        with Forked(os.getpid) as child:
            assert child._pid is None  # a fork now could copy a lock another thread holds
            assert child.result() == os.getpid()
    finally:
        stop.set()
        t.join()
