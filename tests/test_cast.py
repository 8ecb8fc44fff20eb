"""The default cast: Kazakh Piper voices when found (distinct speakers per role), else espeak-ng with a hint.

Stand-in Kazakh voices are tests/data/multispeaker-test.onnx under Kazakh names and configs: its speakers
are sines of 220 Hz * (1 + id), so which speaker a role got is measured from the audio."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from audiobook import voices
from audiobook.cast import (
    BUILTIN_CAST,
    DOWNLOAD_COMMAND,
    cast_script,
    default_cast,
    parse_overrides,
    piper_hint,
)
from audiobook.engines import get_engine
from audiobook.errors import AudiobookError
from audiobook.script import Chapter, Script, Segment, Speaker

DATA = Path(__file__).parent / "data"
REPO_VOICES = Path(__file__).resolve().parents[1] / "voices"
ISSAI_SPEAKERS = {"M2": 0, "Iseke": 1, "F3": 2, "Raya": 3, "F1": 4, "F2": 5}


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No model anywhere: an empty cwd, empty user data folders, the project's espeak profiles only."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("TTS_HOME", raising=False)
    monkeypatch.delenv("AUDIOBOOK_VOICES", raising=False)
    project = tmp_path / "project-voices"
    project.mkdir()
    for p in REPO_VOICES.glob("kk-*.toml"):
        shutil.copy(p, project)
    monkeypatch.setattr(voices, "PROJECT_VOICES", project)
    return tmp_path


def install_voice(
    folder: Path, name: str, speakers: dict[str, int] | None = None, language: str = "kk_KZ"
) -> Path:
    """A stand-in Piper voice named like a real one, as `piper.download_voices` leaves it."""
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    shutil.copy(DATA / "multispeaker-test.onnx", model)
    config = json.loads((DATA / "multispeaker-test.onnx.json").read_text())
    speakers = speakers or {}
    config.update(
        num_speakers=max(len(speakers), 1),
        speaker_id_map=speakers,
        language={"code": language, "family": language[:2], "region": language[3:]},
        dataset=name,
    )
    Path(f"{model}.json").write_text(json.dumps(config, ensure_ascii=False))
    return model


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


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spec = np.abs(np.fft.rfft(samples.astype(np.float64) * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spec)])


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


def test_download_command_uses_a_flag_piper_accepts() -> None:
    import argparse

    from piper import download_voices

    # download_voices builds its parser inside main(); check the flag is one of its spellings.
    src = Path(download_voices.__file__).read_text()
    assert '"--data-dir"' in src
    args = DOWNLOAD_COMMAND.split()
    assert args[:3] == ["python", "-m", "piper.download_voices"]
    parser = argparse.ArgumentParser()
    parser.add_argument("voice", nargs="*")
    parser.add_argument("--data-dir")
    assert parser.parse_args(args[3:]).data_dir == "voices"


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
    assert len({p.model for p in cast.values()}) == 1
    assert [cast[s].speaker for s in ("narrator", "interviewer", "aigul")] == [0, 4, 1]


def test_each_role_sounds_as_its_speaker(world: Path) -> None:
    install_voice(world / "voices", "kk_KZ-issai-high", ISSAI_SPEAKERS)
    cast = cast_script(interview())
    engine = get_engine("piper")
    heard = {}
    for sid, profile in cast.items():
        pcm = engine.synthesize("Сәлем.", profile)
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
    assert cast["aigul"].speaker == "Raya"
    assert Path(cast["aigul"].source or "").resolve() == guest.resolve()
    assert cast["interviewer"].speaker == "F2"
    assert cast["narrator"].speaker == 0


def test_voice_option_by_speaker_id_beats_role(world: Path) -> None:
    install_voice(world / "voices", "kk_KZ-issai-high", ISSAI_SPEAKERS)
    cast = cast_script(interview(), {"interviewee": "kk_KZ-issai-high:2", "aigul": "kk_KZ-issai-high:5"})
    assert cast["aigul"].speaker == 5


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
