"""Model files on disk: Piper voices (.onnx + .onnx.json) and Coqui MMS folders, with their speakers.

A found model can be used as a voice without writing a profile: `NAME` or `NAME:SPEAKER`
(e.g. `kk_KZ-issai-high:4`, `kk_KZ-issai-high:F1`), see `audiobook.voice.resolve.model_profile`.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from audiobook.voice.profile import voice_dirs

_QUALITY = {"high": 0, "medium": 1, "low": 2, "x_low": 3}


@dataclass(frozen=True)
class FoundModel:
    engine: str  # "piper" or "coqui"
    name: str  # "kk_KZ-issai-high", or the MMS folder name "tts_models--kaz--fairseq--vits"
    path: Path  # the .onnx file, or the MMS folder
    config: Path | None  # piper: the .onnx.json; coqui MMS: None (Coqui reads the folder)
    language: str  # "kk_KZ", "kaz", "" when unknown
    sample_rate: int | None
    num_speakers: int = 1
    speakers: dict[int, str] = field(default_factory=dict)  # id -> name, where the config names them
    # False when only the engine knows the speaker names, once it has loaded the model (Coqui MMS)
    lists_speakers: bool = True
    problem: str | None = None  # why it cannot be used as found, e.g. an unreadable config

    @property
    def is_kazakh(self) -> bool:
        lang = self.language.lower()
        return lang == "kk" or lang.startswith(("kk_", "kk-")) or lang == "kaz"

    def speaker_list(self) -> str:
        if self.num_speakers <= 1:
            return "1"
        return ", ".join(
            f"{i} {self.speakers[i]}" if i in self.speakers else str(i) for i in range(self.num_speakers)
        )


def model_dirs() -> list[Path]:
    """Where models are looked for: the voice folders, the current folder (piper.download_voices'
    default), Piper's and Coqui's per-user data folders."""
    from platformdirs import user_data_path

    dirs = [*voice_dirs(), Path.cwd(), user_data_path("piper"), user_data_path("piper") / "voices"]
    dirs.append(_coqui_data_dir())
    out: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [o.resolve() for o in out]:
            out.append(d)
    return out


def _coqui_data_dir() -> Path:
    # Mirrors Coqui's own rule (trainer.io.get_user_data_dir) without importing torch.
    if home := os.environ.get("TTS_HOME"):
        return Path(home).expanduser() / "tts"
    if xdg := os.environ.get("XDG_DATA_HOME"):
        return Path(xdg).expanduser() / "tts"
    if sys.platform == "darwin":
        return Path("~/Library/Application Support/tts").expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", "~")).expanduser() / "tts"
    return Path.home() / ".local/share/tts"


def find_models(dirs: list[Path] | None = None) -> list[FoundModel]:
    """Every Piper voice and Coqui MMS folder in `dirs` (default: `model_dirs()`); first name wins."""
    found: dict[str, FoundModel] = {}
    for d in model_dirs() if dirs is None else dirs:
        for onnx in sorted(d.glob("*.onnx")):
            found.setdefault(onnx.stem, piper_model_info(onnx))
        try:
            subdirs = sorted(p for p in d.iterdir() if p.is_dir())
        except OSError:  # an unreadable folder is no reason to fail a render
            subdirs = []
        for sub in subdirs:
            if (sub / "vocab.txt").is_file() and (sub / "config.json").is_file() and _checkpoints(sub):
                found.setdefault(sub.name, _mms_info(sub))
    return list(found.values())


def piper_model_info(onnx: Path, config: Path | None = None) -> FoundModel:
    """What a Piper voice's config says about it; problems are reported, not raised."""
    config = config or Path(f"{onnx}.json")
    base = FoundModel("piper", onnx.stem, onnx, config, _language_from_name(onnx.stem), None)
    if not config.is_file():
        return replace(base, problem=f"no {config.name} beside it")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        speaker_map = {str(k): int(v) for k, v in (data.get("speaker_id_map") or {}).items()}
        language = data.get("language", {}).get("code") or data.get("espeak", {}).get("voice")
        return replace(
            base,
            language=str(language or base.language),
            sample_rate=int(data["audio"]["sample_rate"]),
            num_speakers=int(data.get("num_speakers", 1)),
            speakers={sid: name for name, sid in speaker_map.items()},
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as e:
        return replace(base, problem=f"unreadable {config.name}: {e}")


def _mms_info(folder: Path) -> FoundModel:
    # Coqui names downloaded MMS models tts_models--<iso639-3>--fairseq--vits.
    parts = folder.name.split("--")
    language = parts[1] if len(parts) >= 4 else ""
    rate: int | None = None
    problem = None
    try:
        rate = int(json.loads((folder / "config.json").read_text(encoding="utf-8"))["data"]["sampling_rate"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        problem = f"unreadable config.json: {e}"
    if "fairseq" not in str(folder):
        problem = "folder path must contain 'fairseq' for Coqui to load it as MMS; keep Coqui's folder name"
    return FoundModel("coqui", folder.name, folder, None, language, rate, lists_speakers=False, problem=problem)


def _checkpoints(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pth"))


def _language_from_name(stem: str) -> str:
    return stem.split("-", 1)[0] if "-" in stem else ""


def kazakh_piper_models() -> list[FoundModel]:
    """Usable Kazakh Piper voices, best first: most speakers, then highest quality."""
    models = [m for m in find_models() if m.engine == "piper" and m.is_kazakh and m.problem is None]
    return sorted(models, key=lambda m: (-m.num_speakers, _QUALITY.get(m.name.rsplit("-", 1)[-1], 9), m.name))
