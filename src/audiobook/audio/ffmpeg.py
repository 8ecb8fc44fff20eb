"""The ffmpeg binary that imageio-ffmpeg ships (with libmp3lame), so no system ffmpeg is needed."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from audiobook.audio.pcm import to_int16
from audiobook.errors import AudiobookError


@cache
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as e:
        raise AudiobookError(f"ffmpeg not found ({e}); reinstall imageio-ffmpeg") from None


@dataclass(frozen=True)
class Output:
    path: Path
    args: list[str]  # output options
    inputs: list[str] = field(default_factory=list)  # extra inputs after the PCM, e.g. a metadata file


def encode(blocks: Iterable[np.ndarray], rate: int, outputs: list[Output]) -> None:
    """Stream mono float blocks into one ffmpeg per output, all fed at once, so encoding runs while the
    blocks are still being produced and two formats cost one pass over the audio."""
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for out in outputs:
            cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "s16le", "-ar", str(rate),
                   "-ac", "1", "-i", "pipe:0", *out.inputs, *out.args, str(out.path)]
            procs.append(subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE))
        for block in blocks:
            data = to_int16(block).astype("<i2").tobytes()
            for proc in procs:
                if proc.poll() is None:
                    proc.stdin.write(data)  # type: ignore[union-attr]
    except BrokenPipeError:
        pass  # the failed encoder's message is reported below
    except BaseException:
        # Stop the encoders before the caller discards their output, so none writes on afterwards.
        for proc in procs:
            proc.kill()
            proc.wait()
        raise
    finally:
        for proc in procs:
            with contextlib.suppress(BrokenPipeError, ValueError):
                proc.stdin.close()  # type: ignore[union-attr]
    for out, proc in zip(outputs, procs, strict=True):
        err = proc.stderr.read().decode(errors="replace").strip() if proc.stderr else ""
        if proc.wait() != 0:
            raise AudiobookError(f"{out.path.name}: ffmpeg failed ({err.splitlines()[-1] if err else '?'}); "
                                 "check the output folder and options")


def decode(path: Path, rate: int) -> np.ndarray:
    """Any audio file ffmpeg reads, as mono float32 at `rate`."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(path),
           "-map", "0:a:0", "-f", "f32le", "-ac", "1", "-ar", str(rate), "pipe:1"]
    proc = subprocess.run(cmd, capture_output=True)
    if proc.returncode != 0:
        msg = proc.stderr.decode(errors="replace").strip().splitlines()
        raise AudiobookError(f"{path}: cannot be decoded as audio ({msg[-1] if msg else '?'}); give an audio file")
    return np.frombuffer(proc.stdout, dtype="<f4").astype(np.float32)
