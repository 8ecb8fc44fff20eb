"""Reading a small user file (a voice profile, cast.toml, a lexicon, podcast.toml) with bounds, and
writing a cache entry atomically.

Anything but a regular file is refused (a FIFO blocks, /dev/zero never ends) and the size is capped, so a
wrong path is one clear line instead of a hang or an exhausted memory."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

from audiobook.errors import AudiobookError

KIB = 1024
MIB = 1024 * KIB
SETTINGS_LIMIT = 1 * MIB  # a profile, cast.toml or podcast.toml is a few hundred bytes
LEXICON_LIMIT = 16 * MIB  # a newsroom's lexicon: ~100,000 entries


def read_user_text(path: Path, limit: int, what: str) -> str:
    """The UTF-8 text of `path`, at most `limit` bytes, a leading BOM dropped (an editor's BOM must read like
    the file without it). `what` names the file in messages, e.g. "voice profile"."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise AudiobookError(f"{path}: {what} not found; check the path") from None
    except OSError as e:
        raise AudiobookError(f"{path}: cannot read {what} ({e.strerror}); check the path") from None
    if stat.S_ISDIR(st.st_mode):
        raise AudiobookError(f"{path}: is a folder, not a {what}; give the file")
    if not stat.S_ISREG(st.st_mode):
        raise AudiobookError(f"{path}: not a regular file (a device or a pipe); give a {what} file")
    too_big = AudiobookError(f"{path}: {what} is larger than {_size(limit)}; is it the right file?")
    if st.st_size > limit:
        raise too_big
    try:
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, opening it does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise AudiobookError(f"{path}: not a regular file (a device or a pipe); give a {what} file")
            data = fh.read(limit + 1)  # it may have grown since the stat
    except OSError as e:
        raise AudiobookError(f"{path}: cannot read {what} ({e.strerror}); check the path") from None
    if len(data) > limit:
        raise too_big
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise AudiobookError(f"{path}: {what} is not UTF-8 text; save it as UTF-8") from None
    return text.removeprefix("\ufeff")


def _size(n: int) -> str:
    return f"{n // MIB} MB" if n >= MIB else f"{n // KIB} KB"


def cache_put(path: Path, write: Callable[[Path], object]) -> None:
    """`write` a cache entry under a temporary name beside `path`, then rename it: renders may share the
    cache, and a reader sees a whole entry or none. A cache that cannot be written only costs the time of
    making the entry again, so the error is dropped."""
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp{path.suffix}")  # suffix kept
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
