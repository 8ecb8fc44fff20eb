"""The Coqui engine on tiny VITS models built here, offline: a checkpoint + config.json (one and two
speakers), and an MMS-style fairseq folder. Untrained weights make noise, not speech, but the audio goes
through Coqui's real loading and inference paths and is measured from the samples.

Runs where the coqui extra is installed (docs/voices.md); CI installs it in .venv-coqui and sets
AUDIOBOOK_REQUIRE_COQUI=1, which turns a missing or broken install into a failure instead of a skip:
    AUDIOBOOK_REQUIRE_COQUI=1 .venv-coqui/bin/python -m pytest tests/test_engines_coqui.py
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import run_cli
from measure import decode_audio

from audiobook.errors import AudiobookError
from audiobook.voice.engines import Pcm, get_engine
from audiobook.voice.engines.coqui import CoquiSettings, CoquiVoice, model_paths
from audiobook.voice.engines.coqui_imports import MissingModule, import_tts_api, is_stand_in
from audiobook.voice.profile import VoiceProfile
from audiobook.voice.synth import Voices


def _import_coqui() -> Any:
    """torch, after importing Coqui the way the engine does; skip (or fail, in CI) without the extra."""
    try:
        import torch

        import_tts_api()
    except (ImportError, OSError) as e:  # OSError: a torchaudio built for another torch
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        if os.environ.get("AUDIOBOOK_REQUIRE_COQUI") == "1":
            pytest.fail(f"AUDIOBOOK_REQUIRE_COQUI=1 but Coqui does not import: {reason}", pytrace=False)
        pytest.skip(f"coqui extra not installed ({reason})", allow_module_level=True)
    return torch


torch = _import_coqui()

KAZAKH = "Сәлеметсіз бе, қалыңыз қалай?"
LETTERS = "абвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюяә"


def tiny_vits(folder: Path, speakers: list[str] | None = None) -> tuple[Path, Path]:
    """A small random-weight VITS saved as Coqui saves one: state dict checkpoint + config.json."""
    from TTS.config.shared_configs import BaseAudioConfig
    from TTS.tts.configs.shared_configs import CharactersConfig
    from TTS.tts.configs.vits_config import VitsArgs, VitsConfig
    from TTS.tts.models.vits import Vits

    args = VitsArgs(
        hidden_channels=16, hidden_channels_ffn_text_encoder=32, num_layers_text_encoder=1,
        num_layers_flow=1, num_layers_posterior_encoder=1, resblock_type_decoder="2",
        resblock_kernel_sizes_decoder=[3], resblock_dilation_sizes_decoder=[[1, 3]],
        upsample_rates_decoder=[8, 8, 4], upsample_initial_channel_decoder=32,
        upsample_kernel_sizes_decoder=[16, 16, 8], init_discriminator=False,
        use_speaker_embedding=bool(speakers), speaker_embedding_channels=8,
    )
    chars = CharactersConfig(
        characters=LETTERS + "abcdefghijklmnopqrstuvwxyz", punctuations="!'(),-.:;? ",
        pad="<PAD>", eos="<EOS>", bos="<BOS>", blank="<BLNK>",
        characters_class="TTS.tts.utils.text.characters.Graphemes",
    )
    audio = BaseAudioConfig(sample_rate=16000, hop_length=256, win_length=1024, fft_size=1024, num_mels=40)
    config = VitsConfig(
        model_args=args, audio=audio, characters=chars, use_phonemes=False, text_cleaner="basic_cleaners",
        add_blank=True, use_speaker_embedding=bool(speakers), speakers=speakers or [],
    )
    torch.manual_seed(0)
    model = Vits(config)
    folder.mkdir(parents=True, exist_ok=True)
    checkpoint, config_path = folder / "model.pth", folder / "config.json"
    torch.save({"model": model.state_dict()}, checkpoint)
    config.save_json(str(config_path))
    return checkpoint, config_path


def _to_fairseq(key: str) -> str:
    """Coqui's VITS parameter names -> those in Meta's MMS checkpoints (TTS.tts.utils.fairseq inverted)."""
    key = re.sub(r"^duration_predictor\.(post_)?flows\.0\.translation", r"dp.\1flows.0.m", key)
    key = re.sub(r"^duration_predictor\.(post_)?flows\.0\.log_scale", r"dp.\1flows.0.logs", key)
    key = re.sub(
        r"^duration_predictor\.(post_)?flows\.([1-4])\.",
        lambda m: f"dp.{m.group(1) or ''}flows.{2 * int(m.group(2)) - 1}.",
        key,
    )
    key = re.sub(r"^flow\.flows\.([1-3])\.", lambda m: f"flow.flows.{2 * int(m.group(1))}.", key)
    for coqui, fairseq in (
        ("text_encoder.", "enc_p."), ("waveform_decoder.", "dec."),
        ("posterior_encoder.", "enc_q."), ("duration_predictor.", "dp."),
    ):
        if key.startswith(coqui):
            return fairseq + key[len(coqui):]
    return key


def mms_folder(parent: Path) -> Path:
    """A folder laid out like Coqui's download of MMS Kazakh (config.json, vocab.txt, G_100000.pth), with
    random weights. MMS models are full-size VITS, so this writes ~75 MB."""
    from TTS.tts.configs.vits_config import VitsArgs, VitsConfig
    from TTS.tts.models.vits import Vits

    folder = parent / "tts_models--kaz--fairseq--vits"
    folder.mkdir(parents=True)
    vocab = ["_", " ", *LETTERS, "'", "-"]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    data = {"sampling_rate": 16000, "training_files": "train.ltr", "add_blank": True}
    (folder / "config.json").write_text(json.dumps({"data": data}))
    torch.manual_seed(0)
    model = Vits(VitsConfig(model_args=VitsArgs(init_discriminator=False)))
    model.text_encoder.emb = torch.nn.Embedding(len(vocab), model.args.hidden_channels)
    state = {_to_fairseq(k): v.half() for k, v in model.state_dict().items()}
    torch.save({"model": state}, folder / "G_100000.pth")
    return folder


def profile(model: Path | str, config: Path | str | None = None, **kw: Any) -> VoiceProfile:
    settings = CoquiSettings(model=Path(model), config=Path(config) if config else None, **kw)
    return VoiceProfile("test", "coqui", settings, source="coqui.toml")


def open_voice(p: VoiceProfile) -> CoquiVoice:
    return get_engine("coqui").open(p, None)  # type: ignore[return-value]


def say(text: str, p: VoiceProfile) -> Pcm:
    return open_voice(p).speak(text)


def is_sound(pcm: Pcm) -> bool:
    x = pcm.samples.astype(np.float64) / 32768
    return float(np.sqrt(np.mean(x**2))) > 0.01 and float(np.abs(x).max()) > 0.5


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return tiny_vits(tmp_path_factory.mktemp("vits1"))


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return tiny_vits(tmp_path_factory.mktemp("vits2"), speakers=["anna", "bota"])


def test_checkpoint_and_config_give_audio(single: tuple[Path, Path]) -> None:
    checkpoint, config = single
    pcm = say(KAZAKH, profile(checkpoint, config))
    assert pcm.samples.dtype == np.int16 and pcm.samples.ndim == 1
    assert pcm.sample_rate == 16000
    assert pcm.duration > 0.1
    assert is_sound(pcm)


def test_config_beside_the_checkpoint_is_found(single: tuple[Path, Path]) -> None:
    checkpoint, config = single
    assert model_paths(profile(checkpoint)) == (checkpoint, config)
    assert say("Сәлем.", profile(checkpoint)).duration > 0


def test_version_names_coqui_and_torch() -> None:
    from importlib.metadata import version

    v = get_engine("coqui").version()
    assert f"coqui-tts {version('coqui-tts')}" in v and f"torch {torch.__version__}" in v


def test_a_voice_shares_its_model_with_other_settings_only(single: tuple[Path, Path], tmp_path: Path) -> None:
    a = open_voice(profile(*single))
    b = a.with_profile(profile(*single, length_scale=1.5))
    assert b is not None and b.loaded is a.loaded and b.settings.length_scale == 1.5
    other = tiny_vits(tmp_path / "other")
    assert a.with_profile(profile(*other)) is None


def test_length_scale_reaches_the_model(single: tuple[Path, Path]) -> None:
    voices = Voices(threads=None)  # as a pool worker keeps them: one loaded model for the three profiles
    # noise_w_scale 0 makes the durations deterministic, so only the length scale differs.
    short = voices.speak(KAZAKH, profile(*single, length_scale=1.0, noise_w_scale=0.0))
    long = voices.speak(KAZAKH, profile(*single, length_scale=2.0, noise_w_scale=0.0))
    assert 1.6 < long.duration / short.duration < 2.4
    # ...and is put back for a profile that does not set it.
    again = voices.speak(KAZAKH, profile(*single, noise_w_scale=0.0))
    assert again.duration == pytest.approx(short.duration, rel=0.02)
    loaded = {id(voices.get(profile(*single, **kw)).loaded) for kw in ({}, {"length_scale": 2.0})}  # type: ignore[attr-defined]
    assert len(loaded) == 1


def _say(voices: Voices, multi: tuple[Path, Path], speaker: int | str | None) -> np.ndarray:
    voice = voices.get(profile(*multi, speaker=speaker))  # loading draws random numbers too
    torch.manual_seed(1)  # VITS samples noise: the same seed makes speakers comparable
    return voice.speak("Сәлем.").samples


def test_speakers_by_name_and_index(multi: tuple[Path, Path]) -> None:
    voices = Voices(threads=None)
    anna, bota = _say(voices, multi, "anna"), _say(voices, multi, "bota")
    assert not (len(anna) == len(bota) and np.array_equal(anna, bota))
    assert np.array_equal(_say(voices, multi, 1), bota)
    assert np.array_equal(_say(voices, multi, "0"), anna)
    assert np.array_equal(_say(voices, multi, None), anna)  # default: the first speaker


def test_unknown_speaker_lists_them(multi: tuple[Path, Path]) -> None:
    expected = r"^coqui.toml: unknown speaker 'dana'; available: 0 anna, 1 bota$"
    with pytest.raises(AudiobookError, match=expected):
        open_voice(profile(*multi, speaker="dana"))


def test_speaker_for_a_single_speaker_model(single: tuple[Path, Path]) -> None:
    with pytest.raises(AudiobookError, match="the model has one speaker; remove 'speaker'"):
        open_voice(profile(*single, speaker="anna"))


def test_mms_folder_loads_through_coquis_fairseq_loader(tmp_path: Path) -> None:
    folder = mms_folder(tmp_path)
    pcm = say("сәлеметсіз бе", profile(folder))
    assert pcm.sample_rate == 16000 and pcm.duration > 0.05 and is_sound(pcm)


def test_torchaudio_and_torchcodec_are_optional() -> None:
    # The coqui extra leaves them out (PyPI's torchaudio needs a CUDA torch); an installed one is used as is.
    for name in ("torchaudio", "torchcodec"):
        module = sys.modules[name]
        if isinstance(module, MissingModule):
            assert is_stand_in(name) and importlib.util.find_spec(name) is module.__spec__
            with pytest.raises(ImportError, match=rf"this model needs {name} \(for {name}.load\).*docs/voices.md"):
                module.load  # noqa: B018
        else:
            assert not is_stand_in(name) and module.__file__


def test_stand_in_keeps_introspection_working() -> None:
    m = MissingModule("not_a_real_package")
    assert m.__name__ == "not_a_real_package" and not hasattr(m, "__path__")
    with pytest.raises(ImportError, match="not_a_real_package.resample"):
        m.resample  # noqa: B018


def test_a_model_that_needs_torchaudio(tmp_path: Path) -> None:
    # VITS trained at another encoder rate builds a torchaudio resampler when it loads.
    checkpoint, config = tiny_vits(tmp_path)
    data = json.loads(config.read_text())
    data["model_args"]["encoder_sample_rate"] = 8000  # no weights change; building it here would need torchaudio
    config.write_text(json.dumps(data))
    if is_stand_in("torchaudio"):
        with pytest.raises(AudiobookError) as e:
            open_voice(profile(checkpoint, config)).speak("Сәлем.")
        msg = str(e.value)
        assert msg.startswith(f"{checkpoint}: Coqui could not load this model (this model needs torchaudio")
        assert "\n" not in msg
    else:
        assert is_sound(open_voice(profile(checkpoint, config)).speak("Сәлем."))


# --- the user's view: `audiobook voices` and a rendered episode ---------------------------------------------

ARTICLE = """date 2026-05-04 Ауыл мектебі жаңа ғимаратқа көшті – директормен сұхбат
ТАЛДЫҚОРҒАН. Ақсу ауданындағы Қарасу ауылының мектебі жаңа ғимаратқа көшті.
— Жаңа мектепте неше оқушы оқиды?
— Биыл бізде 320 оқушы бар. Ғимарат 400 орынға арналған.
— Ұстаздар жеткілікті ме?
— Жеткілікті. Биыл үш жас маман келді.
"""


def test_voices_lists_coqui_as_installed(world: Path) -> None:
    r = run_cli("voices")
    assert r.returncode == 0, r.stderr
    row = next(line.split() for line in r.stdout.splitlines() if line.split()[:1] == ["coqui"])
    assert row[1] == "yes", r.stdout
    assert f"coqui-tts {_version('coqui-tts')}" in " ".join(row) and f"torch {torch.__version__}" in " ".join(row)


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


@pytest.mark.slow
def test_profile_renders_an_episode(world: Path, single: tuple[Path, Path]) -> None:
    """A profile with engine = "coqui" and a local checkpoint speaks the interviewee in a real render."""
    checkpoint, config = single
    article = world / "mektep.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    guest = world / "guest.toml"
    guest.write_text(f'engine = "coqui"\nmodel = "{checkpoint}"\nconfig = "{config}"\n', encoding="utf-8")
    out = world / "out"
    # The other roles keep the espeak profiles, named explicitly so that a non-editable install finds them.
    env = {"AUDIOBOOK_VOICES": str(world / "project-voices")}
    r = run_cli("render", str(article), "-o", str(out), "--voice", f"interviewee={guest}", env=env)
    assert r.returncode == 0, r.stderr
    mp3 = out / "mektep.mp3"
    m = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
    x = decode_audio(mp3, 22050)
    assert abs(len(x) / 22050 - m["duration"]) < 0.05 and 3 < m["duration"] < 120
    said = [s for s in m["segments"] if s["role"] == "interviewee"]
    assert len(said) == 2 and {s["voice"] for s in said} == {"guest"}
    others = {s["voice"] for s in m["segments"] if s["role"] != "interviewee"}
    assert "guest" not in others
    for s in said:  # the Coqui voice's stretches of the episode hold sound, not silence
        part = x[int(s["start"] * 22050) : int(s["end"] * 22050)]
        assert s["end"] - s["start"] > 0.3 and float(np.sqrt(np.mean(part.astype(np.float64) ** 2))) > 0.01


# --- one-line errors ---------------------------------------------------------------------------------------


def test_missing_checkpoint(tmp_path: Path) -> None:
    with pytest.raises(AudiobookError, match=rf"^{tmp_path}/model.pth: model file not found; .*coqui.toml"):
        open_voice(profile(tmp_path / "model.pth"))


def test_missing_config(tmp_path: Path) -> None:
    (tmp_path / "model.pth").write_bytes(b"x")
    with pytest.raises(AudiobookError, match=rf"^{tmp_path}/config.json: model config not found"):
        open_voice(profile(tmp_path / "model.pth"))


def test_checkpoint_that_is_not_a_model(tmp_path: Path, single: tuple[Path, Path]) -> None:
    bad = tmp_path / "model.pth"
    bad.write_bytes(b"not a checkpoint" * 10)
    with pytest.raises(AudiobookError) as e:
        open_voice(profile(bad, single[1]))
    msg = str(e.value)
    assert msg.startswith(f"{bad}: Coqui could not load this model (") and "\n" not in msg


def test_mms_folder_without_vocab(tmp_path: Path) -> None:
    folder = tmp_path / "tts_models--kaz--fairseq--vits"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    with pytest.raises(AudiobookError, match=r"not an MMS model folder \(no vocab.txt\)"):
        open_voice(profile(folder))


def test_mms_folder_renamed(tmp_path: Path) -> None:
    folder = tmp_path / "kazakh-mms"
    folder.mkdir()
    for name in ("config.json", "vocab.txt", "G_100000.pth"):
        (folder / name).write_text("x")
    with pytest.raises(AudiobookError, match="only when its path contains 'fairseq'"):
        open_voice(profile(folder))
