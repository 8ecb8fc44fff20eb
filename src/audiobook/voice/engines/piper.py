"""Piper voices (VITS exported to ONNX) through piper-tts, e.g. Kazakh `kk_KZ-issai-high` (6 speakers)."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from audiobook.errors import AudiobookError
from audiobook.voice.engines.base import (
    ModelFileEngine,
    Pcm,
    Requirements,
    first_line,
    peak_to_int16,
    settings_of,
)
from audiobook.voice.profile import Settings, VoiceProfile

if TYPE_CHECKING:
    from piper import PiperVoice as _PiperModel

# Bump when this module changes the audio made from the same model and settings (cache key).
ENGINE_REVISION = "1"
# Piper yields one chunk per sentence with almost no trailing silence; a short gap keeps them apart.
SENTENCE_GAP_S = 0.2
# Peak level of a whole segment: per-segment (not per-sentence, as piper's default does) so the level
# does not jump between sentences of one paragraph; loudness itself is the mastering stage's job.
PEAK = 0.89
DOWNLOAD_HINT = "python -m piper.download_voices kk_KZ-issai-high --data-dir voices"


@dataclass(frozen=True)
class PiperSettings(Settings):
    model: Path  # the .onnx file
    config: Path | None = None  # the model's .onnx.json; default: beside the model
    speaker: int | str | None = None  # speaker id or name in a multi-speaker model
    length_scale: float | None = None
    noise_scale: float | None = None
    noise_w_scale: float | None = None


class PiperVoice:
    """A Piper voice model loaded once (an onnxruntime session), speaking with one profile's settings."""

    def __init__(self, profile: VoiceProfile, loaded: _PiperModel, files: tuple[Path, Path]) -> None:
        self.profile = profile
        self.settings: PiperSettings = settings_of(profile, PiperSettings)
        self.loaded = loaded  # piper's own PiperVoice
        self._files = files
        cfg = loaded.config
        self.speaker_id = resolve_speaker(self.settings.speaker, cfg.speaker_id_map, cfg.num_speakers, profile.where)

    def with_profile(self, profile: VoiceProfile) -> PiperVoice | None:
        if profile.engine != ENGINE.name or model_paths(profile) != self._files:
            return None
        return PiperVoice(profile, self.loaded, self._files)

    def speak(self, text: str) -> Pcm:
        from piper import SynthesisConfig

        from audiobook.text.normalize.phonemes import spans_to_ipa

        text = spans_to_ipa(text)  # lexicon phoneme entries are espeak mnemonics; Piper reads [[...]] as IPA
        s, where = self.settings, self.profile.where
        syn = SynthesisConfig(
            speaker_id=self.speaker_id,
            length_scale=s.length_scale,
            noise_scale=s.noise_scale,
            noise_w_scale=s.noise_w_scale,
            normalize_audio=False,
        )
        try:
            chunks = [c.audio_float_array for c in self.loaded.synthesize(text, syn) if c.audio_float_array.size]
        except Exception as e:  # onnxruntime / phonemizer errors are long and multi-line
            raise AudiobookError(
                f"{s.model}: piper could not synthesize with this model ({first_line(e)}); "
                f"check the model and its config, or fix {where}"
            ) from None
        if not chunks:
            raise AudiobookError(
                f"{where}: piper made no audio for {text[:60]!r} (nothing it can pronounce); check the text"
            )
        rate = self.loaded.config.sample_rate
        return Pcm(_join(chunks, rate), rate)


class PiperEngine(ModelFileEngine):
    name = "piper"
    settings_type: type[Settings] = PiperSettings
    model_hint = 'model = "path/to/voice.onnx"'
    requirements = Requirements(modules=("piper", "onnxruntime"), dists=("piper-tts", "onnxruntime"))
    neural = True
    fork_safe = False  # onnxruntime's thread pools

    def model_paths(self, profile: VoiceProfile) -> tuple[Path, Path | None]:
        return model_paths(profile)

    def version(self) -> str:
        _import_runtime()
        import onnxruntime

        piper_version = metadata.version("piper-tts")
        return f"piper-tts {piper_version}; onnxruntime {onnxruntime.__version__}; r{ENGINE_REVISION}"

    def open(self, profile: VoiceProfile, threads: int | None) -> PiperVoice:
        _import_runtime()
        files = model_paths(profile)
        return PiperVoice(profile, _load_voice(*files, profile.where, threads), files)

    def runtime_loaded(self) -> bool:
        return "onnxruntime" in sys.modules


ENGINE = PiperEngine()


def _import_runtime() -> None:
    try:
        import onnxruntime  # noqa: F401
        import piper  # noqa: F401
    except ModuleNotFoundError as e:
        raise AudiobookError(PiperEngine.requirements.missing_message("piper", e.name or "?")) from None


def model_paths(profile: VoiceProfile) -> tuple[Path, Path]:
    """(model, config) of a piper profile, both checked to exist; config defaults to `<model>.json`."""
    s: PiperSettings = settings_of(profile, PiperSettings)
    model, where = s.model, profile.where
    if not model.is_file():
        raise AudiobookError(
            f"{model}: model file not found; download it ({DOWNLOAD_HINT}) or fix 'model' in {where}"
        )
    config = s.config or Path(f"{model}.json")
    if not config.is_file():
        raise AudiobookError(
            f"{config}: voice config not found; put the model's .onnx.json beside it or set 'config' "
            f"in {where}"
        )
    return model, config


_CONFIG_KEYS = ("num_symbols", "num_speakers", "audio", "espeak", "phoneme_id_map")


def read_config(config: Path) -> dict[str, Any]:
    """The voice's .onnx.json, checked for the keys piper needs."""
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _bad_config(config, first_line(e)) from None
    if not isinstance(data, dict):
        raise _bad_config(config, "not a JSON object")
    missing = [k for k in _CONFIG_KEYS if k not in data]
    if missing:
        raise _bad_config(config, f"missing {', '.join(missing)}")
    return data


def _load_voice(model: Path, config: Path, where: str, threads: int | None) -> _PiperModel:
    from piper import PiperConfig, PiperVoice

    try:
        piper_config = PiperConfig.from_dict(read_config(config))
    except (KeyError, TypeError, ValueError) as e:
        raise _bad_config(config, first_line(e)) from None
    try:
        # As PiperVoice.load does, but with a thread count: in a pool of N workers each session gets its
        # share of the cores instead of all of them, which would oversubscribe the machine N times.
        import onnxruntime
        from piper.phonemize_espeak import ESPEAK_DATA_DIR

        opts = onnxruntime.SessionOptions()
        # No arena: it keeps the largest sentence's tensors for the rest of the run, in every worker.
        opts.enable_cpu_mem_arena = False
        if threads:
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(model), sess_options=opts, providers=["CPUExecutionProvider"])
        voice = PiperVoice(session=session, config=piper_config, espeak_data_dir=Path(ESPEAK_DATA_DIR),
                           download_dir=model.parent)
    except Exception as e:  # onnxruntime raises its own exception types for unreadable or foreign files
        raise AudiobookError(
            f"{model}: not a usable ONNX voice model ({first_line(e)}); download it again or fix 'model' "
            f"in {where}"
        ) from None
    inputs = {i.name for i in voice.session.get_inputs()}
    if not {"input", "input_lengths", "scales"} <= inputs:
        raise AudiobookError(
            f"{model}: an ONNX model but not a Piper voice (inputs: {', '.join(sorted(inputs))}); "
            f"fix 'model' in {where}"
        )
    if voice.config.num_speakers > 1 and "sid" not in inputs:
        # piper would feed a speaker id the model does not take and fail on every segment.
        raise AudiobookError(
            f"{config}: declares {voice.config.num_speakers} speakers but {model.name} is a single-speaker "
            "model; use the config that came with this model"
        )
    return voice


def resolve_speaker(
    speaker: int | str | None, speaker_id_map: Mapping[str, int], num_speakers: int, where: str
) -> int | None:
    """A profile's `speaker` (id, or name from the config's speaker_id_map) as piper's speaker id.

    None keeps the model's default speaker.
    """
    if speaker is None:
        return None
    if num_speakers <= 1:
        if speaker in (0, "0"):
            return None
        raise AudiobookError(
            f"{where}: speaker {speaker!r} given but the model has one speaker; remove 'speaker'"
        )
    if isinstance(speaker, int) or speaker.strip().isdigit():
        sid = int(speaker)
        if 0 <= sid < num_speakers:
            return sid
    else:
        if speaker in speaker_id_map:
            return int(speaker_id_map[speaker])
        folded = {name.casefold(): sid for name, sid in speaker_id_map.items()}
        if speaker.casefold() in folded:
            return int(folded[speaker.casefold()])
    raise AudiobookError(
        f"{where}: unknown speaker {speaker!r}; available: {describe_speakers(speaker_id_map, num_speakers)}"
    )


def describe_speakers(speaker_id_map: Mapping[str, int], num_speakers: int) -> str:
    """'0 (M2), 1 (Iseke), …' — ids with names where the config has them."""
    names: dict[int, list[str]] = {}
    for name, sid in speaker_id_map.items():
        names.setdefault(int(sid), []).append(name)
    ids = sorted(set(range(num_speakers)) | set(names))
    return ", ".join(f"{i} ({'/'.join(names[i])})" if i in names else str(i) for i in ids)


def _join(chunks: list[np.ndarray], rate: int) -> np.ndarray:
    gap = np.zeros(int(rate * SENTENCE_GAP_S), dtype=np.float32)
    parts: list[np.ndarray] = []
    for i, c in enumerate(chunks):
        if i:
            parts.append(gap)
        parts.append(c.astype(np.float32))
    return peak_to_int16(np.concatenate(parts), PEAK)


def _bad_config(config: Path, why: str) -> AudiobookError:
    return AudiobookError(f"{config}: not a Piper voice config ({why}); download it again")
