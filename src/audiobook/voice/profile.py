"""Voice profiles: one TOML file per voice in `voices/`, naming an engine and its settings."""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from audiobook.errors import AudiobookError

PROJECT_VOICES = Path(__file__).resolve().parents[3] / "voices"


@dataclass(frozen=True)
class VoiceProfile:
    name: str
    engine: str  # "espeak", "piper" or "coqui"
    # espeak-ng
    voice: str = "kk"
    variant: str | None = None  # espeak variant file, e.g. "m3", "f2"
    rate: int | None = None  # words per minute
    pitch: int | None = None  # 0..100
    range: int | None = None  # pitch range 0..100
    # neural engines
    model: str | None = None  # path to .onnx (piper) / checkpoint or model folder (coqui)
    config: str | None = None  # path to the model's config; default: beside the model
    speaker: int | str | None = None  # speaker id or name in a multi-speaker model
    length_scale: float | None = None
    noise_scale: float | None = None
    noise_w_scale: float | None = None
    # where it came from, for error messages; not part of the voice's identity
    source: str | None = None

    def identity(self) -> str:
        """Stable digest of everything that changes the sound (cache key component)."""
        d = asdict(self)
        d.pop("source")
        d.pop("name")
        for k in ("model", "config"):
            if d[k]:
                p = Path(d[k])
                # A replaced model file must not reuse old audio: include size and mtime.
                d[k] = f"{p.resolve()}:{p.stat().st_size}:{p.stat().st_mtime_ns}" if p.exists() else str(p)
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


_FIELDS = {f.name for f in fields(VoiceProfile)} - {"name", "source"}


def voice_dirs() -> list[Path]:
    """Where named profiles are looked up, first match wins."""
    dirs = []
    if env := os.environ.get("AUDIOBOOK_VOICES"):
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs += [Path.cwd() / "voices", PROJECT_VOICES]
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [s.resolve() for s in seen]:
            seen.append(d)
    return seen


def load_profile(path: Path) -> VoiceProfile:
    """Parse one profile file; unknown keys and wrong types are errors naming the file."""
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AudiobookError(f"{path}: voice profile not found; check the path") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise AudiobookError(f"{path}: not a valid TOML voice profile ({e}); fix the file") from None
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise AudiobookError(
            f"{path}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_FIELDS))}"
        )
    if "engine" not in data:
        raise AudiobookError(f'{path}: no engine given; add e.g. engine = "espeak"')
    for key in ("model", "config"):
        # Relative model paths are relative to the profile file, so a voices/ folder can be moved whole.
        if isinstance(data.get(key), str) and not Path(data[key]).expanduser().is_absolute():
            data[key] = str((path.parent / data[key]).resolve())
        elif isinstance(data.get(key), str):
            data[key] = str(Path(data[key]).expanduser())
    try:
        profile = VoiceProfile(name=path.stem, source=str(path), **data)
    except TypeError as e:
        raise AudiobookError(f"{path}: {e}; fix the file") from None
    _check_types(profile, path)
    return profile


def _check_types(p: VoiceProfile, path: Path) -> None:
    expect: dict[str, tuple[type, ...]] = {
        "engine": (str,), "voice": (str,), "variant": (str,), "rate": (int,), "pitch": (int,),
        "range": (int,), "model": (str,), "config": (str,), "speaker": (int, str),
        "length_scale": (int, float), "noise_scale": (int, float), "noise_w_scale": (int, float),
    }
    for key, types in expect.items():
        value = getattr(p, key)
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            names = " or ".join(t.__name__ for t in types)
            raise AudiobookError(f"{path}: {key} must be {names}, got {value!r}; fix the file")


def find_profile(ref: str) -> VoiceProfile:
    """A profile by name (looked up in voice_dirs()), by path to a .toml file, or a model found on disk
    as NAME or NAME:SPEAKER (see audiobook.voice.models)."""
    if ref.endswith(".toml") or os.sep in ref or "/" in ref:
        return load_profile(Path(ref).expanduser())
    for d in voice_dirs():
        candidate = d / f"{ref}.toml"
        if candidate.is_file():
            return load_profile(candidate)
    from audiobook.voice.models import model_profile  # late: models imports this module

    if (found := model_profile(ref)) is not None:  # a model found on disk, e.g. "kk_KZ-issai-high:4"
        return found
    known = ", ".join(sorted(p.stem for p in list_profile_files())) or "none"
    raise AudiobookError(f"voice '{ref}' not found in {', '.join(map(str, voice_dirs()))}; known: {known}")


def list_profile_files() -> list[Path]:
    found: dict[str, Path] = {}
    for d in voice_dirs():
        for p in sorted(d.glob("*.toml")):
            if p.stem != "cast":
                found.setdefault(p.stem, p)
    return list(found.values())
