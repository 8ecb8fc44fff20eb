"""`audiobook voices`: the engines, the voice profiles, the models found and the default cast, as tables."""

from __future__ import annotations

from dataclasses import dataclass

from audiobook.errors import AudiobookError
from audiobook.voice.cast import default_cast, default_language_cast
from audiobook.voice.engines import engine_names, get_engine
from audiobook.voice.modelfiles import find_models
from audiobook.voice.profile import list_profile_files
from audiobook.voice.resolve import load_profile


@dataclass(frozen=True)
class VoiceTable:
    """One table for `audiobook voices`: printed as is by the CLI."""

    title: str
    columns: list[str]
    rows: list[list[str]]


def describe_voices() -> str:
    """`audiobook voices` as plain text: each table of `voice_tables()` with aligned columns."""
    out: list[str] = []
    for t in voice_tables():
        out.append(t.title)
        if not t.rows:
            out += ["  (none)", ""]
            continue
        cells = [t.columns, *t.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(t.columns))]
        for r in cells:
            out.append(("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))).rstrip())
        out.append("")
    return "\n".join(out)


def voice_tables() -> list[VoiceTable]:
    """Engines, voice profiles, models found and the default cast, for `audiobook voices`."""
    engines = VoiceTable("Engines", ["engine", "installed", "details"], [])
    for name in engine_names():
        ok, detail = get_engine(name).requirements.status()
        engines.rows.append([name, "yes" if ok else "no", detail])

    profiles = VoiceTable("Voice profiles", ["name", "engine", "model", "speaker", "file", "status"], [])
    for path in list_profile_files():
        try:
            p = load_profile(path)
        except AudiobookError as e:
            profiles.rows.append([path.stem, "", "", "", str(path), str(e)])
            continue
        s = get_engine(p.engine).summary(p)
        profiles.rows.append([p.name, p.engine, s.model, s.speaker, str(path), s.status])

    columns = ["name", "engine", "language", "rate", "speakers", "path", "status"]
    models = VoiceTable("Models found", columns, [])
    for m in find_models():
        rate = f"{m.sample_rate} Hz" if m.sample_rate else "?"
        models.rows.append(
            [m.name, m.engine, m.language or "?", rate, m.speaker_list(), str(m.path), m.problem or "ok"]
        )

    cast = VoiceTable("Default cast (change with --voice ROLE=PROFILE)", ["role", "voice"], [])
    try:
        cast.rows.extend([role, ref] for role, ref in default_cast().items())
    except AudiobookError as e:
        cast.rows.append(["?", str(e)])
    per_language = VoiceTable("Cast per language (change with --voice ROLE@ru=PROFILE)", ["role", "kk", "ru", "en"], [])
    try:
        per_language.rows.extend([role, *(refs.get(x, "") for x in ("kk", "ru", "en"))]
                                 for role, refs in default_language_cast().items())
    except AudiobookError as e:
        per_language.rows.append(["?", str(e), "", ""])
    return [engines, profiles, models, cast, per_language]
