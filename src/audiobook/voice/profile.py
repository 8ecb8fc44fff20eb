"""A voice profile: a name, an engine and that engine's typed settings (one TOML file per voice in `voices/`).

Reading profiles and references to them is `audiobook.voice.resolve`; each engine declares and validates
its own settings (`audiobook.voice.engines`). This module depends on neither, so both can use it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

# The checkout's voices/ folder (where users add their own profiles); absent in an installed copy.
PROJECT_VOICES = Path(__file__).resolve().parents[3] / "voices"


def builtin_voices() -> Path:
    """The default profiles shipped inside the package (voice/data/*.toml), found wherever it is installed."""
    return Path(str(resources.files("audiobook.voice") / "data"))

# The cache key's shape since cache format 1, when a profile was one flat record of every engine's keys:
# every field an engine does not set is there with its old default, so pieces cached then stay valid.
# A new engine's settings simply add their own fields.
_KEY_BASE: dict[str, Any] = {
    "voice": "kk", "variant": None, "rate": None, "pitch": None, "range": None,
    "model": None, "config": None, "speaker": None,
    "length_scale": None, "noise_scale": None, "noise_w_scale": None,
}


@dataclass(frozen=True)
class Settings:
    """Base of every engine's settings dataclass (frozen, fields named as the profile's TOML keys).

    Path fields name files the voice reads: their size and mtime are part of the voice's identity."""


@dataclass(frozen=True)
class VoiceProfile:
    name: str
    engine: str  # a name in audiobook.voice.engines' registry
    settings: Settings  # the engine's own settings type, e.g. PiperSettings
    # where it came from, for error messages; not part of the voice's identity
    source: str | None = None
    # The same speaker's voice in other languages: (language, voice ref) pairs from the profile's
    # `[languages]` table, e.g. (("ru", "ru-narrator"),). Not part of the identity: it changes no sound.
    languages: tuple[tuple[str, str], ...] = ()

    def voice_for(self, language: str) -> str | None:
        """The voice ref this profile names for `language`, if any."""
        return dict(self.languages).get(language)

    @property
    def where(self) -> str:
        """How messages name this profile: its file, or its name."""
        return self.source or f"voice profile '{self.name}'"

    def identity(self) -> str:
        """Stable digest of everything that changes the sound (cache key component)."""
        d = {**_KEY_BASE, "engine": self.engine}
        for key, value in asdict(self.settings).items():
            # A replaced model file must not reuse old audio: include size and mtime.
            d[key] = _stamp(value) if isinstance(value, Path) else value
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


def _stamp(p: Path) -> str:
    return f"{p.resolve()}:{p.stat().st_size}:{p.stat().st_mtime_ns}" if p.exists() else str(p)


def voice_dirs() -> list[Path]:
    """Where named profiles are looked up, first match wins."""
    dirs = []
    if env := os.environ.get("AUDIOBOOK_VOICES"):
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs += [Path.cwd() / "voices", PROJECT_VOICES, builtin_voices()]
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [s.resolve() for s in seen]:
            seen.append(d)
    return seen


def list_profile_files() -> list[Path]:
    found: dict[str, Path] = {}
    for d in voice_dirs():
        for p in sorted(d.glob("*.toml")):
            if p.stem != "cast":
                found.setdefault(p.stem, p)
    return list(found.values())
