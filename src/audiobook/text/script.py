"""The script: who says what, in which chapter. Produced by `parse`, consumed by every later stage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

SCRIPT_SUFFIXES = (".yaml", ".yml", ".json")  # an edited script (text.scriptfile), not an article

Role = Literal["narrator", "interviewer", "interviewee"]
ROLES: tuple[Role, ...] = ("narrator", "interviewer", "interviewee")


@dataclass(frozen=True)
class Speaker:
    id: str  # stable key used by segments, e.g. "narrator", "interviewer", "interviewee", "aigul-serikqyzy"
    name: str  # display name for transcripts and tags
    role: Role
    voice: str | None = None  # voice profile name or path; None means the cast's default for the role


@dataclass(frozen=True)
class Segment:
    speaker: str  # Speaker.id
    role: Role
    text: str  # the paragraph as written (labels and dash markers removed), not yet normalized
    chapter: int  # index into Script.chapters
    language: str | None = None  # "kk", "ru" or "en" set by an edited script; None: detect per sentence


@dataclass(frozen=True)
class Chapter:
    title: str
    first_segment: int


@dataclass(frozen=True)
class Dropped:
    """A line of the input left out of the audio (page furniture), and why."""

    line: int  # where it was: line of a text, HTML or Markdown file; paragraph number in a Word file
    text: str
    reason: str  # e.g. "counter", "photo credit", "related news", "outside the article (page around it)"


@dataclass
class Script:
    title: str
    date: date | None
    lead: str
    speakers: list[Speaker]
    segments: list[Segment]
    chapters: list[Chapter]
    warnings: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)  # what the parser left out, in input order

    def speaker(self, speaker_id: str) -> Speaker:
        for s in self.speakers:
            if s.id == speaker_id:
                return s
        raise KeyError(speaker_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "lead": self.lead,
            "speakers": [asdict(s) for s in self.speakers],
            "segments": [{k: v for k, v in asdict(s).items() if k != "language" or v is not None}
                         for s in self.segments],
            "chapters": [asdict(c) for c in self.chapters],
            "dropped": [asdict(d) for d in self.dropped],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Script:
        return cls(
            title=d["title"],
            date=date.fromisoformat(d["date"]) if d.get("date") else None,
            lead=d.get("lead", ""),
            speakers=[Speaker(**s) for s in d["speakers"]],
            segments=[Segment(**s) for s in d["segments"]],
            chapters=[Chapter(**c) for c in d["chapters"]],
            dropped=[Dropped(**x) for x in d.get("dropped", [])],
        )


def is_script_file(path: Path) -> bool:
    """A script to render (YAML/JSON) rather than an article to parse."""
    return path.suffix.lower() in SCRIPT_SUFFIXES


@dataclass(frozen=True)
class Line:
    """One sentence to speak: what the article says and what the voice is given."""

    segment: int
    sentence: int
    chapter: int
    speaker: str
    text: str
    spoken: str
    language: str = "kk"  # "kk", "ru" or "en" (text/language.py)
    voice: str = ""  # the name of the profile that speaks it: the speaker's voice for that language
