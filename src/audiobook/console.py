"""The terminal side of the command line: one-line errors instead of tracebacks, option checks made
before any work, and progress bars."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer

from audiobook.errors import AudiobookError

F = TypeVar("F", bound=Callable[..., Any])


def parse_formats(values: list[str] | None) -> frozenset[str]:
    """`--format m4b --format epub` or `--format m4b,epub`; the MP3 is always written."""
    from audiobook.package.episode import FORMATS

    formats = {f.strip().lower().lstrip(".") for arg in (values or []) for f in arg.split(",") if f.strip()}
    if unknown := formats - set(FORMATS):
        raise AudiobookError(f"--format {', '.join(sorted(unknown))}: unknown; use {', '.join(sorted(FORMATS))}")
    return frozenset(formats | {"mp3"})


# A value quoted in a message ('...' or "...") longer than this is shown by its ends: an error about a
# pasted paragraph or a runaway option stays one readable line.
QUOTED_MAX = 120
_QUOTED = re.compile(f"(?<![\\w'\"])(?:'[^'\\n]{{{QUOTED_MAX},}}'|\"[^\"\\n]{{{QUOTED_MAX},}}\")(?!\\w)")


def shorten_quoted(msg: str) -> str:
    def cut(m: re.Match[str]) -> str:
        q = m.group(0)
        return f"{q[:80]}…{q[-30:]}"

    return _QUOTED.sub(cut, msg)


def err(msg: str) -> None:
    typer.echo(f"error: {shorten_quoted(msg)}", err=True)


def warn(msg: str) -> None:
    typer.echo(f"warning: {shorten_quoted(msg)}", err=True)


def friendly(fn: F) -> F:
    """User errors become one line on stderr and exit 1; no traceback."""

    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AudiobookError as e:
            err(str(e))
            raise typer.Exit(1) from None
        except OSError as e:  # a folder where a file was expected, permissions, a full disk, ...
            err(f"{e.filename or 'file'}: {e.strerror or e}; check the path and its permissions")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None

    return run  # type: ignore[return-value]


LUFS_RANGE = (-40.0, -5.0)  # podcasts ask for -16 or -19, broadcast -23/-24; beyond these is a typo


BITRATE_RANGE = (8_000, 512_000)


def check_render_options(outdir: Path, bitrate: str, lufs: float, jobs: int | None = None) -> None:
    """Options a render would otherwise reject only after synthesis and mastering, with a temporary name."""
    if jobs is not None and jobs < 1:
        raise AudiobookError(f"--jobs {jobs}: give a whole number of at least 1, or leave it out (one per core)")
    lo, hi = LUFS_RANGE
    if not lo <= lufs <= hi:  # also nan
        raise AudiobookError(f"--lufs {lufs:g}: outside {lo:g}..{hi:g} LUFS; podcasts use -16 (mono -19)")
    from audiobook.audio.encode import bitrate_bps

    bps = bitrate_bps(bitrate)
    if bps is None or not BITRATE_RANGE[0] <= bps <= BITRATE_RANGE[1]:
        raise AudiobookError(f"--bitrate {bitrate}: not a bitrate from 8k to 512k; use e.g. 96k or 128k")
    check_writable(outdir)


def check_writable(outdir: Path) -> None:
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


def with_progress(work: Callable[[Callable[[int, int], None] | None], Any], quiet: bool) -> Any:
    if quiet or not sys.stderr.isatty():
        return work(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    # Redrawn as pieces finish, not by rich's refresh thread: with no other thread running, the synthesis
    # pool may fork its workers (synth._start_method).
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), transient=True, auto_refresh=False) as bar:
        task = bar.add_task("Synthesizing", total=None)
        return work(lambda done, total: bar.update(task, completed=done, total=total, refresh=True))


def neural_hint(used: list[Any]) -> None:
    from audiobook.voice.cast import piper_hint

    hint = piper_hint(used)
    if hint:
        typer.echo(hint, err=True)


def interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def with_batch_progress(work: Callable[[Callable[..., None]], Any], quiet: bool) -> Any:
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


def format_dropped(s: Any) -> str:
    """The lines left out, each marked with its reason, after the script they are not part of."""
    if not s.dropped:
        return ""
    out = ["", f"== Left out ({len(s.dropped)} lines of page furniture; --keep-all keeps them)"]
    out += [f"[dropped] line {d.line} ({d.reason}): {' '.join(d.text.split())}" for d in s.dropped]
    return "\n".join(out) + "\n"
