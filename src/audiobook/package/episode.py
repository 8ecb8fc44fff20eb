"""Package stage: the MP3 (and optional M4B) with tags, and the sidecar files, all committed at once."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from audiobook.audio.assemble import Episode
from audiobook.audio.ffmpeg import Output, encode
from audiobook.package.id3 import write_m4b_cover, write_tags
from audiobook.package.manifest import ChapterEntry, CueEntry, Manifest, SegmentEntry, Show, Sidecars, SpeakerEntry
from audiobook.package.sidecars import SIDECAR_KEYS, WRITERS
from audiobook.publish.cover import cover_heading, make_cover
from audiobook.publish.epub import write_epub
from audiobook.publish.readalong import render_readalong
from audiobook.staging import Staging
from audiobook.text.script import Script
from audiobook.voice.profile import VoiceProfile

COVER_SUFFIX = ".jpg"  # the generated artwork, beside the episode

if TYPE_CHECKING:
    from audiobook.pipeline import RenderOptions


def build_manifest(
    script: Script, ep: Episode, cast: dict[str, VoiceProfile], stem: str, opts: RenderOptions
) -> Manifest:
    r3 = lambda v: round(v, 3)  # noqa: E731 - milliseconds are the precision of every consumer
    names = {key: stem + suffix for suffix, key in SIDECAR_KEYS.items()}
    return Manifest(
        title=script.title,
        date=script.date.isoformat() if script.date else None,
        lead=script.lead,
        language="kk",
        audio=stem + ".mp3",
        duration=r3(ep.duration),
        sample_rate=opts.output_rate,
        show=_show(opts, stem),
        speakers=[SpeakerEntry(s.id, s.name, s.role, cast[s.id].name) for s in script.speakers],
        chapters=[ChapterEntry(c.title, r3(c.start), r3(c.end)) for c in ep.chapters],
        segments=[
            SegmentEntry(i, r3(ep.segments[i].start) if i in ep.segments else None,
                         r3(ep.segments[i].end) if i in ep.segments else None, seg.speaker, seg.role,
                         cast[seg.speaker].name, seg.chapter, seg.text)
            for i, seg in enumerate(script.segments)
        ],
        cues=[
            CueEntry(r3(c.start), r3(c.end), c.speaker, script.speaker(c.speaker).name, c.segment, c.chapter, c.text,
                     c.language, c.voice or cast[c.speaker].name)
            for c in ep.cues
        ],
        sidecars=Sidecars(**names, html=stem + ".html"),
        extra={"epub": stem + ".epub"} if opts.epub else {},  # for the feed and batch to carry the book
    )


def _show(opts: RenderOptions, stem: str) -> Show:
    show = {k: v for k, v in opts.show.items() if v is not None}
    if opts.cover is not None:
        show["image"] = opts.cover.name  # copied beside the episode, so a feed of the folder can serve it
    elif not show.get("image"):
        show["image"] = stem + COVER_SUFFIX  # made by write_episode: every episode has artwork
    return Show.from_json(show)


def mp3_args(opts: RenderOptions) -> list[str]:
    return ["-af", f"aresample={opts.output_rate}:resampler=soxr", "-ac", "1", "-c:a", "libmp3lame",
            "-b:a", opts.bitrate, "-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3"]


def m4b_args(opts: RenderOptions) -> list[str]:
    return ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1", "-af",
            f"aresample={opts.output_rate}:resampler=soxr", "-ac", "1", "-c:a", "aac", "-b:a", opts.bitrate,
            "-movflags", "+faststart", "-f", "ipod"]


def ffmetadata(m: dict[str, Any]) -> str:
    """ffmpeg's metadata file: tags and chapters for the M4B."""

    def esc(s: str) -> str:
        for ch in "\\=;#\n":
            s = s.replace(ch, "\\" + ch)
        return s

    show = m.get("show") or {}
    out = [";FFMETADATA1", f"title={esc(m['title'])}", "genre=Podcast", "language=kaz"]
    if show.get("author"):
        out.append(f"artist={esc(show['author'])}")
    if show.get("title"):
        out.append(f"album={esc(show['title'])}")
    if m.get("date"):
        out.append(f"date={m['date']}")
    for ch in m["chapters"]:
        out += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={int(round(ch['start'] * 1000))}",
                f"END={int(round(ch['end'] * 1000))}", f"title={esc(ch['title'])}"]
    return "\n".join(out) + "\n"


def write_episode(
    blocks: Iterable[np.ndarray], rate: int, manifest: Manifest, opts: RenderOptions
) -> list[Path]:
    """Encode the mastered `blocks` and write every file under a temporary name, then rename them all;
    returns the final paths, the MP3 first."""
    m = manifest.to_json()  # the writers below still read the JSON form
    stem = Path(m["audio"]).stem
    with Staging(opts.outdir) as stage, tempfile.TemporaryDirectory(prefix="audiobook-") as tmp:
        mp3 = stage.path(m["audio"])
        outputs = [Output(mp3, mp3_args(opts))]
        if opts.m4b:
            meta = Path(tmp) / "chapters.txt"
            meta.write_text(ffmetadata(m), encoding="utf-8")
            m4b = stage.path(stem + ".m4b")
            outputs.append(Output(m4b, m4b_args(opts), ["-f", "ffmetadata", "-i", str(meta)]))
        encode(blocks, rate, outputs)
        cover = opts.cover
        if cover is None:
            cover = make_cover(cover_heading(manifest), manifest.title, stage.path(stem + COVER_SUFFIX))
        else:
            target = opts.outdir / cover.name
            if not target.is_file() or target.read_bytes() != cover.read_bytes():
                stage.copy(cover, cover.name)
        write_tags(mp3, m, cover)
        if opts.m4b:
            write_m4b_cover(m4b, cover)
        if opts.epub:
            write_epub(manifest, mp3, cover, stage.path(stem + ".epub"))
        for writer in WRITERS:
            stage.write_text(stem + writer.suffix, writer.render(m))
        stage.write_text(stem + ".html", render_readalong(m))
        return stage.commit()
