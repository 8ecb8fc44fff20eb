"""Master stage: integrated loudness to a target (ITU-R BS.1770-4) under a true-peak ceiling.

The episode stays 16-bit PCM; every pass converts one chunk at a time, so memory stays near the PCM itself.

The loudness meter uses BS.1770's K-weighting with the coefficients pyloudnorm's Meter uses, run as one
second-order-section filter (scipy's sosfilt) in float32 a chunk at a time, and
gates 400 ms blocks built from 100 ms sub-block powers: the same measure as pyloudnorm.Meter (tests
compare them), in linear time and constant memory, so it can also meter a stream.

Mastering is planned before any sample changes: one loudness pass and one true-peak pass, then the
gain is solved on those measurements. The limiter lowers the gain only around peaks that the gain would
push over the ceiling (seen 4x oversampled, so inter-sample peaks count). It works on a grid of short
cells: a moving minimum one cell wider than the moving average that smooths it, so the gain is never
above what a peak needs and changes without clicks. Its loudness cost is predicted from each
sub-block's energy, so the plan hits the target without re-measuring (tests hold prediction and
measurement within 0.1 LU); it is then applied block by block while the encoder consumes the blocks.
Metering the output again as it streams was dropped: it competed with the encoder for the CPU.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np

CHUNK = 1 << 16  # samples per processing chunk: bounds temporary arrays
HEADROOM = 10 ** (-3.5 / 20)  # a sample this far under the ceiling cannot have an inter-sample peak above it


@dataclass(frozen=True)
class Loudness:
    target_lufs: float = -16.0
    ceiling_dbtp: float = -1.5  # below Apple's -1 dBTP: MP3 encoding adds a few tenths of overshoot
    release: float = 0.010  # limiter smoothing radius, seconds


def as_float(x: np.ndarray) -> np.ndarray:
    """A chunk as float32 in [-1, 1): int16 PCM is scaled, float passes through."""
    return x.astype(np.float32) / np.float32(32768.0) if x.dtype == np.int16 else x.astype(np.float32, copy=False)


# ---- loudness -------------------------------------------------------------------------------------


@cache
def _k_weighting_sos(rate: int) -> np.ndarray:
    """BS.1770's K-weighting as two RBJ-cookbook biquads with the parameters pyloudnorm's Meter uses: a
    +4 dB high shelf at 1500 Hz (Q 1/sqrt 2) and a 38 Hz high pass (Q 0.5). Computed here rather than
    by importing pyloudnorm at run time; a test holds them equal to pyloudnorm's."""

    def biquad(kind: str, gain_db: float, q: float, fc: float) -> list[float]:
        a = 10 ** (gain_db / 40)
        w0 = 2 * np.pi * fc / rate
        cw, alpha = np.cos(w0), np.sin(w0) / (2 * q)
        if kind == "high_shelf":
            sq = 2 * np.sqrt(a) * alpha
            b = [a * ((a + 1) + (a - 1) * cw + sq), -2 * a * ((a - 1) + (a + 1) * cw),
                 a * ((a + 1) + (a - 1) * cw - sq)]
            den = [(a + 1) - (a - 1) * cw + sq, 2 * ((a - 1) - (a + 1) * cw), (a + 1) - (a - 1) * cw - sq]
        else:  # high pass
            b = [(1 + cw) / 2, -(1 + cw), (1 + cw) / 2]
            den = [1 + alpha, -2 * cw, 1 - alpha]
        return [v / den[0] for v in b + den]

    return np.array([biquad("high_shelf", 4.0, 1 / np.sqrt(2), 1500.0), biquad("high_pass", 0.0, 0.5, 38.0)])


class LoudnessMeter:
    """BS.1770-4 integrated loudness of a signal fed in pieces of any size."""

    def __init__(self, rate: int, cell: int = 0) -> None:
        self.step = rate // 10  # 100 ms sub-blocks; four make a 400 ms gating block (75% overlap)
        self.cell = cell  # if set, also keep the plain (unweighted) energy per `cell` samples
        self._sos = _k_weighting_sos(rate)
        self._zi = np.zeros((len(self._sos), 2))
        self._rest = np.zeros(0, dtype=np.float64)
        self._raw_rest = np.zeros(0, dtype=np.float64)
        self._powers: list[np.ndarray] = []
        self._energies: list[np.ndarray] = []

    def feed(self, x: np.ndarray) -> None:
        from scipy.signal import sosfilt

        for i in range(0, len(x), CHUNK):
            chunk = as_float(x[i : i + CHUNK])
            y, self._zi = sosfilt(self._sos, chunk, zi=self._zi)
            y = np.concatenate([self._rest, y.astype(np.float64) ** 2])
            n = len(y) // self.step * self.step
            self._powers.append(y[:n].reshape(-1, self.step).mean(axis=1))
            self._rest = y[n:]
            if self.cell:
                e = np.concatenate([self._raw_rest, chunk.astype(np.float64) ** 2])
                m = len(e) // self.cell * self.cell
                self._energies.append(e[:m].reshape(-1, self.cell).sum(axis=1).astype(np.float32))
                self._raw_rest = e[m:]

    def powers(self) -> np.ndarray:
        """Mean square of the K-weighted signal per 100 ms sub-block (a trailing partial one dropped)."""
        return np.concatenate(self._powers) if self._powers else np.zeros(0)

    def cell_energies(self) -> np.ndarray:
        return np.concatenate(self._energies) if self._energies else np.zeros(0, dtype=np.float32)

    def loudness(self) -> float:
        return loudness_from_powers(self.powers())


def loudness_from_powers(p: np.ndarray) -> float:
    """Integrated loudness from sub-block powers: gated at -70 LUFS absolute and -10 LU relative."""
    if len(p) < 4:
        return float("-inf")
    z = (p[:-3] + p[1:-2] + p[2:-1] + p[3:]) / 4.0
    with np.errstate(divide="ignore"):
        z = z[-0.691 + 10 * np.log10(z) >= -70.0]
        if len(z) == 0:
            return float("-inf")
        rel = -0.691 + 10 * np.log10(z.mean()) - 10.0
        z = z[-0.691 + 10 * np.log10(z) > rel]
    return float(-0.691 + 10 * np.log10(z.mean()))


def integrated_loudness(x: np.ndarray, rate: int) -> float:
    meter = LoudnessMeter(rate)
    meter.feed(x)
    return meter.loudness()


# ---- true peak ------------------------------------------------------------------------------------


@cache
def _phases() -> np.ndarray:
    """4x interpolation filter, 48 taps split into 4 phases of 12 (the shape BS.1770-4 Annex 2 uses): a
    Kaiser-windowed sinc (beta 7) cut at a quarter band, as scipy's firwin makes it (a test compares)."""
    n = np.arange(48) - 23.5
    h = np.sinc(0.25 * n) * np.kaiser(48, 7.0)
    h *= 4 / h.sum()  # unity gain at DC for each of the 4 phases
    return h.reshape(12, 4).T[:, ::-1].astype(np.float32)


def cell_peaks(x: np.ndarray, threshold: float, cell: int) -> np.ndarray:
    """Per cell of `cell` samples, the largest |value| of the 4x-oversampled signal where it may exceed
    `threshold`, else the cell's sample peak. Only samples next to a loud one are interpolated, a chunk
    at a time (a chunk is a whole number of cells), so cost follows the loud parts and memory the cells."""
    chunk = CHUNK // cell * cell
    out = np.zeros((len(x) + cell - 1) // cell, dtype=np.float32)
    phases = _phases().T
    for lo in range(0, len(x), chunk):
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
            continue
        taps = np.clip(idx[:, None] + np.arange(-6, 6), 0, len(f) - 1)  # f[i-6 .. i+5] around the gap i-1 -> i
        up = np.abs(f[taps] @ phases).max(axis=1)
        np.maximum.at(out, (idx + a) // cell, up)
    return out


def true_peak_db(x: np.ndarray, floor_db: float = -12.0) -> float:
    """True peak in dBTP (4x oversampled); parts below `floor_db` are taken at their sample peak."""
    if len(x) == 0:
        return float("-inf")
    sample_peak = float(np.abs(as_float(x)).max())
    peak = float(cell_peaks(x, max(sample_peak * HEADROOM, 10 ** (floor_db / 20)), CHUNK).max())
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


# ---- the plan -------------------------------------------------------------------------------------


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

    def blocks(self, x: np.ndarray, size: int = CHUNK) -> Iterator[np.ndarray]:
        """The mastered episode as float32 blocks; `x` itself is left as it is."""
        for lo in range(0, len(x), size):
            block = as_float(x[lo : lo + size]) * np.float32(self.gain)
            if self.limiter is not None:
                # Linear interpolation between grid-cell centres.
                c0, c1 = max(0, lo // self.cell - 1), min(len(self.limiter), (lo + len(block)) // self.cell + 2)
                centres = np.arange(c0, c1) * self.cell + (self.cell - 1) / 2
                block *= np.interp(np.arange(lo, lo + len(block)), centres, self.limiter[c0:c1]).astype(np.float32)
            yield block


def moving_min(x: np.ndarray, size: int) -> np.ndarray:
    """Minimum over a centred window of odd `size`, edges extended."""
    r = size // 2
    padded = np.pad(x, r, mode="edge")
    return np.lib.stride_tricks.sliding_window_view(padded, size).min(axis=1)


def moving_mean(x: np.ndarray, size: int) -> np.ndarray:
    """Mean over a centred window of odd `size`, edges extended (a running sum, linear time)."""
    r = size // 2
    c = np.concatenate([[0.0], np.cumsum(np.pad(x.astype(np.float64), r, mode="edge"))])
    return ((c[size:] - c[:-size]) / size).astype(x.dtype)


def _limiter(need: np.ndarray, radius: int) -> np.ndarray:
    """Gain curve on the grid: a moving minimum one cell wider than the moving average that smooths it, so
    every cell's smoothed gain, and any interpolation between neighbours, stays at or below its need."""
    g = moving_mean(moving_min(need, 2 * radius + 3), 2 * radius + 1)
    return np.minimum(g, need, out=g)  # the average can round a hair above the minimum


def plan_master(x: np.ndarray, rate: int, spec: Loudness = Loudness()) -> MasterPlan:
    cell = grid_cell(rate)
    meter = LoudnessMeter(rate, cell=cell)
    meter.feed(x)
    powers = meter.powers()
    loud = loudness_from_powers(powers)
    if not np.isfinite(loud):
        return MasterPlan(1.0)  # silence: nothing to normalize
    per_sub = meter.step // cell
    cells = meter.cell_energies()[: len(powers) * per_sub]
    energies = cells.reshape(-1, per_sub).sum(axis=1, dtype=np.float64)
    ceiling = 10 ** (spec.ceiling_dbtp / 20)
    radius = max(1, round(spec.release * rate / cell))
    step_db = spec.target_lufs - loud
    reach_db = step_db + 3.0  # the limiter rarely costs more than this; the peak scan covers up to it
    peaks = cell_peaks(x, ceiling / 10 ** (reach_db / 20), cell)
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
            limiter = _limiter(need, radius)
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
    return best


def master(x: np.ndarray, rate: int, spec: Loudness = Loudness()) -> tuple[float, float]:
    """Master a float signal in place; returns the (loudness LUFS, true peak dBTP) measured after."""
    plan = plan_master(x, rate, spec)
    x[:] = np.concatenate(list(plan.blocks(x))) if len(x) else x
    return integrated_loudness(x, rate), true_peak_db(x)
