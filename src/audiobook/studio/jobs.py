"""Render jobs: one at a time (synthesis already uses every core), each in a child process group that
`shutdown` ends with everything under it."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Job:
    id: str
    article: str
    request: dict[str, Any]
    state: str = "queued"  # queued | running | done | failed
    progress: float = 0.0
    outputs: list[str] = field(default_factory=list)
    error: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    version: int = 0  # bumped on every change, for the event stream


class Jobs:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._proc: subprocess.Popen[str] | None = None
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="studio-jobs", daemon=True)
        self._thread.start()

    def submit(self, article: str, request: dict[str, Any]) -> Job:
        job = Job(secrets.token_hex(8), article, request)
        with self._lock:
            self._jobs[job.id] = job
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def wait_change(self, job: Job, seen: int, timeout: float) -> int:
        """Block until `job` changes past version `seen` (or timeout, or shutdown); returns its version."""
        with self._changed:
            self._changed.wait_for(lambda: job.version != seen or self._stopping, timeout)
            return job.version

    def _update(self, job: Job, **changes: Any) -> None:
        with self._changed:
            for k, v in changes.items():
                setattr(job, k, v)
            job.version += 1
            self._changed.notify_all()

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            if self._stopping:
                break
            self._render(job)

    def _render(self, job: Job) -> None:
        outdir = Path(job.request["outdir"])
        req_path = outdir.parent / f".job-{job.id}.json"
        req_path.write_text(json.dumps(job.request, ensure_ascii=False), encoding="utf-8")
        self._update(job, state="running")
        # The child imports this same audiobook, also when it runs from a source tree (PYTHONPATH=src).
        here = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)}
        try:
            with self._lock:
                if self._stopping:
                    return
                # A session of its own: its process group holds the synthesis workers too.
                self._proc = proc = subprocess.Popen(
                    [sys.executable, "-m", "audiobook.studio.worker", str(req_path)], stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env, start_new_session=True)
            assert proc.stdout is not None
            for line in proc.stdout:
                try:
                    msg = json.loads(line)
                except ValueError:
                    continue
                if "progress" in msg:
                    self._update(job, progress=max(job.progress, float(msg["progress"])))
                elif "done" in msg:
                    self._update(job, summary=msg["done"], outputs=list(msg["done"]["outputs"]))
                elif "error" in msg:
                    self._update(job, error=str(msg["error"]))
            stderr = proc.stderr.read() if proc.stderr else ""
            code = proc.wait()
        finally:
            req_path.unlink(missing_ok=True)
            with self._lock:
                self._proc = None
        if code == 0 and job.outputs:
            self._update(job, state="done", progress=1.0)
        else:
            last = (stderr.strip().splitlines() or ["the render stopped"])[-1]
            reason = job.error or ("stopped" if self._stopping else f"render failed (exit {code}): {last}")
            self._update(job, state="failed", error=reason)

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop the running render and everything it started; queued jobs are dropped."""
        with self._changed:
            self._stopping = True
            proc = self._proc
            self._changed.notify_all()
        self._queue.put(None)
        if proc is not None and proc.poll() is None:
            _kill_group(proc, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            _kill_group(proc, signal.SIGKILL)
        self._thread.join(timeout)


def _kill_group(proc: subprocess.Popen[str], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group has already gone
        os.killpg(proc.pid, sig)
