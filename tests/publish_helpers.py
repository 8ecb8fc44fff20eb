"""Small rendered episodes for the publish tests, made by the real stages after synthesis: a sine tone
stands in for each spoken sentence, and `assemble`, `build_manifest` and `write_episode` do the rest
(MP3 with tags, manifest, sidecars, read-along page), so a change to any of them shows here."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from audiobook.audio.assemble import Episode, assemble
from audiobook.audio.encode import Mastered
from audiobook.audio.master import Loudness, plan_master
from audiobook.audio.pcm import Pcm, write_wav
from audiobook.package.episode import PackageSettings, build_manifest, write_episode
from audiobook.package.manifest import Manifest, Show
from audiobook.text.script import Chapter, Line, Role, Script, Segment, Speaker
from audiobook.voice.engines.espeak import EspeakSettings
from audiobook.voice.profile import VoiceProfile
from audiobook.voice.synth import Rendered

RATE = 22050
SPEAKERS = [
    Speaker("narrator", "Диктор", "narrator"),
    Speaker("interviewer", "Тілші", "interviewer"),
    Speaker("interviewee", "Айгүл Серікқызы", "interviewee"),
]
DEFAULT_PARAGRAPHS: list[tuple[str, list[str]]] = [
    ("narrator", ["Бүгін біз ауыл шаруашылығы туралы сөйлесеміз.", "Қонағымыз – агроном."]),
    ("interviewer", ["Сәлеметсіз бе?", "Биылғы егін қалай?"]),
    ("interviewee", ["Сәлеметсіз бе.", "Егін жақсы шықты.", "Жаңбыр көп болды."]),
]


def make_episode(
    folder: Path,
    stem: str,
    title: str,
    day: str | None,
    *,
    freq: int = 440,
    show: Show | None = None,
    cover: Path | None = None,
    **script: Any,
) -> Manifest:
    """Render S.mp3 and everything beside it into `folder` (`script`: as for `make_manifest`)."""
    settings = PackageSettings(bitrate="64k", show=show, cover=cover)
    manifest, episode = _build(folder.parent / f".pieces-{stem}", stem, title, day, freq, settings, **script)
    plan = plan_master(episode.samples, RATE, Loudness())
    mastered = Mastered(episode.samples, RATE, [0, len(episode.samples)], plan, Loudness())
    write_episode(mastered, manifest, folder, settings)
    return manifest


def make_manifest(tmp: Path, stem: str = "agronom", title: str = "Агрономмен сұхбат", day: str | None = "2025-10-18",
                  show: Show | None = None, **script: Any) -> Manifest:
    """The manifest `build_manifest` gives for such an episode, without writing it."""
    return _build(tmp / f".pieces-{stem}", stem, title, day, 440, PackageSettings(show=show), **script)[0]


def _build(
    pieces: Path,
    stem: str,
    title: str,
    day: str | None,
    freq: int,
    settings: PackageSettings,
    *,
    lead: str = "Агрономмен сұхбат.",
    paragraphs: list[tuple[str, list[str]]] | None = None,
    sentence_seconds: float = 1.0,
    speakers: list[Speaker] | None = None,
) -> tuple[Manifest, Episode]:
    """The narrator's first paragraph is the introduction (chapter 0), the rest one chapter; every
    sentence is `sentence_seconds` of a tone."""
    paragraphs = paragraphs or DEFAULT_PARAGRAPHS
    speakers = speakers or SPEAKERS
    roles: dict[str, Role] = {s.id: s.role for s in speakers}
    segments = [Segment(sp, roles[sp], " ".join(sents), 0 if i == 0 else 1) for i, (sp, sents) in enumerate(paragraphs)]
    chapters = [Chapter("Кіріспе", 0)] + ([Chapter("Сұхбат", 1)] if len(segments) > 1 else [])
    script = Script(title, date.fromisoformat(day) if day else None, lead, speakers, segments, chapters)
    lines = [
        Line(i, j, segments[i].chapter, sp, text, text)
        for i, (sp, sents) in enumerate(paragraphs)
        for j, text in enumerate(sents)
        if any(ch.isalpha() for ch in text)  # as the pipeline: a sentence with no word is not spoken
    ]
    pieces.mkdir(parents=True, exist_ok=True)
    n = int(sentence_seconds * RATE)
    tone = (0.3 * 32767 * np.sin(2 * np.pi * freq * np.arange(n) / RATE)).astype(np.int16)
    piece = pieces / f"tone-{freq}-{n}.wav"
    write_wav(piece, Pcm(tone, RATE))
    episode = assemble(lines, [Rendered(piece, n, RATE)] * len(lines), [c.title for c in chapters], RATE)
    cast = {s.id: VoiceProfile(f"kk-{s.role}", "espeak", EspeakSettings()) for s in speakers}
    return build_manifest(script, episode, cast, stem, settings), episode
