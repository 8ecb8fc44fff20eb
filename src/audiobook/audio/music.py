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
MAX_MUSIC_S = 10 * 60  # an intro or outro longer than this is a wrong file (a whole programme)
SILENT_LUFS = -70.0  # BS.1770's absolute gate: below it nothing is heard


def load_music(path: Path, rate: int, fade_in: bool = False, fade_out: bool = False) -> Pcm:
    from audiobook.audio.ffmpeg import decode, ffmpeg_exe
    from audiobook.audio.master import integrated_loudness

    if not path.is_file():
        raise AudiobookError(f"{path}: music file not found; check --intro/--outro")
    too_long = AudiobookError(f"{path}: music longer than {MAX_MUSIC_S // 60} minutes; an intro or outro is "
                              "seconds long, give a shorter file")
    if (length := _length(path)) is not None and length > MAX_MUSIC_S:
        raise too_long  # told by the header, before decoding hours of audio
    # pydub's own decoder needs ffprobe, which the bundled ffmpeg lacks: decode with ffmpeg directly.
    x = decode(path, rate)
    if len(x) < rate // 2:
        raise AudiobookError(f"{path}: music shorter than half a second; give a longer file")
    if len(x) > MAX_MUSIC_S * rate:
        raise too_long
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
    if not np.isfinite(loud) or loud < SILENT_LUFS:
        raise AudiobookError(f"{path}: music is silent (no sound above {SILENT_LUFS:g} LUFS); give the right file")
    y *= np.float32(10 ** ((REFERENCE_LUFS - loud) / 20))
    return Pcm(to_int16(y), rate)


def _length(path: Path) -> float | None:
    """The file's duration from its header (mutagen), when its format has one."""
    import mutagen

    try:
        f = mutagen.File(str(path))
        return float(f.info.length) if f is not None and f.info is not None else None
    except (mutagen.MutagenError, OSError, AttributeError, ValueError):
        return None


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
