"""Command line: `audiobook render | script | check | normalize | voices | feed`."""

from __future__ import annotations

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
        "--format", help="Also write another format: m4b (AAC with chapters).")] = None,
    jobs: Annotated[int | None, typer.Option(
        "-j", "--jobs", help="Synthesis workers (default: one per core for neural voices).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Synthesize everything afresh.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print only the output path.")] = False,
    timings: Annotated[bool, typer.Option("--timings", help="Also print how long each stage took.")] = False,
) -> None:
    """Render an interview into OUTDIR/<name>.mp3 with chapters, transcripts and a read-along page."""
    from audiobook.audio.assemble import Pacing
    from audiobook.audio.master import Loudness
    from audiobook.package.id3 import image_mime
    from audiobook.pipeline import RenderOptions
    from audiobook.pipeline import render as run
    from audiobook.publish.show import load_show
    from audiobook.voice.cast import parse_overrides

    formats = {f.lower().lstrip(".") for f in (format or [])}
    if formats - {"m4b", "mp3"}:
        raise AudiobookError(f"--format {', '.join(sorted(formats - {'m4b', 'mp3'}))}: unknown; use m4b")
    info, show_cover = load_show(podcast, [input.parent, outdir], title=show, author=author)
    opts = RenderOptions(
        outdir=outdir, voices=parse_overrides(voice or []), lexicon=lexicon, no_cache=no_cache, jobs=jobs,
        pacing=Pacing(), loudness=Loudness(target_lufs=lufs), bitrate=bitrate, m4b="m4b" in formats,
        show=info, cover=cover or show_cover, intro=intro, outro=outro,
    )
    # Checked before any synthesis, which can take minutes with neural voices.
    if outdir.exists() and not outdir.is_dir():
        raise AudiobookError(f"{outdir}: exists and is not a folder; give another -o/--outdir")
    if opts.cover is not None:
        if not opts.cover.is_file():
            raise AudiobookError(f"{opts.cover}: cover image not found; check --cover")
        image_mime(opts.cover)
    result = _with_progress(lambda progress: run(input, opts, progress), quiet)
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
def check(
    input: Annotated[Path, typer.Argument(help="Interview article (.txt) or a script (.yaml/.json).")],
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any reading was guessed.")] = False,
    lexicon: Annotated[Path | None, typer.Option(help="Extra lexicon, added to voices/lexicon.txt.")] = None,
) -> None:
    """Pre-flight report, before any audio: speakers, chapters, what was left out, and every guessed word."""
    from audiobook.pipeline import load_script
    from audiobook.text.check import check_script, format_report
    from audiobook.text.normalize import user_lexicon

    s = load_script(input)
    for w in s.warnings:
        typer.echo(f"warning: {w}", err=True)
    try:
        lines = input.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    report = check_script(s, user_lexicon(lexicon), lines)
    typer.echo(format_report(report), nl=False)
    if strict and report.guesses:
        raise typer.Exit(1)


@app.command()
@friendly
def voices() -> None:
    """List the engines, the voice profiles, and the models found."""
    from audiobook.voice.models import describe_voices

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
