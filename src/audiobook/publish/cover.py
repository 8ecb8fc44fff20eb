"""Episode artwork: a given cover is checked; without one, a 3000x3000 JPEG is made with the show's name
and the episode's title, set in Noto Sans (from the pip package fontpkg-noto-sans, SIL OFL 1.1), which has
every Kazakh letter.

Podcast directories want a square 1400-3000 px JPEG or PNG, and it has to read as a ~55 px thumbnail: so
the show's name is set as large as it fits, in heavy white on a dark ground, and the title below it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from audiobook.errors import AudiobookError

if TYPE_CHECKING:
    from PIL import ImageFont

    from audiobook.package.manifest import Manifest, Show

SIZE = 3000
DESIGN = "1"  # bump when the drawing changes: made covers are cached by it, the heading and the title
MIN_SIDE, MAX_SIDE = 1400, 3000
MAX_COVER_BYTES = 20 << 20  # a 3000x3000 JPEG is 1-3 MB
MARGIN = 220
BACKGROUND = (14, 42, 71)  # deep blue: white on it is 14:1
ACCENT = (255, 196, 0)  # amber bar and title
WHITE = (255, 255, 255)
FONT_FAMILY = "Noto Sans"
KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"


def font_path() -> Path:
    import fontpkg  # type: ignore[import-untyped]

    try:
        return Path(fontpkg.path(FONT_FAMILY))
    except fontpkg.FontpkgError as e:
        raise AudiobookError(f"font {FONT_FAMILY!r} not installed ({e}); run: pip install fontpkg-noto-sans") from None


def _font(size: int, weight: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    font = ImageFont.truetype(str(font_path()), size)
    axes = [a["name"] for a in font.get_variation_axes()]
    font.set_variation_by_axes([weight if name == b"Weight" else 100 for name in axes])  # full width
    return font


def _wrap(words: list[str], font: ImageFont.FreeTypeFont, width: int) -> list[str] | None:
    """Greedy line breaking; None when a single word is wider than `width`."""
    lines: list[str] = []
    for word in words:
        if font.getlength(word) > width:
            return None
        if lines and font.getlength(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _fit(text: str, width: int, height: int, largest: int, max_lines: int, weight: int,
         leading: float = 1.12) -> tuple[ImageFont.FreeTypeFont, list[str], int]:
    """The largest size at which `text` fits the box in at most `max_lines` lines; at the smallest size a
    text still too long is cut with an ellipsis. Returns the font, the lines and the line height."""
    words = text.split() or ["…"]
    size = largest
    while True:
        font = _font(size, weight)
        step = int(size * leading)
        lines = _wrap(words, font, width)
        if lines is not None and len(lines) <= max_lines and len(lines) * step <= height:
            return font, lines, step
        if size <= 90:
            break
        size = int(size * 0.92)
    lines = (lines or [w[: max(1, len(w) // 2)] for w in words])[: max(1, min(max_lines, height // step))]
    while lines and font.getlength(lines[-1] + "…") > width:
        lines[-1] = lines[-1][:-1]
    return font, [*lines[:-1], lines[-1].rstrip() + "…"], step


def cover_heading(m: Manifest) -> str | None:
    """The big line of the artwork: the show's name; without one, the author, or the one guest's name,
    which a 55 px thumbnail can still show (a whole headline there is a grey blur)."""
    return heading(m.show, [s.name for s in m.speakers if s.role == "interviewee"])


def heading(show: Show | None, guests: list[str]) -> str | None:
    """cover_heading from the show's details and the guests' names, known before there is a manifest."""
    if show and (show.title or show.author):
        return show.title or show.author
    return guests[0] if len(guests) == 1 else None


def make_cover(show: str | None, title: str, path: Path) -> Path:
    """Write the artwork to `path` (JPEG, 3000x3000, sRGB) and return it."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (SIZE, SIZE), BACKGROUND)
    draw = ImageDraw.Draw(img)
    width = SIZE - 2 * MARGIN
    # The show's name takes the top half: it is what a thumbnail shows.
    if show:
        font, lines, step = _fit(show, width, 1300, 760, 3, 850)
    else:  # no show name: the title gets the whole square
        font, lines, step = _fit(title, width, SIZE - 2 * MARGIN - 300, 560, 7, 850)
    y = MARGIN
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=WHITE)
        y += step
    y += 130  # clear of descenders (Ң, Қ)
    draw.rectangle((MARGIN, y, MARGIN + 700, y + 50), fill=ACCENT)
    y += 50 + 120
    if show:  # the episode's title below, as large as the rest of the square allows
        font, lines, step = _fit(title, width, SIZE - MARGIN - y, 300, 6, 650)
        for line in lines:
            draw.text((MARGIN, y), line, font=font, fill=ACCENT)
            y += step
    tmp = path.with_name(path.name + ".tmp")
    img.save(tmp, "JPEG", quality=88, optimize=True, progressive=False)
    tmp.replace(path)
    return path


def cached_cover(show: str | None, title: str, path: Path, cache: Path | None) -> Path:
    """make_cover, taken from `cache` when the same heading and title were drawn before: drawing and
    compressing 3000x3000 takes 0.2-0.3 s, a re-render after an edit about 2 s in all."""
    if cache is None:
        return make_cover(show, title, path)
    import hashlib
    import shutil

    from audiobook.files import cache_put

    hit = cache / f"{hashlib.sha256(repr((DESIGN, show, title)).encode()).hexdigest()}.jpg"
    try:
        shutil.copyfile(hit, path)
        return path
    except OSError:
        pass
    make_cover(show, title, path)
    cache_put(hit, lambda tmp: shutil.copyfile(path, tmp))
    return path


def check_cover(path: Path) -> list[str]:
    """Refuse an unreadable or truncated cover with one line; warnings for what directories reject."""
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise AudiobookError(f"{path}: cover image not found; check --cover")
    if path.stat().st_size > MAX_COVER_BYTES:  # an ID3 frame and a podcast app both choke on more
        raise AudiobookError(f"{path}: cover image is larger than {MAX_COVER_BYTES >> 20} MB; export it at "
                             f"{MAX_SIDE}x{MAX_SIDE} px or less")
    try:
        with Image.open(path) as img:
            fmt, (w, h), mode = img.format, img.size, img.mode
            img.load()  # decodes every byte: a truncated file fails here, not in a podcast app
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise AudiobookError(f"{path}: cover image unreadable or truncated ({e}); export it again as JPEG or PNG")\
            from None
    except Image.DecompressionBombError:
        raise AudiobookError(f"{path}: cover image too large to decode; give one of at most 3000x3000 px") from None
    if fmt not in ("JPEG", "PNG"):
        raise AudiobookError(f"{path}: cover is {fmt}, must be a JPEG or PNG image; convert it")
    warnings = []
    if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE):
        warnings.append(f"{path}: cover is {w}x{h} px; podcast directories want {MIN_SIDE}-{MAX_SIDE} px")
    if abs(w - h) > 0.01 * max(w, h):
        warnings.append(f"{path}: cover is {w}x{h} px, not square; directories want a square image")
    if mode not in ("RGB", "RGBA", "P", "L", "LA"):
        warnings.append(f"{path}: cover uses colour mode {mode}; directories want RGB")
    return warnings
