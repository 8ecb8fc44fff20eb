"""Where the episodes of a batch run: worker processes on this machine, or tasks on a Ray cluster.

Both take the same `Job`s and hand every `Outcome` to the driver as it arrives; a task that dies
(a crash, out of memory) becomes a failed outcome for that episode only."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from audiobook.batch.task import Job, Outcome, run_job
from audiobook.parallel import die_with_parent

Work = Callable[[Job], Outcome]
OnDone = Callable[[Outcome], None]


class LocalRunner:
    """Up to `jobs` episodes at once, each in a fresh process of its own: a crash loses one episode, and
    each episode's synthesis pool lives inside its worker (a process pool's workers could not have one)."""

    def __init__(self, jobs: int, work: Work = run_job) -> None:
        self.jobs = max(1, jobs)
        self.work = work

    def run(self, todo: Iterable[Job], on_done: OnDone) -> None:
        ctx = get_context("spawn")  # a clean interpreter: no threads or engines inherited from the driver
        queue = list(todo)
        running: dict[Connection, tuple[BaseProcess, Job]] = {}
        try:
            while queue or running:
                while queue and len(running) < self.jobs:
                    job = queue.pop(0)
                    recv, send = ctx.Pipe(duplex=False)
                    proc: BaseProcess = ctx.Process(target=_worker, args=(self.work, job, send, os.getpid()),
                                                    name=f"audiobook-{job.name}")
                    with _stop_deferred():
                        proc.start()
                        running[recv] = (proc, job)
                    send.close()
                for conn in wait(list(running)):
                    assert isinstance(conn, Connection)
                    done_proc, job = running.pop(conn)
                    try:
                        outcome: Outcome = conn.recv()
                    except (EOFError, OSError):
                        done_proc.join()
                        outcome = Outcome(job.name, error=f"{job.source}: the worker rendering it died "
                                          f"(exit code {done_proc.exitcode}); run it alone with `audiobook render`")
                    conn.close()
                    done_proc.join()
                    on_done(outcome)
        finally:
            for conn, (proc, _) in running.items():
                _stop(proc)
                conn.close()


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _stop_deferred() -> Iterator[None]:
    """Ctrl-C or SIGTERM waits until the worker is started and known, so it is always stopped, and never
    stops start() halfway: a child left with half its start-up data reads a closed pipe and prints a
    traceback. Blocking the signals is not enough alone: one that arrived just before is run by Python at
    its next check, which can fall inside start(). So the handlers only note a signal meanwhile, and it is
    raised again after. The child inherits the blocked mask across exec, until it has its own group."""
    noted: list[int] = []
    old: dict[int, Any] = {}
    try:
        if threading.current_thread() is threading.main_thread():
            for sig in _STOP_SIGNALS:
                old[sig] = signal.signal(sig, lambda n, _f: noted.append(n))
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        for num, handler in old.items():
            signal.signal(num, handler)
        if noted:
            signal.raise_signal(noted[0])  # now, to the driver's own handler


def _worker(work: Work, job: Job, conn: Connection, driver: int) -> None:
    # Its own process group: the terminal's Ctrl-C goes to the driver, which stops the group as a whole
    # (the episode's synthesis workers included). And it dies with the driver if the driver is killed.
    os.setpgrp()
    die_with_parent(driver)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # inherited blocked from the driver's start()
    outcome = work(job)
    with contextlib.suppress(BrokenPipeError, OSError):  # the driver stopped meanwhile; it re-renders this
        conn.send(outcome)
        conn.close()


def _stop(proc: BaseProcess) -> None:
    if proc.pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the worker and the synthesis workers it started
    proc.kill()  # also if it had not made its own group yet
    proc.join(5)


class RayRunner:
    """Each episode a Ray task with `cpus` CPUs; its files come back through Ray's object store."""

    def __init__(self, address: str | None, cpus: int, work: Work = run_job) -> None:
        self.address = address
        self.cpus = max(1, cpus)
        self.work = work

    def run(self, todo: Iterable[Job], on_done: OnDone) -> None:
        ray = connect(self.address)
        try:
            task = ray.remote(self.work).options(num_cpus=self.cpus, max_retries=0)
            pending = {task.remote(job): job for job in todo}
            try:
                while pending:
                    done, _ = ray.wait(list(pending), num_returns=1)
                    job = pending.pop(done[0])
                    try:
                        outcome = ray.get(done[0])
                    except ray.exceptions.RayError as e:
                        lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
                        reason = lines[-1] if lines else type(e).__name__  # the cause, after Ray's traceback
                        outcome = Outcome(job.name, error=f"{job.source}: the Ray task died ({reason})")
                    on_done(outcome)
            finally:
                for ref in pending:  # stopped early: nothing of ours keeps running on the cluster
                    ray.cancel(ref, force=True)
        finally:
            ray.shutdown()


def connect(address: str | None):  # type: ignore[no-untyped-def]  # ray has no stubs
    """Ray connected to the cluster at `address` (or RAY_ADDRESS); with neither, a local Ray started here."""
    from audiobook.errors import AudiobookError

    try:
        import ray
    except ModuleNotFoundError:
        raise AudiobookError("--ray needs Ray; run: pip install 'audiobook[ray]'") from None
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no phoning home from a newsroom's machines
    address = address or os.environ.get("RAY_ADDRESS") or None
    try:
        if address:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
        else:  # this machine's cluster if `ray start` made one, else a local Ray of our own
            ray.init(log_to_driver=False, configure_logging=False, include_dashboard=False)
    except (ConnectionError, RuntimeError, ValueError) as e:
        where = address or "a local Ray"
        raise AudiobookError(f"Ray at {where}: cannot connect ({str(e).splitlines()[0]}); "
                             "check the address or start it with `ray start --head`") from None
    return ray
