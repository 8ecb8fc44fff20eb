"""Show details (podcast.toml) shared by render (tags, manifest) and feed, as one type: `manifest.Show`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from audiobook.errors import AudiobookError
from audiobook.files import SETTINGS_LIMIT, read_user_text
from audiobook.package.manifest import Show

SHOW_FILE = "podcast.toml"


def read_podcast_toml(path: Path) -> Show:
    """The checked show details of one podcast.toml (a `[podcast]` table or top-level keys)."""
    try:
        data = tomllib.loads(read_user_text(path, SETTINGS_LIMIT, "show settings file"))
    except tomllib.TOMLDecodeError as e:
        raise AudiobookError(f"{path}: not valid TOML ({e}); fix the file") from None
    table = data.get("podcast", data)
    if not isinstance(table, dict):
        raise AudiobookError(f"{path}: [podcast] is not a table; write the show keys under [podcast]")
    return Show.from_mapping(table, str(path))


def load_show(explicit: Path | None, search: list[Path], overrides: Show | None = None) -> tuple[Show, Path | None]:
    """Show details from `explicit` or the first podcast.toml in `search`, `overrides` winning; plus the
    cover image when `image` names a local file."""
    path = explicit or next((d / SHOW_FILE for d in search if (d / SHOW_FILE).is_file()), None)
    show = (read_podcast_toml(path) if path else Show()).merge(overrides)
    cover = None
    if path and show.image is not None and "://" not in show.image:
        cover = (path.parent / show.image).resolve()
        if not cover.is_file():
            raise AudiobookError(f"{path}: image '{show.image}' not found beside it; fix 'image'")
    return show, cover
