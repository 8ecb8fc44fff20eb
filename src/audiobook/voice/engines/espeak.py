"""espeak-ng through ctypes, from the library and data that the `espeakng-loader` wheel ships.

No maintained PyPI binding drives the shared library (they shell out to the CLI), so this is a small one.
espeak-ng keeps global state, so there is one initialised library per process.
"""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path

import numpy as np

from audiobook.errors import AudiobookError
from audiobook.voice.engines import Pcm
from audiobook.voice.profile import VoiceProfile

# From espeak-ng's speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PHONEMES = 0x100  # espeakPHONEMES: read [[...]] as phoneme mnemonics (lexicon phoneme entries)
_EE_OK = 0
_RATE, _VOLUME, _PITCH, _RANGE = 1, 2, 3, 4

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class EspeakEngine:
    name = "espeak"
    fork_safe = True  # synchronous mode: no threads

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
        self._data = Path(espeakng_loader.get_data_path())
        data = str(self._data).encode()
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

    def _set_voice(self, profile: VoiceProfile) -> None:
        key = (profile.voice, profile.variant)
        if key != self._voice_set:
            name = profile.voice + (f"+{profile.variant}" if profile.variant else "")
            # espeak-ng ignores an unknown variant silently; a typo must not pass for a different voice.
            bad_variant = profile.variant and not (self._data / "voices" / "!v" / profile.variant).is_file()
            if bad_variant or self._lib.espeak_SetVoiceByName(name.encode()) != _EE_OK:
                raise AudiobookError(
                    f"{profile.source or profile.name}: espeak-ng has no voice '{name}'; "
                    "check 'voice' and 'variant' (e.g. voice = \"kk\", variant = \"m3\")"
                )
            self._voice_set = key
        # Parameters are reset to defaults when the voice changes, so set them every time.
        for param, value in ((_RATE, profile.rate), (_PITCH, profile.pitch), (_RANGE, profile.range)):
            if value is not None:
                self._lib.espeak_SetParameter(param, int(value), 0)

    def synthesize(self, text: str, profile: VoiceProfile) -> Pcm:
        data = text.encode("utf-8") + b"\0"
        with self._lock:
            self._set_voice(profile)
            self._chunks = []
            err = self._lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _PHONEMES, None, None)
            self._lib.espeak_Synchronize()
            chunks, self._chunks = self._chunks, []
        if err != _EE_OK:
            raise AudiobookError(f"espeak-ng failed to synthesize (error {err}) for text: {text[:60]!r}")
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
        return Pcm(samples.astype(np.int16, copy=False), self.sample_rate)
