"""Signal measurements for tests: decode with the bundled ffmpeg, pitch, dominant frequency, spectral centroid,
loudness."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np

from audiobook.audio.ffmpeg import decode, ffmpeg_exe


def decode_audio(path: Path, rate: int = 22050) -> np.ndarray:
    return decode(path, rate)


def median_pitch(x: np.ndarray, rate: int) -> float:
    """Median F0 (Hz) over voiced 40 ms frames, by autocorrelation in 60..400 Hz."""
    frame = int(0.04 * rate)
    lo, hi = rate // 400, rate // 60
    f0s = []
    for i in range(0, len(x) - frame, frame):
        f = x[i : i + frame].astype(np.float64)
        if np.sqrt(np.mean(f**2)) < 0.02:
            continue
        f = f - f.mean()
        ac = np.correlate(f, f, "full")[frame - 1 :]
        if ac[0] <= 0:
            continue
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] / ac[0] > 0.5:  # clearly periodic: a voiced frame
            f0s.append(rate / lag)
    return float(np.median(f0s)) if f0s else 0.0


def dominant_hz(x: np.ndarray, rate: int) -> float:
    """The frequency (Hz) of the strongest bin of `x`'s Hann-windowed spectrum: which tone is playing."""
    spec = np.abs(np.fft.rfft(x.astype(np.float64) * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[np.argmax(spec)])


def spectral_centroid(x: np.ndarray, rate: int) -> float:
    spec = np.abs(np.fft.rfft(x.astype(np.float64)))
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    return float((spec * freqs).sum() / spec.sum())


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) by ffmpeg's EBU R128 meter, independent of the project's code."""
    out = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, check=True,
    ).stderr.decode("utf-8", errors="replace")  # ffmpeg cuts long tag values mid-character
    summary = out[out.rindex("Summary:") :]
    lufs = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))  # type: ignore[union-attr]
    return lufs, peak
