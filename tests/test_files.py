"""Small user files (profiles, cast.toml, lexicons, podcast.toml) are read with bounds: devices, pipes and
oversized files are one clear line, and a UTF-8 BOM reads like the file without it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from audiobook.errors import AudiobookError
from audiobook.files import read_user_text
from audiobook.publish.show import read_podcast_toml
from audiobook.text.normalize import normalize
from audiobook.text.normalize.lexicon import load_lexicon
from audiobook.voice.cast import default_cast
from audiobook.voice.resolve import load_profile

ROOT = Path(__file__).resolve().parents[1]
PROFILE = 'engine = "espeak"\nvoice = "kk"\npitch = 40\n'


def cast_reader(path: Path) -> object:
    """default_cast() reads voices/cast.toml from the cwd: point a cwd's voices/cast.toml at `path`."""
    voices = Path(tempfile.mkdtemp(prefix="audiobook-cast-")) / "voices"
    voices.mkdir()
    (voices / "cast.toml").symlink_to(path)
    old = Path.cwd()
    os.chdir(voices.parent)
    try:
        return default_cast()
    finally:
        os.chdir(old)
        shutil.rmtree(voices.parent)


READERS: dict[str, Callable[[Path], object]] = {
    "profile": load_profile, "cast": cast_reader, "lexicon": load_lexicon, "podcast": read_podcast_toml,
}


def fifo(tmp_path: Path) -> Path:
    p = tmp_path / "pipe.toml"
    os.mkfifo(p)
    return p


def huge(tmp_path: Path) -> Path:
    p = tmp_path / "huge.toml"
    with p.open("wb") as f:
        f.truncate(64 * 1024 * 1024)  # sparse: larger than every limit, costs no disk
    return p


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize(("make", "needle"), [
    (lambda tmp: Path("/dev/zero"), "not a regular file"),
    (lambda tmp: Path("/dev/urandom"), "not a regular file"),
    (fifo, "not a regular file"),
    (huge, "is larger than"),
])
def test_non_regular_or_oversized_is_one_line(tmp_path: Path, reader: str, make: Callable[[Path], Path],
                                              needle: str) -> None:
    path = make(tmp_path)
    with pytest.raises(AudiobookError) as e:
        READERS[reader](path)
    msg = str(e.value)
    assert "\n" not in msg and needle in msg and msg.split(":")[0].endswith(path.name if reader != "cast" else
                                                                             "cast.toml")


def test_bom_profile_reads_like_without(tmp_path: Path) -> None:
    plain, bom = tmp_path / "kk-plain.toml", tmp_path / "kk-bom.toml"
    plain.write_text(PROFILE, encoding="utf-8")
    bom.write_bytes(b"\xef\xbb\xbf" + PROFILE.encode())
    assert load_profile(bom).settings == load_profile(plain).settings


def test_bom_cast_reads_like_without(tmp_path: Path) -> None:
    text = '[cast]\nnarrator = "kk-interviewer"\n'
    (tmp_path / "cast.toml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert cast_reader(tmp_path / "cast.toml")["narrator"] == "kk-interviewer"


def test_bom_lexicon_keeps_its_first_entry(tmp_path: Path) -> None:
    p = tmp_path / "lexicon.txt"
    p.write_bytes(b"\xef\xbb\xbf" + "Kaspi = Каспи\nАҚШ = Америка Құрама Штаттары\n".encode())
    lexicon = load_lexicon(p)
    assert normalize("Kaspi банкі", lexicon) == "Каспи банкі"


def test_limit_is_exact(tmp_path: Path) -> None:
    p = tmp_path / "a.toml"
    p.write_text("ә" * 50, encoding="utf-8")  # 100 bytes
    assert read_user_text(p, 100, "test file") == "ә" * 50
    with pytest.raises(AudiobookError, match="larger than"):
        read_user_text(p, 99, "test file")


@pytest.mark.slow
def test_cli_lexicon_dev_zero_is_one_line() -> None:
    r = subprocess.run([sys.executable, "-m", "audiobook", "normalize", "--lexicon", "/dev/zero", "Кітап"],
                       capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert r.returncode == 1
    assert r.stderr.strip() == "error: /dev/zero: not a regular file (a device or a pipe); give a lexicon file"
