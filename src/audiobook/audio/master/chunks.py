"""How the master stage walks an episode: float32 chunks of bounded size, and parts shared among the cores."""

from __future__ import annotations

import numpy as np

from audiobook.parallel import cpu_cores

CHUNK = 1 << 16  # samples per processing chunk: bounds temporary arrays


def as_float(x: np.ndarray) -> np.ndarray:
    """A chunk as float32 in [-1, 1): int16 PCM is scaled, float passes through."""
    return x.astype(np.float32) / np.float32(32768.0) if x.dtype == np.int16 else x.astype(np.float32, copy=False)


def part_length(n: int, unit: int) -> int:
    """Length of a part when `n` samples are shared among the cores in whole `unit`s."""
    return max(1, -(-n // (cpu_cores() * unit))) * unit
