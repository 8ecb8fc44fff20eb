"""Piper voices (VITS exported to ONNX) through piper-tts, e.g. Kazakh `kk_KZ-issai-high` (6 speakers)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from audiobook.errors import AudiobookError
from audiobook.voice.engines import Pcm, engine_threads
from audiobook.voice.profile import VoiceProfile

if TYPE_CHECKING:
    from piper import PiperVoice

# Bump when this module changes the audio made from the same model and settings (cache key).
ENGINE_REVISION = "1"
# Piper yields one chunk per sentence with almost no trailing silence; a short gap keeps them apart.
SENTENCE_GAP_S = 0.2
# Peak level of a whole segment: per-segment (not per-sentence, as piper's default does) so the level
# does not jump between sentences of one paragraph; loudness itself is the mastering stage's job.
PEAK = 0.89
DOWNLOAD_HINT = "python -m piper.download_voices kk_KZ-issai-high --data-dir voices"


class PiperEngine:
    name = "piper"
    fork_safe = False  # onnxruntime's thread pools

    def __init__(self) -> None:
        # Imported here so a missing package surfaces as ModuleNotFoundError, which the registry turns
        # into a one-line fix; the import is also what makes `get_engine("piper")` slow-ish, once.
        import onnxruntime  # noqa: F401
        import piper  # noqa: F401

        self._voices: dict[tuple[str, str], PiperVoice] = {}

    def version(self) -> str:
        import onnxruntime

        piper_version = metadata.version("piper-tts")
        return f"piper-tts {piper_version}; onnxruntime {onnxruntime.__version__}; r{ENGINE_REVISION}"

    def load(self, profile: VoiceProfile) -> PiperVoice:
        """The profile's model, loaded once per (model, config) per process."""
        model, config = model_paths(profile)
        key = (str(model), str(config))
        if key not in self._voices:
            self._voices[key] = _load_voice(model, config, profile)
        return self._voices[key]

    def synthesize(self, text: str, profile: VoiceProfile) -> Pcm:
        from piper import SynthesisConfig

        from audiobook.text.normalize.phonemes import spans_to_ipa

        text = spans_to_ipa(text)  # lexicon phoneme entries are espeak mnemonics; Piper reads [[...]] as IPA
        voice = self.load(profile)
        cfg = voice.config
        speaker_id = resolve_speaker(profile.speaker, cfg.speaker_id_map, cfg.num_speakers, _where(profile))
        syn = SynthesisConfig(
            speaker_id=speaker_id,
            length_scale=profile.length_scale,
            noise_scale=profile.noise_scale,
            noise_w_scale=profile.noise_w_scale,
            normalize_audio=False,
        )
        try:
            chunks = [c.audio_float_array for c in voice.synthesize(text, syn) if c.audio_float_array.size]
        except Exception as e:  # onnxruntime / phonemizer errors are long and multi-line
            raise AudiobookError(
                f"{profile.model}: piper could not synthesize with this model ({_first_line(e)}); "
                f"check the model and its config, or fix {_where(profile)}"
            ) from None
        if not chunks:
            raise AudiobookError(
                f"{_where(profile)}: piper made no audio for {text[:60]!r} (nothing it can pronounce); "
                "check the text"
            )
        return Pcm(_join(chunks, cfg.sample_rate), cfg.sample_rate)


def model_paths(profile: VoiceProfile) -> tuple[Path, Path]:
    """(model, config) of a piper profile, both checked to exist; config defaults to `<model>.json`."""
    if not profile.model:
        raise AudiobookError(f'{_where(profile)}: no model given; add model = "path/to/voice.onnx"')
    model = Path(profile.model)
    if not model.is_file():
        raise AudiobookError(
            f"{model}: model file not found; download it ({DOWNLOAD_HINT}) or fix 'model' in "
            f"{_where(profile)}"
        )
    config = Path(profile.config) if profile.config else Path(f"{model}.json")
    if not config.is_file():
        raise AudiobookError(
            f"{config}: voice config not found; put the model's .onnx.json beside it or set 'config' "
            f"in {_where(profile)}"
        )
    return model, config


_CONFIG_KEYS = ("num_symbols", "num_speakers", "audio", "espeak", "phoneme_id_map")


def read_config(config: Path) -> dict[str, Any]:
    """The voice's .onnx.json, checked for the keys piper needs."""
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _bad_config(config, _first_line(e)) from None
    if not isinstance(data, dict):
        raise _bad_config(config, "not a JSON object")
    missing = [k for k in _CONFIG_KEYS if k not in data]
    if missing:
        raise _bad_config(config, f"missing {', '.join(missing)}")
    return data


def _load_voice(model: Path, config: Path, profile: VoiceProfile) -> PiperVoice:
    from piper import PiperConfig, PiperVoice

    try:
        piper_config = PiperConfig.from_dict(read_config(config))
    except (KeyError, TypeError, ValueError) as e:
        raise _bad_config(config, _first_line(e)) from None
    try:
        # As PiperVoice.load does, but with a thread count: in a pool of N workers each session gets its
        # share of the cores instead of all of them, which would oversubscribe the machine N times.
        import onnxruntime
        from piper.voice import ESPEAK_DATA_DIR

        opts = onnxruntime.SessionOptions()
        # No arena: it keeps the largest sentence's tensors for the rest of the run, in every worker.
        opts.enable_cpu_mem_arena = False
        if threads := engine_threads():
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(model), sess_options=opts, providers=["CPUExecutionProvider"])
        voice = PiperVoice(session=session, config=piper_config, espeak_data_dir=Path(ESPEAK_DATA_DIR),
                           download_dir=model.parent)
    except Exception as e:  # onnxruntime raises its own exception types for unreadable or foreign files
        raise AudiobookError(
            f"{model}: not a usable ONNX voice model ({_first_line(e)}); download it again or fix 'model' "
            f"in {_where(profile)}"
        ) from None
    inputs = {i.name for i in voice.session.get_inputs()}
    if not {"input", "input_lengths", "scales"} <= inputs:
        raise AudiobookError(
            f"{model}: an ONNX model but not a Piper voice (inputs: {', '.join(sorted(inputs))}); "
            f"fix 'model' in {_where(profile)}"
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
    audio = np.concatenate(parts)
    peak = float(np.max(np.abs(audio)))
    if peak > 1e-6:
        audio = audio * (PEAK / peak)
    return np.clip(np.round(audio * 32767.0), -32768, 32767).astype(np.int16)


def _bad_config(config: Path, why: str) -> AudiobookError:
    return AudiobookError(f"{config}: not a Piper voice config ({why}); download it again")


def _where(profile: VoiceProfile) -> str:
    return profile.source or f"voice profile '{profile.name}'"


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    line = text[0] if text else type(e).__name__
    return line if len(line) <= 160 else line[:157] + "..."
