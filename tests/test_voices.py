"""Voice profiles for the neural engines, models found on disk, and `audiobook voices`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import ISSAI_SPEAKERS, ROOT, install_piper_voice

from audiobook.errors import AudiobookError
from audiobook.text.script import Chapter, Script, Segment, Speaker
from audiobook.voice.engines import Engine, Pcm, Requirements, Summary, engine_names, get_engine
from audiobook.voice.engines.base import parse_settings, peak_to_int16, settings_of
from audiobook.voice.engines.coqui import CoquiSettings
from audiobook.voice.engines.espeak import EspeakSettings
from audiobook.voice.engines.piper import PiperSettings
from audiobook.voice.modelfiles import find_models
from audiobook.voice.profile import Settings, VoiceProfile, list_profile_files
from audiobook.voice.report import describe_voices, voice_tables
from audiobook.voice.resolve import find_profile, load_profile, model_profile


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
    assert prof.engine == "piper" and prof.source == str(p)
    assert prof.settings == PiperSettings(
        model=(tmp_path / "models" / "kk.onnx").resolve(), config=(tmp_path / "models" / "kk.onnx.json").resolve(),
        speaker="F1", length_scale=1.1, noise_scale=0.5, noise_w_scale=0.6,
    )


def test_each_engine_reads_its_own_keys(tmp_path: Path) -> None:
    p = tmp_path / "narrator.toml"
    p.write_text('engine = "espeak"\nvariant = "m3"\nrate = 165\n')
    assert load_profile(p).settings == EspeakSettings(voice="kk", variant="m3", rate=165)
    p.write_text('engine = "espeak"\nmodel = "kk.onnx"\n')  # a Piper key in an espeak-ng profile
    with pytest.raises(AudiobookError, match=rf"^{p}: unknown key\(s\) model; allowed: engine, pitch, range, rate"):
        load_profile(p)
    p.write_text('engine = "piper"\nvariant = "m3"\nmodel = "kk.onnx"\n')
    with pytest.raises(AudiobookError, match=r"unknown key\(s\) variant; allowed: config, engine, length_scale"):
        load_profile(p)
    p.write_text('engine = "piper"\nspeaker = 2\n')
    with pytest.raises(AudiobookError, match=rf'^{p}: no model given; add model = "path/to/voice.onnx"$'):
        load_profile(p)
    p.write_text('engine = "coqui"\nmodel = "~/mms"\n')
    assert load_profile(p).settings == CoquiSettings(model=Path.home() / "mms")


def test_a_missing_engine_or_a_bad_file_names_it(tmp_path: Path) -> None:
    p = tmp_path / "x.toml"
    p.write_text('voice = "kk"\n')
    with pytest.raises(AudiobookError, match=rf'^{p}: no engine given; add e.g. engine = "espeak"$'):
        load_profile(p)
    p.write_text("engine = \"espeak\nrate = 1\n")
    with pytest.raises(AudiobookError, match=rf"^{p}: not a valid TOML voice profile"):
        load_profile(p)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("speaker = 1.5", "speaker must be int or str, got 1.5"),
        ('length_scale = "slow"', "length_scale must be int or float, got 'slow'"),
        ("speaker = true", "speaker must be int or str, got True"),
        ("model = 3", "model must be str, got 3"),
    ],
)
def test_wrong_types_name_the_file(tmp_path: Path, line: str, message: str) -> None:
    p = tmp_path / "bad.toml"
    p.write_text(f'engine = "piper"\n{line}\n' + ("" if line.startswith("model") else 'model = "x.onnx"\n'))
    with pytest.raises(AudiobookError, match=rf"^{p}: {message}; fix the file$"):
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
    assert prof is not None and prof.engine == "coqui" and prof.settings == CoquiSettings(model=mms)
    # Only Coqui knows an MMS model's speaker names, once loaded: a name is taken, a number is checked.
    assert find_profile("tts_models--kaz--fairseq--vits:anna").settings == CoquiSettings(model=mms, speaker="anna")
    with pytest.raises(AudiobookError, match="has no speaker 1; speakers: 1"):
        find_profile("tts_models--kaz--fairseq--vits:1")


def test_found_model_as_a_voice_by_name_and_speaker(world: Path) -> None:
    model = install_issai(world / "voices")
    by_id = find_profile("kk_KZ-issai-high:4")
    assert by_id.engine == "piper" and by_id.name == "kk_KZ-issai-high:4"
    assert by_id.settings == PiperSettings(model=model, config=Path(f"{model}.json"), speaker=4)
    assert find_profile("kk_KZ-issai-high:F1").settings == PiperSettings(model, Path(f"{model}.json"), "F1")
    assert find_profile("kk_KZ-issai-high").settings == PiperSettings(model, Path(f"{model}.json"))
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


def test_unknown_engine(tmp_path: Path) -> None:
    expected = r"^unknown engine 'festival'; use one of: espeak, piper, coqui$"
    with pytest.raises(AudiobookError, match=expected):
        get_engine("festival")
    p = tmp_path / "fest.toml"
    p.write_text('engine = "festival"\n')
    with pytest.raises(AudiobookError, match=rf"^{p}: unknown engine 'festival'; use one of: espeak, piper, coqui$"):
        load_profile(p)


def test_engines_say_what_they_are() -> None:
    assert [(get_engine(n).neural, get_engine(n).fork_safe) for n in engine_names()] == [
        (False, True), (True, False), (True, False)
    ]
    assert get_engine("espeak").requirements.status()[0] is True
    assert get_engine("coqui").requirements.extra == "coqui"


def test_coqui_without_the_extra_names_the_fix(tmp_path: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("TTS") is not None:
        pytest.skip("the coqui extra is installed here")
    engine = get_engine("coqui")
    ok, detail = engine.requirements.status()
    assert not ok and detail == "missing TTS, torch; pip install 'audiobook[coqui]' (see docs/voices.md)"
    mms = install_mms(tmp_path)
    profile = VoiceProfile("mms", "coqui", CoquiSettings(model=mms), "mms.toml")
    engine.check(profile)  # the files are there: only the engine is missing
    expected = (
        r"^engine 'coqui' needs the Python module '(TTS|torch)', which is not installed; "
        r"run: pip install 'audiobook\[coqui\]'$"
    )
    with pytest.raises(AudiobookError, match=expected):
        engine.open(profile, 1)
    with pytest.raises(AudiobookError, match=expected):
        engine.version()


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


@pytest.mark.slow
def test_voices_command(world: Path) -> None:
    install_issai(world / "voices")
    r = subprocess.run(
        [sys.executable, "-m", "audiobook", "voices"], capture_output=True, text=True, cwd=world, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert "kk_KZ-issai-high" in r.stdout and "0 M2, 1 Iseke, 2 F3, 3 Raya, 4 F1, 5 F2" in r.stdout


# --- a new engine: one module and one registry line (the example of docs/engines.md) -------------------------


@dataclass(frozen=True)
class ToneSettings(Settings):
    hz: float = 440.0
    seconds_per_char: float = 0.05


class ToneVoice:
    def __init__(self, profile: VoiceProfile) -> None:
        self.profile = profile
        self.settings: ToneSettings = settings_of(profile, ToneSettings)

    def speak(self, text: str) -> Pcm:
        t = np.arange(int(len(text) * self.settings.seconds_per_char * 16000)) / 16000
        return Pcm(peak_to_int16(np.sin(2 * np.pi * self.settings.hz * t), 0.5), 16000)

    def with_profile(self, profile: VoiceProfile) -> ToneVoice | None:
        return ToneVoice(profile) if profile.engine == "tone" else None


class ToneEngine:
    name = "tone"
    settings_type: type[Settings] = ToneSettings
    requirements = Requirements(modules=("numpy",), dists=("numpy",))
    neural = False
    fork_safe = True

    def parse(self, table: Mapping[str, Any], base: Path, where: str) -> Settings:
        settings: Settings = parse_settings(ToneSettings, table, base, where)
        return settings

    def check(self, profile: VoiceProfile) -> None:
        settings_of(profile, ToneSettings)

    def summary(self, profile: VoiceProfile) -> Summary:
        return Summary(f"tone {settings_of(profile, ToneSettings).hz} Hz", "", "ok")

    def version(self) -> str:
        return "tone 1"

    def open(self, profile: VoiceProfile, threads: int | None) -> ToneVoice:
        return ToneVoice(profile)

    def runtime_loaded(self) -> bool:
        return False


def test_a_new_engine_is_one_module_and_one_registry_line(world: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import audiobook.voice.engines as engines
    from audiobook.voice.cast import cast_script
    from audiobook.voice.synth import synthesize_all

    engine: Engine = ToneEngine()
    monkeypatch.setitem(engines._REGISTRY, "tone", engine)  # the registry line
    (world / "voices").mkdir()
    (world / "voices" / "hum.toml").write_text('engine = "tone"\nhz = 330\n')
    assert find_profile("hum").settings == ToneSettings(hz=330)
    (world / "voices" / "bad.toml").write_text('engine = "tone"\nhz = "low"\n')
    with pytest.raises(AudiobookError, match=r"bad.toml: hz must be int or float, got 'low'; fix the file$"):
        find_profile("bad")
    tables = {t.title.split(" (")[0]: t for t in voice_tables()}
    assert ["tone", "yes", f"numpy {np.__version__}"] in tables["Engines"].rows
    assert dict((r[0], r[2]) for r in tables["Voice profiles"].rows)["hum"] == "tone 330 Hz"

    script = Script("Сұхбат", None, "", [Speaker("aigul", "Айгүл", "interviewee")],
                    [Segment("aigul", "interviewee", "Сәлем.", 0)], [Chapter("Кіріспе", 0)])
    cast = cast_script(script, {"interviewee": "hum"})
    (piece,), stats = synthesize_all([("Сәлеметсіз бе", cast["aigul"])], world / "cache", 16000)
    assert stats.synthesized == 1
    from audiobook.audio.pcm import read_wav

    pcm = read_wav(piece.path)
    spec = np.abs(np.fft.rfft(pcm.samples.astype(np.float64)))
    assert abs(float(np.fft.rfftfreq(len(pcm.samples), 1 / 16000)[np.argmax(spec)]) - 330) < 5
    assert pcm.duration == pytest.approx(len("Сәлеметсіз бе") * 0.05, abs=0.05)
