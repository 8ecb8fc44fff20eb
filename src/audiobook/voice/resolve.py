"""Voice references to profiles, in one place: a profile name (looked up in the voice folders), a path to
a .toml profile, or a model found on disk as NAME or NAME:SPEAKER."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from audiobook.errors import AudiobookError
from audiobook.files import SETTINGS_LIMIT, read_user_text
from audiobook.voice.engines import engine_names, get_engine
from audiobook.voice.modelfiles import FoundModel, find_models
from audiobook.voice.profile import VoiceProfile, list_profile_files, voice_dirs


def is_path_ref(ref: str) -> bool:
    """A reference that names a file rather than a profile or model name."""
    return ref.endswith(".toml") or os.sep in ref or "/" in ref


def find_profile(ref: str) -> VoiceProfile:
    """A profile by name (looked up in voice_dirs()), by path to a .toml file, or a model found on disk
    as NAME or NAME:SPEAKER (see audiobook.voice.modelfiles)."""
    if is_path_ref(ref):
        return load_profile(Path(ref).expanduser())
    for d in voice_dirs():
        candidate = d / f"{ref}.toml"
        if candidate.is_file():
            return load_profile(candidate)
    if (found := model_profile(ref)) is not None:  # a model found on disk, e.g. "kk_KZ-issai-high:4"
        return found
    known = ", ".join(sorted(p.stem for p in list_profile_files())) or "none"
    raise AudiobookError(f"voice '{ref}' not found in {', '.join(map(str, voice_dirs()))}; known: {known}")


def load_profile(path: Path) -> VoiceProfile:
    """Parse one profile file; its engine checks its own keys. Problems are errors naming the file."""
    try:
        data: dict[str, Any] = tomllib.loads(read_user_text(path, SETTINGS_LIMIT, "voice profile"))
    except tomllib.TOMLDecodeError as e:
        raise AudiobookError(f"{path}: not a valid TOML voice profile ({e}); fix the file") from None
    engine = data.pop("engine", None)
    if engine is None:
        raise AudiobookError(f'{path}: no engine given; add e.g. engine = "espeak"')
    if not isinstance(engine, str):
        raise AudiobookError(f"{path}: engine must be str, got {engine!r}; fix the file")
    if engine not in engine_names():
        raise AudiobookError(f"{path}: unknown engine '{engine}'; use one of: {', '.join(engine_names())}")
    languages = _languages(data.pop("languages", {}), path)
    settings = get_engine(engine).parse(data, path.parent, str(path))
    return VoiceProfile(name=path.stem, engine=engine, settings=settings, source=str(path), languages=languages)


def _languages(table: Any, path: Path) -> tuple[tuple[str, str], ...]:
    """A profile's `[languages]` table: language code -> voice ref (a profile name, a .toml path, a model)."""
    if not isinstance(table, dict) or not all(isinstance(v, str) and v for v in table.values()):
        raise AudiobookError(f'{path}: [languages] must map a language to a voice, e.g. ru = "ru-narrator"')
    out = []
    for lang, ref in table.items():
        # a relative .toml path is relative to the profile's folder, as model paths are
        out.append((lang, str(path.parent / ref) if ref.endswith(".toml") and not Path(ref).is_absolute() else ref))
    return tuple(out)


def model_profile(ref: str) -> VoiceProfile | None:
    """A profile for a found model named `NAME` or `NAME:SPEAKER`; None if no such model is found."""
    name, _, speaker_ref = ref.partition(":")
    model = next((m for m in find_models() if m.name == name), None)
    if model is None:
        return None
    if model.problem:
        raise AudiobookError(f"{model.path}: {model.problem}")
    table: dict[str, Any] = {"model": str(model.path)}
    if model.config:
        table["config"] = str(model.config)
    if speaker_ref:
        speaker = int(speaker_ref) if speaker_ref.isdigit() else speaker_ref
        _check_speaker(model, speaker, ref)
        table["speaker"] = speaker
    settings = get_engine(model.engine).parse(table, model.path.parent, f"voice '{ref}'")
    return VoiceProfile(name=ref, engine=model.engine, settings=settings, source=str(model.path))


def _check_speaker(model: FoundModel, speaker: int | str, ref: str) -> None:
    ok = (
        (isinstance(speaker, int) and 0 <= speaker < max(model.num_speakers, 1))
        or speaker in model.speakers.values()
        or (not model.lists_speakers and isinstance(speaker, str))  # the engine checks names when it loads
    )
    if not ok:
        raise AudiobookError(
            f"voice '{ref}': {model.name} has no speaker {speaker!r}; speakers: {model.speaker_list()}"
        )
