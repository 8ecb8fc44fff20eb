"""Small PCM helpers shared by the stages: WAV I/O, trimming, resampling, silence."""

from __future__ import annotations

import os
import wave
from pathlib import Path

import numpy as np

from audiobook.voice.engines import Pcm


def read_wav(path: Path) -> Pcm:
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise ValueError(f"{path}: expected 16-bit mono WAV")
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        return Pcm(data.astype(np.int16, copy=False), w.getframerate())


def wav_frames(path: Path) -> tuple[int, int]:
    """(frames, sample rate) from the header; a file shorter than its header says is an error."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise ValueError("expected 16-bit mono WAV")
        frames = w.getnframes()
        if path.stat().st_size < 44 + 2 * frames:
            raise ValueError("truncated")
        return frames, w.getframerate()


def write_wav(path: Path, pcm: Pcm) -> None:
    """Atomic: a reader never sees a half-written file (workers share the cache)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with wave.open(str(tmp), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(pcm.sample_rate)
            w.writeframes(pcm.samples.astype("<i2", copy=False).tobytes())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def trim_silence(pcm: Pcm, threshold_db: float = -45.0, keep: float = 0.02) -> Pcm:
    """Cut leading and trailing silence below threshold (dBFS), keeping `keep` seconds of margin."""
    x = pcm.samples
    if len(x) == 0:
        return pcm
    loud = np.flatnonzero(np.abs(x.astype(np.int32)) > 32768 * 10 ** (threshold_db / 20))
    if len(loud) == 0:
        return Pcm(x[:0], pcm.sample_rate)
    margin = seconds_to_samples(keep, pcm.sample_rate)
    start = max(0, loud[0] - margin)
    end = min(len(x), loud[-1] + 1 + margin)
    return Pcm(x[start:end], pcm.sample_rate)


def resample(pcm: Pcm, rate: int) -> Pcm:
    """`pcm` at `rate` Hz (libsoxr), same duration; `pcm` itself when the rates already match."""
    if rate <= 0:
        raise ValueError(f"sample rate must be positive, got {rate}")
    if pcm.sample_rate == rate:
        return pcm
    if len(pcm.samples) == 0:
        return Pcm(np.zeros(0, dtype=np.int16), rate)
    import soxr

    # In float, so the filter's overshoot near full scale is clipped once, not wrapped around.
    y = soxr.resample(pcm.samples.astype(np.float32) / 32768.0, pcm.sample_rate, rate, quality="VHQ")
    return Pcm(to_int16(y), rate)


def to_int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int16)


def seconds_to_samples(seconds: float, rate: int) -> int:
    return int(round(seconds * rate))
