"""Voice profiles for the neural engines, models found on disk, and `audiobook voices`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ISSAI_SPEAKERS, ROOT, install_piper_voice

from audiobook.errors import AudiobookError
from audiobook.voice.engines import engine_names, get_engine
from audiobook.voice.models import describe_voices, find_models, model_profile, voice_tables
from audiobook.voice.profile import find_profile, list_profile_files, load_profile


def install_issai(folder: Path) -> Path:
    return install_piper_voice(folder, "kk_KZ-issai-high", ISSAI_SPEAKERS, sample_rate=22050)


def install_mms(folder: Path) -> Path:
    mms = folder / "tts_models--kaz--fairseq--vits"
    mms.mkdir(parents=True)
    (mms / "config.json").write_text(json.dumps({"data": {"sampling_rate": 16000}}))
    (mms / "vocab.txt").write_text("_\na\n")
    (mms / "G_100000.pth").write_bytes(b"stand-in")
    return mms


# --- profiles for neural engines -------------------------------------------------------------------------


def test_piper_profile_keys_and_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    p = tmp_path / "guest.toml"
    p.write_text(
        'engine = "piper"\nmodel = "models/kk.onnx"\nconfig = "models/kk.onnx.json"\nspeaker = "F1"\n'
        "length_scale = 1.1\nnoise_scale = 0.5\nnoise_w_scale = 0.6\n"
    )
    prof = load_profile(p)
    assert prof.engine == "piper" and prof.speaker == "F1"
    assert prof.model == str((tmp_path / "models" / "kk.onnx").resolve())
    assert prof.config == str((tmp_path / "models" / "kk.onnx.json").resolve())
    assert (prof.length_scale, prof.noise_scale, prof.noise_w_scale) == (1.1, 0.5, 0.6)
    assert prof.source == str(p)


@pytest.mark.parametrize(
    ("line", "key"), [("speaker = 1.5", "speaker"), ('length_scale = "slow"', "length_scale")]
)
def test_wrong_types_name_the_file(tmp_path: Path, line: str, key: str) -> None:
    p = tmp_path / "bad.toml"
    p.write_text(f'engine = "piper"\nmodel = "x.onnx"\n{line}\n')
    with pytest.raises(AudiobookError, match=rf"^{p}: {key} must be"):
        load_profile(p)


def test_examples_parse_and_are_not_loaded_as_profiles() -> None:
    examples = sorted((ROOT / "voices" / "examples").glob("*.toml"))
    assert {p.stem for p in examples} >= {"piper-issai-interviewee", "coqui-mms-kazakh", "coqui-checkpoint"}
    for p in examples:
        if p.stem != "cast":
            assert load_profile(p).engine in engine_names()
    assert not any("examples" in str(p) for p in list_profile_files())


# --- models found on disk --------------------------------------------------------------------------------


def test_piper_model_speakers_come_from_its_config(world: Path) -> None:
    install_issai(world / "voices")
    (m,) = find_models()
    assert (m.engine, m.name, m.language, m.sample_rate, m.num_speakers) == (
        "piper", "kk_KZ-issai-high", "kk_KZ", 22050, 6
    )
    assert m.is_kazakh and m.problem is None
    assert m.speaker_list() == "0 M2, 1 Iseke, 2 F3, 3 Raya, 4 F1, 5 F2"


def test_a_model_without_config_is_reported_not_fatal(world: Path) -> None:
    (world / "voices").mkdir()
    (world / "voices" / "kk_KZ-raya-x_low.onnx").write_bytes(b"x")
    (m,) = find_models()
    assert m.problem == "no kk_KZ-raya-x_low.onnx.json beside it"
    assert m.language == "kk_KZ"  # from the file name when there is no config


def test_mms_folder_in_coquis_data_folder(world: Path) -> None:
    mms = install_mms(world / "xdg" / "tts")
    (m,) = find_models()
    assert (m.engine, m.path, m.language, m.sample_rate, m.config) == ("coqui", mms, "kaz", 16000, None)
    assert m.is_kazakh and m.problem is None
    prof = model_profile("tts_models--kaz--fairseq--vits")
    assert prof is not None and prof.engine == "coqui" and prof.model == str(mms) and prof.config is None


def test_found_model_as_a_voice_by_name_and_speaker(world: Path) -> None:
    model = install_issai(world / "voices")
    by_id = find_profile("kk_KZ-issai-high:4")
    assert (by_id.engine, by_id.model, by_id.speaker) == ("piper", str(model), 4)
    assert by_id.config == f"{model}.json"
    assert find_profile("kk_KZ-issai-high:F1").speaker == "F1"
    assert find_profile("kk_KZ-issai-high").speaker is None
    with pytest.raises(AudiobookError, match="has no speaker 'F9'; speakers: 0 M2, 1 Iseke"):
        find_profile("kk_KZ-issai-high:F9")
    with pytest.raises(AudiobookError, match=r"has no speaker 6;"):
        find_profile("kk_KZ-issai-high:6")


def test_a_profile_file_wins_over_a_model_of_the_same_name(world: Path) -> None:
    install_issai(world / "voices")
    (world / "voices" / "kk_KZ-issai-high.toml").write_text('engine = "espeak"\n')
    assert find_profile("kk_KZ-issai-high").engine == "espeak"


def test_unknown_voice_is_one_line(world: Path) -> None:
    with pytest.raises(AudiobookError, match=r"^voice 'kk_KZ-nobody-high:1' not found in "):
        find_profile("kk_KZ-nobody-high:1")


# --- engines -----------------------------------------------------------------------------------------------


def test_unknown_engine() -> None:
    expected = r"^unknown engine 'festival'; use one of: espeak, piper, coqui$"
    with pytest.raises(AudiobookError, match=expected):
        get_engine("festival")


def test_coqui_without_the_extra_names_the_fix() -> None:
    import importlib.util

    if importlib.util.find_spec("TTS") is not None:
        pytest.skip("the coqui extra is installed here")
    with pytest.raises(AudiobookError, match=r"engine 'coqui' needs .*pip install 'audiobook\[coqui\]'"):
        get_engine("coqui")


# --- `audiobook voices` -------------------------------------------------------------------------------------


def test_voices_tables(world: Path) -> None:
    install_issai(world / "voices")
    install_mms(world / "xdg" / "tts")
    (world / "voices" / "guest.toml").write_text('engine = "piper"\nmodel = "missing.onnx"\n')
    tables = {t.title.split(" (")[0]: t for t in voice_tables()}
    assert [r[0] for r in tables["Engines"].rows] == ["espeak", "piper", "coqui"]
    assert tables["Engines"].rows[1][1] == "yes"
    profiles = {r[0]: r for r in tables["Voice profiles"].rows}
    assert profiles["guest"][1] == "piper" and profiles["guest"][-1] == "model file not found"
    assert profiles["kk-narrator"][-1] == "ok"
    models = {r[0]: r for r in tables["Models found"].rows}
    assert models["kk_KZ-issai-high"][4].startswith("0 M2, 1 Iseke")
    assert models["tts_models--kaz--fairseq--vits"][1] == "coqui"
    assert dict(tables["Default cast"].rows)["interviewer"] == "kk_KZ-issai-high:4"
    text = describe_voices()
    assert "Models found" in text and "kk_KZ-issai-high" in text and "4 F1" in text


def test_voices_command(world: Path) -> None:
    install_issai(world / "voices")
    r = subprocess.run(
        [sys.executable, "-m", "audiobook", "voices"], capture_output=True, text=True, cwd=world, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert "kk_KZ-issai-high" in r.stdout and "0 M2, 1 Iseke, 2 F3, 3 Raya, 4 F1, 5 F2" in r.stdout
