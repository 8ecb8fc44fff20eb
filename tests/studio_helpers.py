"""Shared by the studio tests: the test article, WAV measurement, and a process-tree walk."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np

ARTICLE = Path(__file__).resolve().parent / "data" / "studio" / "bakshy.txt"
TOKEN = "test-token-Ab3"


def wav_stats(data: bytes) -> tuple[float, float, int]:
    """(duration s, RMS in dBFS, sample rate) of a 16-bit mono WAV, from its samples."""
    with wave.open(io.BytesIO(data), "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        rate = w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768.0
    rms = float(np.sqrt(np.mean(x**2))) if len(x) else 0.0
    return len(x) / rate, 20 * np.log10(max(rms, 1e-9)), rate


def descendants(pid: int) -> set[int]:
    """Every live process under `pid` (by /proc parent links), however deep."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start(workdir: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "audiobook", "studio", "--port", "0", "--no-browser",
                             "--workdir", str(workdir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "BROWSER": "false"})
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    return proc, line


def stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=20)
    return code, proc.stderr.read() if proc.stderr else ""
