"""The ffmpeg binary that imageio-ffmpeg ships (with libmp3lame), so no system ffmpeg is needed."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np

from audiobook.errors import AudiobookError

BLOCK = 1 << 16


@cache
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as e:
        raise AudiobookError(f"ffmpeg not found ({e}); reinstall imageio-ffmpeg") from None


def int16_blocks(x: np.ndarray) -> Iterator[bytes]:
    """Float samples as little-endian int16 bytes, a block at a time (no full-size int16 copy)."""
    for i in range(0, len(x), BLOCK):
        block = np.clip(np.round(x[i : i + BLOCK] * 32768.0), -32768, 32767)
        yield block.astype("<i2").tobytes()


def encode(x: np.ndarray, rate: int, out: Path, args: list[str], inputs: list[str] | None = None) -> None:
    """Pipe mono float samples through ffmpeg into `out`; `args` are output options."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
           "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0", *(inputs or []), *args, str(out)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        for chunk in int16_blocks(x):
            proc.stdin.write(chunk)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.wait() != 0:
        raise AudiobookError(f"{out}: ffmpeg failed: {err.strip().splitlines()[-1] if err.strip() else '?'}")


def decode(path: Path, rate: int) -> np.ndarray:
    """Any audio file ffmpeg reads, as mono float32 at `rate`."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(path),
           "-map", "0:a:0", "-f", "f32le", "-ac", "1", "-ar", str(rate), "pipe:1"]
    proc = subprocess.run(cmd, capture_output=True)
    if proc.returncode != 0:
        msg = proc.stderr.decode(errors="replace").strip().splitlines()
        raise AudiobookError(f"{path}: cannot be decoded as audio ({msg[-1] if msg else '?'}); give an audio file")
    return np.frombuffer(proc.stdout, dtype="<f4").astype(np.float32)
