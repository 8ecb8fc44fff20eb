"""The episode manifest: everything the packaging and publishing writers read, as typed dataclasses.

`build_manifest` (package.episode) makes one from the script and the assembled episode; every writer
(tags, sidecars, read-along page, feed, EPUB) takes a `Manifest`. On disk it is `<stem>.json`, written by
`Manifest.to_json` and read back by `Manifest.from_json`, which checks the format and version so that an
old or foreign file gets one clear line instead of a KeyError deep in a writer.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from audiobook.errors import AudiobookError

FORMAT = "audiobook-manifest"
VERSION = 1


@dataclass(frozen=True)
class Show:
    """Show (channel) details, from podcast.toml and options. None means "not given"."""

    title: str | None = None
    author: str | None = None
    description: str | None = None
    image: str | None = None  # a file name beside the episode, or a URL
    category: str | None = None  # "News" or "News/Politics" (Apple Podcasts categories)
    explicit: bool | None = None
    language: str | None = None
    link: str | None = None
    email: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Show:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass(frozen=True)
class SpeakerEntry:
    id: str
    name: str
    role: str
    voice: str  # the profile's name


@dataclass(frozen=True)
class ChapterEntry:
    title: str
    start: float
    end: float


@dataclass(frozen=True)
class SegmentEntry:
    index: int
    start: float | None  # None: nothing in the segment was spoken
    end: float | None
    speaker: str
    role: str
    voice: str
    chapter: int
    text: str


@dataclass(frozen=True)
class CueEntry:
    """One spoken sentence with its sample-exact times (rounded to the millisecond)."""

    start: float
    end: float
    speaker: str
    name: str
    segment: int
    chapter: int
    text: str
    # Optional, so manifests written before languages were detected still load (as Kazakh).
    language: str = "kk"
    voice: str = ""  # the profile that spoke this sentence (the speaker's voice for its language)


@dataclass(frozen=True)
class Sidecars:
    """File names (beside the audio) of the files written with it."""

    vtt: str
    srt: str
    chapters: str
    transcript: str
    html: str

    def items(self) -> list[tuple[str, str]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self)]


@dataclass(frozen=True)
class Manifest:
    title: str
    date: str | None  # YYYY-MM-DD
    lead: str
    language: str
    audio: str  # the MP3's file name
    duration: float
    sample_rate: int
    show: Show | None
    speakers: list[SpeakerEntry]
    chapters: list[ChapterEntry]
    segments: list[SegmentEntry]
    cues: list[CueEntry]
    sidecars: Sidecars
    extra: dict[str, Any] = field(default_factory=dict)  # keys of a newer writer, kept as they are

    @property
    def stem(self) -> str:
        return Path(self.audio).stem

    def speaker_names(self) -> dict[str, str]:
        return {s.id: s.name for s in self.speakers}

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"format": FORMAT, "version": VERSION}
        for f in fields(self):
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            if f.name == "show":
                value = value.to_json() if value is not None else None
            elif f.name == "sidecars":
                value = dict(value.items())
            elif isinstance(value, list):
                value = [asdict(v) for v in value]
            d[f.name] = value
        d.update(self.extra)
        return d

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, d: Any, source: str = "<manifest>") -> Manifest:
        """The typed manifest of a decoded `<stem>.json`; anything else is one AudiobookError line."""
        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise AudiobookError(f"{source}: not an audiobook manifest; give a .json that `audiobook render` wrote")
        if d.get("version") != VERSION:
            raise AudiobookError(
                f"{source}: manifest version {d.get('version')!r}, this audiobook reads version {VERSION}; "
                "re-run `audiobook render`"
            )
        try:
            show = d.get("show")
            return cls(
                title=_str(d["title"]),
                date=d.get("date") if isinstance(d.get("date"), str) else None,
                lead=_str(d.get("lead") or ""),
                language=_str(d.get("language") or "kk"),
                audio=_str(d["audio"]),
                duration=float(d["duration"]),
                sample_rate=int(d["sample_rate"]),
                show=Show.from_json(show) if isinstance(show, dict) else None,
                speakers=[SpeakerEntry(**s) for s in d["speakers"]],
                chapters=[ChapterEntry(**c) for c in d["chapters"]],
                segments=[SegmentEntry(**s) for s in d["segments"]],
                cues=[CueEntry(**c) for c in d["cues"]],
                sidecars=Sidecars(**d["sidecars"]),
                extra={k: v for k, v in d.items() if k not in _TOP_KEYS},
            )
        except (KeyError, TypeError, ValueError) as e:
            raise AudiobookError(f"{source}: damaged audiobook manifest ({e!r}); re-run `audiobook render`") from None

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as e:
            raise AudiobookError(f"{path}: unreadable manifest ({e}); re-run `audiobook render`") from None
        return cls.from_json(data, str(path))


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {value!r}")
    return value


_TOP_KEYS = {"format", "version"} | {f.name for f in fields(Manifest)}
