"""Sample-rate conversion: engines return audio at their native rate, the episode has one rate."""

from __future__ import annotations

import numpy as np
import soxr

from audiobook.engines import Pcm


def resample(pcm: Pcm, rate: int) -> Pcm:
    """`pcm` at `rate` Hz, same duration; a no-op when the rates already match."""
    if rate <= 0:
        raise ValueError(f"sample rate must be positive, got {rate}")
    if pcm.sample_rate == rate:
        return pcm
    if len(pcm.samples) == 0:
        return Pcm(np.zeros(0, dtype=np.int16), rate)
    # Resample in float so the filter's overshoot near full scale is clipped once, not wrapped.
    x = pcm.samples.astype(np.float32) / 32768.0
    y = soxr.resample(x, pcm.sample_rate, rate, quality="VHQ")
    out = np.clip(np.round(y * 32768.0), -32768, 32767).astype(np.int16)
    return Pcm(out, rate)
