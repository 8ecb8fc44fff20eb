"""The render pipeline: parse -> normalize -> cast -> synthesize -> assemble/master -> package.

Each stage lives in its own module; this one only wires them and does the file I/O at the edges.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audiobook.audio.assemble import Episode, Line, Pacing, assemble
from audiobook.audio.master import Loudness, plan_master
from audiobook.audio.music import level_under_speech
from audiobook.errors import AudiobookError
from audiobook.text.script import Script
from audiobook.voice.cast import cast_script
from audiobook.voice.profile import VoiceProfile
from audiobook.voice.resolve import find_profile
from audiobook.voice.synth import SynthStats, cache_root, synthesize_all

ASSEMBLY_RATE = 22050  # the engines' native rate; the encoder resamples to the output rate


@dataclass
class RenderOptions:
    outdir: Path = Path("out")
    voices: dict[str, str] = field(default_factory=dict)
    lexicon: Path | None = None
    no_cache: bool = False
    jobs: int | None = None  # None: one worker per core when the work is worth it (synth.auto_jobs)
    pacing: Pacing = field(default_factory=Pacing)
    loudness: Loudness = field(default_factory=Loudness)
    bitrate: str = "96k"
    output_rate: int = 44100
    m4b: bool = False
    epub: bool = False  # also <stem>.epub: EPUB 3 with media overlays
    show: dict[str, Any] = field(default_factory=dict)
    cover: Path | None = None
    intro: Path | None = None
    outro: Path | None = None
    name: str | None = None  # the episode's file stem; default: the input's


@dataclass
class RenderResult:
    audio: Path
    outputs: list[Path]
    duration: float
    loudness: float  # as planned by the master stage (LUFS)
    true_peak: float  # as planned (dBTP, before encoding)
    stats: SynthStats
    warnings: list[str]
    timings: dict[str, float]
    voices: list[VoiceProfile]


def load_script(path: Path) -> Script:
    from audiobook.text.scriptfile import is_script_file, load_script_file

    if is_script_file(path):
        return load_script_file(path, check_voice=find_profile)
    from audiobook.text.parse import parse_article
    from audiobook.text.source import read_text

    return parse_article(read_text(path), source=str(path))


def script_lines(script: Script, lexicon: Any) -> tuple[list[Line], list[str]]:
    """Every sentence of every segment, normalized; a sentence with nothing to speak is reported."""
    from audiobook.text.normalize import normalize, split_sentences

    lines: list[Line] = []
    warnings: list[str] = []
    for i, seg in enumerate(script.segments):
        for j, sentence in enumerate(split_sentences(seg.text)):
            spoken = normalize(sentence, lexicon)
            if not any(ch.isalpha() for ch in spoken):
                warnings.append(f"segment {i + 1}: nothing to speak in {sentence!r}; it is left out of the audio")
                continue
            lines.append(Line(i, j, seg.chapter, seg.speaker, sentence, spoken))
    return lines, warnings


def render(
    source: Path,
    opts: RenderOptions,
    on_progress: Callable[[int, int], None] | None = None,
) -> RenderResult:
    from audiobook.package.episode import build_manifest, write_episode
    from audiobook.text.normalize import user_lexicon

    t: dict[str, float] = {}
    t0 = time.perf_counter()
    script = load_script(source)
    lexicon = user_lexicon(opts.lexicon)
    cast = cast_script(script, opts.voices)
    lines, warnings = script_lines(script, lexicon)
    warnings = list(script.warnings) + warnings
    if not lines:
        raise AudiobookError(f"{source}: nothing to speak (no sentence has a word); give an article with text")
    intro, outro = _music(opts)  # before synthesis: a bad music file should fail in seconds, not minutes
    t["parse+normalize"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    root, tmp = cache_root(opts.no_cache)
    try:
        pieces, stats = synthesize_all(
            [(line.spoken, cast[line.speaker]) for line in lines], root, ASSEMBLY_RATE,
            opts.pacing.trim_db, opts.jobs, on_progress,
        )
        t["synthesize"] = time.perf_counter() - t0
        warnings += stats.warnings  # damaged cache pieces, synthesized again
        t0 = time.perf_counter()
        episode: Episode = assemble(lines, pieces, [c.title for c in script.chapters], ASSEMBLY_RATE,
                                    opts.pacing, intro, outro)
    finally:
        if tmp is not None:
            tmp.cleanup()
    t["assemble"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    plan = plan_master(episode.samples, episode.sample_rate, opts.loudness)
    if intro is not None or outro is not None:
        n_in, n_out = len(intro.samples) if intro else 0, len(outro.samples) if outro else 0
        for _ in range(2):  # the second pass only confirms: the music is never limited
            if abs(level_under_speech(episode.samples, episode.sample_rate, n_in, n_out, plan)) < 0.3:
                break
            plan = plan_master(episode.samples, episode.sample_rate, opts.loudness)
    t["master"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    manifest = build_manifest(script, episode, cast, opts.name or source.stem, opts)
    outputs = write_episode(plan.blocks(episode.samples), episode.sample_rate, manifest, opts)
    loud, peak = plan.predicted_lufs, plan.predicted_peak_db
    t["encode+package"] = time.perf_counter() - t0
    return RenderResult(outputs[0], outputs, episode.duration, loud, peak, stats, warnings, t, list(cast.values()))


def _music(opts: RenderOptions) -> tuple[Any, Any]:
    from audiobook.audio.music import load_music

    intro = load_music(opts.intro, ASSEMBLY_RATE, fade_out=True) if opts.intro else None
    outro = load_music(opts.outro, ASSEMBLY_RATE, fade_in=True) if opts.outro else None
    return intro, outro
