"""Coqui TTS (`pip install 'audiobook[coqui]'`): a model from a local checkpoint + config.json, or Meta's
MMS Kazakh VITS from the folder Coqui downloads it to (`tts_models--kaz--fairseq--vits`; CC BY-NC 4.0).

torch is imported only when this engine is first used; it takes seconds.
"""

from __future__ import annotations

import logging
import sys
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
    from TTS.api import TTS

# Bump when this module changes the audio made from the same model and settings (cache key).
ENGINE_REVISION = "1"
PEAK = 0.89  # same segment peak as the piper engine, so engines mix at a similar level
INSTALL_DOC = "see docs/voices.md (Coqui, CPU install)"


@dataclass(frozen=True)
class CoquiSettings(Settings):
    model: Path  # a checkpoint (.pth), or an MMS model folder
    config: Path | None = None  # the checkpoint's config.json; default: beside it; not used for MMS
    speaker: int | str | None = None  # speaker name or index in a multi-speaker model
    length_scale: float | None = None
    noise_scale: float | None = None
    noise_w_scale: float | None = None


class CoquiVoice:
    """A Coqui model loaded once, speaking with one profile's settings."""

    def __init__(self, profile: VoiceProfile, tts: TTS, files: tuple[Path, Path | None]) -> None:
        self.profile = profile
        self.settings: CoquiSettings = settings_of(profile, CoquiSettings)
        self.loaded = tts
        self._files = files
        self.speaker = resolve_speaker(profile, tts.speakers if tts.is_multi_speaker else [])

    def with_profile(self, profile: VoiceProfile) -> CoquiVoice | None:
        if profile.engine != ENGINE.name or model_paths(profile) != self._files:
            return None
        return CoquiVoice(profile, self.loaded, self._files)

    def speak(self, text: str) -> Pcm:
        tts, where = self.loaded, self.profile.where
        model = tts.synthesizer.tts_model
        # One loaded model serves several profiles: set its inference knobs for every call.
        defaults = getattr(model, "_audiobook_defaults", None)
        if defaults is None:
            defaults = {k: getattr(model, k, None) for k in _KNOBS.values()}
            model._audiobook_defaults = defaults
        for key, attr in _KNOBS.items():
            if hasattr(model, attr):
                value = getattr(self.settings, key)
                setattr(model, attr, defaults[attr] if value is None else float(value))
        try:
            wav = tts.tts(text, speaker=self.speaker)
        except Exception as e:
            raise AudiobookError(
                f"{self.settings.model}: Coqui could not synthesize {text[:40]!r} ({first_line(e)}); "
                f"check the model or fix {where}"
            ) from None
        audio = np.asarray(wav, dtype=np.float32).reshape(-1)
        if audio.size == 0:
            raise AudiobookError(f"{where}: Coqui made no audio for {text[:60]!r}; check the text")
        rate = int(tts.synthesizer.output_sample_rate)
        return Pcm(peak_to_int16(audio, PEAK), rate)


class CoquiEngine(ModelFileEngine):
    name = "coqui"
    settings_type: type[Settings] = CoquiSettings
    requirements = Requirements(
        modules=("TTS", "torch"), dists=("coqui-tts", "torch"), extra="coqui", doc="docs/voices.md"
    )
    neural = True
    fork_safe = False  # torch's thread pools
    model_hint = 'model = "path/to/model.pth" or an MMS folder'

    def model_paths(self, profile: VoiceProfile) -> tuple[Path, Path | None]:
        return model_paths(profile)

    def version(self) -> str:
        _import_tts()
        import torch

        return f"coqui-tts {metadata.version('coqui-tts')}; torch {torch.__version__}; r{ENGINE_REVISION}"

    def open(self, profile: VoiceProfile, threads: int | None) -> CoquiVoice:
        api = _import_tts()
        # Coqui logs every sentence, and warns about things that do not matter here (e.g. "Could not
        # identify language" for MMS); a render makes thousands of calls and reports its own errors.
        logging.getLogger("TTS").setLevel(logging.ERROR)
        checkpoint, config = files = model_paths(profile)
        if threads:
            import torch

            torch.set_num_threads(threads)  # a pool worker's share of the cores
        try:
            tts = api(model_path=str(checkpoint), config_path=str(config) if config else None, progress_bar=False)
        except Exception as e:  # torch / Coqui raise many types for a file that is not their model
            raise AudiobookError(
                f"{checkpoint}: Coqui could not load this model ({first_line(e)}); "
                f"check 'model' and 'config' in {profile.where}"
            ) from None
        return CoquiVoice(profile, tts, files)

    def runtime_loaded(self) -> bool:
        return "torch" in sys.modules


ENGINE = CoquiEngine()


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
    except ModuleNotFoundError as e:
        raise AudiobookError(CoquiEngine.requirements.missing_message("coqui", e.name or "?")) from None
    except OSError as e:
        # PyPI's torchaudio wheels are linked against CUDA builds of torch and fail to load with a CPU torch;
        # the extra leaves torchaudio out, so a user installed this one.
        raise AudiobookError(
            f"engine 'coqui': torchaudio does not load with this torch ({first_line(e)}); "
            f"pip uninstall torchaudio torchcodec (VITS does not need them), or {INSTALL_DOC}"
        ) from None
    except ImportError as e:  # Coqui raises ImportError itself when torchaudio or torchcodec is missing
        raise AudiobookError(f"engine 'coqui': {first_line(e)}; {INSTALL_DOC}") from None
    return TTS


def model_paths(profile: VoiceProfile) -> tuple[Path, Path | None]:
    """(checkpoint, config) to hand to Coqui.

    A folder is an MMS (fairseq) model: Coqui takes the checkpoint inside it and reads config.json and
    vocab.txt beside it itself, and only does so when the path contains "fairseq". A file is a Coqui
    checkpoint whose config.json is `config`, or beside it."""
    s: CoquiSettings = settings_of(profile, CoquiSettings)
    model = s.model
    if not model.exists():
        raise AudiobookError(
            f"{model}: model file not found; download it (see docs/voices.md) or fix 'model' in "
            f"{profile.where}"
        )
    if model.is_dir():
        for needed in ("config.json", "vocab.txt"):
            if not (model / needed).is_file():
                raise AudiobookError(
                    f"{model}: not an MMS model folder (no {needed}); point 'model' in {profile.where} "
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
    config = s.config or model.parent / "config.json"
    if not config.is_file():
        raise AudiobookError(
            f"{config}: model config not found; put config.json beside the checkpoint or set 'config' in "
            f"{profile.where}"
        )
    return model, config


def resolve_speaker(profile: VoiceProfile, speakers: list[str]) -> str | None:
    """The profile's speaker (name, or index into the model's speaker list) as Coqui's speaker name."""
    sp = settings_of(profile, CoquiSettings).speaker
    if not speakers:
        if sp is None or sp in (0, "0"):
            return None
        raise AudiobookError(
            f"{profile.where}: speaker {sp!r} given but the model has one speaker; remove 'speaker'"
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
    raise AudiobookError(f"{profile.where}: unknown speaker {sp!r}; available: {available}")
