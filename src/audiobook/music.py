"""Intro and outro music: decoded by the bundled ffmpeg, faded with pydub, levelled below the speech."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from audiobook.audio import to_int16
from audiobook.engines import Pcm
from audiobook.errors import AudiobookError

MUSIC_BELOW_SPEECH_LU = 6.0  # music sits this far under the speech so the voice stays in front
FADE_MS = 1500


def load_music(path: Path, rate: int, speech_lufs: float, fade_in: bool = False, fade_out: bool = False) -> Pcm:
    from audiobook.ffmpeg import decode, ffmpeg_exe
    from audiobook.master import integrated_loudness

    if not path.is_file():
        raise AudiobookError(f"{path}: music file not found; check --intro/--outro")
    # pydub's own decoder needs ffprobe, which the bundled ffmpeg lacks: decode with ffmpeg directly.
    x = decode(path, rate)
    if len(x) < rate // 2:
        raise AudiobookError(f"{path}: music shorter than half a second; give a longer file")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # pydub warns at import when ffmpeg is not on PATH
        from pydub import AudioSegment

    AudioSegment.converter = ffmpeg_exe()  # for any pydub export or conversion: the bundled ffmpeg
    seg = AudioSegment(to_int16(x).tobytes(), frame_rate=rate, sample_width=2, channels=1)
    fade = min(FADE_MS, len(seg) // 2)
    if fade_in:
        seg = seg.fade_in(fade)
    if fade_out:
        seg = seg.fade_out(fade)
    y = np.array(seg.get_array_of_samples(), dtype=np.float32) / 32768.0
    loud = integrated_loudness(y, rate)
    if np.isfinite(loud):
        y *= np.float32(10 ** ((speech_lufs - MUSIC_BELOW_SPEECH_LU - loud) / 20))
    return Pcm(to_int16(y), rate)
