"""The feed's XML: RSS 2.0 through feedgen, with the iTunes and Podcasting 2.0 tags it lacks added by
two small extensions."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from audiobook import __version__
from audiobook.errors import AudiobookError
from audiobook.package.manifest import Show
from audiobook.publish.feed.categories import DEFAULT_CATEGORY, parse_category
from audiobook.publish.feed.episodes import FeedEpisode

FEED_NAME = "feed.xml"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
# Podcasting 2.0 <podcast:guid>: uuidv5 of the feed URL (no scheme) in this namespace.
_PODCAST_GUID_NS = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

# Transcript sidecars: kind -> (MIME type, rel). "captions" marks timed text per the spec.
_TRANSCRIPT_TYPES: dict[str, tuple[str, str | None]] = {
    "vtt": ("text/vtt", "captions"),
    "transcript": ("application/json", None),
    "srt": ("application/x-subrip", "captions"),
}
# Script roles named by <podcast:person role=...> (the narrator is the show's voice, not a person).
_PERSON_ROLES = {"interviewer": "host", "interviewee": "guest"}


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
    """Item tags feedgen lacks: <podcast:chapters>, <podcast:transcript> and <podcast:person>."""

    def __init__(self) -> None:
        self.chapters: str | None = None
        self.transcripts: list[dict[str, str]] = []
        self.persons: list[tuple[str, str]] = []  # (role, name)

    def extend_rss(self, entry: Any) -> Any:
        if self.chapters:
            xml_elem(f"{{{PODCAST_NS}}}chapters", entry, url=self.chapters, type="application/json+chapters")
        for attrs in self.transcripts:
            xml_elem(f"{{{PODCAST_NS}}}transcript", entry, **attrs)
        for role, name in self.persons:
            xml_elem(f"{{{PODCAST_NS}}}person", entry, role=role, group="cast").text = name
        return entry


def build(show: Show, episodes: list[FeedEpisode], folder: Path, base: str, build_date: datetime) -> bytes:
    """The feed's bytes; `show` has a title, `episodes` are in feed order, `base` ends with a slash."""
    assert show.title
    language = show.language or "kk"
    feed_url = base + FEED_NAME
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcast20", _Podcast20Extension, _Podcast20EntryExtension)
    fg.title(show.title)
    fg.description(show.description or show.title)
    # feedgen uses the *last* link as RSS <link>, so the website goes after the self link.
    fg.link(href=feed_url, rel="self", type="application/rss+xml")
    fg.link(href=show.link or base, rel="alternate")
    fg.language(language)
    fg.generator("audiobook", version=__version__)
    fg.lastBuildDate(build_date)
    image = image_url(folder, base, show.image)
    if image:
        fg.image(url=image, title=show.title, link=show.link or base)
        fg.podcast.itunes_image(image)
    top, sub = parse_category(show.category or DEFAULT_CATEGORY)
    fg.podcast.itunes_category({"cat": top, "sub": sub} if sub else {"cat": top})
    if show.author:
        fg.podcast.itunes_author(show.author)
    if show.email:
        fg.podcast.itunes_owner(name=show.author or show.title, email=show.email)
    fg.podcast.itunes_type("episodic")
    ext: _Podcast20Extension = fg.podcast20
    ext.explicit = bool(show.explicit)
    ext.guid = str(uuid.uuid5(_PODCAST_GUID_NS, feed_url.split("://", 1)[1].rstrip("/")))
    for ep in episodes:
        _item(fg.add_entry(order="append"), ep, folder, base)
    xml: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return xml


def _item(fe: FeedEntry, ep: FeedEpisode, folder: Path, base: str) -> None:
    m = ep.manifest
    fe.title(ep.title)
    fe.description(m.lead.strip() or ep.title)
    fe.guid(ep.guid, permalink=False)
    fe.enclosure(base + quote(ep.audio.name), str(ep.size), "audio/mpeg")
    fe.pubDate(ep.pub_date)
    if "html" in ep.sidecars:
        fe.link(href=base + quote(ep.sidecars["html"].name))
    fe.podcast.itunes_duration(str(max(1, round(ep.duration))))
    fe.podcast.itunes_episode_type("full")
    art = episode_image(folder, base, m.show)
    if art:
        fe.podcast.itunes_image(art)
    entry_ext: _Podcast20EntryExtension = fe.podcast20
    if "chapters" in ep.sidecars:
        entry_ext.chapters = base + quote(ep.sidecars["chapters"].name)
    for kind, (mime, rel) in _TRANSCRIPT_TYPES.items():
        if kind in ep.sidecars:
            attrs = {"url": base + quote(ep.sidecars[kind].name), "type": mime, "language": m.language}
            if rel:
                attrs["rel"] = rel
            entry_ext.transcripts.append(attrs)
    entry_ext.persons = [(_PERSON_ROLES[s.role], s.name) for s in m.speakers if s.role in _PERSON_ROLES]


def image_url(folder: Path, base: str, image: str | None) -> str | None:
    """The artwork's URL: an http(s) URL as given, or a .jpg/.png in `folder` under the base URL."""
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


def episode_image(folder: Path, base: str, show: Show | None) -> str | None:
    """The episode's own artwork (its manifest's show image) when it can be served; else none (the
    channel's artwork stands for it)."""
    if show is None or show.image is None or not servable_image(folder, show.image):
        return None
    return image_url(folder, base, show.image)


def servable_image(folder: Path, image: str) -> bool:
    """An image a rendered manifest names that this folder can serve: a URL, or a file inside it."""
    if "://" in image:
        return urlsplit(image).path.endswith((".jpg", ".png"))
    name = Path(image)
    return name.name == image and name.suffix in (".jpg", ".png") and (folder / image).is_file()


def check_xml(data: bytes, path: Path) -> None:
    # Guard against writing a feed podcast apps would reject outright.
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:  # pragma: no cover - feedgen/lxml emit well-formed XML
        raise AudiobookError(f"{path}: generated XML does not parse ({exc}); report this bug") from exc
    if root.tag != "rss" or root.find("channel") is None:  # pragma: no cover
        raise AudiobookError(f"{path}: generated feed has no channel; report this bug")
