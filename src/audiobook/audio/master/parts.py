"""The plan's measurements taken run by run, each cached by the run's samples.

A run (audio.runs) is metered as the encoder sees it (its span: the run with its encoding context), on a
grid that starts at its first sample, with silence before it. So its measurements depend on its own samples
alone and are kept beside its encoded MP3: a re-render after an edit meters only the runs whose samples
changed. Spans start and end in pauses, and the loudness gates drop silence, so the joined measurements
give the episode's loudness: only the 400 ms gating blocks fall elsewhere in each run, which moved the
shared 16-minute interview by 0.001 LU (a test holds a short episode within 0.05 LU of one pass). The
true peaks are on the encoder's grid too, so its limiter uses them rather than finding them again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audiobook.audio.master.meter import LoudnessMeter
from audiobook.audio.master.truepeak import run_peaks
from audiobook.files import cache_put
from audiobook.parallel import thread_map

FORMAT = "1"  # bump when a measurement changes in a way its key does not capture


@dataclass
class Part:
    key: str  # of the span's samples, rate and grid
    powers: np.ndarray  # K-weighted mean square per whole 100 ms sub-block of the span (float64)
    cells: np.ndarray  # plain energy per cell of those sub-blocks (float32)


def measure_parts(x: np.ndarray, rate: int, cell: int, spans: list[tuple[int, int]], cache: Path | None) -> list[Part]:
    per_sub = rate // 10 // cell

    def one(span: tuple[int, int]) -> Part:
        part = x[span[0] : span[1]]
        h = hashlib.sha256(f"{FORMAT}|{rate}|{cell}|".encode())
        h.update(np.ascontiguousarray(part).data)
        key = h.hexdigest()
        got = _load(cache, key, "loud.npz")
        if got is not None:
            with got as f:
                return Part(key, f["powers"], f["cells"])
        meter = LoudnessMeter(rate, cell)
        meter.feed(part)
        powers = meter.powers()
        cells = meter.cell_energies()[: len(powers) * per_sub]
        _save(cache, key, "loud.npz", lambda p: np.savez(p, powers=powers, cells=cells))
        return Part(key, powers, cells)

    return thread_map(one, spans)


def peak_parts(x: np.ndarray, spans: list[tuple[int, int]], parts: list[Part], threshold_db: int, cell: int,
               cache: Path | None) -> list[np.ndarray]:
    """Each span's cell peaks (truepeak.run_peaks) at `threshold_db`, a whole dB so that a small change in
    the episode's loudness still finds them cached."""
    name = f"tp{threshold_db}.npy"

    def one(i: int) -> np.ndarray:
        got = _load(cache, parts[i].key, name)
        if got is not None:
            return np.asarray(got)
        lo, hi = spans[i]
        peaks = run_peaks(x[lo:hi], 10 ** (threshold_db / 20), cell)
        _save(cache, parts[i].key, name, lambda p: np.save(p, peaks))
        return peaks

    return thread_map(one, range(len(spans)))


def _load(cache: Path | None, key: str, name: str) -> Any:  # an array (.npy) or an NpzFile (.npz)
    if cache is None:
        return None
    try:
        return np.load(cache / key[:2] / f"{key}.{name}", allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None  # absent or damaged: measured again


def _save(cache: Path | None, key: str, name: str, write: Callable[[Path], None]) -> None:
    if cache is not None:
        cache_put(cache / key[:2] / f"{key}.{name}", write)
