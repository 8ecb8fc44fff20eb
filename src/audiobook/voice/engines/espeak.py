"""espeak-ng through ctypes, from the library and data that the `espeakng-loader` wheel ships.

No maintained PyPI binding drives the shared library (they shell out to the CLI), so this is a small one.
espeak-ng keeps global state (one voice, one callback), so a process initialises the library once
(`_library`) and every EspeakVoice speaks through it, setting its voice and parameters under a lock.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audiobook.errors import AudiobookError
from audiobook.voice.engines.base import Pcm, Requirements, Summary, parse_settings, settings_of
from audiobook.voice.profile import Settings, VoiceProfile

# From espeak-ng's speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PHONEMES = 0x100  # espeakPHONEMES: read [[...]] as phoneme mnemonics (lexicon phoneme entries)
_EE_OK = 0
_RATE, _VOLUME, _PITCH, _RANGE = 1, 2, 3, 4

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


@dataclass(frozen=True)
class EspeakSettings(Settings):
    voice: str = "kk"
    variant: str | None = None  # espeak variant file, e.g. "m3", "f2"
    rate: int | None = None  # words per minute
    pitch: int | None = None  # 0..100
    range: int | None = None  # pitch range 0..100

    @property
    def voice_name(self) -> str:
        return self.voice + (f"+{self.variant}" if self.variant else "")


class _Library:
    """libespeak-ng, initialised: one per process."""

    def __init__(self) -> None:
        import espeakng_loader

        try:
            self._lib = ctypes.CDLL(str(espeakng_loader.get_library_path()))
        except OSError as e:
            raise AudiobookError(f"libespeak-ng could not be loaded ({e}); reinstall espeakng-loader") from None
        lib = self._lib
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
            ctypes.c_void_p, ctypes.c_void_p,
        ]
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        self.data = Path(espeakng_loader.get_data_path())
        data = str(self.data).encode()
        # A 2 s buffer: one Python callback per 2 s of audio instead of one per 60 ms (less GIL traffic).
        self.sample_rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 2000, data, 0)
        if self.sample_rate <= 0:
            raise AudiobookError(f"espeak-ng failed to start with data at {data.decode()}; reinstall espeakng-loader")
        self._chunks: list[np.ndarray] = []
        # Kept on self: a collected ctypes callback would crash the library on the next synth.
        self._callback = _CALLBACK(self._on_audio)
        lib.espeak_SetSynthCallback(self._callback)
        self._lock = threading.Lock()
        self._voice_set: tuple[str, str | None] | None = None

    def _on_audio(self, wav: ctypes.POINTER(ctypes.c_short), n: int, _events: int) -> int:  # type: ignore[valid-type]
        if n > 0 and wav:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        return 0

    def version(self) -> str:
        return "espeak-ng " + (self._lib.espeak_Info(None) or b"?").decode()

    def _set_voice(self, s: EspeakSettings, where: str) -> None:
        key = (s.voice, s.variant)
        if key != self._voice_set:
            # espeak-ng ignores an unknown variant silently; a typo must not pass for a different voice.
            bad_variant = s.variant and not (self.data / "voices" / "!v" / s.variant).is_file()
            if bad_variant or self._lib.espeak_SetVoiceByName(s.voice_name.encode()) != _EE_OK:
                raise AudiobookError(
                    f"{where}: espeak-ng has no voice '{s.voice_name}'; "
                    "check 'voice' and 'variant' (e.g. voice = \"kk\", variant = \"m3\")"
                )
            self._voice_set = key
        # Parameters are reset to defaults when the voice changes, so set them every time.
        for param, value in ((_RATE, s.rate), (_PITCH, s.pitch), (_RANGE, s.range)):
            if value is not None:
                self._lib.espeak_SetParameter(param, int(value), 0)

    def speak(self, text: str, s: EspeakSettings, where: str) -> Pcm:
        data = text.encode("utf-8") + b"\0"
        with self._lock:
            self._set_voice(s, where)
            self._chunks = []
            err = self._lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _PHONEMES, None, None)
            self._lib.espeak_Synchronize()
            chunks, self._chunks = self._chunks, []
        if err != _EE_OK:
            raise AudiobookError(f"espeak-ng failed to synthesize (error {err}) for text: {text[:60]!r}")
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
        return Pcm(samples.astype(np.int16, copy=False), self.sample_rate)


_library_instance: _Library | None = None


def _library() -> _Library:
    # The library's state is per process by nature (espeak_Initialize), so its handle is too.
    global _library_instance
    if _library_instance is None:
        _library_instance = _Library()
    return _library_instance


class EspeakVoice:
    def __init__(self, profile: VoiceProfile) -> None:
        self.profile = profile
        self.settings: EspeakSettings = settings_of(profile, EspeakSettings)
        self._lib = _library()

    def speak(self, text: str) -> Pcm:
        return self._lib.speak(text, self.settings, self.profile.where)

    def with_profile(self, profile: VoiceProfile) -> EspeakVoice | None:
        return EspeakVoice(profile) if profile.engine == ENGINE.name else None


class EspeakEngine:
    name = "espeak"
    settings_type: type[Settings] = EspeakSettings
    requirements = Requirements(modules=("espeakng_loader",), dists=("espeakng-loader",))
    neural = False
    fork_safe = True  # synchronous mode: no threads

    def parse(self, table: Mapping[str, Any], base: Path, where: str) -> EspeakSettings:
        settings: EspeakSettings = parse_settings(EspeakSettings, table, base, where)
        return settings

    def check(self, profile: VoiceProfile) -> None:
        settings_of(profile, EspeakSettings)  # the voice itself is checked by espeak-ng when it is set

    def summary(self, profile: VoiceProfile) -> Summary:
        s: EspeakSettings = settings_of(profile, EspeakSettings)
        return Summary(f"espeak-ng {s.voice_name}", "", "ok")

    def version(self) -> str:
        return _library().version()

    def open(self, profile: VoiceProfile, threads: int | None) -> EspeakVoice:
        return EspeakVoice(profile)  # one thread: espeak-ng has none of its own

    def runtime_loaded(self) -> bool:
        return "espeakng_loader" in sys.modules


ENGINE = EspeakEngine()
