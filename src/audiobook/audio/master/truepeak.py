"""True peak (BS.1770-4 Annex 2): 4x oversampling, computed only next to loud samples."""

from __future__ import annotations

from functools import cache

import numpy as np

from audiobook.audio.master.chunks import CHUNK, as_float, part_length
from audiobook.parallel import thread_map

HEADROOM = 10 ** (-3.5 / 20)  # a sample this far under the ceiling cannot have an inter-sample peak above it


@cache
def _phases() -> np.ndarray:
    """4x interpolation filter, 48 taps split into 4 phases of 12 (the shape BS.1770-4 Annex 2 uses): a
    Kaiser-windowed sinc (beta 7) cut at a quarter band, as scipy's firwin makes it (a test compares)."""
    n = np.arange(48) - 23.5
    h: np.ndarray = np.sinc(0.25 * n) * np.kaiser(48, 7.0)
    h *= 4 / h.sum()  # unity gain at DC for each of the 4 phases
    return h.reshape(12, 4).T[:, ::-1].astype(np.float32)


def cell_peaks(x: np.ndarray, threshold: float, cell: int, threads: bool = True) -> np.ndarray:
    """Per cell of `cell` samples, the largest |value| of the 4x-oversampled signal where it may exceed
    `threshold`, else the cell's sample peak. Only samples next to a loud one are interpolated, a chunk
    at a time (a chunk is a whole number of cells; chunks run on threads), so cost follows the loud parts
    and memory the cells."""
    chunk = CHUNK // cell * cell
    out = np.zeros((len(x) + cell - 1) // cell, dtype=np.float32)
    phases = _phases().T

    def scan(lo: int) -> None:  # writes only its own chunk's cells
        hi = min(len(x), lo + chunk)
        a, b = max(0, lo - 6), min(len(x), hi + 6)  # 6 samples of context: the interpolator's half length
        f = as_float(x[a:b])
        mag = np.abs(f)
        own = mag[lo - a : hi - a]
        pad = (-len(own)) % cell
        out[lo // cell : lo // cell + (len(own) + pad) // cell] = np.pad(own, (0, pad)).reshape(-1, cell).max(axis=1)
        loud = mag > threshold * HEADROOM
        near = loud.copy()  # a sample next to a loud one may hide a peak between them
        near[1:] |= loud[:-1]
        near[:-1] |= loud[1:]
        idx = np.flatnonzero(near[lo - a : hi - a]) + (lo - a)
        if len(idx) == 0:
            return
        # Row i: f[i-6 .. i+5], the taps around the gap i-1 -> i, edges extended.
        windows = np.lib.stride_tricks.sliding_window_view(np.pad(f, 6, mode="edge"), 12)
        up = np.abs(windows[idx] @ phases)
        up = np.maximum(np.maximum(up[:, 0], up[:, 1]), np.maximum(up[:, 2], up[:, 3]))  # 4x faster than max(axis=1)
        np.maximum.at(out, (idx + a) // cell, up)

    def scan_part(start: int) -> None:
        for lo in range(start, min(len(x), start + part), chunk):
            scan(lo)

    # A part per core, each a run of chunks: per-chunk tasks spent their time waiting for the GIL.
    part = part_length(len(x), chunk) if threads else max(1, len(x))
    thread_map(scan_part, range(0, len(x), part))
    return out


def run_peaks(x: np.ndarray, threshold: float, cell: int) -> np.ndarray:
    """cell_peaks on this thread alone, for callers that keep every core busy with runs of their own."""
    return cell_peaks(x, threshold, cell, threads=False)


def true_peak_db(x: np.ndarray, floor_db: float = -12.0) -> float:
    """True peak in dBTP (4x oversampled); parts below `floor_db` are taken at their sample peak."""
    if len(x) == 0:
        return float("-inf")
    sample_peak = float(np.abs(as_float(x)).max())
    peak = float(cell_peaks(x, max(sample_peak * HEADROOM, 10 ** (floor_db / 20)), CHUNK).max())
    return 20 * np.log10(peak) if peak > 0 else float("-inf")
