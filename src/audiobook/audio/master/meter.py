"""BS.1770-4 loudness meter.

It uses BS.1770's K-weighting with the coefficients pyloudnorm's Meter uses, applied as the filter's
impulse response by FFT convolution (numpy only: scipy.signal's import alone took a second, a sixth of a
render), and gates 400 ms blocks built from 100 ms sub-block powers: the same measure as pyloudnorm.Meter
(tests compare them), in linear time and constant memory, so it can also meter a stream.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from audiobook.audio.master.chunks import as_float, part_length
from audiobook.parallel import thread_map


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
# Overlap-save in transforms of FFT_SIZE, ROWS of them per numpy call: pocketfft runs a batch of rows on SIMD
# lanes, which filtered the interview in 0.46 s of CPU where one 64k transform at a time took 0.93 s.
FFT_SIZE = 1 << 14
ROWS = 4


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
        self.size = max(FFT_SIZE, 1 << (2 * self.taps - 1).bit_length())  # at least half of it new samples
        self.hop = self.size - self.taps + 1  # new samples per transform
        self._history = np.zeros(self.taps - 1, dtype=np.float32)
        if history is not None and len(history):
            tail = as_float(history[-len(self._history) :])
            self._history[len(self._history) - len(tail) :] = tail

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Filter float32 `x` as the continuation of what came before."""
        keep = len(self._history)
        rows = -(-len(x) // self.hop)
        seg = np.concatenate([self._history, x, np.zeros(rows * self.hop - len(x), dtype=np.float32)])
        self._history = seg[len(x) : len(x) + keep].copy()  # the last `keep` of history then x
        windows = np.lib.stride_tricks.sliding_window_view(seg, self.size)[:: self.hop]
        spectrum = _k_weighting_spectrum(self.rate, self.size)
        y = np.empty(rows * self.hop, dtype=np.float32)
        for r in range(0, rows, ROWS):
            out = np.fft.irfft(np.fft.rfft(windows[r : r + ROWS], axis=-1) * spectrum, self.size, axis=-1)
            y[r * self.hop : (r + len(out)) * self.hop] = out[:, keep:].ravel()
        return y[: len(x)]


class LoudnessMeter:
    """BS.1770-4 integrated loudness of a signal fed in pieces of any size."""

    def __init__(self, rate: int, cell: int = 0, history: np.ndarray | None = None) -> None:
        """`history`: the signal just before the first sample fed, so a part of a signal can be metered on
        its own and its sub-blocks joined to those of the parts before it."""
        self.step = rate // 10  # 100 ms sub-blocks; four make a 400 ms gating block (75% overlap)
        self.cell = cell  # if set, also keep the plain (unweighted) energy per `cell` samples
        self._filter = KWeighting(rate, history)
        self.unit = int(np.lcm(self.step, cell)) if cell else self.step  # a whole sub-block and whole cells
        # Whole units per batch of transforms, so a long feed carries nothing over between them.
        self.chunk = self._filter.hop * ROWS // self.unit * self.unit or self._filter.hop * ROWS
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


def measure(x: np.ndarray, rate: int, cell: int) -> tuple[np.ndarray, np.ndarray]:
    """LoudnessMeter's sub-block powers and cell energies of all of `x`, in parts metered on threads:
    each part starts from the samples before it, and ends on a whole sub-block."""
    probe = LoudnessMeter(rate, cell)
    part, history = part_length(len(x), probe.unit), probe._filter.taps - 1

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
