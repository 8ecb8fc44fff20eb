"""Reading rendered episodes back: each `<stem>.json` manifest with its MP3 and sidecars, and the dates
an earlier feed.xml gave them."""

from __future__ import annotations

import contextlib
import json
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from mutagen import MutagenError
from mutagen.mp3 import MP3

from audiobook.errors import AudiobookError
from audiobook.package.manifest import FORMAT, Manifest

# Our own namespace for episode guids; fixed forever so guids survive re-renders and moves.
_EPISODE_GUID_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://audiobook.invalid/episode")
_SIDECAR_SUFFIXES = (".chapters.json", ".transcript.json")


@dataclass
class FeedEpisode:
    path: Path  # the manifest
    manifest: Manifest
    title: str
    day: date | None
    audio: Path
    size: int
    duration: float  # measured from the MP3
    guid: str
    sidecars: dict[str, Path] = field(default_factory=dict)  # existing sidecar files by kind
    pub_date: datetime | None = None

    @property
    def sort_key(self) -> tuple[date, str]:
        return self.day or date.min, self.audio.name


def discover(folder: Path) -> tuple[list[FeedEpisode], list[Path]]:
    """The rendered episodes in `folder`, and the .json files that are not manifests (skipped).

    A file declaring the manifest format, or named like an MP3 beside it, is read as a manifest: an old,
    foreign or damaged one is one clear line (Manifest.load), not a silently missing episode."""
    episodes: list[FeedEpisode] = []
    skipped: list[Path] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("."):
            continue  # hidden: a render's partial files, a batch's ledger
        # A sidecar (x.chapters.json) is no manifest, but an episode may be named x.chapters itself: the
        # file's own content decides, not its name.
        if path.name.endswith(_SIDECAR_SUFFIXES) and not path.with_suffix(".mp3").is_file():
            continue
        if not (path.with_suffix(".mp3").is_file() or _declares_manifest(path)):
            skipped.append(path)
            continue
        ep = _episode(folder, path, Manifest.load(path))
        if ep.guid in seen:
            raise AudiobookError(f"{path}: same title and date as {seen[ep.guid].name}; remove one of the two renders")
        seen[ep.guid] = path
        episodes.append(ep)
    return episodes, skipped


def _declares_manifest(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT


def _episode(folder: Path, path: Path, manifest: Manifest) -> FeedEpisode:
    title = manifest.title.strip()
    if not title:
        raise AudiobookError(f"{path}: manifest has no title; re-run `audiobook render`")
    audio = local_file(folder, manifest.audio)
    if audio is None:
        raise AudiobookError(f"{path}: audio file {manifest.audio!r} not found in {folder}; re-run render")
    try:
        info = MP3(audio).info
        if info is None:
            raise MutagenError("no MPEG frames")
        duration = float(info.length)
    except (MutagenError, OSError) as exc:
        raise AudiobookError(f"{audio}: not a readable MP3 ({_one_line(exc)}); re-run render") from exc
    sidecars = {kind: p for kind, name in manifest.sidecars.items() if (p := local_file(folder, name)) is not None}
    # The article (headline + date) identifies the episode: re-rendering it, with other voices or
    # under another file name, or moving the feed to another host keeps the same guid.
    key = f"{manifest.date or ''}\n{title}"
    return FeedEpisode(
        path=path,
        manifest=manifest,
        title=title,
        day=date.fromisoformat(manifest.date) if manifest.date else None,
        audio=audio,
        size=audio.stat().st_size,
        duration=duration,
        guid=f"urn:uuid:{uuid.uuid5(_EPISODE_GUID_NS, key)}",
        sidecars=sidecars,
    )


def local_file(folder: Path, name: str | None) -> Path | None:
    """A plain file name inside `folder` (no directories, so URLs map 1:1 to files)."""
    if not name or name != Path(name).name or name.startswith("."):
        return None
    path = folder / name
    return path if path.is_file() else None


def pub_date(ep: FeedEpisode, previous: dict[str, datetime]) -> datetime:
    if ep.day is not None:
        return datetime(ep.day.year, ep.day.month, ep.day.day, tzinfo=UTC)
    # Undated article: keep the date it was first published with; else the render time of the MP3.
    if ep.guid in previous:
        return previous[ep.guid]
    return datetime.fromtimestamp(int(ep.audio.stat().st_mtime), UTC)


def read_previous(path: Path) -> tuple[dict[str, datetime], datetime | None]:
    """pubDates by guid and lastBuildDate from an existing feed.xml (empty if absent or unreadable)."""
    if not path.is_file():
        return {}, None
    try:
        channel = ET.parse(path).getroot().find("channel")
    except (ET.ParseError, OSError):
        return {}, None
    if channel is None:
        return {}, None
    dates: dict[str, datetime] = {}
    for item in channel.iter("item"):
        guid, pub = item.findtext("guid"), item.findtext("pubDate")
        if guid and pub:
            with contextlib.suppress(TypeError, ValueError):
                dates[guid] = parsedate_to_datetime(pub)
    build: datetime | None = None
    text = channel.findtext("lastBuildDate")
    if text:
        with contextlib.suppress(TypeError, ValueError):
            build = parsedate_to_datetime(text)
    return dates, build


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
