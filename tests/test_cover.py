"""Artwork: the generated cover (size, format, glyphs, contrast at thumbnail size), the checks on a given
cover, and a rendered episode without a cover carrying artwork in the MP3, the M4B and beside it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA, run_cli
from epub_helpers import rendered
from fontTools.ttLib import TTFont
from mutagen.id3 import ID3
from mutagen.mp4 import MP4
from PIL import Image

from audiobook.errors import AudiobookError
from audiobook.package.manifest import Manifest
from audiobook.publish import cover as art

KAZAKH = "әғқңөұүһі"
TITLE = "Ұлы дала: қазақ әңгімесі, өнер және һалық — ҒҚҢӨҰҮҺІӘ"


def luminance(rgb: tuple[int, ...]) -> float:
    def ch(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (ch(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_font_has_every_kazakh_letter() -> None:
    cmap = TTFont(art.font_path()).getBestCmap()
    letters = KAZAKH + KAZAKH.upper()
    assert set(art.KAZAKH_LETTERS) == set(letters)
    missing = [ch for ch in letters + "абвгдеёжзийклмнопрстуфхцчшщъыьэюя" if ord(ch) not in cmap]
    assert not missing
    # Licensed for shipping with the package: the SIL Open Font License sits beside the font.
    license_text = (art.font_path().parent.parent / "LICENSE").read_text(encoding="utf-8")
    assert "SIL Open Font License" in license_text


@pytest.mark.slow
def test_generated_cover(tmp_path: Path) -> None:
    path = art.make_cover("Кітап әлемі", TITLE, tmp_path / "c.jpg")
    with Image.open(path) as img:
        assert img.format == "JPEG" and img.size == (3000, 3000) and img.mode == "RGB"
        pixels = np.asarray(img.convert("RGB"))
    assert art.check_cover(path) == []
    # Strong contrast (WCAG AAA), and the show's name big enough for a 55 px thumbnail: its first line of
    # white letters is at least 400 px tall, 7 px or more at 55 px.
    assert contrast(art.WHITE, art.BACKGROUND) >= 7 and contrast(art.ACCENT, art.BACKGROUND) >= 7
    white_rows = np.flatnonzero((pixels.min(axis=2) > 200).any(axis=1))
    first_line = np.split(white_rows, np.flatnonzero(np.diff(white_rows) > 1) + 1)[0]
    assert len(first_line) * 55 / 3000 >= 7
    # No glyph is drawn as a missing-glyph box: every Kazakh letter renders with a shape of its own.
    font = art._font(200, 850)
    shapes = {bytes(font.getmask(ch)) for ch in art.KAZAKH_LETTERS}
    assert len(shapes) == len(art.KAZAKH_LETTERS)


@pytest.mark.slow
def test_long_title_without_show_fits(tmp_path: Path) -> None:
    path = art.make_cover(None, " ".join(["Әбдірахмановамен"] * 40), tmp_path / "c.jpg")
    with Image.open(path) as img:
        assert img.size == (3000, 3000)


@pytest.mark.slow
def test_cover_heading_without_a_show() -> None:
    d = make_episode_manifest()
    m = Manifest.from_json(d)
    assert art.cover_heading(m) == "Айгүл Серікқызы"  # the one guest
    two = Manifest.from_json({**d, "speakers": [*d["speakers"], {"id": "g2", "name": "Нұрлан Әбдіков",
                                                                 "role": "interviewee", "voice": "kk-interviewee"}]})
    assert art.cover_heading(two) is None  # a round table: the title alone
    shown = Manifest.from_json({**d, "show": {"title": "Кітап әлемі", "author": "Баспасөз қызметі"}})
    assert art.cover_heading(shown) == "Кітап әлемі"


def make_episode_manifest() -> dict[str, object]:
    import tempfile

    from publish_helpers import make_episode

    with tempfile.TemporaryDirectory() as tmp:
        return make_episode(Path(tmp), "ep", "Агрономмен сұхбат", None).to_json()


def write_png(path: Path, w: int, h: int) -> Path:
    Image.new("RGB", (w, h), (200, 30, 30)).save(path, "PNG")
    return path


@pytest.mark.slow
def test_given_cover_checks(tmp_path: Path) -> None:
    assert art.check_cover(write_png(tmp_path / "ok.png", 1400, 1400)) == []
    (small,) = art.check_cover(write_png(tmp_path / "small.png", 600, 600))
    assert "600x600" in small and "1400-3000" in small
    (wide,) = art.check_cover(write_png(tmp_path / "wide.png", 2400, 1600))
    assert "not square" in wide
    good = tmp_path / "good.jpg"
    Image.new("RGB", (1500, 1500), (0, 0, 0)).save(good, "JPEG")
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(AudiobookError, match="truncated.jpg: cover image unreadable or truncated"):
        art.check_cover(truncated)
    gif = tmp_path / "c.gif"
    Image.new("P", (1500, 1500)).save(gif, "GIF")
    with pytest.raises(AudiobookError, match="must be a JPEG or PNG"):
        art.check_cover(gif)
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image")
    with pytest.raises(AudiobookError, match="junk.png: cover image unreadable"):
        art.check_cover(junk)
    huge = tmp_path / "huge.png"  # 20000x20000: 400 megapixels would be decoded for a thumbnail
    Image.new("1", (20000, 20000)).save(huge, "PNG")
    with pytest.raises(AudiobookError, match="huge.png: cover image too large to decode"):
        art.check_cover(huge)
    heavy = tmp_path / "heavy.jpg"
    heavy.write_bytes(good.read_bytes() + bytes(21 << 20))
    with pytest.raises(AudiobookError, match="heavy.jpg: cover image is larger than 20 MB"):
        art.check_cover(heavy)


@pytest.mark.slow
def test_truncated_cover_refused_before_synthesis(tmp_path: Path) -> None:
    good = tmp_path / "good.jpg"
    Image.new("RGB", (1500, 1500), (0, 0, 0)).save(good, "JPEG")
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(good.read_bytes()[:2000])
    r = run_cli("render", str(DATA / "articles" / "hyphen_turns.txt"), "-o", str(tmp_path / "out"),
                "--cover", str(bad))
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}: cover image unreadable or truncated")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.slow
def test_episode_without_cover_carries_artwork(tmp_path_factory: pytest.TempPathFactory) -> None:
    mp3 = rendered("round_table", DATA / "articles" / "round_table.txt", tmp_path_factory.mktemp("round_table"))
    beside = mp3.with_suffix(".jpg")
    assert beside.is_file()
    with Image.open(beside) as img:
        assert img.format == "JPEG" and img.size == (3000, 3000)
    (apic,) = ID3(mp3).getall("APIC")
    assert apic.mime == "image/jpeg" and apic.data == beside.read_bytes()
    (covr,) = MP4(mp3.with_suffix(".m4b"))["covr"]
    assert bytes(covr) == beside.read_bytes()
    manifest = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
    assert manifest["show"]["image"] == beside.name  # what the feed serves as itunes:image
