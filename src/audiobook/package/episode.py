"""Package stage: the MP3 (and optional M4B) with tags, and the sidecar files, all committed at once."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from audiobook.audio.assemble import Episode
from audiobook.audio.encode import Mastered, Mp3Settings, encode_mp3
from audiobook.audio.ffmpeg import Output, encode
from audiobook.package.id3 import write_m4b_cover, write_tags
from audiobook.package.manifest import ChapterEntry, CueEntry, Manifest, SegmentEntry, Show, Sidecars, SpeakerEntry
from audiobook.package.sidecars import SIDECAR_KEYS, WRITERS
from audiobook.publish.cover import cached_cover, cover_heading, heading
from audiobook.publish.readalong import render_readalong
from audiobook.staging import Staging
from audiobook.text.script import Script
from audiobook.voice.profile import VoiceProfile

COVER_SUFFIX = ".jpg"  # the generated artwork, beside the episode
FORMATS = ("mp3", "m4b", "epub")  # the MP3 is always written; the others on request


@dataclass(frozen=True)
class PackageSettings:
    """How the episode is packaged (as `Pacing` says how it is assembled and `Loudness` how it is mastered)."""

    bitrate: str = "96k"  # MP3 (CBR) and AAC
    output_rate: int = 44100
    formats: frozenset[str] = frozenset({"mp3"})
    show: Show | None = None  # show details for the tags and the manifest
    cover: Path | None = None  # JPEG or PNG, embedded and copied beside the episode

    @property
    def m4b(self) -> bool:
        return "m4b" in self.formats

    @property
    def epub(self) -> bool:
        return "epub" in self.formats


def r3(v: float) -> float:
    """Milliseconds: the precision of every consumer of the manifest."""
    return round(v, 3)


def build_manifest(
    script: Script, ep: Episode, cast: dict[str, VoiceProfile], stem: str, settings: PackageSettings
) -> Manifest:
    names = {key: stem + suffix for suffix, key in SIDECAR_KEYS.items()}
    return Manifest(
        title=script.title,
        date=script.date.isoformat() if script.date else None,
        lead=script.lead,
        language="kk",
        audio=stem + ".mp3",
        duration=r3(ep.duration),
        sample_rate=settings.output_rate,
        show=_show(settings, stem),
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
        extra={"epub": stem + ".epub"} if settings.epub else {},  # for the feed and batch to carry the book
    )


def _show(settings: PackageSettings, stem: str) -> Show:
    show = settings.show or Show()
    if settings.cover is not None:
        # Copied beside the episode, so a feed of the folder can serve it.
        show = replace(show, image=settings.cover.name)
    elif not show.image:
        show = replace(show, image=stem + COVER_SUFFIX)  # made by write_episode: every episode has artwork
    return show


def m4b_args(settings: PackageSettings) -> list[str]:
    return ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1", "-af",
            f"aresample={settings.output_rate}:resampler=soxr", "-ac", "1", "-c:a", "aac", "-b:a", settings.bitrate,
            "-movflags", "+faststart", "-f", "ipod"]


def ffmetadata(m: Manifest) -> str:
    """ffmpeg's metadata file: tags and chapters for the M4B."""

    def esc(s: str) -> str:
        for ch in "\\=;#\n":
            s = s.replace(ch, "\\" + ch)
        return s

    show = m.show or Show()
    out = [";FFMETADATA1", f"title={esc(m.title)}", "genre=Podcast", "language=kaz"]
    if show.author:
        out.append(f"artist={esc(show.author)}")
    if show.title:
        out.append(f"album={esc(show.title)}")
    if m.date:
        out.append(f"date={m.date}")
    for ch in m.chapters:
        out += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={int(round(ch.start * 1000))}",
                f"END={int(round(ch.end * 1000))}", f"title={esc(ch.title)}"]
    return "\n".join(out) + "\n"


def draw_artwork(script: Script, settings: PackageSettings, folder: Path, runs: Path | None = None) -> Path | None:
    """The episode's generated cover, drawn into `folder` (or taken from the cache beside `runs`) for
    write_episode; None when the settings give a cover. The pipeline draws it while the voices synthesize:
    it is 0.2 s of one core that would otherwise stand between mastering and encoding."""
    if settings.cover is not None:
        return None
    guests = [s.name for s in script.speakers if s.role == "interviewee"]
    return _draw(heading(settings.show, guests), script.title, folder / ("cover" + COVER_SUFFIX), runs)


def _draw(show: str | None, title: str, path: Path, runs: Path | None) -> Path:
    covers = runs.with_name("covers") if runs is not None else None  # made artwork, beside the runs
    return cached_cover(show, title, path, covers)


def write_episode(
    audio: Mastered, manifest: Manifest, outdir: Path, settings: PackageSettings, runs: Path | None = None,
    jobs: int | None = None, artwork: Path | None = None,
) -> list[Path]:
    """Encode the mastered `audio` (the MP3 in runs, reusing those cached in `runs`: audio.encode) into
    `outdir` and write every file under a temporary name, then rename them all; returns the final paths,
    the MP3 first. `artwork`: the cover draw_artwork made for this episode (else drawn here)."""
    stem, cover = manifest.stem, settings.cover
    with Staging(outdir) as stage, tempfile.TemporaryDirectory(prefix="audiobook-") as tmp:
        mp3 = stage.path(manifest.audio)  # staged first: commit() returns the MP3 first
        if cover is None and artwork is not None:
            cover = stage.copy(artwork, stem + COVER_SUFFIX)
        elif cover is None:  # drawn before the encode, whose peak memory its 45-70 MiB would otherwise add to
            cover = _draw(cover_heading(manifest), manifest.title, stage.path(stem + COVER_SUFFIX), runs)
        else:
            target = outdir / cover.name
            if not target.is_file() or target.read_bytes() != cover.read_bytes():
                stage.copy(cover, cover.name)
        done = encode_mp3(audio, mp3, Mp3Settings(settings.bitrate, settings.output_rate), runs, jobs)
        if settings.m4b:  # one pass: joining AAC runs would need an MP4 edit list to trim its priming at each join
            meta = Path(tmp) / "chapters.txt"
            meta.write_text(ffmetadata(manifest), encoding="utf-8")
            m4b = stage.path(stem + ".m4b")
            encode(audio.blocks(done.gain), audio.rate,
                   [Output(m4b, m4b_args(settings), ["-f", "ffmetadata", "-i", str(meta)])])
        write_tags(mp3, manifest, cover)
        if settings.m4b:
            write_m4b_cover(m4b, cover)
        if settings.epub:
            from audiobook.publish.epub import write_epub  # its XML and templates only when asked for

            write_epub(manifest, mp3, cover, stage.path(stem + ".epub"))
        for writer in WRITERS:
            stage.write_text(stem + writer.suffix, writer.render(manifest))
        stage.write_text(stem + ".html", render_readalong(manifest))
        return stage.commit()
