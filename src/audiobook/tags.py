"""ID3v2.4 tags through mutagen: episode metadata, cover, transcript and chapters (CHAP under a CTOC)."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from mutagen.id3 import (
    APIC, CHAP, COMM, CTOC, ID3, TALB, TCON, TDRC, TIT2, TLAN, TPE1, USLT, CTOCFlags, PictureType,
)


def write_tags(path: Path, m: dict[str, Any], cover: Path | None = None) -> None:
    tags = ID3()
    show = m.get("show") or {}
    tags.add(TIT2(encoding=3, text=m["title"]))
    if show.get("author"):
        tags.add(TPE1(encoding=3, text=show["author"]))
    if show.get("title"):
        tags.add(TALB(encoding=3, text=show["title"]))
    if m.get("date"):
        tags.add(TDRC(encoding=3, text=m["date"]))
    tags.add(TLAN(encoding=3, text="kaz"))
    tags.add(TCON(encoding=3, text="Podcast"))
    if m.get("lead"):
        tags.add(COMM(encoding=3, lang="kaz", desc="", text=m["lead"]))
    if cover is not None:
        mime = mimetypes.guess_type(cover.name)[0] or "image/jpeg"
        tags.add(APIC(encoding=3, mime=mime, type=PictureType.COVER_FRONT, desc="Cover", data=cover.read_bytes()))
    tags.add(USLT(encoding=3, lang="kaz", desc="", text=transcript_text(m)))
    ids = [f"chp{i}" for i in range(len(m["chapters"]))]
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                  sub_frames=[TIT2(encoding=3, text=m["title"])]))
    for cid, ch in zip(ids, m["chapters"], strict=True):
        tags.add(CHAP(element_id=cid, start_time=int(round(ch["start"] * 1000)),
                      end_time=int(round(ch["end"] * 1000)), sub_frames=[TIT2(encoding=3, text=ch["title"])]))
    tags.save(str(path), v2_version=4)


def transcript_text(m: dict[str, Any]) -> str:
    """Plain transcript: one paragraph per segment, the speaker named where it changes."""
    names = {s["id"]: s["name"] for s in m["speakers"]}
    out: list[str] = []
    prev = None
    for seg in m["segments"]:
        prefix = "" if seg["speaker"] == prev else f"{names.get(seg['speaker'], seg['speaker'])}: "
        out.append(prefix + seg["text"])
        prev = seg["speaker"]
    return "\n\n".join(out)
