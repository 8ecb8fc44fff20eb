"""Cast: which voice profile speaks for each speaker of a script."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable

from audiobook.errors import AudiobookError
from audiobook.files import SETTINGS_LIMIT, read_user_text
from audiobook.text.language import LANGUAGES
from audiobook.text.script import ROLES, Script
from audiobook.voice.engines import engine_names, get_engine
from audiobook.voice.modelfiles import FoundModel, find_models, kazakh_piper_models
from audiobook.voice.profile import VoiceProfile, list_profile_files, voice_dirs
from audiobook.voice.resolve import find_profile

# Used when no Kazakh Piper voice is found: three espeak-ng Kazakh voices that sound clearly apart.
BUILTIN_CAST: dict[str, str] = {
    "narrator": "kk-narrator",
    "interviewer": "kk-interviewer",
    "interviewee": "kk-interviewee",
}

# Further speakers of a role (a round table) when the cast is espeak-ng.
SPARE_VOICES: dict[str, tuple[str, ...]] = {"interviewee": ("kk-guest-2", "kk-guest-3")}

# Role -> speaker id for models whose speakers are known. kk_KZ-issai-high (ISSAI KazakhTTS/KazakhTTS2):
# 0 M2 and 1 Iseke are male, 2 F3, 3 Raya, 4 F1 and 5 F2 female. A male narrator, a female interviewer
# and a second male voice for the interviewee keep all three apart.
ROLE_SPEAKERS: dict[str, dict[str, int]] = {
    "kk_KZ-issai-high": {"narrator": 0, "interviewer": 4, "interviewee": 1},
}

DOWNLOAD_COMMAND = "python -m piper.download_voices kk_KZ-issai-high --data-dir voices"


def piper_cast(models: list[FoundModel] | None = None) -> dict[str, str] | None:
    """Role -> voice ref ("NAME:SPEAKER" or "NAME") from the Kazakh Piper voices found, best first;
    None when there is none. Roles get distinct speakers as far as the voices found allow."""
    models = kazakh_piper_models() if models is None else models
    if not models:
        return None
    best = models[0]
    known = ROLE_SPEAKERS.get(best.name)
    if known and best.num_speakers > max(known.values()):
        return {role: f"{best.name}:{sid}" for role, sid in known.items()}
    refs: list[str] = []
    for m in models:
        refs += [f"{m.name}:{i}" for i in range(m.num_speakers)] if m.num_speakers > 1 else [m.name]
    # Fewer than three speakers: the interviewer still differs from the others, who alternate with it.
    order = {1: (0, 0, 0), 2: (0, 1, 0)}.get(len(refs), (0, 1, 2))
    return {role: refs[i] for role, i in zip(ROLES, order, strict=True)}


def piper_hint(used: Iterable[VoiceProfile] | None = None) -> str | None:
    """What to tell the user when there is no Kazakh Piper voice (or too few speakers for three roles).

    `used`: the profiles actually cast; the "none found" hint is only given when one of them is not neural
    (espeak-ng)."""
    models = kazakh_piper_models()
    if not models:
        if used is not None and all(get_engine(p.engine).neural for p in used):
            return None
        return f"No Kazakh Piper voice found; for natural voices run: {DOWNLOAD_COMMAND}"
    speakers = sum(max(m.num_speakers, 1) for m in models)
    if speakers < len(ROLES):
        return (
            f"Only {speakers} Kazakh Piper speaker(s) found, so roles share a voice; for three distinct "
            f"voices run: {DOWNLOAD_COMMAND}"
        )
    return None


def default_cast() -> dict[str, str]:
    """Role -> profile name. The first `cast.toml` in the voice folders wins for the roles it names;
    other roles get the Kazakh Piper voices found, else the built-in espeak-ng cast."""
    base = piper_cast() or dict(BUILTIN_CAST)
    for d in voice_dirs():
        path = d / "cast.toml"
        if path.exists():  # a cast.toml that is a device or a pipe is an error, not skipped
            try:
                data = tomllib.loads(read_user_text(path, SETTINGS_LIMIT, "cast file"))
            except tomllib.TOMLDecodeError as e:
                raise AudiobookError(f"{path}: not valid TOML ({e}); fix the file") from None
            roles = data.get("cast", data)
            unknown = sorted(set(roles) - set(ROLES))
            if unknown:
                raise AudiobookError(f"{path}: unknown role(s) {', '.join(unknown)}; use {', '.join(ROLES)}")
            return {**base, **{k: str(v) for k, v in roles.items()}}
    return base


def parse_overrides(items: list[str]) -> dict[str, str]:
    """`--voice ROLE=PROFILE` options (ROLE may also be a speaker id) into a mapping."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise AudiobookError(
                f"--voice {item!r}: expected ROLE=PROFILE, e.g. --voice interviewee=guest.toml"
            )
        out[key.strip()] = value.strip()
    return out


def cast_script(script: Script, overrides: dict[str, str] | None = None) -> dict[str, VoiceProfile]:
    """Speaker id -> profile. Precedence: --voice by speaker id, the script's own choice, --voice by role,
    the default cast for the role."""
    overrides = overrides or {}
    known = {s.id for s in script.speakers} | set(ROLES)
    for key in overrides:
        base, at, lang = key.partition("@")
        if at and lang not in LANGUAGES[1:]:
            raise AudiobookError(f"--voice {key}=...: no language '{lang}'; use {base}@ru or {base}@en")
        if base not in known:
            raise AudiobookError(
                f"--voice {key}=...: no role or speaker '{key}'; use one of: {', '.join(sorted(known))}"
            )
    defaults = default_cast()
    cache: dict[str, VoiceProfile] = {}

    def load(ref: str) -> VoiceProfile:
        if ref not in cache:
            cache[ref] = find_profile(ref)
            check_profile(cache[ref])
        return cache[ref]

    cast: dict[str, VoiceProfile] = {}
    seen: dict[str, int] = {}  # speakers of each role given the role's default so far
    for sp in script.speakers:
        ref = overrides.get(sp.id) or sp.voice or overrides.get(sp.role)
        if ref is None:
            # In a round table each further guest gets a voice of their own, while alternates last.
            k = seen.get(sp.role, 0)
            seen[sp.role] = k + 1
            spare = alternates(defaults, sp.role)
            ref = spare[k - 1] if 0 < k <= len(spare) else defaults[sp.role]
        cast[sp.id] = load(ref)
    return cast


def alternates(defaults: dict[str, str], role: str) -> list[str]:
    """Other voices for further speakers of `role`: the unused speakers of the role's multi-speaker
    model, or else the spare espeak-ng guest voices."""
    name, sep, _ = defaults[role].partition(":")
    if sep:
        model = next((m for m in kazakh_piper_models() if m.name == name), None)
        if model is not None:
            used = {d.partition(":")[2] for d in defaults.values() if d.startswith(name + ":")}
            return [f"{name}:{i}" for i in range(model.num_speakers) if str(i) not in used]
    return list(SPARE_VOICES.get(role, ()))


def check_profile(profile: VoiceProfile) -> None:
    """Fail before any synthesis on what a profile names but cannot be had: an unknown engine, a missing
    model or config file (the engine's own check). Loading the model is left to the worker that uses it."""
    if profile.engine not in engine_names():
        names = ", ".join(engine_names())
        raise AudiobookError(f"{profile.where}: unknown engine '{profile.engine}'; use one of: {names}")
    get_engine(profile.engine).check(profile)


# --- the same speakers in other languages -------------------------------------------------------------

LanguageCast = dict[str, dict[str, VoiceProfile]]  # speaker id -> language -> profile


def foreign_piper_models(language: str) -> list[FoundModel]:
    """Usable Piper voices of `language` ("ru", "en"), best first, as for Kazakh."""
    models = [m for m in find_models() if m.engine == "piper" and m.problem is None
              and m.language.lower().replace("-", "_").split("_")[0] == language]
    return sorted(models, key=lambda m: (-m.num_speakers, m.name))


def language_ref(kazakh: VoiceProfile, role: str, language: str, piper: dict[str, str] | None) -> str:
    """The voice for a speaker whose Kazakh voice is `kazakh` when they speak `language`: the profile's
    own `[languages]` entry, else a Piper voice of that language found (cast by role), else the espeak-ng
    counterpart of the Kazakh profile (`kk-guest-2` -> `ru-guest-2`) or of the role (`ru-narrator`)."""
    if (ref := kazakh.voice_for(language)) is not None:
        return ref
    if piper:
        return piper[role]
    if kazakh.name.startswith("kk-"):
        counterpart = f"{language}-{kazakh.name[3:]}"
        if any(p.stem == counterpart for p in list_profile_files()):
            return counterpart
    return f"{language}-{role}"


def cast_languages(
    script: Script, cast: dict[str, VoiceProfile], languages: Iterable[str], overrides: dict[str, str] | None = None,
) -> LanguageCast:
    """Speaker id -> language -> profile: one voice per speaker per language. `--voice SPEAKER@ru=PROFILE`
    (or `ROLE@ru=...`) wins, then `language_ref`."""
    overrides = overrides or {}
    langs = [x for x in languages if x != "kk"]
    pipers = {lang: piper_cast(foreign_piper_models(lang)) for lang in langs}
    loaded: dict[str, VoiceProfile] = {}
    out: LanguageCast = {}
    for sp in script.speakers:
        per = {"kk": cast[sp.id]}
        for lang in langs:
            ref = (overrides.get(f"{sp.id}@{lang}") or overrides.get(f"{sp.role}@{lang}")
                   or language_ref(cast[sp.id], sp.role, lang, pipers[lang]))
            if ref not in loaded:
                loaded[ref] = find_profile(ref)
                check_profile(loaded[ref])
            per[lang] = loaded[ref]
        out[sp.id] = per
    return out


def default_language_cast(languages: Iterable[str] = ("kk", "ru", "en")) -> dict[str, dict[str, str]]:
    """Role -> language -> voice ref, for `audiobook voices`."""
    langs = list(languages)
    pipers = {lang: piper_cast(foreign_piper_models(lang)) for lang in langs if lang != "kk"}
    out: dict[str, dict[str, str]] = {}
    for role, ref in default_cast().items():
        kazakh = find_profile(ref)
        out[role] = {"kk": ref, **{lang: language_ref(kazakh, role, lang, pipers[lang]) for lang in pipers}}
    return out
