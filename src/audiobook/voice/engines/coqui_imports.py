"""Import Coqui TTS without torchaudio and torchcodec, which its VITS inference does not use.

coqui-tts 0.27/0.28 refuses to import unless torchaudio is installed (and, with torch >= 2.9, torchcodec),
and `TTS.tts.models.vits` imports torchaudio at the top; yet torchaudio only loads and resamples audio files
there (training data, speaker-encoder losses, models trained at another encoder rate), and torchcodec is
only torchaudio's file reader. PyPI's torchaudio wheels for Linux x86_64 are linked against CUDA builds of
torch (libtorch_cuda.so) and fail to load beside the CPU torch, so the `coqui` extra leaves both out and,
when they are not installed, this module puts an empty stand-in for each in `sys.modules` before importing
`TTS`. Anything that really uses one (XTTS, Bark, Tortoise, a VITS that resamples) raises an ImportError
that says so, which the engine reports as a model it cannot load. Installed packages are used as they are.
"""

from __future__ import annotations

import importlib.util
import sys
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

OPTIONAL = ("torchaudio", "torchcodec")


class MissingModule(ModuleType):
    """Stands in for an optional package that is not installed: importable, unusable."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        # A spec makes importlib.util.find_spec() (Coqui's presence check) see the module.
        self.__spec__ = ModuleSpec(name, loader=None)
        self.__audiobook_stand_in__ = True

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)  # keep introspection (copy, pickle, the import system) working
        raise ImportError(
            f"this model needs {self.__name__} (for {self.__name__}.{attr}), which audiobook's coqui extra "
            "leaves out; install a matching torch and torchaudio (docs/voices.md, Coqui)"
        )


def stand_in_for_missing() -> list[str]:
    """Put a stand-in in `sys.modules` for each optional package that is not installed; their names."""
    added = []
    for name in OPTIONAL:
        if name in sys.modules:
            continue
        if importlib.util.find_spec(name) is None:
            sys.modules[name] = MissingModule(name)
            added.append(name)
    return added


def is_stand_in(name: str) -> bool:
    return getattr(sys.modules.get(name), "__audiobook_stand_in__", False) is True


def import_tts_api() -> Any:
    """`TTS.api.TTS`, with stand-ins for the optional packages that are not installed."""
    stand_in_for_missing()
    from TTS.api import TTS

    return TTS
