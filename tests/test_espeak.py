"""The embedded espeak-ng engine on real synthesized Kazakh audio."""

from __future__ import annotations

import numpy as np
import pytest
from measure import median_pitch, spectral_centroid

from audiobook.errors import AudiobookError
from audiobook.voice.engines import Pcm, get_engine
from audiobook.voice.engines.espeak import EspeakSettings
from audiobook.voice.profile import VoiceProfile
from audiobook.voice.resolve import find_profile


def say(text: str, profile: VoiceProfile) -> Pcm:
    return get_engine("espeak").open(profile, None).speak(text)


TEXT = "Кітапхана бүгінде оқырмандарға жаңа қызмет ұсынады. Біз жыл сайын мыңдаған кітап аламыз."


def test_speaks_kazakh_at_22050() -> None:
    pcm = say(TEXT, find_profile("kk-narrator"))
    assert pcm.sample_rate == 22050
    assert pcm.samples.dtype == np.int16
    # Two sentences of ~14 words at ~165 wpm: several seconds, not a click, not a minute.
    assert 3.0 < pcm.duration < 12.0
    assert np.abs(pcm.samples).max() > 3000


def test_rate_changes_duration() -> None:
    slow = say(TEXT, VoiceProfile("slow", "espeak", EspeakSettings(rate=120)))
    fast = say(TEXT, VoiceProfile("fast", "espeak", EspeakSettings(rate=240)))
    assert slow.duration > 1.6 * fast.duration


@pytest.mark.slow
def test_default_cast_voices_differ() -> None:
    """The three role voices are told apart by their signal: pitch and spectral centroid."""
    measured = {}
    for role in ("narrator", "interviewer", "interviewee"):
        pcm = say(TEXT, find_profile(f"kk-{role}"))
        x = pcm.samples.astype(np.float32) / 32768
        measured[role] = (median_pitch(x, pcm.sample_rate), spectral_centroid(x, pcm.sample_rate))
    pitches = sorted(p for p, _ in measured.values())
    assert all(b / a > 1.08 for a, b in zip(pitches, pitches[1:], strict=False)), measured
    # The female interviewer voice is clearly higher than both male voices.
    assert measured["interviewer"][0] > 1.4 * max(measured["narrator"][0], measured["interviewee"][0]), measured


def test_unknown_variant_is_a_clear_error() -> None:
    bad = VoiceProfile("x", "espeak", EspeakSettings(variant="nosuch"), source="x.toml")
    with pytest.raises(AudiobookError, match=r"^x.toml: espeak-ng has no voice 'kk\+nosuch'; check 'voice'"):
        say(TEXT, bad)


def test_voices_share_the_library_but_not_their_settings() -> None:
    """espeak-ng has one voice setting per process: each voice sets its own before speaking, so two open
    voices used in turn sound as themselves (measured by pitch), not as the last one set."""
    low, high = (get_engine("espeak").open(find_profile(f"kk-{r}"), None) for r in ("narrator", "interviewer"))
    pitches = []
    for voice in (low, high, low):
        pcm = voice.speak(TEXT)
        pitches.append(median_pitch(pcm.samples.astype(np.float32) / 32768, pcm.sample_rate))
    assert pitches[1] > 1.4 * pitches[0] and abs(pitches[2] / pitches[0] - 1) < 0.05, pitches
