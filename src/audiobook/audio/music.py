"""Intro and outro music: decoded by the bundled ffmpeg, faded with pydub, levelled below the speech."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from audiobook.audio.master import MasterPlan
from audiobook.audio.pcm import to_int16
from audiobook.errors import AudiobookError
from audiobook.voice.engines import Pcm

MUSIC_BELOW_SPEECH_LU = 6.0  # music sits this far under the speech so the voice stays in front
REFERENCE_LUFS = -23.0  # music is loaded at this level, then set against the speech as assembled
FADE_MS = 1500


def load_music(path: Path, rate: int, fade_in: bool = False, fade_out: bool = False) -> Pcm:
    from audiobook.audio.ffmpeg import decode, ffmpeg_exe
    from audiobook.audio.master import integrated_loudness

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
        y *= np.float32(10 ** ((REFERENCE_LUFS - loud) / 20))
    return Pcm(to_int16(y), rate)


def level_under_speech(samples: np.ndarray, rate: int, intro: int, outro: int, plan: MasterPlan) -> float:
    """In place: rescale the first `intro` and last `outro` samples (the music) so that, as `plan` masters
    the episode, they sit MUSIC_BELOW_SPEECH_LU under the speech between them. The limiter trims the
    speech's peaks and not the music's, so the distance is measured on the planned output. Returns the
    correction (dB) made; the caller plans again after a correction."""
    from audiobook.audio.master import LoudnessMeter

    speech, music = LoudnessMeter(rate), LoudnessMeter(rate)
    start, end, pos = intro, len(samples) - outro, 0
    for block in plan.blocks(samples):
        a, b = pos, pos + len(block)
        music.feed(block[: max(0, min(b, start) - a)])
        speech.feed(block[max(0, start - a) : max(0, min(b, end) - a)])
        music.feed(block[max(0, end - a) :])
        pos = b
    gap = speech.loudness() - music.loudness()
    if not np.isfinite(gap):
        return 0.0
    correction = gap - MUSIC_BELOW_SPEECH_LU
    k = np.float32(10 ** (correction / 20))
    for region in (samples[:intro], samples[end:]):
        region[:] = to_int16(region.astype(np.float32) / 32768 * k)
    return correction
