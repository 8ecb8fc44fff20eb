"""Command line: `audiobook render | batch | script | normalize | voices | feed`."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from audiobook.errors import AudiobookError

app = typer.Typer(
    help="Turn Kazakh interview articles into podcast audio editions, offline, with local voices.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
F = TypeVar("F", bound=Callable[..., Any])
FORMATS = {"mp3", "m4b", "epub"}


def _err(msg: str) -> None:
    typer.echo(f"error: {msg}", err=True)


def friendly(fn: F) -> F:
    """User errors become one line on stderr and exit 1; no traceback."""

    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AudiobookError as e:
            _err(str(e))
            raise typer.Exit(1) from None
        except OSError as e:  # a folder where a file was expected, permissions, a full disk, ...
            _err(f"{e.filename or 'file'}: {e.strerror or e}; check the path and its permissions")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            _err("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None

    return run  # type: ignore[return-value]


@app.command()
@friendly
def render(
    input: Annotated[Path, typer.Argument(help="Interview article (.txt) or an edited script (.yaml/.json).")],
    outdir: Annotated[Path, typer.Option("-o", "--outdir", help="Output folder.")] = Path("out"),
    voice: Annotated[list[str] | None, typer.Option(
        "--voice", help="ROLE=PROFILE or SPEAKER=PROFILE; PROFILE is a name in voices/ or a .toml path.")] = None,
    lexicon: Annotated[Path | None, typer.Option(help="Extra lexicon, added to voices/lexicon.txt.")] = None,
    podcast: Annotated[Path | None, typer.Option(
        help="Show details (podcast.toml); default: podcast.toml beside the input or in the output folder.")] = None,
    show: Annotated[str | None, typer.Option(help="Show name (ID3 album).")] = None,
    author: Annotated[str | None, typer.Option(help="Author / publisher (ID3 artist).")] = None,
    cover: Annotated[Path | None, typer.Option(help="Cover image (JPEG or PNG).")] = None,
    intro: Annotated[Path | None, typer.Option(help="Intro music, faded out before the speech.")] = None,
    outro: Annotated[Path | None, typer.Option(help="Outro music, faded in after the speech.")] = None,
    bitrate: Annotated[str, typer.Option(help="MP3/AAC bitrate.")] = "96k",
    lufs: Annotated[float, typer.Option(help="Integrated loudness target (LUFS).")] = -16.0,
    format: Annotated[list[str] | None, typer.Option(
        "--format", help="Also write other formats: m4b (AAC with chapters), epub (EPUB 3 with the text synchronized "
        "to the audio); repeat it or give a comma list.")] = None,
    jobs: Annotated[int | None, typer.Option(
        "-j", "--jobs", help="Synthesis workers (default: one per core for neural voices).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Synthesize everything afresh.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print only the output path.")] = False,
    timings: Annotated[bool, typer.Option("--timings", help="Also print how long each stage took.")] = False,
) -> None:
    """Render an interview into OUTDIR/<name>.mp3 with chapters, transcripts and a read-along page."""
    import signal

    signal.signal(signal.SIGTERM, _interrupt)  # `timeout` and service managers stop with SIGTERM: as Ctrl-C
    from audiobook.audio.assemble import Pacing
    from audiobook.audio.master import Loudness
    from audiobook.pipeline import RenderOptions
    from audiobook.pipeline import render as run
    from audiobook.publish.cover import check_cover, font_path
    from audiobook.publish.show import load_show
    from audiobook.voice.cast import parse_overrides

    formats = {f.strip().lower().lstrip(".") for arg in (format or []) for f in arg.split(",") if f.strip()}
    if formats - FORMATS:
        raise AudiobookError(f"--format {', '.join(sorted(formats - FORMATS))}: unknown; use "
                             f"{', '.join(sorted(FORMATS))}")
    info, show_cover = load_show(podcast, [input.parent, outdir], title=show, author=author)
    opts = RenderOptions(
        outdir=outdir, voices=parse_overrides(voice or []), lexicon=lexicon, no_cache=no_cache, jobs=jobs,
        pacing=Pacing(), loudness=Loudness(target_lufs=lufs), bitrate=bitrate, m4b="m4b" in formats,
        epub="epub" in formats, show=info, cover=cover or show_cover, intro=intro, outro=outro,
    )
    # Checked before any synthesis, which can take minutes with neural voices.
    _check_render_options(outdir, bitrate, lufs)
    if opts.cover is not None:
        for w in check_cover(opts.cover):
            typer.echo(f"warning: {w}", err=True)
    else:
        font_path()  # the generated cover's font: a broken install fails now, not after synthesis
    try:
        result = _with_progress(lambda progress: run(input, opts, progress), quiet)
    except KeyboardInterrupt:
        # Everything to clean up was cleaned while the exception unwound. A normal exit would now join the
        # synthesis pool's manager thread, which a signal arriving mid-submit can leave deadlocked on a queue
        # lock: leave at once (the workers die with this process, synth._die_with_parent).
        _err("interrupted")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    for w in result.warnings:
        typer.echo(f"warning: {w}", err=True)
    if not quiet:
        s = result.stats
        typer.echo(
            f"{result.duration / 60:.1f} min, mastered to {result.loudness:.1f} LUFS, "
            f"true peak {result.true_peak:.1f} dBTP; "
            f"sentences: {s.synthesized} synthesized, {s.cached} from cache",
            err=True,
        )
        _neural_hint(result.voices)
    if timings:
        typer.echo("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()), err=True)
    typer.echo(str(result.audio))


LUFS_RANGE = (-40.0, -5.0)  # podcasts ask for -16 or -19, broadcast -23/-24; beyond these is a typo
BITRATE = re.compile(r"(\d+(?:\.\d+)?)([kK]?)")
BITRATE_RANGE = (8_000, 512_000)


def _check_render_options(outdir: Path, bitrate: str, lufs: float) -> None:
    """Options a render would otherwise reject only after synthesis and mastering, with a temporary name."""
    lo, hi = LUFS_RANGE
    if not lo <= lufs <= hi:  # also nan
        raise AudiobookError(f"--lufs {lufs:g}: outside {lo:g}..{hi:g} LUFS; podcasts use -16 (mono -19)")
    m = BITRATE.fullmatch(bitrate.strip())
    bps = float(m.group(1)) * (1000 if m.group(2) else 1) if m else 0.0
    if not BITRATE_RANGE[0] <= bps <= BITRATE_RANGE[1]:
        raise AudiobookError(f"--bitrate {bitrate}: not a bitrate from 8k to 512k; use e.g. 96k or 128k")
    _check_writable(outdir)


def _check_writable(outdir: Path) -> None:
    """The output folder, or the nearest folder it would be made in, takes a new file: tried, not guessed
    from permission bits (root, read-only mounts)."""
    import tempfile

    if outdir.exists() and not outdir.is_dir():
        raise AudiobookError(f"{outdir}: exists and is not a folder; give another -o/--outdir")
    base = outdir
    while not base.exists():
        if base.is_symlink() or base.parent == base:
            raise AudiobookError(f"{outdir}: cannot be created; give another -o/--outdir")
        base = base.parent
    if not base.is_dir():
        raise AudiobookError(f"{outdir}: cannot be created, {base} is not a folder; give another -o/--outdir")
    try:
        with tempfile.TemporaryFile(dir=base):
            pass
    except OSError as e:
        what = "cannot write there" if base == outdir else f"cannot be created in {base}"
        raise AudiobookError(f"{outdir}: {what} ({e.strerror}); give another -o/--outdir") from None


def _with_progress(work: Callable[[Callable[[int, int], None] | None], Any], quiet: bool) -> Any:
    if quiet or not sys.stderr.isatty():
        return work(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    # Redrawn as pieces finish, not by rich's refresh thread: with no other thread running, the synthesis
    # pool may fork its workers (synth._start_method).
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), transient=True, auto_refresh=False) as bar:
        task = bar.add_task("Synthesizing", total=None)
        return work(lambda done, total: bar.update(task, completed=done, total=total, refresh=True))


def _neural_hint(used: list[Any]) -> None:
    from audiobook.voice.cast import piper_hint

    hint = piper_hint(used)
    if hint:
        typer.echo(hint, err=True)


@app.command()
@friendly
def batch(
    sources: Annotated[list[Path], typer.Argument(help="Folders (searched recursively) or files of articles.")],
    outdir: Annotated[Path, typer.Option("-o", "--outdir", help="The site: one folder for every episode.")],
    voice: Annotated[list[str] | None, typer.Option(
        "--voice", help="ROLE=PROFILE or SPEAKER=PROFILE, as for render.")] = None,
    lexicon: Annotated[Path | None, typer.Option(help="Extra lexicon, added to voices/lexicon.txt.")] = None,
    podcast: Annotated[Path | None, typer.Option(
        help="Show details for every episode; default: the podcast.toml beside each article.")] = None,
    show: Annotated[str | None, typer.Option(help="Show name (ID3 album).")] = None,
    author: Annotated[str | None, typer.Option(help="Author / publisher (ID3 artist).")] = None,
    cover: Annotated[Path | None, typer.Option(help="Cover image (JPEG or PNG) for every episode.")] = None,
    bitrate: Annotated[str, typer.Option(help="MP3/AAC bitrate.")] = "96k",
    lufs: Annotated[float, typer.Option(help="Integrated loudness target (LUFS).")] = -16.0,
    format: Annotated[list[str] | None, typer.Option("--format", help="Also write: m4b.")] = None,
    jobs: Annotated[int, typer.Option("-j", "--jobs", help="Episodes rendered at once on this machine.")] = 1,
    ray: Annotated[bool, typer.Option("--ray", help="Run each episode as a Ray task (RAY_ADDRESS, or a "
                                      "local Ray when no cluster is given).")] = False,
    ray_address: Annotated[str | None, typer.Option(
        "--ray-address", help="The Ray cluster to use (implies --ray), e.g. 10.0.0.5:6379.")] = None,
    cpus_per_episode: Annotated[int, typer.Option(help="Ray: CPUs each episode's task asks for.")] = 1,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="Also bring OUTDIR/feed.xml up to date, for the site served at this URL.")] = None,
    title: Annotated[str | None, typer.Option(help="Feed: show title.")] = None,
    description: Annotated[str | None, typer.Option(help="Feed: show description.")] = None,
    category: Annotated[str | None, typer.Option(help="Feed: iTunes category, e.g. News.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Synthesize everything afresh.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print only the summary and failures.")] = False,
) -> None:
    """Render every article under SOURCES into OUTDIR, skipping what is up to date (see docs/scale.md)."""
    import signal

    from audiobook.audio.master import Loudness
    from audiobook.batch.driver import BatchOptions, run_batch
    from audiobook.pipeline import RenderOptions
    from audiobook.voice.cast import parse_overrides

    signal.signal(signal.SIGTERM, _interrupt)  # service managers and `timeout` stop with SIGTERM
    formats = {f.lower().lstrip(".") for f in (format or [])}
    if formats - {"m4b", "mp3"}:
        raise AudiobookError(f"--format {', '.join(sorted(formats - {'m4b', 'mp3'}))}: unknown; use m4b")
    _check_render_options(outdir, bitrate, lufs)
    if jobs < 1 or cpus_per_episode < 1:
        raise AudiobookError("--jobs and --cpus-per-episode take a whole number of at least 1")
    if cover is not None and not cover.is_file():
        raise AudiobookError(f"{cover}: cover image not found; check --cover")
    render_opts = RenderOptions(outdir=outdir, voices=parse_overrides(voice or []), lexicon=lexicon,
                                loudness=Loudness(target_lufs=lufs), bitrate=bitrate, m4b="m4b" in formats,
                                cover=cover, no_cache=no_cache)
    opts = BatchOptions(sources, outdir, render_opts, podcast, {"title": show, "author": author}, jobs,
                        ray or ray_address is not None, ray_address, cpus_per_episode)
    summary = _with_batch_progress(lambda on_event: run_batch(opts, on_event), quiet)
    failed = len(summary.failed)
    if base_url is not None:
        from audiobook.publish.feed import write_feed

        overrides = {"title": title, "description": description, "category": category}
        try:
            typer.echo(f"feed: {write_feed(outdir, base_url, {k: v for k, v in overrides.items() if v})}", err=True)
        except AudiobookError as e:
            _err(f"feed: {e}")
            failed += 1
    for s in summary.skipped:
        if not quiet:
            typer.echo(f"skipped: {s.path}: {s.reason}", err=True)
    typer.echo(
        f"batch: {len(summary.rendered)} rendered, {len(summary.up_to_date)} up to date, "
        f"{len(summary.failed)} failed" + (f"; {len(summary.skipped)} files skipped" if summary.skipped else ""),
        err=True,
    )
    if not summary.rendered and not summary.failed:
        typer.echo("nothing to render: every episode is up to date", err=True)
    if failed:
        raise typer.Exit(1)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _with_batch_progress(work: Callable[[Callable[..., None]], Any], quiet: bool) -> Any:
    """Runs `work(on_event)`: a line per finished or failed episode, and a bar over the episodes to render."""
    from contextlib import nullcontext

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), transient=True) if sys.stderr.isatty() and not quiet else None
    task = bar.add_task("Rendering", total=0) if bar else None

    def on_event(kind: str, art: Any, outcome: Any) -> None:
        if kind == "todo":
            if bar is not None and task is not None:
                bar.update(task, total=(bar.tasks[0].total or 0) + 1)
            return
        if kind == "failed":
            line = f"failed: {art.rel}: {outcome.error}"
        elif quiet:
            return
        else:
            line = (f"rendered: {art.rel} -> {art.name}.mp3 ({outcome.duration / 60:.1f} min, "
                    f"{outcome.seconds:.1f} s, {outcome.synthesized} sentences synthesized)")
        if bar is not None and task is not None:
            bar.console.print(line, markup=False, highlight=False)
            bar.advance(task)
        else:
            typer.echo(line, err=True)

    with bar if bar is not None else nullcontext():
        return work(on_event)


@app.command()
@friendly
def script(
    input: Annotated[Path, typer.Argument(help="Interview article (.txt) or a script (.yaml/.json).")],
    json_: Annotated[bool, typer.Option("--json", help="Print the script as JSON.")] = False,
    yaml_: Annotated[bool, typer.Option("--yaml", help="Print an editable YAML script.")] = False,
) -> None:
    """Show who says what, chapter by chapter (or export it for editing)."""
    from audiobook.pipeline import load_script
    from audiobook.text.scriptfile import dump_json, dump_yaml, format_script

    if json_ and yaml_:
        raise AudiobookError("--json and --yaml: choose one")
    s = load_script(input)
    for w in s.warnings:
        typer.echo(f"warning: {w}", err=True)
    typer.echo(dump_json(s) if json_ else dump_yaml(s) if yaml_ else format_script(s), nl=False)


@app.command()
@friendly
def normalize(
    text: Annotated[str | None, typer.Argument(help="Text to normalize; default: stdin, line by line.")] = None,
    lexicon: Annotated[Path | None, typer.Option(help="Extra lexicon, added to voices/lexicon.txt.")] = None,
) -> None:
    """Print exactly what the voices will be given."""
    from audiobook.text.normalize import normalize as norm
    from audiobook.text.normalize import user_lexicon

    lex = user_lexicon(lexicon)
    if text is not None:
        typer.echo(norm(text, lex))
        return
    for line in sys.stdin:
        sys.stdout.write(norm(line.rstrip("\n"), lex) + "\n")
    sys.stdout.flush()


@app.command()
@friendly
def voices() -> None:
    """List the engines, the voice profiles, and the models found."""
    from audiobook.voice.report import describe_voices

    typer.echo(describe_voices(), nl=False)


@app.command()
@friendly
def feed(
    folder: Annotated[Path, typer.Argument(help="Folder of rendered episodes.")],
    base_url: Annotated[str, typer.Option("--base-url", help="Public URL where the folder is served.")],
    title: Annotated[str | None, typer.Option(help="Show title.")] = None,
    author: Annotated[str | None, typer.Option(help="Show author.")] = None,
    description: Annotated[str | None, typer.Option(help="Show description.")] = None,
    image: Annotated[str | None, typer.Option(help="Show artwork: URL or a file in the folder.")] = None,
    category: Annotated[str | None, typer.Option(help="iTunes category, e.g. News.")] = None,
    explicit: Annotated[bool | None, typer.Option("--explicit/--no-explicit", help="Explicit content.")] = None,
) -> None:
    """Write FOLDER/feed.xml: a podcast RSS feed of every episode in FOLDER."""
    from audiobook.publish.feed import write_feed

    overrides = {"title": title, "author": author, "description": description, "image": image,
                 "category": category, "explicit": explicit}
    path = write_feed(folder, base_url, {k: v for k, v in overrides.items() if v is not None})
    typer.echo(str(path))


if __name__ == "__main__":
    app()
