"""Reading user files with one clear error per failure mode."""

from __future__ import annotations

from pathlib import Path

from audiobook.errors import AudiobookError

MAX_BYTES = 20_000_000  # an interview is some 100 kB; more is a wrong file, not an article


def check_file(path: Path, what: str = "a text file") -> None:
    """Refuse a missing path, a folder or a device or pipe, each with its own line."""
    if not path.exists():
        raise AudiobookError(f"{path}: file not found; check the path")
    if path.is_dir():
        raise AudiobookError(f"{path}: is a folder; give {what}")
    if not path.is_file():  # /dev/zero never ends, a FIFO blocks
        raise AudiobookError(f"{path}: not a regular file (a device or a pipe); give {what}")


def read_text(path: Path) -> str:
    """Read a UTF-8 text file; missing, unreadable, empty or non-UTF-8 files raise AudiobookError."""
    check_file(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise AudiobookError(f"{path}: larger than {MAX_BYTES // 1_000_000} MB; give one interview article")
        raw = path.read_bytes()
    except OSError as e:
        raise AudiobookError(f"{path}: cannot be read ({e.strerror}); check its permissions") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise AudiobookError(
            f"{path}: not UTF-8 text (bad byte at offset {e.start}); save it as UTF-8 and try again"
        ) from None
    if "\x00" in text:
        raise AudiobookError(f"{path}: looks like a binary file, not text; give a UTF-8 text file")
    if not text.strip():
        raise AudiobookError(f"{path}: file is empty; give an interview article with text")
    return text.replace("\r\n", "\n").replace("\r", "\n")
