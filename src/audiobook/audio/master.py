"""Master stage: integrated loudness to a target (ITU-R BS.1770-4) under a true-peak ceiling.

The episode stays 16-bit PCM; every pass converts one chunk at a time, so memory stays near the PCM itself.

The loudness meter uses BS.1770's K-weighting with the coefficients pyloudnorm's Meter uses, applied
as the filter's impulse response by FFT convolution (numpy only: scipy.signal's import alone took a
second, a sixth of a render), and gates 400 ms blocks built from 100 ms sub-block powers: the same
measure as pyloudnorm.Meter (tests compare them), in linear time and constant memory, so it can also
meter a stream.

Mastering is planned before any sample changes: one loudness pass and one true-peak pass, each split
into parts on one thread per core (numpy's FFTs and reductions release the GIL), then the gain is
solved on those measurements. The limiter lowers the gain only around peaks that the gain would
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

from audiobook.parallel import cpu_cores, thread_map

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


IR_SECONDS = 0.15  # K-weighting's response is below 1e-12 of its start by then (its slowest pole is 38 Hz)
FFT_SIZE = 1 << 16


@cache
def _k_weighting_ir(rate: int) -> np.ndarray:
    """The impulse response of the two K-weighting biquads, run sample by sample once per rate."""
    h = [1.0] + [0.0] * (int(rate * IR_SECONDS) - 1)
    for b0, b1, b2, _, a1, a2 in _k_weighting_sos(rate).tolist():
        x1 = x2 = y1 = y2 = 0.0
        for i, v in enumerate(h):
            y = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            x2, x1, y2, y1 = x1, v, y1, y
            h[i] = y
    return np.array(h)


@cache
def _k_weighting_spectrum(rate: int, size: int) -> np.ndarray:
    return np.fft.rfft(_k_weighting_ir(rate), size).astype(np.complex64)


class KWeighting:
    """K-weighting of a signal fed in pieces: overlap-save FFT convolution with the impulse response,
    carrying the last samples of each piece into the next."""

    def __init__(self, rate: int, history: np.ndarray | None = None) -> None:
        """`history`: the signal just before the first sample fed (none: silence)."""
        self.rate = rate
        self.taps = len(_k_weighting_ir(rate))
        self.hop = FFT_SIZE - self.taps + 1  # new samples per full-size transform
        self._history = np.zeros(self.taps - 1, dtype=np.float32)
        if history is not None and len(history):
            tail = as_float(history[-len(self._history) :])
            self._history[len(self._history) - len(tail) :] = tail

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Filter float32 `x` as the continuation of what came before, in one transform (`hop` samples fill a
        transform of FFT_SIZE exactly)."""
        seg = np.concatenate([self._history, x])
        size = 1 << (len(seg) - 1).bit_length()
        y = np.fft.irfft(np.fft.rfft(seg, size) * _k_weighting_spectrum(self.rate, size), size)
        self._history = seg[len(seg) - len(self._history) :]
        return y[self.taps - 1 : len(seg)]


class LoudnessMeter:
    """BS.1770-4 integrated loudness of a signal fed in pieces of any size."""

    def __init__(self, rate: int, cell: int = 0, history: np.ndarray | None = None) -> None:
        """`history`: the signal just before the first sample fed, so a part of a signal can be metered on
        its own and its sub-blocks joined to those of the parts before it."""
        self.step = rate // 10  # 100 ms sub-blocks; four make a 400 ms gating block (75% overlap)
        self.cell = cell  # if set, also keep the plain (unweighted) energy per `cell` samples
        self._filter = KWeighting(rate, history)
        self.unit = int(np.lcm(self.step, cell)) if cell else self.step  # a whole sub-block and whole cells
        # Whole units per transform, so a long feed carries nothing over between them.
        self.chunk = self._filter.hop // self.unit * self.unit or self._filter.hop
        self._rest = np.zeros(0, dtype=np.float32)  # filtered samples short of a whole sub-block
        self._raw_rest = np.zeros(0, dtype=np.float32)
        self._powers: list[np.ndarray] = []
        self._energies: list[np.ndarray] = []

    def feed(self, x: np.ndarray) -> None:
        for i in range(0, len(x), self.chunk):
            chunk = as_float(x[i : i + self.chunk])
            self._rest, sums = _sums_of_squares(self._rest, self._filter(chunk), self.step)
            self._powers.append(sums / self.step)
            if self.cell:
                self._raw_rest, sums = _sums_of_squares(self._raw_rest, chunk, self.cell)
                self._energies.append(sums.astype(np.float32))

    def powers(self) -> np.ndarray:
        """Mean square of the K-weighted signal per 100 ms sub-block (a trailing partial one dropped)."""
        return np.concatenate(self._powers) if self._powers else np.zeros(0)

    def cell_energies(self) -> np.ndarray:
        return np.concatenate(self._energies) if self._energies else np.zeros(0, dtype=np.float32)

    def loudness(self) -> float:
        return loudness_from_powers(self.powers())


def _sums_of_squares(rest: np.ndarray, x: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum of squares per whole block of `size` of `rest` then `x` (float32, summed in float64), and what
    is left over for the next call."""
    y = np.concatenate([rest, x]) if len(rest) else x
    n = len(y) // size * size
    rows = y[:n].reshape(-1, size)
    return y[n:].copy(), np.einsum("ij,ij->i", rows, rows, dtype=np.float64)  # a copy: x may be the caller's


def _part(n: int, unit: int) -> int:
    """Length of a part when `n` samples are shared among the cores in whole `unit`s."""
    return max(1, -(-n // (cpu_cores() * unit))) * unit


def measure(x: np.ndarray, rate: int, cell: int) -> tuple[np.ndarray, np.ndarray]:
    """LoudnessMeter's sub-block powers and cell energies of all of `x`, in parts metered on threads:
    each part starts from the samples before it, and ends on a whole sub-block."""
    probe = LoudnessMeter(rate, cell)
    part, history = _part(len(x), probe.unit), probe._filter.taps - 1

    def one(lo: int) -> tuple[np.ndarray, np.ndarray]:
        meter = LoudnessMeter(rate, cell, history=x[max(0, lo - history) : lo])
        meter.feed(x[lo : lo + part])
        return meter.powers(), meter.cell_energies()

    parts = thread_map(one, range(0, len(x), part)) or [(np.zeros(0), np.zeros(0, dtype=np.float32))]
    return np.concatenate([p for p, _ in parts]), np.concatenate([e for _, e in parts])


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

    # A part per core, each a run of chunks: per-chunk tasks spent their time waiting for the GIL.
    part = _part(len(x), chunk)
    thread_map(lambda start: [scan(lo) for lo in range(start, min(len(x), start + part), chunk)],
               range(0, len(x), part))
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
    """Minimum over a centred window of odd `size`, edges extended. Windows double in each pass, then
    two overlapping ones cover `size`: log2(size) passes and two arrays, whatever the length."""
    m = np.pad(x, size // 2, mode="edge")
    width = 1
    while width * 2 <= size:
        m = np.minimum(m[:-width], m[width:])  # m[i]: the minimum over [i, i + 2 * width)
        width *= 2
    return np.minimum(m[: len(x)], m[size - width : size - width + len(x)])


def moving_mean(x: np.ndarray, size: int) -> np.ndarray:
    """Mean over a centred window of odd `size`, edges extended: `size` shifted sums in place, so memory
    stays at two arrays of x's type (the limiter's window is a few cells)."""
    padded = np.pad(x, size // 2, mode="edge")
    out = padded[: len(x)].copy()
    for k in range(1, size):
        out += padded[k : k + len(x)]
    out /= size
    return out


def _limiter(need: np.ndarray, radius: int) -> np.ndarray:
    """Gain curve on the grid: a moving minimum one cell wider than the moving average that smooths it, so
    every cell's smoothed gain, and any interpolation between neighbours, stays at or below its need."""
    g = moving_mean(moving_min(need, 2 * radius + 3), 2 * radius + 1)
    return np.minimum(g, need, out=g)  # the average can round a hair above the minimum


def plan_master(x: np.ndarray, rate: int, spec: Loudness = Loudness()) -> MasterPlan:
    cell = grid_cell(rate)
    powers, cells = measure(x, rate, cell)
    loud = loudness_from_powers(powers)
    if not np.isfinite(loud):
        return MasterPlan(1.0)  # silence: nothing to normalize
    per_sub = rate // 10 // cell
    cells = cells[: len(powers) * per_sub]
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
