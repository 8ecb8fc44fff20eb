"""Show details (podcast.toml) shared by render (ID3 tags) and feed."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from audiobook.errors import AudiobookError
from audiobook.files import SETTINGS_LIMIT, read_user_text

SHOW_KEYS = {"title", "author", "description", "image", "category", "explicit", "language", "link", "email"}


def read_podcast_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(read_user_text(path, SETTINGS_LIMIT, "show settings file"))
    except tomllib.TOMLDecodeError as e:
        raise AudiobookError(f"{path}: not valid TOML ({e}); fix the file") from None
    data = data.get("podcast", data)
    unknown = sorted(set(data) - SHOW_KEYS)
    if unknown:
        raise AudiobookError(f"{path}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(SHOW_KEYS))}")
    return data


def load_show(explicit: Path | None, search: list[Path], **overrides: Any) -> tuple[dict[str, Any], Path | None]:
    """Show details from `explicit` or the first podcast.toml in `search`, options winning; plus the
    cover image when `image` names a local file."""
    path = explicit or next((d / "podcast.toml" for d in search if (d / "podcast.toml").is_file()), None)
    data = read_podcast_toml(path) if path else {}
    data.update({k: v for k, v in overrides.items() if v is not None})
    cover = None
    if path and isinstance(data.get("image"), str) and "://" not in data["image"]:
        cover = (path.parent / data["image"]).resolve()
        if not cover.is_file():
            raise AudiobookError(f"{path}: image '{data['image']}' not found beside it; fix 'image'")
    return data, cover
