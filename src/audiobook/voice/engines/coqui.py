"""Coqui TTS (`pip install 'audiobook[coqui]'`): a model from a local checkpoint + config.json, or Meta's
MMS Kazakh VITS from the folder Coqui downloads it to (`tts_models--kaz--fairseq--vits`; CC BY-NC 4.0).

torch is imported only when this engine is first used; it takes seconds.
"""

from __future__ import annotations

import logging
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from audiobook.errors import AudiobookError
from audiobook.voice.engines import Pcm, engine_threads
from audiobook.voice.profile import VoiceProfile

if TYPE_CHECKING:
    from TTS.api import TTS

# Bump when this module changes the audio made from the same model and settings (cache key).
ENGINE_REVISION = "1"
PEAK = 0.89  # same segment peak as the piper engine, so engines mix at a similar level
INSTALL_DOC = "see docs/voices.md (Coqui, CPU install)"


class CoquiEngine:
    name = "coqui"
    fork_safe = False  # torch's thread pools

    def __init__(self) -> None:
        self._api = _import_tts()
        self._models: dict[tuple[str, str], TTS] = {}
        # Coqui logs every sentence, and warns about things that do not matter here (e.g. "Could not
        # identify language" for MMS); a render makes thousands of calls and reports its own errors.
        logging.getLogger("TTS").setLevel(logging.ERROR)

    def version(self) -> str:
        import torch

        return f"coqui-tts {metadata.version('coqui-tts')}; torch {torch.__version__}; r{ENGINE_REVISION}"

    def load(self, profile: VoiceProfile) -> TTS:
        """The profile's model, loaded once per (model, config) per process."""
        checkpoint, config = model_paths(profile)
        key = (str(checkpoint), str(config or ""))
        if key not in self._models:
            if threads := engine_threads():
                import torch

                torch.set_num_threads(threads)  # a pool worker's share of the cores
            try:
                self._models[key] = self._api(
                    model_path=str(checkpoint),
                    config_path=str(config) if config else None,
                    progress_bar=False,
                )
            except Exception as e:  # torch / Coqui raise many types for a file that is not their model
                raise AudiobookError(
                    f"{checkpoint}: Coqui could not load this model ({_first_line(e)}); "
                    f"check 'model' and 'config' in {_where(profile)}"
                ) from None
        return self._models[key]

    def synthesize(self, text: str, profile: VoiceProfile) -> Pcm:
        tts = self.load(profile)
        speaker = resolve_speaker(profile, tts.speakers if tts.is_multi_speaker else [])
        model = tts.synthesizer.tts_model
        # One loaded model serves several profiles: set its inference knobs for every call.
        defaults = getattr(model, "_audiobook_defaults", None)
        if defaults is None:
            defaults = {k: getattr(model, k, None) for k in _KNOBS.values()}
            model._audiobook_defaults = defaults
        for key, attr in _KNOBS.items():
            if hasattr(model, attr):
                value = getattr(profile, key)
                setattr(model, attr, defaults[attr] if value is None else float(value))
        try:
            wav = tts.tts(text, speaker=speaker)
        except Exception as e:
            raise AudiobookError(
                f"{profile.model}: Coqui could not synthesize {text[:40]!r} ({_first_line(e)}); "
                f"check the model or fix {_where(profile)}"
            ) from None
        audio = np.asarray(wav, dtype=np.float32).reshape(-1)
        if audio.size == 0:
            raise AudiobookError(f"{_where(profile)}: Coqui made no audio for {text[:60]!r}; check the text")
        rate = int(tts.synthesizer.output_sample_rate)
        return Pcm(_to_int16(audio), rate)


# Profile key -> attribute of Coqui's VITS model read at inference.
_KNOBS = {
    "length_scale": "length_scale",
    "noise_scale": "inference_noise_scale",
    "noise_w_scale": "inference_noise_scale_dp",
}


def _import_tts() -> Any:
    """`TTS.api.TTS`, or a one-line error for each way a Coqui install is known to break."""
    from audiobook.voice.engines.coqui_imports import import_tts_api

    try:
        TTS = import_tts_api()  # stand-ins for torchaudio/torchcodec when they are not installed
    except ModuleNotFoundError:
        raise  # the registry turns this into "pip install 'audiobook[coqui]'"
    except OSError as e:
        # PyPI's torchaudio wheels are linked against CUDA builds of torch and fail to load with a CPU torch;
        # the extra leaves torchaudio out, so a user installed this one.
        raise AudiobookError(
            f"engine 'coqui': torchaudio does not load with this torch ({_first_line(e)}); "
            f"pip uninstall torchaudio torchcodec (VITS does not need them), or {INSTALL_DOC}"
        ) from None
    except ImportError as e:  # Coqui raises ImportError itself when torchaudio or torchcodec is missing
        raise AudiobookError(f"engine 'coqui': {_first_line(e)}; {INSTALL_DOC}") from None
    return TTS


def model_paths(profile: VoiceProfile) -> tuple[Path, Path | None]:
    """(checkpoint, config) to hand to Coqui.

    A folder is an MMS (fairseq) model: Coqui takes the checkpoint inside it and reads config.json and
    vocab.txt beside it itself, and only does so when the path contains "fairseq". A file is a Coqui
    checkpoint whose config.json is `config`, or beside it."""
    if not profile.model:
        raise AudiobookError(
            f'{_where(profile)}: no model given; add model = "path/to/model.pth" or an MMS folder'
        )
    model = Path(profile.model)
    if not model.exists():
        raise AudiobookError(
            f"{model}: model file not found; download it (see docs/voices.md) or fix 'model' in "
            f"{_where(profile)}"
        )
    if model.is_dir():
        for needed in ("config.json", "vocab.txt"):
            if not (model / needed).is_file():
                raise AudiobookError(
                    f"{model}: not an MMS model folder (no {needed}); point 'model' in {_where(profile)} "
                    "at the folder Coqui downloaded (tts_models--kaz--fairseq--vits)"
                )
        checkpoints = sorted(model.glob("G_*.pth")) or sorted(model.glob("*.pth"))
        if len(checkpoints) != 1:
            raise AudiobookError(
                f"{model}: expected one checkpoint (G_*.pth) in the MMS folder, found {len(checkpoints)}; "
                "download it again"
            )
        if "fairseq" not in str(model):
            raise AudiobookError(
                f"{model}: Coqui loads an MMS folder only when its path contains 'fairseq'; keep Coqui's "
                "folder name (tts_models--kaz--fairseq--vits)"
            )
        return checkpoints[0], None
    if "fairseq" in str(model):
        # Coqui would take this for an MMS folder and ignore the config.
        raise AudiobookError(
            f"{model}: Coqui treats paths containing 'fairseq' as MMS folders; rename the file or its folder"
        )
    config = Path(profile.config) if profile.config else model.parent / "config.json"
    if not config.is_file():
        raise AudiobookError(
            f"{config}: model config not found; put config.json beside the checkpoint or set 'config' in "
            f"{_where(profile)}"
        )
    return model, config


def resolve_speaker(profile: VoiceProfile, speakers: list[str]) -> str | None:
    """The profile's speaker (name, or index into the model's speaker list) as Coqui's speaker name."""
    sp = profile.speaker
    if not speakers:
        if sp is None or sp in (0, "0"):
            return None
        raise AudiobookError(
            f"{_where(profile)}: speaker {sp!r} given but the model has one speaker; remove 'speaker'"
        )
    if sp is None:
        return speakers[0]
    if isinstance(sp, str) and sp in speakers:
        return sp
    if isinstance(sp, int) or sp.strip().isdigit():
        i = int(sp)
        if 0 <= i < len(speakers):
            return speakers[i]
    available = ", ".join(f"{i} {name}" for i, name in enumerate(speakers))
    raise AudiobookError(f"{_where(profile)}: unknown speaker {sp!r}; available: {available}")


def _to_int16(audio: np.ndarray) -> np.ndarray:
    peak = float(np.max(np.abs(audio)))
    if peak > 1e-6:
        audio = audio * (PEAK / peak)
    return np.clip(np.round(audio * 32767.0), -32768, 32767).astype(np.int16)


def _where(profile: VoiceProfile) -> str:
    return profile.source or f"voice profile '{profile.name}'"


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    line = next((t.strip() for t in text if t.strip()), type(e).__name__)
    return line if len(line) <= 160 else line[:157] + "..."
