"""Intro and outro music: decoded and faded with pydub, levelled below the speech."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from audiobook.audio import to_int16
from audiobook.engines import Pcm
from audiobook.errors import AudiobookError

MUSIC_BELOW_SPEECH_LU = 6.0  # music sits this far under the speech so the voice stays in front
FADE_MS = 1500


def load_music(path: Path, rate: int, speech_lufs: float, fade_in: bool = False, fade_out: bool = False) -> Pcm:
    from pydub import AudioSegment
    from pydub.exceptions import CouldntDecodeError

    from audiobook.ffmpeg import use_with_pydub
    from audiobook.master import integrated_loudness

    if not path.is_file():
        raise AudiobookError(f"{path}: music file not found; check --intro/--outro")
    use_with_pydub()
    try:
        seg = AudioSegment.from_file(str(path))
    except (CouldntDecodeError, IndexError, OSError) as e:
        raise AudiobookError(f"{path}: cannot be decoded as audio ({e}); give an MP3/WAV/OGG file") from None
    seg = seg.set_channels(1).set_frame_rate(rate).set_sample_width(2)
    fade = min(FADE_MS, len(seg) // 2)
    if fade_in:
        seg = seg.fade_in(fade)
    if fade_out:
        seg = seg.fade_out(fade)
    x = np.array(seg.get_array_of_samples(), dtype=np.float32) / 32768.0
    if len(x) < rate // 2:
        raise AudiobookError(f"{path}: music shorter than half a second; give a longer file")
    loud = integrated_loudness(x, rate)
    if np.isfinite(loud):
        x *= np.float32(10 ** ((speech_lufs - MUSIC_BELOW_SPEECH_LU - loud) / 20))
    return Pcm(to_int16(x), rate)
