"""The episode manifest: everything the packaging and publishing writers read, as typed dataclasses.

`build_manifest` (package.episode) makes one from the script and the assembled episode; every writer
(tags, sidecars, read-along page, feed, EPUB) takes a `Manifest`. On disk it is `<stem>.json`, written by
`Manifest.to_json` and read back by `Manifest.from_json`, which checks the format and version so that an
old or foreign file gets one clear line instead of a KeyError deep in a writer.
"""

from __future__ import annotations

import json
import re
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

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
        """The manifest's "show": keys of a newer writer are ignored; a wrong type is a TypeError."""
        known = {f.name for f in fields(cls)}
        return cls.from_mapping({k: v for k, v in d.items() if k in known}, "show", error=TypeError)

    @classmethod
    def from_mapping(cls, data: dict[str, Any], source: str, error: type[Exception] = AudiobookError) -> Show:
        """Checked show details from podcast.toml or options; `source` names the origin in messages."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise error(f"{source}: unknown key {key!r}; use one of {', '.join(sorted(known))}")
            if value is None:
                continue
            if key == "explicit":
                if not isinstance(value, bool):
                    raise error(f"{source}: explicit is {value!r}; write explicit = true or false")
                values[key] = value
            elif not isinstance(value, str):
                raise error(f"{source}: {key} is {value!r}, not text; write it in quotes")
            elif value.strip():
                values[key] = value.strip()
        return cls(**values)

    def merge(self, override: Show | None) -> Show:
        """A copy where every field set (not None) in `override` wins."""
        if override is None:
            return self
        return replace(self, **{f.name: v for f in fields(self) if (v := getattr(override, f.name)) is not None})

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


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
            day = d.get("date")
            if day is not None:
                date.fromisoformat(_str(day))
            return cls(
                title=_str(d["title"]),
                date=day,
                lead=_str(d.get("lead") or ""),
                language=_str(d.get("language") or "kk"),
                audio=_str(d["audio"]),
                duration=_check(float, d["duration"], "duration"),
                sample_rate=_check(int, d["sample_rate"], "sample_rate"),
                show=None if show is None else Show.from_json(_check(dict, show, "show")),
                speakers=[_entry(SpeakerEntry, s) for s in _check(list, d["speakers"], "speakers")],
                chapters=[_entry(ChapterEntry, c) for c in _check(list, d["chapters"], "chapters")],
                segments=[_entry(SegmentEntry, s) for s in _check(list, d["segments"], "segments")],
                cues=[_entry(CueEntry, c) for c in _check(list, d["cues"], "cues")],
                sidecars=_entry(Sidecars, d["sidecars"]),
                extra={k: v for k, v in d.items() if k not in _TOP_KEYS},
            )
        except (KeyError, TypeError, ValueError) as e:
            raise AudiobookError(f"{source}: damaged audiobook manifest ({e}); re-run `audiobook render`") from None

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data = _xml_safe(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, ValueError) as e:
            raise AudiobookError(f"{path}: unreadable manifest ({e}); re-run `audiobook render`") from None
        return cls.from_json(data, str(path))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: Any) -> Any:
    """Every string in a decoded manifest without the characters XML 1.0 cannot hold (a manifest written by
    an older version, or by hand, may have them)."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, list):
        return [_xml_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _xml_safe(v) for k, v in value.items()}
    return value


def _str(value: Any) -> str:
    return _check(str, value, "text")


_T = TypeVar("_T")


def _check(kind: type[_T], value: Any, what: str) -> _T:
    """`value` as `kind` (an int is a float too; a bool is neither); TypeError naming `what` otherwise."""
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # type: ignore[return-value]
    if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
        raise TypeError(f"{what} is {value!r}, expected {kind.__name__}")
    return value


_KINDS: dict[str, tuple[type, bool]] = {
    "str": (str, False), "int": (int, False), "float": (float, False),
    "str | None": (str, True), "int | None": (int, True), "float | None": (float, True),
}


def _entry(cls: type[_T], data: Any) -> _T:
    """One list entry (a speaker, chapter, segment, cue; the sidecars), every field checked against its
    annotation, so that the writers can trust the types; keys of a newer writer are ignored."""
    data = _check(dict, data, cls.__name__)
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            if f.default is MISSING:
                raise KeyError(f"{cls.__name__}.{f.name}")
            continue
        kind, optional = _KINDS[str(f.type)]
        value = data[f.name]
        values[f.name] = None if value is None and optional else _check(kind, value, f"{cls.__name__}.{f.name}")
    return cls(**values)


_TOP_KEYS = {"format", "version"} | {f.name for f in fields(Manifest)}
