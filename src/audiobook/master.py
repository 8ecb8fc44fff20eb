"""Master stage: integrated loudness to a target (ITU-R BS.1770-4) and a true-peak ceiling.

Loudness uses pyloudnorm's K-weighting filters (its public IIRfilter class, the same parameters its
Meter uses) run as one second-order-section filter in float32, and gates 400 ms blocks built from
100 ms sub-block powers: the same measure as pyloudnorm.Meter (tests compare them), in linear time
without a float64 copy of the episode.

The limiter looks at a 4x oversampled signal, so inter-sample peaks count, and only where samples
come near the ceiling. Its gain curve is a moving minimum smoothed by a moving average of the
same radius: never above what a peak needs, and without clicks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

HEADROOM = 10 ** (-3.5 / 20)  # a sample this far under the ceiling cannot have an inter-sample peak above it


@dataclass(frozen=True)
class Loudness:
    target_lufs: float = -16.0
    ceiling_dbtp: float = -1.5  # below Apple's -1 dBTP: MP3 encoding adds a few tenths of overshoot
    release: float = 0.010  # limiter smoothing radius, seconds


def _k_weighting_sos(rate: int) -> np.ndarray:
    from pyloudnorm.iirfilter import IIRfilter

    # The two stages of BS.1770's K-weighting, as pyloudnorm's Meter defines them.
    stages = [IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf"), IIRfilter(0.0, 0.5, 38.0, rate, "high_pass")]
    return np.array([np.concatenate([f.b, f.a]) for f in stages])


def subblock_powers(x: np.ndarray, rate: int) -> np.ndarray:
    """Mean square of the K-weighted signal in each 100 ms sub-block (a trailing partial one dropped)."""
    from scipy.signal import sosfilt, sosfilt_zi

    sos = _k_weighting_sos(rate)
    step = rate // 10
    n = len(x) // step
    out = np.empty(n, dtype=np.float64)
    zi = sosfilt_zi(sos) * 0.0
    chunk = step * 64
    for i in range(0, n * step, chunk):
        y, zi = sosfilt(sos, x[i : min(i + chunk, n * step)], zi=zi)
        y = y.astype(np.float64) ** 2
        out[i // step : i // step + len(y) // step] = y.reshape(-1, step).mean(axis=1)
    return out


def loudness_from_powers(p: np.ndarray) -> float:
    """BS.1770-4 integrated loudness: 400 ms blocks (4 sub-blocks, 75% overlap), gated at -70 LUFS
    absolute and -10 LU relative."""
    if len(p) < 4:
        return float("-inf")
    z = (p[:-3] + p[1:-2] + p[2:-1] + p[3:]) / 4.0
    with np.errstate(divide="ignore"):
        lk = -0.691 + 10 * np.log10(z)
    z = z[lk >= -70.0]
    if len(z) == 0:
        return float("-inf")
    rel = -0.691 + 10 * np.log10(z.mean()) - 10.0
    with np.errstate(divide="ignore"):
        z = z[-0.691 + 10 * np.log10(z) > rel]
    return float(-0.691 + 10 * np.log10(z.mean()))


def integrated_loudness(x: np.ndarray, rate: int) -> float:
    return loudness_from_powers(subblock_powers(x, rate))


@cache
def _phases() -> np.ndarray:
    """4x interpolation filter, 48 taps split into 4 phases of 12 (the shape BS.1770-4 Annex 2 uses)."""
    from scipy.signal import firwin

    return (firwin(48, 0.25, window=("kaiser", 7.0)) * 4).reshape(12, 4).T[:, ::-1].astype(np.float32)


def peak_envelope(x: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Samples whose 4x-oversampled neighbourhood may exceed `threshold`, with their true-peak value.

    Returns (indices, peaks): peaks[k] is the largest |value| of the band-limited signal between
    x[i-1] and x[i+1] for i = indices[k]. Only samples near a loud one are interpolated, which keeps the
    cost proportional to the loud parts, not to the episode.
    """
    loud = np.abs(x) > threshold * HEADROOM
    near = loud.copy()
    near[1:] |= loud[:-1]
    near[:-1] |= loud[1:]
    idx = np.flatnonzero(near)
    taps = np.clip(idx[:, None] + np.arange(-6, 6), 0, len(x) - 1)  # x[i-6 .. i+5] around the gap i-1 -> i
    win = x[taps]
    up = np.abs(win @ _phases().T).max(axis=1)
    return idx, np.maximum(up, np.abs(x[idx]))


def true_peak_db(x: np.ndarray, floor_db: float = -12.0) -> float:
    """True peak in dBTP (4x oversampled); parts below `floor_db` are taken at their sample peak."""
    if len(x) == 0:
        return float("-inf")
    peak = float(np.abs(x).max())
    _, peaks = peak_envelope(x, max(peak * HEADROOM, 10 ** (floor_db / 20)))
    peak = max(peak, float(peaks.max()) if len(peaks) else 0.0)
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def limit(x: np.ndarray, rate: int, ceiling_db: float, release: float) -> None:
    """In place: reduce gain around every (oversampled) peak above the ceiling."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    ceiling = 10 ** (ceiling_db / 20)
    idx, peaks = peak_envelope(x, ceiling)
    over = peaks > ceiling
    idx, need_at = idx[over], (ceiling / peaks[over]).astype(np.float32)
    if len(idx) == 0:
        return
    size = 2 * max(1, int(release * rate)) + 1
    # Work only on windows around the peaks: a peak's gain dip spans `size` samples either side.
    breaks = np.flatnonzero(np.diff(idx) > 4 * size) + 1
    for group, needs in zip(np.split(idx, breaks), np.split(need_at, breaks), strict=True):
        a, b = max(0, int(group[0]) - 2 * size), min(len(x), int(group[-1]) + 2 * size + 1)
        need = np.ones(b - a, dtype=np.float32)
        np.minimum.at(need, group - a, needs)
        gain = uniform_filter1d(minimum_filter1d(need, size=size), size=size)
        np.minimum(gain, need, out=gain)  # the average can round a hair above the minimum
        x[a:b] *= gain


def master(x: np.ndarray, rate: int, spec: Loudness = Loudness()) -> tuple[float, float]:
    """Normalize `x` in place; returns the (loudness LUFS, true peak dBTP) measured after."""
    loud = integrated_loudness(x, rate)
    # The limiter takes back part of each gain step; `ratio` (what a dB of gain really yields, learnt from
    # the last step) lets the next step aim right, so this converges in two or three passes.
    ratio = 1.0
    for _ in range(4):
        if not np.isfinite(loud) or abs(loud - spec.target_lufs) < 0.1:
            break  # on target, or silence with nothing to normalize
        step = (spec.target_lufs - loud) / ratio
        x *= np.float32(10 ** (step / 20))
        limit(x, rate, spec.ceiling_dbtp, spec.release)
        before, loud = loud, integrated_loudness(x, rate)
        ratio = float(np.clip((loud - before) / step, 0.2, 1.0)) if step else 1.0
    return loud, true_peak_db(x)
