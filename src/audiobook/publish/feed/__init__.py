"""Podcast RSS feed for a folder of rendered episodes (RSS 2.0 + iTunes + Podcasting 2.0 namespaces).

The feed is rebuilt from the episode manifests on every run. Everything that goes into an item is
derived from the files (manifest, MP3, sidecars), so an unchanged episode produces a byte-identical
item; the only per-run value, lastBuildDate, is kept from the previous feed.xml when nothing changed.

`categories` holds Apple's categories, `episodes` reads the rendered episodes back, `rss` writes the XML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from audiobook.errors import AudiobookError
from audiobook.package.manifest import Show
from audiobook.publish.feed.categories import ITUNES_CATEGORIES, parse_category
from audiobook.publish.feed.episodes import FeedEpisode, discover, pub_date, read_previous
from audiobook.publish.feed.rss import FEED_NAME, build, check_xml, servable_image
from audiobook.publish.show import SHOW_FILE, read_podcast_toml
from audiobook.staging import Staging

__all__ = ["FEED_NAME", "ITUNES_CATEGORIES", "parse_category", "resolve_show", "write_feed"]


def write_feed(
    folder: Path, base_url: str, options: Show | None = None, warn: Callable[[str], None] | None = None
) -> Path:
    """Write `folder/feed.xml` for every rendered episode in `folder` and return its path.

    Show details: `options` over `folder/podcast.toml` over the episodes' own (their manifests' "show",
    the newest winning). `warn` is told what the feed had to choose for the user.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise AudiobookError(f"{folder}: not a folder; pass the folder `audiobook render` wrote to")
    base = check_base_url(base_url)
    episodes, skipped = discover(folder)
    if not episodes:
        others = f" (skipped {', '.join(p.name for p in skipped)}: not manifests)" if skipped else ""
        raise AudiobookError(
            f"{folder}: no rendered episodes{others}; run `audiobook render ARTICLE -o {folder}` first"
        )
    show = resolve_show(folder, episodes, options, warn or (lambda _: None))
    out = folder / FEED_NAME
    previous_dates, previous_build = read_previous(out)
    for ep in episodes:
        ep.pub_date = pub_date(ep, previous_dates)
    # Newest first; ties broken by file name so the order never depends on directory listing order.
    episodes.sort(key=lambda e: e.audio.name)
    episodes.sort(key=lambda e: e.pub_date or datetime.min.replace(tzinfo=UTC), reverse=True)

    # Same content with the old build date -> leave the file (and lastBuildDate) untouched.
    if previous_build is not None and build(show, episodes, folder, base, previous_build) == out.read_bytes():
        return out
    data = build(show, episodes, folder, base, datetime.now(UTC).replace(microsecond=0))
    check_xml(data, out)
    with Staging(folder) as stage:
        stage.write_bytes(FEED_NAME, data)
        stage.commit()
    return out


def resolve_show(folder: Path, episodes: list[FeedEpisode], options: Show | None, warn: Callable[[str], None]) -> Show:
    """The channel's details: the episodes' shows (oldest to newest, so the newest wins field by field),
    then podcast.toml, then the options. Without a title anywhere: one line saying where to give it."""
    rendered = Show()
    titles: list[str] = []
    for ep in sorted(episodes, key=lambda e: e.sort_key):
        show = ep.manifest.show
        if show is None:
            continue
        if show.image is not None and not servable_image(folder, show.image):
            show = replace(show, image=None)  # a cover the render used from elsewhere; not servable here
        rendered = rendered.merge(show)
        if show.title and show.title not in titles:
            titles.append(show.title)
    toml_path = folder / SHOW_FILE
    chosen = rendered.merge(read_podcast_toml(toml_path) if toml_path.is_file() else None).merge(options)
    if not chosen.title:
        raise AudiobookError(
            f"show title: missing (no episode in {folder} names its show); pass --title, "
            f'set title = "..." in {toml_path}, or render with --show'
        )
    if chosen.title == rendered.title and len(titles) > 1:
        others = ", ".join(repr(t) for t in titles if t != chosen.title)
        warn(f"the episodes name {len(titles)} shows; the feed is titled {chosen.title!r}, the newest episode's "
             f"(also named: {others}); pass --title to choose")
    return chosen


def check_base_url(base_url: str) -> str:
    parts = urlsplit((base_url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AudiobookError(
            f"base URL: {base_url!r} is not an http(s) URL; pass --base-url https://example.org/podcast/"
        )
    if parts.query or parts.fragment:
        raise AudiobookError(f"base URL: {base_url!r} has a query or fragment; pass the folder URL only")
    url = parts.geturl()
    return url if url.endswith("/") else url + "/"
