"""What every engine module provides (see docs/engines.md), and the helpers they share.

An engine is a module with one object satisfying `Engine`: it parses and checks its own profile settings,
says what it needs installed and whether it is neural or fork-safe, and opens a `Voice`: a loaded model
that speaks with one profile's settings, like piper's `PiperVoice`.
"""

from __future__ import annotations

import importlib.util
import types
from collections.abc import Mapping
from dataclasses import dataclass, fields
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, Union, get_args, get_origin, get_type_hints

import numpy as np

from audiobook.errors import AudiobookError
from audiobook.voice.profile import Settings, VoiceProfile


@dataclass(frozen=True)
class Pcm:
    """Mono 16-bit audio."""

    samples: np.ndarray  # int16, shape (n,)
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


@dataclass(frozen=True)
class Requirements:
    """What an engine needs installed; checked without importing it (torch takes seconds to import)."""

    modules: tuple[str, ...]  # importable names, e.g. ("piper", "onnxruntime")
    dists: tuple[str, ...]  # distributions whose versions `audiobook voices` shows
    extra: str | None = None  # the pip extra that installs them; None: a main dependency
    doc: str | None = None  # where the install is explained

    def fix(self) -> str:
        return f"pip install 'audiobook[{self.extra}]'" if self.extra else "reinstall audiobook"

    def missing_message(self, engine: str, module: str) -> str:
        return f"engine '{engine}' needs the Python module '{module}', which is not installed; run: {self.fix()}"

    def status(self) -> tuple[bool, str]:
        """(installed, detail) for `audiobook voices`."""
        missing = [m for m in self.modules if importlib.util.find_spec(m) is None]
        if missing:
            doc = f" (see {self.doc})" if self.doc else ""
            return False, f"missing {', '.join(missing)}; {self.fix()}{doc}"
        versions = []
        for dist in self.dists:
            try:
                versions.append(f"{dist} {metadata.version(dist)}")
            except metadata.PackageNotFoundError:
                versions.append(dist)
        return True, ", ".join(versions)


@dataclass(frozen=True)
class Summary:
    """A profile's row in `audiobook voices`."""

    model: str  # what it speaks with: a model path, or e.g. "espeak-ng kk+m3"
    speaker: str
    status: str  # "ok", or what is wrong in a few words


class Voice(Protocol):
    """A loaded model speaking with one profile's settings."""

    profile: VoiceProfile

    def speak(self, text: str) -> Pcm:
        """Speak already-normalized text. Never an empty array for non-empty text."""
        ...

    def with_profile(self, profile: VoiceProfile) -> Voice | None:
        """This loaded model speaking with another profile's settings (another speaker, pace...), or
        None when that profile needs a model of its own. Lets a worker load each model once."""
        ...


class Engine(Protocol):
    name: str
    settings_type: type[Settings]
    requirements: Requirements
    # A neural model: slow per piece, so worth a pool of workers even for a few pieces (synth.auto_jobs).
    neural: bool
    # True if a loaded voice keeps working in a forked child (no threads or thread pools of its own), so a
    # worker pool may fork instead of spawning a fresh interpreter per worker.
    fork_safe: bool

    def parse(self, table: Mapping[str, Any], base: Path, where: str) -> Settings:
        """A profile's TOML keys (without `engine`) as settings; relative paths are relative to `base`.
        Unknown keys and wrong types are an AudiobookError starting with `where`."""
        ...

    def check(self, profile: VoiceProfile) -> None:
        """Fail before any synthesis on what the profile names but cannot be had (a missing model file)."""
        ...

    def summary(self, profile: VoiceProfile) -> Summary: ...

    def version(self) -> str:
        """Changes whenever the same text and profile could sound different (cache key component)."""
        ...

    def open(self, profile: VoiceProfile, threads: int | None) -> Voice:
        """Load the profile's model, using at most `threads` threads (None: the library's default)."""
        ...

    def runtime_loaded(self) -> bool:
        """Whether this process has imported the engine's runtime (whose threads a fork would break)."""
        ...


# --- helpers for engine modules ----------------------------------------------------------------------------


class ModelFileEngine:
    """What the neural engines share: settings naming a `model` file (and a `speaker`), checked by the
    engine's own `model_paths` before any synthesis."""

    settings_type: type[Settings]
    model_hint = 'model = "path/to/model"'  # what the "no model given" message says to add

    def parse(self, table: Mapping[str, Any], base: Path, where: str) -> Any:
        if table.get("model") is None:
            raise AudiobookError(f"{where}: no model given; add {self.model_hint}")
        return parse_settings(self.settings_type, table, base, where)

    def check(self, profile: VoiceProfile) -> None:
        self.model_paths(profile)

    def model_paths(self, profile: VoiceProfile) -> tuple[Path, Path | None]:
        raise NotImplementedError

    def summary(self, profile: VoiceProfile) -> Summary:
        s = settings_of(profile, self.settings_type)
        status = "ok" if s.model.exists() else "model file not found"
        return Summary(str(s.model), "" if s.speaker is None else str(s.speaker), status)


def parse_settings(cls: type[Settings], table: Mapping[str, Any], base: Path, where: str) -> Any:
    """`cls(**table)`, with each key checked against the dataclass's fields and their types, and `Path`
    fields resolved against `base` (so a voices/ folder can be moved whole) with `~` expanded."""
    hints = get_type_hints(cls)
    allowed = sorted({f.name for f in fields(cls)} | {"engine"})
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise AudiobookError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}")
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in table:
            continue
        value, kinds = table[f.name], _kinds(hints[f.name])
        if value is None:
            continue
        accepted = tuple(str if k is Path else k for k in kinds)
        if not isinstance(value, accepted) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in accepted)
            raise AudiobookError(f"{where}: {f.name} must be {names}, got {value!r}; fix the file")
        values[f.name] = resolve_path(str(value), base) if Path in kinds else value
    try:
        return cls(**values)
    except TypeError as e:  # a required key left out (engines name their own required keys first)
        raise AudiobookError(f"{where}: {e}; fix the file") from None


def _kinds(hint: Any) -> tuple[type, ...]:
    args = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)
    kinds = tuple(a for a in args if a is not type(None))
    return (int, *kinds) if float in kinds and int not in kinds else kinds  # TOML writes 1.0 as 1 too


def resolve_path(value: str, base: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / value).resolve()


def settings_of(profile: VoiceProfile, cls: type[Any]) -> Any:
    """The profile's settings, which must be of the engine's type (a profile is made by its engine)."""
    if not isinstance(profile.settings, cls):
        raise TypeError(f"{profile.where}: {type(profile.settings).__name__} given to the {cls.__name__} engine")
    return profile.settings


def peak_to_int16(audio: np.ndarray, peak: float) -> np.ndarray:
    """Float audio scaled to `peak` of full scale (if not silent) as int16."""
    top = float(np.max(np.abs(audio)))
    if top > 1e-6:
        audio = audio * (peak / top)
    return np.clip(np.round(audio * 32767.0), -32768, 32767).astype(np.int16)


def first_line(e: BaseException) -> str:
    """An exception's first non-empty line, cut to a length that fits a one-line error."""
    text = str(e).strip().splitlines()
    line = next((t.strip() for t in text if t.strip()), type(e).__name__)
    return line if len(line) <= 160 else line[:157] + "..."
