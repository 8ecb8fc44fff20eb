"""Assemble stage: place every piece on one timeline with pauses, in one preallocated buffer.

Adding pydub segments in a loop copies the whole episode each time; here lengths are known up front
(from WAV headers), so the episode is allocated once and each piece is read straight into its slot.
All times come from sample counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from audiobook.audio.pcm import read_wav, seconds_to_samples
from audiobook.text.script import Line
from audiobook.voice.engines import Pcm
from audiobook.voice.synth import Rendered


@dataclass(frozen=True)
class Pacing:
    """Every pause of the episode, in seconds, in one place."""

    sentence: float = 0.35  # between sentences of one paragraph
    paragraph: float = 0.65  # between paragraphs of one speaker
    turn: float = 0.85  # when the speaker changes
    chapter: float = 1.5  # before each chapter after the first
    chapter_lead: float = 0.3  # a chapter mark starts this long before its first word
    head: float = 0.4  # silence at the very start
    tail: float = 1.2  # silence at the very end
    trim_db: float = -45.0  # pieces are trimmed of leading/trailing audio quieter than this (dBFS)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    segment: int
    chapter: int
    speaker: str
    text: str
    language: str = "kk"
    voice: str = ""


@dataclass(frozen=True)
class ChapterMark:
    title: str
    start: float
    end: float


@dataclass(frozen=True)
class Span:
    start: float
    end: float


@dataclass
class Episode:
    samples: np.ndarray  # int16 mono PCM
    sample_rate: int
    cues: list[Cue]
    chapters: list[ChapterMark]
    segments: dict[int, Span]

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def _gap(prev: Line | None, cur: Line, p: Pacing) -> float:
    if prev is None:
        return p.head
    if cur.chapter != prev.chapter:
        return p.chapter
    if cur.speaker != prev.speaker:
        return p.turn
    if cur.segment != prev.segment:
        return p.paragraph
    return p.sentence


def assemble(
    lines: Sequence[Line],
    pieces: Sequence[Rendered],
    chapter_titles: Sequence[str],
    rate: int,
    pacing: Pacing = Pacing(),
    intro: Pcm | None = None,
    outro: Pcm | None = None,
) -> Episode:
    """Lay out `lines` (with their synthesized `pieces`) after an optional intro and before an outro."""
    if len(lines) != len(pieces):
        raise ValueError("one piece per line")
    for piece in pieces:
        if piece.sample_rate != rate:
            raise ValueError(f"{piece.path}: rate {piece.sample_rate}, episode rate {rate}")
    offsets: list[int] = []
    pos = len(intro.samples) if intro is not None else 0
    prev: Line | None = None
    for line, piece in zip(lines, pieces, strict=True):
        pos += seconds_to_samples(_gap(prev, line, pacing), rate)
        offsets.append(pos)
        pos += piece.frames
        prev = line
    pos += seconds_to_samples(pacing.tail, rate)
    if outro is not None:
        pos += len(outro.samples)
    # 16-bit, as the pieces are: the episode costs no more memory than its own PCM. Nothing overlaps
    # (music sits before and after the speech), so pieces are copied, not mixed.
    samples = np.zeros(pos, dtype=np.int16)
    if intro is not None:
        samples[: len(intro.samples)] = intro.samples
    if outro is not None:
        samples[pos - len(outro.samples) :] = outro.samples
    for off, piece in zip(offsets, pieces, strict=True):
        pcm = read_wav(piece.path)
        samples[off : off + len(pcm.samples)] = pcm.samples

    cues = [
        Cue(off / rate, (off + piece.frames) / rate, line.segment, line.chapter, line.speaker, line.text,
            line.language, line.voice)
        for off, piece, line in zip(offsets, pieces, lines, strict=True)
    ]
    segments: dict[int, Span] = {}
    for cue in cues:
        span = segments.get(cue.segment)
        segments[cue.segment] = Span(span.start if span else cue.start, cue.end)
    duration = pos / rate
    starts: dict[int, float] = {}
    for cue in cues:
        starts.setdefault(cue.chapter, cue.start)
    marks: list[ChapterMark] = []
    ordered = sorted(starts)
    for i, ch in enumerate(ordered):
        start = 0.0 if i == 0 else max(marks[-1].start, starts[ch] - pacing.chapter_lead)
        if marks:
            marks[-1] = ChapterMark(marks[-1].title, marks[-1].start, start)
        marks.append(ChapterMark(chapter_titles[ch], start, duration))
    return Episode(samples, rate, cues, marks, segments)
