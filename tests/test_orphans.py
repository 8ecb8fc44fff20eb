"""A render stopped by SIGTERM or SIGKILL leaves no synthesis worker behind holding its stdout/stderr."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORDS = ["кітап", "мектеп", "ауыл", "қала", "бала", "дала", "тау", "өзен", "орман", "жол"]


def long_article() -> str:
    """Hundreds of distinct sentences: synthesis with two workers takes several seconds."""
    lines = ["Ауыл кітапханасы туралы сұхбат", "", "Бүгін біз ауыл кітапханасы туралы сөйлестік.", ""]
    for i in range(400):
        a, b, c = WORDS[i % 10], WORDS[(i // 10) % 10], WORDS[(i // 100) % 10]
        lines.append(f"— {a.capitalize()} пен {b} туралы {c} жайында не айтасыз, нөмірі {i + 1}?")
        lines.append(f"— {b.capitalize()} мен {c} және {a} туралы {i + 7} рет айттым.")
    return "\n".join(lines) + "\n"


def session_processes(sid: int) -> list[int]:
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[3]) == sid and fields[0] != "Z":  # field 6, session id; zombies are gone already
                pids.append(int(d.name))
    return pids


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and PR_SET_PDEATHSIG are Linux")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_stopped_render_leaves_no_worker(tmp_path: Path, sig: signal.Signals) -> None:
    article = tmp_path / "article.txt"
    article.write_text(long_article(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "AUDIOBOOK_CACHE": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "audiobook", "render", str(article), "-o", str(tmp_path / "out"), "-j", "2", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(children(proc.pid)) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert len(children(proc.pid)) >= 2, "the render never started its two synthesis workers"
        time.sleep(0.5)  # well inside synthesis
        assert proc.poll() is None, "synthesis finished before the signal: give it more text"
        os.kill(proc.pid, sig)
        # EOF on both pipes: nobody holds them any more.
        out, err = proc.communicate(timeout=10)
        deadline = time.monotonic() + 5
        while session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session_processes(proc.pid) == []
        if sig == signal.SIGTERM:
            assert proc.returncode == 130
            assert err.decode().strip().splitlines()[-1] == "error: interrupted"
            assert "Traceback" not in err.decode()
        else:
            assert proc.returncode == -signal.SIGKILL
        assert not (tmp_path / "out" / "article.mp3").exists()
    finally:
        for pid in session_processes(proc.pid):
            os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.wait()
