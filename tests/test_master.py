"""Mastering: loudness as pyloudnorm measures it, and a true-peak ceiling checked by 8x oversampling."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from audiobook.audio.master import Loudness, integrated_loudness, plan_master, true_peak_db

RATE = 22050


def speechlike(seconds: float, seed: int = 0) -> np.ndarray:
    """Bursts of harmonic tones with silences and sharp peaks: a high crest factor, like synthetic speech."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    x = np.zeros_like(t)
    for start in np.arange(0, seconds - 1, 0.9):
        f0 = rng.uniform(90, 220)
        m = (t >= start) & (t < start + 0.6)
        x[m] = sum(np.sin(2 * np.pi * f0 * k * t[m]) / k for k in range(1, 12)) * 0.2
    x[rng.integers(0, len(x), 40)] = 0.99  # isolated peaks
    return x.astype(np.float32)


def master(x: np.ndarray, rate: int, spec: Loudness | None = None) -> tuple[float, float]:
    """Master a float signal in place as render does (plan, then the planned blocks); returns the
    (loudness LUFS, true peak dBTP) measured after."""
    plan = plan_master(x, rate, spec or Loudness())
    x[:] = np.concatenate(list(plan.blocks(x))) if len(x) else x
    return integrated_loudness(x, rate), true_peak_db(x)


@pytest.mark.slow
def test_loudness_matches_pyloudnorm() -> None:
    x = speechlike(30)
    assert abs(integrated_loudness(x, RATE) - pyloudnorm.Meter(RATE).integrated_loudness(x.astype(np.float64))) < 0.01


@pytest.mark.slow
def test_master_hits_target_and_ceiling() -> None:
    x = speechlike(60, seed=1)
    loud, peak = master(x, RATE, Loudness(target_lufs=-16.0, ceiling_dbtp=-1.5))
    assert abs(loud + 16.0) < 0.2
    assert abs(pyloudnorm.Meter(RATE).integrated_loudness(x.astype(np.float64)) + 16.0) < 0.2
    reference_peak = 20 * np.log10(np.abs(resample_poly(x.astype(np.float64), 8, 1)).max())
    assert reference_peak <= -1.4, reference_peak
    assert abs(peak - reference_peak) < 0.2


def test_true_peak_sees_intersample_peaks() -> None:
    # A sine at fs/4 sampled at 45 degrees: samples reach 0.707 of the true amplitude (-3 dB).
    n = np.arange(RATE)
    x = (0.9 * np.sin(2 * np.pi * n / 4 + np.pi / 4)).astype(np.float32)
    assert 20 * np.log10(np.abs(x).max()) < -3.5
    assert abs(true_peak_db(x) - 20 * np.log10(0.9)) < 0.3


def test_silence_is_left_alone() -> None:
    x = np.zeros(RATE * 2, dtype=np.float32)
    loud, _ = master(x, RATE)
    assert not np.isfinite(loud)
    assert not x.any()


@pytest.mark.slow
def test_plan_predicts_what_is_measured() -> None:
    """Render reports the plan's loudness and true peak: they must be what the mastered audio measures."""
    x = speechlike(60, seed=3)
    plan = plan_master(x, RATE)
    y = np.concatenate(list(plan.blocks(x)))
    assert abs(plan.predicted_lufs - integrated_loudness(y, RATE)) < 0.1
    assert abs(plan.predicted_peak_db - true_peak_db(y)) < 0.3


def test_filters_match_their_references() -> None:
    """K-weighting equals pyloudnorm's, the interpolator scipy's firwin, the grid filters scipy.ndimage's."""
    from pyloudnorm.iirfilter import IIRfilter
    from scipy.ndimage import minimum_filter1d, uniform_filter1d
    from scipy.signal import firwin

    from audiobook.audio.master.meter import _k_weighting_sos
    from audiobook.audio.master.plan import moving_mean, moving_min
    from audiobook.audio.master.truepeak import _phases

    for rate in (16000, 22050, 44100, 48000):
        ref = [IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf"), IIRfilter(0.0, 0.5, 38.0, rate, "high_pass")]
        assert np.allclose(_k_weighting_sos(rate), [np.concatenate([f.b, f.a]) for f in ref], atol=1e-12)
    h = firwin(48, 0.25, window=("kaiser", 7.0)) * 4
    assert np.allclose(_phases(), h.reshape(12, 4).T[:, ::-1], atol=1e-6)
    rng = np.random.default_rng(0)
    for n in (1, 4, 1000):
        for size in range(1, 34, 2):
            x = rng.random(n).astype(np.float32)
            assert np.array_equal(moving_min(x, size), minimum_filter1d(x, size, mode="nearest")), (n, size)
            assert np.allclose(moving_mean(x, size), uniform_filter1d(x, size, mode="nearest"), atol=1e-6)


def test_k_weighting_by_fft_equals_the_iir_filter() -> None:
    """The FFT convolution with the impulse response is BS.1770's recursive filter (scipy's sosfilt) to
    float32 precision, at any rate and however the signal is cut into pieces."""
    from scipy.signal import sosfilt

    from audiobook.audio.master.meter import KWeighting, _k_weighting_ir, _k_weighting_sos

    rng = np.random.default_rng(5)
    for rate in (16000, 22050, 44100, 48000):
        h = _k_weighting_ir(rate)
        assert np.abs(h[-rate // 100 :]).max() < 1e-12 * np.abs(h).max()  # nothing left to cut off
        t = np.arange(rate * 8) / rate
        x = (0.3 * np.sin(2 * np.pi * 60 * t) * (t % 1 < 0.6) + rng.normal(0, 0.05, len(t))).astype(np.float32)
        ref = sosfilt(_k_weighting_sos(rate), x.astype(np.float64))
        k = KWeighting(rate)
        cuts = np.sort(rng.integers(0, len(x), 12))
        pieces = [k(p) for lo, hi in zip([0, *cuts], [*cuts, len(x)], strict=True)
                  for p in np.array_split(x[lo:hi], max(1, (hi - lo) // k.hop + 1))]
        assert np.abs(np.concatenate(pieces) - ref).max() < 1e-5


@pytest.mark.slow
def test_metering_in_parts_on_threads_equals_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """plan_master meters parts of the episode on threads: joined, they are one meter's measurements,
    down to the partial sub-block and cell at the end (dropped by both)."""
    import audiobook.audio.master as m
    from audiobook.audio.master import chunks

    x = (speechlike(40.03, seed=4) * 32767).astype(np.int16)[: RATE * 40 + 1234]
    one = m.LoudnessMeter(RATE, cell=63)
    one.feed(x)
    monkeypatch.setattr(chunks, "cpu_cores", lambda: 3)
    powers, cells = m.measure(x, RATE, 63)
    assert len(powers) == len(one.powers()) and len(cells) == len(one.cell_energies())
    assert np.allclose(powers, one.powers(), rtol=1e-5, atol=1e-12)
    assert np.allclose(cells, one.cell_energies(), rtol=1e-4, atol=1e-9)
    assert abs(m.loudness_from_powers(powers) - pyloudnorm.Meter(RATE).integrated_loudness(x / 32768.0)) < 0.01


def test_the_limiter_gain_is_interpolated_between_cell_centres() -> None:
    """MasterPlan.blocks applies the limiter only in the cells it (or a neighbour) touches, yet gives every
    sample the gain linearly interpolated between cell centres, edges held, as np.interp does; also when the
    curve is a cell short of the samples or blocks end inside a cell."""
    from audiobook.audio.master.plan import MasterPlan

    rng = np.random.default_rng(9)
    cell, n = 63, 63 * 500 + 17
    x = rng.integers(-20000, 20000, n).astype(np.int16)
    for cells in (-(-n // cell), n // cell):
        limiter = np.ones(cells)
        for lo in rng.integers(0, cells - 8, 12):
            limiter[lo : lo + rng.integers(1, 8)] = rng.uniform(0.3, 1.0)
        plan = MasterPlan(1.7, limiter, cell)
        centres = np.arange(cells) * cell + (cell - 1) / 2
        curve = np.interp(np.arange(n), centres, limiter).astype(np.float32)
        want = x.astype(np.float32) / 32768 * np.float32(1.7) * curve
        for size in (1000, 4096, n):
            got = np.concatenate(list(plan.blocks(x, size)))
            assert len(got) == n and np.allclose(got, want, rtol=1e-6, atol=1e-7), (cells, size)
    plain = np.concatenate(list(MasterPlan(0.5).blocks(x, 1000)))
    assert np.array_equal(plain, x.astype(np.float32) / 32768 * np.float32(0.5))
