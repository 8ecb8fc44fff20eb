"""The speech engines, by name. Adding one: a module like espeak.py and one line here (docs/engines.md).

Engine modules import their libraries only when a voice is opened, so this registry is cheap to import.
"""

from __future__ import annotations

from audiobook.errors import AudiobookError
from audiobook.voice.engines import coqui, espeak, piper
from audiobook.voice.engines.base import Engine, Pcm, Requirements, Summary, Voice

__all__ = ["Engine", "Pcm", "Requirements", "Summary", "Voice", "engine_names", "get_engine"]

_REGISTRY: dict[str, Engine] = {
    "espeak": espeak.ENGINE,
    "piper": piper.ENGINE,
    "coqui": coqui.ENGINE,
}


def engine_names() -> list[str]:
    return list(_REGISTRY)


def get_engine(name: str) -> Engine:
    if name not in _REGISTRY:
        raise AudiobookError(f"unknown engine '{name}'; use one of: {', '.join(_REGISTRY)}")
    return _REGISTRY[name]
