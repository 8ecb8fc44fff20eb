"""Podcast RSS feed for a folder of rendered episodes (RSS 2.0 + iTunes + Podcasting 2.0 namespaces).

The feed is rebuilt from the episode manifests on every run. Everything that goes into an item is
derived from the files (manifest, MP3, sidecars), so an unchanged episode produces a byte-identical
item; the only per-run value, lastBuildDate, is kept from the previous feed.xml when nothing changed.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from mutagen import MutagenError
from mutagen.mp3 import MP3

from audiobook import __version__
from audiobook.errors import AudiobookError
from audiobook.publish.show import read_podcast_toml

FEED_NAME = "feed.xml"
SHOW_FILE = "podcast.toml"
MANIFEST_FORMAT = "audiobook-manifest"

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
# Podcasting 2.0 <podcast:guid>: uuidv5 of the feed URL (no scheme) in this namespace.
_PODCAST_GUID_NS = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
# Our own namespace for episode guids; fixed forever so guids survive re-renders and moves.
_EPISODE_GUID_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://audiobook.invalid/episode")

# Apple Podcasts categories (https://podcasters.apple.com/support/1691-apple-podcasts-categories).
ITUNES_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies", "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News", "Daily News", "Entertainment News", "News Commentary", "Politics", "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality",
    ),
    "Science": (
        "Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics", "Natural Sciences",
        "Nature", "Physics", "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships",
    ),
    "Sports": (
        "Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey", "Rugby",
        "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}
DEFAULT_CATEGORY = "News"  # the tool publishes news interviews

# Transcript sidecars: manifest key -> (MIME type, rel). "captions" marks timed text per the spec.
_TRANSCRIPT_TYPES: dict[str, tuple[str, str | None]] = {
    "vtt": ("text/vtt", "captions"),
    "transcript": ("application/json", None),
    "srt": ("application/x-subrip", "captions"),
}


@dataclass(frozen=True)
class ShowInfo:
    """Channel-level details. None means "not given here" so layers can be merged."""

    title: str | None = None
    author: str | None = None
    description: str | None = None
    image: str | None = None  # URL (.jpg/.png) or a file name inside the episode folder
    category: str | None = None  # "News" or "News/Politics" (Apple Podcasts categories)
    explicit: bool | None = None
    language: str | None = None
    link: str | None = None  # the show's website; defaults to the base URL
    email: str | None = None  # itunes:owner email

    def merge(self, override: ShowInfo | None) -> ShowInfo:
        """Return a copy where every field set (not None) in `override` wins."""
        if override is None:
            return self
        changes = {f.name: v for f in fields(self) if (v := getattr(override, f.name)) is not None}
        return replace(self, **changes)

    @classmethod
    def from_mapping(cls, data: dict[str, Any], source: str) -> ShowInfo:
        """Build from podcast.toml / option values; `source` names the origin in error messages."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise AudiobookError(f"{source}: unknown key {key!r}; use one of {', '.join(sorted(known))}")
            if value is None:
                continue
            if key == "explicit":
                if not isinstance(value, bool):
                    raise AudiobookError(f"{source}: explicit is {value!r}; write explicit = true or false")
                values[key] = value
            else:
                if not isinstance(value, str):
                    raise AudiobookError(f"{source}: {key} is {value!r}, not text; write it in quotes")
                if value.strip():
                    values[key] = value.strip()
        return cls(**values)

    @classmethod
    def from_toml(cls, path: Path) -> ShowInfo:
        # Same reader as render's ID3 tags, so both stages accept exactly the same file.
        return cls.from_mapping(read_podcast_toml(path), str(path))


@dataclass
class _Episode:
    manifest: Path
    title: str
    lead: str
    language: str
    date: date | None
    audio: Path
    size: int
    duration: float  # measured from the MP3
    guid: str
    sidecars: dict[str, Path] = field(default_factory=dict)  # existing sidecar files by manifest key
    pub_date: datetime | None = None


def write_feed(folder: Path, base_url: str, show: ShowInfo | dict[str, Any] | None = None) -> Path:
    """Write `folder/feed.xml` for every rendered episode in `folder` and return its path.

    Show details: `show` (CLI options) over `folder/podcast.toml` over the newest manifest's "show".
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise AudiobookError(f"{folder}: not a folder; pass the folder `audiobook render` wrote to")
    base = _check_base_url(base_url)
    episodes = _discover(folder)
    if not episodes:
        raise AudiobookError(
            f"{folder}: no rendered episodes (no *.json audiobook manifests); "
            f"run `audiobook render ARTICLE -o {folder}` first"
        )

    info = _resolve_show(folder, episodes, show)
    out = folder / FEED_NAME
    previous_dates, previous_build = _read_previous(out)
    for ep in episodes:
        ep.pub_date = _pub_date(ep, previous_dates)
    # Newest first; ties broken by file name so the order never depends on directory listing order.
    episodes.sort(key=lambda e: e.audio.name)
    episodes.sort(key=lambda e: e.pub_date or datetime.min.replace(tzinfo=UTC), reverse=True)

    # Same content with the old build date -> leave the file (and lastBuildDate) untouched.
    if previous_build is not None and _build(info, episodes, base, previous_build) == out.read_bytes():
        return out
    data = _build(info, episodes, base, datetime.now(UTC).replace(microsecond=0))
    _check_xml(data, out)
    _atomic_write(out, data)
    return out


# --- show details -------------------------------------------------------------------------------


def _resolve_show(folder: Path, episodes: list[_Episode], show: ShowInfo | dict[str, Any] | None) -> ShowInfo:
    base = ShowInfo()
    newest = max(episodes, key=lambda e: (e.date or date.min, e.audio.name))
    manifest_show = json.loads(newest.manifest.read_text(encoding="utf-8")).get("show")
    if isinstance(manifest_show, dict):
        # Render options are a fallback only; unknown keys there are not the user's feed config.
        known = {f.name for f in fields(ShowInfo)}
        usable = {k: v for k, v in manifest_show.items() if k in known and isinstance(v, str | bool)}
        image = usable.get("image")
        if isinstance(image, str) and "://" not in image and not (folder / image).is_file():
            del usable["image"]  # a local cover render used from elsewhere; not servable from here
        base = ShowInfo.from_mapping(usable, str(newest.manifest))
    toml_path = folder / SHOW_FILE
    if toml_path.is_file():
        base = base.merge(ShowInfo.from_toml(toml_path))
    if isinstance(show, dict):
        show = ShowInfo.from_mapping(show, "options")
    info = base.merge(show)
    if not info.title:
        raise AudiobookError(f"show title: missing; pass --title or set title = \"...\" in {toml_path}")
    return info


def parse_category(value: str) -> tuple[str, str | None]:
    """'News/Politics', 'News > Politics', 'news' or just 'Politics' -> ('News', 'Politics' | None)."""
    parts = [p.strip() for p in value.replace(">", "/").split("/") if p.strip()]
    lookup = {c.casefold(): c for c in ITUNES_CATEGORIES}
    if len(parts) == 1:
        if parts[0].casefold() in lookup:
            return lookup[parts[0].casefold()], None
        wanted = parts[0].casefold()
        parents = [c for c, subs in ITUNES_CATEGORIES.items() if wanted in map(str.casefold, subs)]
        if len(parents) == 1:
            return parents[0], _canonical_sub(parents[0], parts[0])
    elif len(parts) == 2 and parts[0].casefold() in lookup:
        top = lookup[parts[0].casefold()]
        sub = _canonical_sub(top, parts[1])
        if sub:
            return top, sub
        choices = ", ".join(ITUNES_CATEGORIES[top]) or "none"
        raise AudiobookError(
            f"category: {value!r} is not an Apple Podcasts category; subcategories of {top}: {choices}"
        )
    raise AudiobookError(
        f"category: {value!r} is not an Apple Podcasts category; use one of {', '.join(ITUNES_CATEGORIES)} "
        "(optionally 'Top/Sub', e.g. 'News/Politics')"
    )


def _canonical_sub(top: str, sub: str) -> str | None:
    return next((s for s in ITUNES_CATEGORIES[top] if s.casefold() == sub.casefold()), None)


def _image_url(folder: Path, base: str, image: str | None) -> str | None:
    if image is None:
        # Conventional cover file next to the episodes.
        image = next((n for n in ("cover.jpg", "cover.png") if (folder / n).is_file()), None)
        if image is None:
            return None
    parts = urlsplit(image)
    if parts.scheme in ("http", "https"):
        # Case-sensitive on purpose: Apple (and feedgen, silently) accept only these endings.
        if not parts.path.endswith((".jpg", ".png")):
            raise AudiobookError(f"image: {image} must end in .jpg or .png (Apple Podcasts); give such a URL")
        return image
    path = (folder / image).resolve()
    if not path.is_file():
        raise AudiobookError(f"image: {image} is neither an http(s) URL nor a file in {folder}; copy it in")
    try:
        rel = path.relative_to(folder.resolve())
    except ValueError as exc:
        raise AudiobookError(f"image: {image} is outside {folder}; copy it into the folder") from exc
    if path.suffix not in (".jpg", ".png"):
        raise AudiobookError(f"image: {image} must be a .jpg or .png file (Apple Podcasts); convert it")
    return base + quote(rel.as_posix())


# --- episodes -----------------------------------------------------------------------------------


def _discover(folder: Path) -> list[_Episode]:
    episodes: list[_Episode] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith((".chapters.json", ".transcript.json")):
            continue
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue  # not ours; only files declaring the manifest format are episodes
        if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
            continue
        ep = _episode(folder, path, manifest)
        if ep.guid in seen:
            raise AudiobookError(
                f"{path}: same title and date as {seen[ep.guid].name}; remove one of the two renders"
            )
        seen[ep.guid] = path
        episodes.append(ep)
    return episodes


def _episode(folder: Path, path: Path, manifest: dict[str, Any]) -> _Episode:
    title = manifest.get("title")
    audio_name = manifest.get("audio")
    if not isinstance(title, str) or not title.strip():
        raise AudiobookError(f"{path}: manifest has no title; re-run `audiobook render`")
    audio = _local_file(folder, audio_name)
    if audio is None:
        raise AudiobookError(f"{path}: audio file {audio_name!r} not found in {folder}; re-run render")
    day: date | None = None
    raw_date = manifest.get("date")
    if raw_date:
        try:
            day = date.fromisoformat(str(raw_date))
        except ValueError as exc:
            raise AudiobookError(f"{path}: date {raw_date!r} is not YYYY-MM-DD; fix the date") from exc
    try:
        duration = float(MP3(audio).info.length)
    except (MutagenError, OSError) as exc:
        raise AudiobookError(f"{audio}: not a readable MP3 ({_one_line(exc)}); re-run render") from exc
    sidecars: dict[str, Path] = {}
    for key, name in (manifest.get("sidecars") or {}).items():
        local = _local_file(folder, name)
        if local is not None:
            sidecars[key] = local
    # The article (headline + date) identifies the episode: re-rendering it, with other voices or
    # under another file name, or moving the feed to another host keeps the same guid.
    key = f"{raw_date or ''}\n{title.strip()}"
    return _Episode(
        manifest=path,
        title=title.strip(),
        lead=str(manifest.get("lead") or "").strip(),
        language=str(manifest.get("language") or "kk"),
        date=day,
        audio=audio,
        size=os.stat(audio).st_size,
        duration=duration,
        guid=f"urn:uuid:{uuid.uuid5(_EPISODE_GUID_NS, key)}",
        sidecars=sidecars,
    )


def _local_file(folder: Path, name: Any) -> Path | None:
    """A plain file name inside `folder` (no directories, so URLs map 1:1 to files)."""
    if not isinstance(name, str) or not name or name != Path(name).name or name.startswith("."):
        return None
    path = folder / name
    return path if path.is_file() else None


def _pub_date(ep: _Episode, previous: dict[str, datetime]) -> datetime:
    if ep.date is not None:
        return datetime(ep.date.year, ep.date.month, ep.date.day, tzinfo=UTC)
    # Undated article: keep the date it was first published with; else the render time of the MP3.
    if ep.guid in previous:
        return previous[ep.guid]
    return datetime.fromtimestamp(int(ep.audio.stat().st_mtime), UTC)


def _read_previous(path: Path) -> tuple[dict[str, datetime], datetime | None]:
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
        try:
            build = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            build = None
    return dates, build


# --- XML ----------------------------------------------------------------------------------------


class _Podcast20Extension(BaseExtension):
    """Channel tags feedgen lacks: <podcast:guid>, and itunes:explicit as Apple's current true/false
    (feedgen's podcast extension only accepts the deprecated yes/no/clean)."""

    def __init__(self) -> None:
        self.guid: str | None = None
        self.explicit: bool | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS, "itunes": ITUNES_NS}

    def extend_rss(self, feed: Any) -> Any:
        channel = feed[0]
        if self.explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = "true" if self.explicit else "false"
        if self.guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self.guid
        return feed


class _Podcast20EntryExtension(BaseEntryExtension):
    """Item tags feedgen lacks: <podcast:chapters> and <podcast:transcript>."""

    def __init__(self) -> None:
        self.chapters: str | None = None
        self.transcripts: list[dict[str, str]] = []

    def extend_rss(self, entry: Any) -> Any:
        if self.chapters:
            xml_elem(f"{{{PODCAST_NS}}}chapters", entry, url=self.chapters, type="application/json+chapters")
        for attrs in self.transcripts:
            xml_elem(f"{{{PODCAST_NS}}}transcript", entry, **attrs)
        return entry


def _build(info: ShowInfo, episodes: list[_Episode], base: str, build_date: datetime) -> bytes:
    folder = episodes[0].manifest.parent
    language = info.language or "kk"
    feed_url = base + FEED_NAME
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcast20", _Podcast20Extension, _Podcast20EntryExtension)
    fg.title(info.title)
    fg.description(info.description or info.title)
    # feedgen uses the *last* link as RSS <link>, so the website goes after the self link.
    fg.link(href=feed_url, rel="self", type="application/rss+xml")
    fg.link(href=info.link or base, rel="alternate")
    fg.language(language)
    fg.generator("audiobook", version=__version__)
    fg.lastBuildDate(build_date)
    image = _image_url(folder, base, info.image)
    if image:
        fg.image(url=image, title=info.title, link=info.link or base)
        fg.podcast.itunes_image(image)
    top, sub = parse_category(info.category or DEFAULT_CATEGORY)
    fg.podcast.itunes_category({"cat": top, "sub": sub} if sub else {"cat": top})
    if info.author:
        fg.podcast.itunes_author(info.author)
    if info.email:
        fg.podcast.itunes_owner(name=info.author or info.title, email=info.email)
    fg.podcast.itunes_type("episodic")
    ext: _Podcast20Extension = fg.podcast20  # type: ignore[attr-defined]
    ext.explicit = bool(info.explicit)
    ext.guid = str(uuid.uuid5(_PODCAST_GUID_NS, feed_url.split("://", 1)[1].rstrip("/")))

    for ep in episodes:
        fe: FeedEntry = fg.add_entry(order="append")
        fe.title(ep.title)
        fe.description(ep.lead or ep.title)
        fe.guid(ep.guid, permalink=False)
        fe.enclosure(base + quote(ep.audio.name), str(ep.size), "audio/mpeg")
        fe.pubDate(ep.pub_date)
        if "html" in ep.sidecars:
            fe.link(href=base + quote(ep.sidecars["html"].name))
        fe.podcast.itunes_duration(str(max(1, round(ep.duration))))
        fe.podcast.itunes_episode_type("full")
        entry_ext: _Podcast20EntryExtension = fe.podcast20  # type: ignore[attr-defined]
        if "chapters" in ep.sidecars:
            entry_ext.chapters = base + quote(ep.sidecars["chapters"].name)
        for key, (mime, rel) in _TRANSCRIPT_TYPES.items():
            if key in ep.sidecars:
                attrs = {"url": base + quote(ep.sidecars[key].name), "type": mime, "language": ep.language}
                if rel:
                    attrs["rel"] = rel
                entry_ext.transcripts.append(attrs)
    return fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def _check_base_url(base_url: str) -> str:
    parts = urlsplit((base_url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AudiobookError(
            f"base URL: {base_url!r} is not an http(s) URL; pass --base-url https://example.org/podcast/"
        )
    if parts.query or parts.fragment:
        raise AudiobookError(f"base URL: {base_url!r} has a query or fragment; pass the folder URL only")
    url = parts.geturl()
    return url if url.endswith("/") else url + "/"


def _check_xml(data: bytes, path: Path) -> None:
    # Guard against writing a feed podcast apps would reject outright.
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:  # pragma: no cover - feedgen/lxml emit well-formed XML
        raise AudiobookError(f"{path}: generated XML does not parse ({exc}); report this bug") from exc
    if root.tag != "rss" or root.find("channel") is None:  # pragma: no cover
        raise AudiobookError(f"{path}: generated feed has no channel; report this bug")


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a feed is meant to be served
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
