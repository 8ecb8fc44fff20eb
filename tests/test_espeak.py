"""The embedded espeak-ng engine on real synthesized Kazakh audio."""

from __future__ import annotations

import numpy as np
import pytest
from measure import median_pitch, spectral_centroid

from audiobook.errors import AudiobookError
from audiobook.voice.engines import get_engine
from audiobook.voice.profile import VoiceProfile, find_profile

TEXT = "Кітапхана бүгінде оқырмандарға жаңа қызмет ұсынады. Біз жыл сайын мыңдаған кітап аламыз."


def test_speaks_kazakh_at_22050() -> None:
    pcm = get_engine("espeak").synthesize(TEXT, find_profile("kk-narrator"))
    assert pcm.sample_rate == 22050
    assert pcm.samples.dtype == np.int16
    # Two sentences of ~14 words at ~165 wpm: several seconds, not a click, not a minute.
    assert 3.0 < pcm.duration < 12.0
    assert np.abs(pcm.samples).max() > 3000


def test_rate_changes_duration() -> None:
    engine = get_engine("espeak")
    slow = engine.synthesize(TEXT, VoiceProfile("slow", "espeak", rate=120))
    fast = engine.synthesize(TEXT, VoiceProfile("fast", "espeak", rate=240))
    assert slow.duration > 1.6 * fast.duration


def test_default_cast_voices_differ() -> None:
    """The three role voices are told apart by their signal: pitch and spectral centroid."""
    engine = get_engine("espeak")
    measured = {}
    for role in ("narrator", "interviewer", "interviewee"):
        pcm = engine.synthesize(TEXT, find_profile(f"kk-{role}"))
        x = pcm.samples.astype(np.float32) / 32768
        measured[role] = (median_pitch(x, pcm.sample_rate), spectral_centroid(x, pcm.sample_rate))
    pitches = sorted(p for p, _ in measured.values())
    assert all(b / a > 1.08 for a, b in zip(pitches, pitches[1:], strict=False)), measured
    # The female interviewer voice is clearly higher than both male voices.
    assert measured["interviewer"][0] > 1.4 * max(measured["narrator"][0], measured["interviewee"][0]), measured


def test_unknown_variant_is_a_clear_error() -> None:
    with pytest.raises(AudiobookError, match="no voice 'kk\\+nosuch'"):
        get_engine("espeak").synthesize(TEXT, VoiceProfile("x", "espeak", variant="nosuch", source="x.toml"))
