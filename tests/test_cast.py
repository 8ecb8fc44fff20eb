"""The default cast: Kazakh Piper voices when found (distinct speakers per role), else espeak-ng with a hint.

Stand-in Kazakh voices are tests/data/multispeaker-test.onnx under Kazakh names and configs: its speakers
are sines of 220 Hz * (1 + id), so which speaker a role got is measured from the audio."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA, ISSAI_SPEAKERS, ROOT, run_cli
from conftest import install_piper_voice as install_voice
from measure import dominant_hz, median_pitch, spectral_centroid

from audiobook.audio.ffmpeg import decode
from audiobook.errors import AudiobookError
from audiobook.text.script import Chapter, Script, Segment, Speaker
from audiobook.voice.cast import (
    BUILTIN_CAST,
    DOWNLOAD_COMMAND,
    cast_script,
    default_cast,
    parse_overrides,
    piper_hint,
)
from audiobook.voice.engines import get_engine
from audiobook.voice.engines.piper import PiperSettings
from audiobook.voice.profile import VoiceProfile


def interview() -> Script:
    speakers = [
        Speaker("narrator", "Narrator", "narrator"),
        Speaker("interviewer", "Тілші", "interviewer"),
        Speaker("aigul", "Айгүл Серікқызы", "interviewee"),
    ]
    segments = [
        Segment("narrator", "narrator", "Бүгінгі қонағымыз — ақын.", 0),
        Segment("interviewer", "interviewer", "Қалыңыз қалай?", 0),
        Segment("aigul", "interviewee", "Жақсы, рақмет.", 0),
    ]
    return Script("Сұхбат", None, "", speakers, segments, [Chapter("Кіріспе", 0)])


def piper(profile: VoiceProfile) -> PiperSettings:
    assert isinstance(profile.settings, PiperSettings), profile
    return profile.settings


def speaker(profile: VoiceProfile) -> int | str | None:
    return piper(profile).speaker


# --- no Kazakh Piper voice --------------------------------------------------------------------------


def test_without_piper_voice_the_cast_is_espeak_and_a_hint_says_how_to_get_one(world: Path) -> None:
    assert default_cast() == BUILTIN_CAST
    cast = cast_script(interview())
    assert {p.engine for p in cast.values()} == {"espeak"}
    hint = piper_hint(cast.values())
    assert hint == (
        "No Kazakh Piper voice found; for natural voices run: "
        "python -m piper.download_voices kk_KZ-issai-high --data-dir voices"
    )
    assert piper_hint() == hint


@pytest.mark.slow
def test_the_download_command_runs_and_leaves_the_voice_where_the_cast_finds_it(world: Path) -> None:
    """The hint's command, run as printed (with this interpreter), in a folder where the voice is already
    downloaded: piper accepts every flag, keeps the files (so no network is needed) and reports them; a
    flag it did not know would exit 2, a folder other than voices/ would start a download."""
    install_voice(world / "voices", "kk_KZ-issai-high", ISSAI_SPEAKERS)
    before = {p.name: p.stat().st_mtime_ns for p in (world / "voices").iterdir()}
    args = DOWNLOAD_COMMAND.split()
    assert args[:3] == ["python", "-m", "piper.download_voices"]
    r = subprocess.run([sys.executable, *args[1:]], cwd=world, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Downloaded: kk_KZ-issai-high" in r.stderr
    assert {p.name: p.stat().st_mtime_ns for p in (world / "voices").iterdir()} == before
    assert default_cast()["interviewer"] == "kk_KZ-issai-high:4"


def test_no_hint_when_the_cast_uses_no_espeak_voice(world: Path) -> None:
    guest = world / "guest.toml"
    guest.write_text(f'engine = "piper"\nmodel = "{DATA / "multispeaker-test.onnx"}"\n')
    cast = cast_script(interview(), {r: str(guest) for r in ("narrator", "interviewer", "interviewee")})
    assert piper_hint(cast.values()) is None


def test_an_english_piper_voice_is_not_used_for_kazakh(world: Path) -> None:
    install_voice(world / "voices", "en_US-joe-medium", language="en_US")
    assert default_cast() == BUILTIN_CAST
    assert piper_hint() is not None


def test_a_voice_with_a_broken_config_is_skipped(world: Path) -> None:
    model = install_voice(world / "voices", "kk_KZ-issai-high", ISSAI_SPEAKERS)
    Path(f"{model}.json").write_text("{broken")
    assert default_cast() == BUILTIN_CAST


# --- a Kazakh Piper voice -----------------------------------------------------------------------------


def test_issai_high_gives_three_distinct_speakers(world: Path) -> None:
    install_voice(world / "voices", "kk_KZ-issai-high", ISSAI_SPEAKERS)
    assert default_cast() == {
        "narrator": "kk_KZ-issai-high:0",  # M2, male
        "interviewer": "kk_KZ-issai-high:4",  # F1, female
        "interviewee": "kk_KZ-issai-high:1",  # Iseke, male
    }
    assert piper_hint() is None
    cast = cast_script(interview())
    assert {p.engine for p in cast.values()} == {"piper"}
    assert len({piper(p).model for p in cast.values()}) == 1
    assert [speaker(cast[s]) for s in ("narrator", "interviewer", "aigul")] == [0, 4, 1]


def test_each_role_sounds_as_its_speaker(world: Path) -> None:
    install_voice(world / "voices", "kk_KZ-issai-high", ISSAI_SPEAKERS)
    cast = cast_script(interview())
    engine = get_engine("piper")
    heard = {}
    for sid, profile in cast.items():
        pcm = engine.open(profile, 1).speak("Сәлем.")
        heard[sid] = round(dominant_hz(pcm.samples, pcm.sample_rate) / 220)
    assert heard == {"narrator": 1, "interviewer": 5, "aigul": 2}  # speaker ids 0, 4, 1


@pytest.mark.parametrize("where", ["cwd", "piper-data"])
def test_voices_are_found_where_piper_puts_them(world: Path, where: str) -> None:
    folder = world if where == "cwd" else world / "xdg" / "piper"
    install_voice(folder, "kk_KZ-issai-high", ISSAI_SPEAKERS)
    assert default_cast()["interviewer"] == "kk_KZ-issai-high:4"


def test_another_multi_speaker_kazakh_voice_uses_its_first_speakers(world: Path) -> None:
    install_voice(world / "voices", "kk_KZ-other-medium", {"a": 0, "b": 1, "c": 2})
    assert default_cast() == {
        "narrator": "kk_KZ-other-medium:0",
        "interviewer": "kk_KZ-other-medium:1",
        "interviewee": "kk_KZ-other-medium:2",
    }


def test_two_single_speaker_voices_keep_the_interviewer_apart(world: Path) -> None:
    install_voice(world / "voices", "kk_KZ-iseke-x_low")
    install_voice(world / "voices", "kk_KZ-raya-x_low")
    cast = default_cast()
    assert cast == {
        "narrator": "kk_KZ-iseke-x_low",
        "interviewer": "kk_KZ-raya-x_low",
        "interviewee": "kk_KZ-iseke-x_low",
    }
    hint = piper_hint()
    assert hint is not None and hint.startswith("Only 2 Kazakh Piper speaker(s) found")
    assert DOWNLOAD_COMMAND in hint


def test_the_multi_speaker_voice_is_preferred(world: Path) -> None:
    install_voice(world / "voices", "kk_KZ-iseke-x_low")
    install_voice(world / "voices", "kk_KZ-issai-high", ISSAI_SPEAKERS)
    assert set(default_cast().values()) == {f"kk_KZ-issai-high:{i}" for i in (0, 4, 1)}


# --- explicit choices win -------------------------------------------------------------------------------


def test_cast_toml_wins_for_the_roles_it_names(world: Path) -> None:
    install_voice(world / "voices", "kk_KZ-issai-high", ISSAI_SPEAKERS)
    (world / "voices" / "cast.toml").write_text('[cast]\nnarrator = "kk-narrator"\n')
    assert default_cast() == {
        "narrator": "kk-narrator",
        "interviewer": "kk_KZ-issai-high:4",
        "interviewee": "kk_KZ-issai-high:1",
    }


def test_voice_option_by_role_path_and_model_speaker(world: Path) -> None:
    install_voice(world / "voices", "kk_KZ-issai-high", ISSAI_SPEAKERS)
    guest = world / "guest.toml"
    guest.write_text('engine = "piper"\nmodel = "voices/kk_KZ-issai-high.onnx"\nspeaker = "Raya"\n')
    overrides = parse_overrides(["interviewee=guest.toml", "interviewer = kk_KZ-issai-high:F2"])
    cast = cast_script(interview(), overrides)
    assert speaker(cast["aigul"]) == "Raya"
    assert Path(cast["aigul"].source or "").resolve() == guest.resolve()
    assert speaker(cast["interviewer"]) == "F2"
    assert speaker(cast["narrator"]) == 0


def test_voice_option_by_speaker_id_beats_role(world: Path) -> None:
    install_voice(world / "voices", "kk_KZ-issai-high", ISSAI_SPEAKERS)
    cast = cast_script(interview(), {"interviewee": "kk_KZ-issai-high:2", "aigul": "kk_KZ-issai-high:5"})
    assert speaker(cast["aigul"]) == 5


def test_unknown_model_speaker_is_one_line(world: Path) -> None:
    install_voice(world / "voices", "kk_KZ-issai-high", ISSAI_SPEAKERS)
    with pytest.raises(AudiobookError) as e:
        cast_script(interview(), {"interviewer": "kk_KZ-issai-high:F9"})
    msg = str(e.value)
    assert "kk_KZ-issai-high has no speaker 'F9'" in msg and "4 F1" in msg and "\n" not in msg


def test_missing_profile_file_names_it(world: Path) -> None:
    with pytest.raises(AudiobookError, match=r"nope\.toml: voice profile not found"):
        cast_script(interview(), {"interviewee": "nope.toml"})


@pytest.mark.parametrize("item", ["interviewee", "=x", "interviewee="])
def test_bad_voice_option(item: str) -> None:
    with pytest.raises(AudiobookError, match="expected ROLE=PROFILE"):
        parse_overrides([item])


def test_voice_option_for_nobody(world: Path) -> None:
    with pytest.raises(AudiobookError, match="no role or speaker 'guest'"):
        cast_script(interview(), {"guest": "kk-narrator"})


def test_profiles_are_checked_before_synthesis(world: Path) -> None:
    (world / "fest.toml").write_text('engine = "festival"\n')
    with pytest.raises(AudiobookError, match=r"^fest.toml: unknown engine 'festival'; use one of: espeak"):
        cast_script(interview(), {"interviewee": "fest.toml"})
    (world / "gone.toml").write_text('engine = "piper"\nmodel = "models/kk.onnx"\n')
    with pytest.raises(AudiobookError) as e:
        cast_script(interview(), {"interviewee": "gone.toml"})
    assert str(e.value).startswith(f"{world / 'models' / 'kk.onnx'}: model file not found")
    assert "gone.toml" in str(e.value)


@pytest.mark.slow
def test_round_table_guests_get_voices_of_their_own(world: Path, tmp_path: Path) -> None:
    """Three named interviewees: three different voices, told apart by pitch or timbre in the episode."""
    article = DATA / "articles" / "round_table.txt"
    r = run_cli("render", str(article), "-o", str(tmp_path / "o"), cwd=ROOT)
    assert r.returncode == 0, r.stderr
    m = json.loads((tmp_path / "o" / "round_table.json").read_text(encoding="utf-8"))
    guests = [s for s in m["speakers"] if s["role"] == "interviewee"]
    assert len(guests) == 3 and len({g["voice"] for g in guests}) == 3
    x = decode(tmp_path / "o" / "round_table.mp3", 22050)
    sound = {}
    for g in guests:
        parts = [x[int(c["start"] * 22050) : int(c["end"] * 22050)] for c in m["cues"] if c["speaker"] == g["id"]]
        y = np.concatenate(parts)
        sound[g["id"]] = (median_pitch(y, 22050), spectral_centroid(y, 22050))
    ids = list(sound)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            (pa, ca), (pb, cb) = sound[a], sound[b]
            assert abs(pa / pb - 1) > 0.15 or abs(ca / cb - 1) > 0.1, sound


def test_round_table_guests_get_the_models_unused_speakers(world: Path) -> None:
    install_voice(world / "voices", "kk_KZ-issai-high", ISSAI_SPEAKERS)
    script = interview()
    script.speakers += [Speaker("nurlan", "Нұрлан Әбдіков", "interviewee"), Speaker("madina", "Мәдина", "interviewee")]
    cast = cast_script(script)
    assert [speaker(cast[s]) for s in ("aigul", "nurlan", "madina")] == [1, 2, 3]  # 0 and 4 narrate and ask
    # A fourth and fifth guest still differ from the first; past the spares, the role's voice repeats.
    script.speakers += [Speaker(f"g{i}", f"Қонақ {i}", "interviewee") for i in range(3)]
    cast = cast_script(script)
    assert [speaker(cast[f"g{i}"]) for i in range(3)] == [5, 1, 1]
