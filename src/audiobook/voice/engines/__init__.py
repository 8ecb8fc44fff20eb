"""Speech engines behind one small interface; each engine module is imported only when used."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from audiobook.errors import AudiobookError
from audiobook.voice.profile import VoiceProfile


@dataclass(frozen=True)
class Pcm:
    """Mono 16-bit audio."""

    samples: np.ndarray  # int16, shape (n,)
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


class Engine(Protocol):
    name: str
    # True if a loaded instance keeps working in a forked child (no threads or thread pools of its own), so
    # a worker pool may fork instead of spawning a fresh interpreter per worker.
    fork_safe: bool

    def version(self) -> str:
        """Changes whenever the same text and profile could sound different (cache key component)."""
        ...

    def synthesize(self, text: str, profile: VoiceProfile) -> Pcm:
        """Speak already-normalized text. Must not return an empty array for non-empty text."""
        ...


# name -> (module, class, pip extra that provides it)
_REGISTRY: dict[str, tuple[str, str, str | None]] = {
    "espeak": ("audiobook.voice.engines.espeak", "EspeakEngine", None),
    "piper": ("audiobook.voice.engines.piper", "PiperEngine", None),
    "coqui": ("audiobook.voice.engines.coqui", "CoquiEngine", "coqui"),
}
_instances: dict[str, Engine] = {}
_threads: int | None = None


def set_engine_threads(n: int | None) -> None:
    """Threads each engine instance in this process may use (set in pool workers); None: the library's default."""
    global _threads
    _threads = n


def engine_threads() -> int | None:
    return _threads


def loaded_engines() -> list[Engine]:
    """The engines this process has instantiated (and so may have threads or models of their own)."""
    return list(_instances.values())


def engine_names() -> list[str]:
    return list(_REGISTRY)


def get_engine(name: str) -> Engine:
    """One instance per engine per process, so models load once per worker."""
    if name in _instances:
        return _instances[name]
    if name not in _REGISTRY:
        raise AudiobookError(f"unknown engine '{name}'; use one of: {', '.join(_REGISTRY)}")
    module, cls = _REGISTRY[name][:2]
    try:
        engine = getattr(importlib.import_module(module), cls)()
    except ModuleNotFoundError as e:
        raise AudiobookError(missing_extra_message(name, e.name or "?")) from None
    _instances[name] = engine
    return engine


def missing_extra_message(engine: str, module: str) -> str:
    extra = _REGISTRY.get(engine, (None, None, None))[2]
    fix = f"pip install 'audiobook[{extra}]'" if extra else "reinstall audiobook"
    return f"engine '{engine}' needs the Python module '{module}', which is not installed; run: {fix}"
