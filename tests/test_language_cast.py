"""The same speakers in Russian and English: espeak-ng counterparts of the Kazakh voices, a profile's
`[languages]` table, `--voice ROLE@ru=...`, and Piper voices of those languages cast by role."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from conftest import install_piper_voice as install_voice
from measure import dominant_hz

from audiobook.errors import AudiobookError
from audiobook.text.script import Chapter, Script, Segment, Speaker
from audiobook.voice import profile as voices
from audiobook.voice.cast import cast_languages, cast_script, default_language_cast
from audiobook.voice.engines import get_engine
from audiobook.voice.engines.espeak import EspeakSettings
from audiobook.voice.resolve import load_profile


@pytest.fixture
def langworld(world: Path) -> Path:
    for p in ROOT.joinpath("voices").glob("*.toml"):
        if p.name.startswith(("ru-", "en-")):
            shutil.copy(p, voices.PROJECT_VOICES)
    return world


def round_table() -> Script:
    speakers = [Speaker("narrator", "Диктор", "narrator"), Speaker("interviewer", "Тілші", "interviewer"),
                Speaker("a", "Айгүл", "interviewee"), Speaker("b", "Болат", "interviewee")]
    segments = [Segment(s.id, s.role, "Сәлем.", 0) for s in speakers]
    return Script("Дөңгелек үстел", None, "", speakers, segments, [Chapter("Кіріспе", 0)])


def test_each_kazakh_espeak_voice_has_its_russian_and_english_counterpart(langworld: Path) -> None:
    script = round_table()
    cast = cast_languages(script, cast_script(script), ("kk", "ru", "en"))
    names = {sid: {lang: p.name for lang, p in per.items()} for sid, per in cast.items()}
    assert names["narrator"] == {"kk": "kk-narrator", "ru": "ru-narrator", "en": "en-narrator"}
    assert names["b"] == {"kk": "kk-guest-2", "ru": "ru-guest-2", "en": "en-guest-2"}  # the round table's second
    for per in cast.values():  # the character is kept: same variant, pitch, range and rate; another language
        kk, ru = per["kk"].settings, per["ru"].settings
        assert isinstance(kk, EspeakSettings) and isinstance(ru, EspeakSettings)
        assert (kk.variant, kk.pitch, kk.range, kk.rate) == (ru.variant, ru.pitch, ru.range, ru.rate)
        assert (kk.voice, ru.voice, per["en"].settings.voice) == ("kk", "ru", "en")  # type: ignore[attr-defined]


def test_a_profile_names_its_voice_per_language_and_voice_at_lang_wins(langworld: Path) -> None:
    d = langworld / "voices"
    d.mkdir()
    (d / "deep-ru.toml").write_text('engine = "espeak"\nvoice = "ru"\npitch = 10\n', encoding="utf-8")
    (d / "deep.toml").write_text('engine = "espeak"\nvoice = "kk"\npitch = 10\n\n[languages]\nru = "deep-ru.toml"\n',
                                 encoding="utf-8")
    assert load_profile(d / "deep.toml").voice_for("ru") == str(d / "deep-ru.toml")
    script = round_table()
    overrides = {"narrator": "deep", "interviewer@ru": "ru-guest-3"}
    cast = cast_languages(script, cast_script(script, overrides), ("kk", "ru", "en"), overrides)
    assert cast["narrator"]["ru"].name == "deep-ru" and cast["narrator"]["en"].name == "en-narrator"
    assert cast["interviewer"]["ru"].name == "ru-guest-3" and cast["interviewer"]["kk"].name == "kk-interviewer"
    (d / "bad.toml").write_text('engine = "espeak"\n[languages]\nru = 3\n', encoding="utf-8")
    with pytest.raises(AudiobookError, match=r"bad.toml: \[languages\] must map"):
        load_profile(d / "bad.toml")
    with pytest.raises(AudiobookError, match="no role or speaker 'guest@ru'"):
        cast_script(script, {"guest@ru": "ru-narrator"})
    with pytest.raises(AudiobookError, match="no language 'de'"):
        cast_script(script, {"narrator@de": "ru-narrator"})


def test_a_russian_piper_voice_is_cast_by_role_and_heard(langworld: Path) -> None:
    install_voice(langworld / "voices", "ru_RU-test-medium", {"a": 0, "b": 1, "c": 2}, language="ru_RU")
    script = round_table()
    cast = cast_languages(script, cast_script(script), ("kk", "ru", "en"))
    engine = get_engine("piper")
    heard = {}
    for sid in ("narrator", "interviewer", "a"):
        assert cast[sid]["ru"].engine == "piper" and cast[sid]["en"].engine == "espeak"
        pcm = engine.open(cast[sid]["ru"], 1).speak("Да.")
        heard[sid] = round(dominant_hz(pcm.samples, pcm.sample_rate) / 220)
    assert heard == {"narrator": 1, "interviewer": 2, "a": 3}  # speakers 0, 1, 2: one each, like Kazakh
    assert default_language_cast()["interviewer"]["ru"] == "ru_RU-test-medium:1"
    assert cast["narrator"]["kk"].name == "kk-narrator"  # Kazakh is untouched: no Kazakh Piper voice


@pytest.mark.slow
def test_audiobook_voices_shows_the_cast_per_language() -> None:
    r = run_cli("voices")
    assert r.returncode == 0, r.stderr
    table = r.stdout.split("Cast per language", 1)[1]
    assert "kk-interviewee  ru-interviewee  en-interviewee" in table
