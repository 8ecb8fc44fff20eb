"""The mastering plan: one gain for the episode and a limiter curve, solved before any sample changes.

The limiter lowers the gain only around peaks that the gain would push over the ceiling (seen 4x
oversampled, so inter-sample peaks count). It works on a grid of short cells: a moving minimum one cell
wider than the moving average that smooths it, so the gain is never above what a peak needs and changes
without clicks. Its loudness cost is predicted from each sub-block's energy, so the plan hits the target
without re-measuring (tests hold prediction and measurement within 0.1 LU).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audiobook.audio.master.chunks import CHUNK, as_float
from audiobook.audio.master.meter import loudness_from_powers, measure
from audiobook.audio.master.parts import measure_parts, peak_parts
from audiobook.audio.master.truepeak import cell_peaks


@dataclass(frozen=True)
class Loudness:
    target_lufs: float = -16.0
    ceiling_dbtp: float = -1.5  # below Apple's -1 dBTP: MP3 encoding adds a few tenths of overshoot
    release: float = 0.010  # limiter smoothing radius, seconds


def grid_cell(rate: int) -> int:
    """Samples per limiter grid cell: the largest count up to 64 that divides a 100 ms sub-block."""
    step = rate // 10
    return max(d for d in range(1, 65) if step % d == 0)


@dataclass
class MasterPlan:
    gain: float  # linear, for the whole episode
    limiter: np.ndarray | None = None  # limiter gain per grid cell of `cell` samples; None: no limiting
    cell: int = 1
    predicted_lufs: float = float("inf")
    predicted_peak_db: float = float("-inf")  # true peak after gain and limiter
    # Measured run by run (plan_master's `spans`): each span's cell peaks, found at `peak_threshold` (linear).
    run_peaks: list[np.ndarray] | None = None
    peak_threshold: float = 0.0
    # Each measured span's content hash (master.parts): the encoder keys its runs on these rather than
    # hashing the same samples again.
    span_keys: dict[tuple[int, int], str] | None = None

    def blocks(self, x: np.ndarray, size: int = CHUNK) -> Iterator[np.ndarray]:
        """The mastered episode as float32 blocks; `x` itself is left as it is. The limiter's gain is
        interpolated linearly between grid-cell centres, edges held, in the cells where it or a neighbour
        is under 1 (a fifth of the interview's cells: the rest are only scaled)."""
        if self.limiter is None:
            for lo in range(0, len(x), size):
                yield as_float(x[lo : lo + size]) * np.float32(self.gain)
            return
        cell = self.cell
        g = self.limiter.astype(np.float32)
        short = max(0, -(-len(x) // cell) - len(g))  # cells past the curve's end hold its last gain
        padded = np.concatenate([g[:1], g, np.repeat(g[-1:], 1 + short)])  # padded[k + 1]: cell k's gain
        offset = (np.arange(cell, dtype=np.float32) - np.float32((cell - 1) / 2)) / np.float32(cell)
        right = offset >= 0  # past the centre: towards the next cell's gain
        size = max(cell, size // cell * cell)  # blocks start on a cell
        for lo in range(0, len(x), size):
            block = as_float(x[lo : lo + size]) * np.float32(self.gain)
            k0, rows = lo // cell, -(-len(block) // cell)
            mid, before, after = padded[k0 + 1 : k0 + 1 + rows], padded[k0 : k0 + rows], padded[k0 + 2 : k0 + 2 + rows]
            touched = np.flatnonzero((mid < 1) | (before < 1) | (after < 1))
            if len(touched):
                grid = np.pad(block, (0, rows * cell - len(block))).reshape(rows, cell)
                m = mid[touched, None]
                slope = np.where(right, after[touched, None] - m, m - before[touched, None])
                grid[touched] *= m + offset * slope
                block = grid.ravel()[: len(block)]
            yield block


def moving_min(x: np.ndarray, size: int) -> np.ndarray:
    """Minimum over a centred window of odd `size`, edges extended. Windows double in each pass, then
    two overlapping ones cover `size`: log2(size) passes and two arrays, whatever the length."""
    m = np.pad(x, size // 2, mode="edge")
    width = 1
    while width * 2 <= size:
        m = np.minimum(m[:-width], m[width:])  # m[i]: the minimum over [i, i + 2 * width)
        width *= 2
    out: np.ndarray = np.minimum(m[: len(x)], m[size - width : size - width + len(x)])
    return out


def moving_mean(x: np.ndarray, size: int) -> np.ndarray:
    """Mean over a centred window of odd `size`, edges extended: `size` shifted sums in place, so memory
    stays at two arrays of x's type (the limiter's window is a few cells)."""
    padded = np.pad(x, size // 2, mode="edge")
    out = padded[: len(x)].copy()
    for k in range(1, size):
        out += padded[k : k + len(x)]
    out /= size
    return out


def limiter_gain(need: np.ndarray, radius: int) -> np.ndarray:
    """Gain curve on the grid: a moving minimum one cell wider than the moving average that smooths it, so
    every cell's smoothed gain, and any interpolation between neighbours, stays at or below its need."""
    g = moving_mean(moving_min(need, 2 * radius + 3), 2 * radius + 1)
    np.minimum(g, need, out=g)  # the average can round a hair above the minimum
    return g


def plan_master(x: np.ndarray, rate: int, spec: Loudness = Loudness(), spans: list[tuple[int, int]] | None = None,
                cache: Path | None = None) -> MasterPlan:
    """`spans`: measure the episode run by run (master.parts), each span cached in `cache` by its samples;
    else in one pass over the whole."""
    cell = grid_cell(rate)
    per_sub = rate // 10 // cell
    if spans is None:
        powers, cells = measure(x, rate, cell)
        cells = cells[: len(powers) * per_sub]
    else:
        parts = measure_parts(x, rate, cell, spans, cache)
        powers = np.concatenate([p.powers for p in parts]) if parts else np.zeros(0)
        cells = np.concatenate([p.cells for p in parts]) if parts else np.zeros(0, dtype=np.float32)
    loud = loudness_from_powers(powers)
    if not np.isfinite(loud):
        return MasterPlan(1.0)  # silence: nothing to normalize
    energies = cells.reshape(-1, per_sub).sum(axis=1, dtype=np.float64)
    ceiling = 10 ** (spec.ceiling_dbtp / 20)
    radius = max(1, round(spec.release * rate / cell))
    step_db = spec.target_lufs - loud
    reach_db = step_db + 3.0  # the limiter rarely costs more than this; the peak scan covers up to it
    run_peaks, threshold = None, ceiling / 10 ** (reach_db / 20)
    if spans is None:
        peaks = cell_peaks(x, threshold, cell)
    else:
        db = int(np.floor(20 * np.log10(threshold)))  # down to a whole dB: a small change stays cached
        run_peaks, threshold = peak_parts(x, spans, parts, db, cell, cache), 10 ** (db / 20)
        peaks = np.concatenate([r[: len(p.cells)] for r, p in zip(run_peaks, parts, strict=True)])
    # Predicted loudness rises with gain, but the limiter takes back part of each dB: a secant search.
    # Each sub-block keeps the share of its plain energy the limiter leaves (it acts on the loud samples).
    gain_db, slope = step_db, 1.0
    prev: tuple[float, float] | None = None
    best = MasterPlan(1.0)
    for _ in range(8):
        gain = 10 ** (gain_db / 20)
        limiter = None
        kept = np.ones(len(powers))
        if peaks.max() * gain > ceiling:
            # In place where possible: these arrays are a 63rd of the episode each, and a book is long.
            need = np.maximum(peaks, np.float32(1e-9))
            np.divide(np.float32(ceiling / gain), need, out=need)
            np.minimum(need, np.float32(1.0), out=need)
            limiter = limiter_gain(need, radius)
            del need
            lost = limiter[: len(cells)] ** 2
            np.subtract(np.float32(1.0), lost, out=lost)
            lost *= cells
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.nan_to_num(lost.reshape(-1, per_sub).sum(axis=1, dtype=np.float64) / energies)
            del lost
            kept = np.clip(1.0 - share, 0.0, 1.0)
        predicted = loudness_from_powers(powers * kept * gain**2)
        if abs(spec.target_lufs - predicted) < abs(spec.target_lufs - best.predicted_lufs):
            top = float((peaks * gain * (limiter if limiter is not None else 1.0)).max())
            best = MasterPlan(gain, limiter, cell, predicted, 20 * np.log10(top) if top > 0 else float("-inf"))
        miss = spec.target_lufs - predicted
        if abs(miss) < 0.05:
            break
        if prev is not None and gain_db != prev[0]:
            slope = float(np.clip((predicted - prev[1]) / (gain_db - prev[0]), 0.05, 1.0))
        prev = (gain_db, predicted)
        gain_db = min(gain_db + miss / slope, reach_db)
    best.run_peaks, best.peak_threshold = run_peaks, threshold
    if spans is not None:
        best.span_keys = {span: part.key for span, part in zip(spans, parts, strict=True)}
    return best
