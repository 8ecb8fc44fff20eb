"""The render pipeline: parse -> normalize -> cast -> synthesize -> assemble/master -> package.

Each stage lives in its own module; this one only wires them and does the file I/O at the edges.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from audiobook.audio.assemble import Episode, Pacing, assemble
from audiobook.audio.encode import Mastered, runs_cache
from audiobook.audio.master import Loudness, plan_master
from audiobook.audio.music import level_under_speech
from audiobook.audio.runs import Grid, align, spans
from audiobook.errors import AudiobookError
from audiobook.package.episode import PackageSettings, build_manifest, draw_artwork, write_episode
from audiobook.text.language import LANGUAGES
from audiobook.text.prepare import Prepared, prepare
from audiobook.voice.cast import cast_languages, cast_script
from audiobook.voice.profile import VoiceProfile
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
    package: PackageSettings = field(default_factory=PackageSettings)
    intro: Path | None = None
    outro: Path | None = None
    name: str | None = None  # the episode's file stem; default: the input's
    keep_all: bool = False  # read page furniture too (counters, captions, menus): nothing left out
    languages: tuple[str, ...] = LANGUAGES  # detected per sentence; ("kk",) turns detection off


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
    dropped: int = 0  # input lines left out as page furniture (`audiobook script` lists them)


def render(
    source: Path | str,
    opts: RenderOptions,
    on_progress: Callable[[int, int], None] | None = None,
    prepared: Callable[[], Prepared] | None = None,
) -> RenderResult:
    """`prepared`: the parse and normalize of `source` with `opts`, already under way (the CLI's Forked);
    None: done here."""
    from audiobook.text.inputs import input_stem

    t: dict[str, float] = {}
    t0 = time.perf_counter()
    ready = prepared() if prepared else prepare(source, opts.keep_all, opts.lexicon, opts.languages)
    script, lines, warnings = ready.script, ready.lines, ready.warnings
    t0 = time.perf_counter() - ready.seconds  # its own time, wherever it ran
    cast = cast_script(script, opts.voices)
    if not lines:
        raise AudiobookError(f"{source}: nothing to speak (no sentence has a word); give an article with text")
    # One voice per speaker per language: each sentence goes to its speaker's voice for its language.
    voices = cast_languages(script, cast, sorted({line.language for line in lines}), opts.voices)
    lines = [replace(line, voice=voices[line.speaker][line.language].name) for line in lines]
    intro, outro = _music(opts)  # before synthesis: a bad music file should fail in seconds, not minutes
    t["parse+normalize"] = time.perf_counter() - t0

    with tempfile.TemporaryDirectory(prefix="audiobook-art-") as art:
        t0 = time.perf_counter()
        root, tmp = cache_root(opts.no_cache)
        runs = runs_cache(opts.no_cache)
        artwork: list[Path | None] = []
        try:
            pieces, stats = synthesize_all(
                [(line.spoken, voices[line.speaker][line.language]) for line in lines], root, ASSEMBLY_RATE,
                opts.pacing.trim_db, opts.jobs, on_progress,
                # The cover, drawn while the workers synthesize rather than on one core between master and encode.
                meanwhile=lambda: artwork.append(draw_artwork(script, opts.package, Path(art), runs)),
            )
            t["synthesize"] = time.perf_counter() - t0
            warnings += stats.warnings  # damaged cache pieces, synthesized again
            t0 = time.perf_counter()
            episode: Episode = assemble(lines, pieces, [c.title for c in script.chapters], ASSEMBLY_RATE,
                                        opts.pacing, intro, outro)
        finally:
            if tmp is not None:
                tmp.cleanup()
        grid = Grid(ASSEMBLY_RATE, opts.package.output_rate)
        episode, bounds = align(episode, grid)  # runs cut on the MP3 frame grid
        t["assemble"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        # Metered run by run, as the encoder takes them: an edit re-measures only the runs it changed.
        parts = spans(bounds, len(episode.samples), grid)
        plan = plan_master(episode.samples, episode.sample_rate, opts.loudness, parts, runs)
        if intro is not None or outro is not None:
            n_in, n_out = len(intro.samples) if intro else 0, len(outro.samples) if outro else 0
            for _ in range(2):  # the second pass only confirms: the music is never limited
                if abs(level_under_speech(episode.samples, episode.sample_rate, n_in, n_out, plan)) < 0.3:
                    break
                plan = plan_master(episode.samples, episode.sample_rate, opts.loudness, parts, runs)
        t["master"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        manifest = build_manifest(script, episode, cast, opts.name or input_stem(source), opts.package)
        mastered = Mastered(episode.samples, episode.sample_rate, bounds, plan, opts.loudness)
        outputs = write_episode(mastered, manifest, opts.outdir, opts.package, runs, opts.jobs, artwork[0])
        loud, peak = plan.predicted_lufs, plan.predicted_peak_db
        t["encode+package"] = time.perf_counter() - t0
    used = list({p.name: p for per in voices.values() for p in per.values()}.values())
    return RenderResult(outputs[0], outputs, episode.duration, loud, peak, stats, warnings, t, used,
                        len(script.dropped))


def _music(opts: RenderOptions) -> tuple[Any, Any]:
    from audiobook.audio.music import load_music

    intro = load_music(opts.intro, ASSEMBLY_RATE, fade_out=True) if opts.intro else None
    outro = load_music(opts.outro, ASSEMBLY_RATE, fade_in=True) if opts.outro else None
    return intro, outro
