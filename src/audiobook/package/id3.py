"""ID3v2.4 tags through mutagen: episode metadata, cover, transcript and chapters (CHAP under a CTOC)."""

from __future__ import annotations

from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    USLT,
    CTOCFlags,
    PictureType,
)

from audiobook.errors import AudiobookError
from audiobook.package.manifest import Manifest, Show


def write_tags(path: Path, m: Manifest, cover: Path | None = None) -> None:
    tags = ID3()
    show = m.show or Show()
    tags.add(TIT2(encoding=3, text=m.title))
    # Without show details, players still need an artist and album: the voices heard and the article.
    guests = [s.name for s in m.speakers if s.role == "interviewee"]
    tags.add(TPE1(encoding=3, text=show.author or ", ".join(guests) or m.title))
    tags.add(TALB(encoding=3, text=show.title or m.title))
    if m.date:
        tags.add(TDRC(encoding=3, text=m.date))
    tags.add(TLAN(encoding=3, text="kaz"))
    tags.add(TCON(encoding=3, text="Podcast"))
    if m.lead:
        tags.add(COMM(encoding=3, lang="kaz", desc="", text=m.lead))
    if cover is not None:
        tags.add(APIC(encoding=3, mime=image_mime(cover), type=PictureType.COVER_FRONT, desc="Cover",
                      data=cover.read_bytes()))
    tags.add(USLT(encoding=3, lang="kaz", desc="", text=transcript_text(m)))
    ids = [f"chp{i}" for i in range(len(m.chapters))]
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                  sub_frames=[TIT2(encoding=3, text=m.title)]))
    for cid, ch in zip(ids, m.chapters, strict=True):
        tags.add(CHAP(element_id=cid, start_time=int(round(ch.start * 1000)),
                      end_time=int(round(ch.end * 1000)), sub_frames=[TIT2(encoding=3, text=ch.title)]))
    tags.save(str(path), v2_version=4)


def image_mime(path: Path) -> str:
    """By content, not name: podcast apps reject a PNG labelled as JPEG."""
    head = path.read_bytes()[:8]
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"\xff\xd8"):
        return "image/jpeg"
    raise AudiobookError(f"{path}: cover must be a JPEG or PNG image; convert it")


def write_m4b_cover(path: Path, cover: Path) -> None:
    from mutagen.mp4 import MP4, MP4Cover

    fmt = MP4Cover.FORMAT_PNG if image_mime(cover) == "image/png" else MP4Cover.FORMAT_JPEG
    mp4 = MP4(str(path))
    mp4["covr"] = [MP4Cover(cover.read_bytes(), imageformat=fmt)]
    mp4.save()


def transcript_text(m: Manifest) -> str:
    """Plain transcript: one paragraph per segment, the speaker named where it changes."""
    names = m.speaker_names()
    out: list[str] = []
    prev = None
    for seg in m.segments:
        prefix = "" if seg.speaker == prev else f"{names.get(seg.speaker, seg.speaker)}: "
        out.append(prefix + seg.text)
        prev = seg.speaker
    return "\n\n".join(out)
