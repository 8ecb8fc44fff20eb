"""Command line: `audiobook render | batch | script | check | normalize | voices | feed | studio`."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from audiobook.console import (
    check_render_options,
    err,
    format_dropped,
    friendly,
    interrupt,
    neural_hint,
    parse_formats,
    warn,
    with_batch_progress,
    with_progress,
)
from audiobook.errors import AudiobookError

app = typer.Typer(
    help="Turn Kazakh interview articles into podcast audio editions, offline, with local voices.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_INPUT_HELP = ("Interview article (.txt, .md, .html/.htm, .docx, or an http(s):// URL) or an edited script "
               "(.yaml/.json).")
_KEEP_ALL_HELP = "Keep page furniture (counters, captions, share lines, menus): leave nothing out."


@app.command()
@friendly
def render(
    input: Annotated[str, typer.Argument(help=_INPUT_HELP)],
    outdir: Annotated[Path, typer.Option("-o", "--outdir", help="Output folder.")] = Path("out"),
    voice: Annotated[list[str] | None, typer.Option(
        "--voice", help="ROLE=PROFILE or SPEAKER=PROFILE; PROFILE is a name in voices/ or a .toml path.")] = None,
    lexicon: Annotated[Path | None, typer.Option(help="Extra lexicon, added to the built-in one.")] = None,
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
    keep_all: Annotated[bool, typer.Option("--keep-all", help=_KEEP_ALL_HELP)] = False,
    languages: Annotated[str, typer.Option(
        help="Languages detected per sentence (kk,ru,en); kk alone turns detection off.")] = "kk,ru,en",
) -> None:
    """Render an interview into OUTDIR/<name>.mp3 with chapters, transcripts and a read-along page."""
    import signal

    signal.signal(signal.SIGTERM, interrupt)  # `timeout` and service managers stop with SIGTERM: as Ctrl-C
    from audiobook.parallel import Forked
    from audiobook.text.language import parse_languages
    from audiobook.text.prepare import prepare

    langs = parse_languages(languages)
    # The article is parsed and normalized in a forked child while this process loads the audio stack and
    # checks the options: each takes about a sixth of a second, on one core (docs/benchmarks.md).
    with Forked(lambda: prepare(input, keep_all, lexicon, langs)) as text:
        from audiobook.audio.assemble import Pacing
        from audiobook.audio.master import Loudness
        from audiobook.package.episode import PackageSettings
        from audiobook.package.manifest import Show
        from audiobook.pipeline import RenderOptions
        from audiobook.pipeline import render as run
        from audiobook.publish.cover import check_cover, font_path
        from audiobook.publish.show import load_show
        from audiobook.voice.cast import parse_overrides

        formats = parse_formats(format)
        from audiobook.text.inputs import is_url

        # Checked before any synthesis, which can take minutes with neural voices.
        beside = [] if is_url(input) else [Path(input).parent]
        options = Show.from_mapping({"title": show, "author": author}, "--show/--author")
        show_info, show_cover = load_show(podcast, [*beside, outdir], options)
        package = PackageSettings(bitrate=bitrate, formats=formats, show=show_info, cover=cover or show_cover)
        opts = RenderOptions(
            outdir=outdir, voices=parse_overrides(voice or []), lexicon=lexicon, no_cache=no_cache, jobs=jobs,
            pacing=Pacing(), loudness=Loudness(target_lufs=lufs), package=package, intro=intro, outro=outro,
            keep_all=keep_all, languages=langs,
        )
        # Checked before any synthesis, which can take minutes with neural voices.
        check_render_options(outdir, bitrate, lufs, jobs)
        if package.cover is not None:
            for w in check_cover(package.cover):
                warn(w)
        else:
            font_path()  # the generated cover's font: a broken install fails now, not after synthesis
        try:
            result = with_progress(lambda progress: run(input, opts, progress, text.result), quiet)
        except KeyboardInterrupt:
            # Everything to clean up was cleaned while the exception unwound. A normal exit would now join the
            # synthesis pool's manager thread, which a signal arriving mid-submit can leave deadlocked on a queue
            # lock: leave at once (the workers die with this process, parallel.die_with_parent).
            err("interrupted")
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(130)
    for w in result.warnings:
        warn(w)
    if not quiet:
        s = result.stats
        typer.echo(
            f"{result.duration / 60:.1f} min, mastered to {result.loudness:.1f} LUFS, "
            f"true peak {result.true_peak:.1f} dBTP; "
            f"sentences: {s.synthesized} synthesized, {s.cached} from cache"
            + (f"; {result.dropped} page-furniture lines left out (`audiobook script` lists them, "
               "--keep-all reads them)" if result.dropped else ""),
            err=True,
        )
        neural_hint(result.voices)
    if timings:
        typer.echo("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()), err=True)
    typer.echo(str(result.audio))
    global _RENDERED
    _RENDERED = True


_RENDERED = False  # set by a render that finished: main() may then skip the interpreter's teardown


@app.command()
@friendly
def batch(
    sources: Annotated[list[Path], typer.Argument(help="Folders (searched recursively) or files of articles.")],
    outdir: Annotated[Path, typer.Option("-o", "--outdir", help="The site: one folder for every episode.")],
    voice: Annotated[list[str] | None, typer.Option(
        "--voice", help="ROLE=PROFILE or SPEAKER=PROFILE, as for render.")] = None,
    lexicon: Annotated[Path | None, typer.Option(help="Extra lexicon, added to the built-in one.")] = None,
    podcast: Annotated[Path | None, typer.Option(
        help="Show details for every episode; default: the podcast.toml beside each article.")] = None,
    show: Annotated[str | None, typer.Option(help="Show name (ID3 album).")] = None,
    author: Annotated[str | None, typer.Option(help="Author / publisher (ID3 artist).")] = None,
    cover: Annotated[Path | None, typer.Option(help="Cover image (JPEG or PNG) for every episode.")] = None,
    bitrate: Annotated[str, typer.Option(help="MP3/AAC bitrate.")] = "96k",
    lufs: Annotated[float, typer.Option(help="Integrated loudness target (LUFS).")] = -16.0,
    format: Annotated[list[str] | None, typer.Option("--format", help="Also write: m4b, epub (as for render).")] = None,
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
    from audiobook.package.episode import PackageSettings
    from audiobook.package.manifest import Show
    from audiobook.pipeline import RenderOptions
    from audiobook.voice.cast import parse_overrides

    signal.signal(signal.SIGTERM, interrupt)  # service managers and `timeout` stop with SIGTERM
    formats = parse_formats(format)
    check_render_options(outdir, bitrate, lufs)
    if jobs < 1 or cpus_per_episode < 1:
        raise AudiobookError("--jobs and --cpus-per-episode take a whole number of at least 1")
    if cover is not None and not cover.is_file():
        raise AudiobookError(f"{cover}: cover image not found; check --cover")
    package = PackageSettings(bitrate=bitrate, formats=formats, cover=cover)
    render_opts = RenderOptions(outdir=outdir, voices=parse_overrides(voice or []), lexicon=lexicon,
                                loudness=Loudness(target_lufs=lufs), package=package, no_cache=no_cache)
    show_options = Show.from_mapping({"title": show, "author": author}, "--show/--author")
    opts = BatchOptions(sources, outdir, render_opts, podcast, show_options, jobs,
                        ray or ray_address is not None, ray_address, cpus_per_episode)
    summary = with_batch_progress(lambda on_event: run_batch(opts, on_event), quiet)
    failed = len(summary.failed)
    if base_url is not None:
        from audiobook.publish.feed import write_feed

        feed_show = Show.from_mapping({"title": title, "description": description, "category": category}, "options")
        try:
            written = write_feed(outdir, base_url, feed_show, warn=warn)
            typer.echo(f"feed: {written}", err=True)
        except AudiobookError as e:
            err(f"feed: {e}")
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


@app.command()
@friendly
def script(
    input: Annotated[str, typer.Argument(help=_INPUT_HELP)],
    json_: Annotated[bool, typer.Option("--json", help="Print the script as JSON.")] = False,
    yaml_: Annotated[bool, typer.Option("--yaml", help="Print an editable YAML script.")] = False,
    keep_all: Annotated[bool, typer.Option("--keep-all", help=_KEEP_ALL_HELP)] = False,
) -> None:
    """Show who says what, chapter by chapter (or export it for editing)."""
    from audiobook.text.prepare import load_script
    from audiobook.text.scriptfile import dump_json, dump_yaml, format_script

    if json_ and yaml_:
        raise AudiobookError("--json and --yaml: choose one")
    s = load_script(input, keep_all)
    for w in s.warnings:
        warn(w)
    typer.echo(dump_json(s) if json_ else dump_yaml(s) if yaml_ else format_script(s) + format_dropped(s),
               nl=False)


@app.command()
@friendly
def normalize(
    text: Annotated[str | None, typer.Argument(
        help="Text to normalize, or an article's path or URL; default: stdin, line by line.")] = None,
    lexicon: Annotated[Path | None, typer.Option(help="Extra lexicon, added to the built-in one.")] = None,
    language: Annotated[str | None, typer.Option(
        help="kk, ru or en for every sentence; default: detected per sentence among --languages.")] = None,
    languages: Annotated[str, typer.Option(help="Languages to detect among (kk,ru,en).")] = "kk,ru,en",
) -> None:
    """Print exactly what the voices will be given."""
    from audiobook.text.foreign import speakable
    from audiobook.text.language import detect, parse_languages
    from audiobook.text.normalize import split_sentences, user_lexicon

    lex = user_lexicon(lexicon)
    allowed = parse_languages(languages)
    if language is not None and language not in ("kk", "ru", "en"):
        raise AudiobookError(f"--language {language!r}: use kk, ru or en")

    def norm(line: str) -> str:
        if not line.strip():
            return ""
        sentences = split_sentences(line)
        langs = [language or detect(s, allowed) for s in sentences]
        if all(x == "kk" for x in langs):  # Kazakh lines exactly as before: the whole line at once
            return speakable(line, "kk", lex)
        return " ".join(speakable(s, x, lex) for s, x in zip(sentences, langs, strict=True))

    if text is not None and _names_article(text):
        # `normalize article.txt` means the article: reading its name aloud ("tone.txt") helps nobody.
        from audiobook.text.inputs import read_input

        doc = read_input(text)
        lines = doc.text.splitlines() if doc.text is not None else [
            b.text.replace("\n", " ") for b in doc.blocks if b.furniture is None]
        for line in lines:
            sys.stdout.write(norm(line) + "\n")
        sys.stdout.flush()
        return
    if text is not None:
        typer.echo(norm(text))
        return
    for line in sys.stdin:
        sys.stdout.write(norm(line.rstrip("\n")) + "\n")
    sys.stdout.flush()


def _names_article(text: str) -> bool:
    """One word that is a file, an article's file name or a URL: the article it names, not text to read."""
    from audiobook.text.inputs import ARTICLE_SUFFIXES, is_url

    if not text or any(c.isspace() for c in text):
        return False
    return is_url(text) or Path(text).is_file() or text.lower().endswith(ARTICLE_SUFFIXES)


@app.command()
@friendly
def check(
    input: Annotated[str, typer.Argument(help=_INPUT_HELP)],
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any reading was guessed.")] = False,
    lexicon: Annotated[Path | None, typer.Option(help="Extra lexicon, added to the built-in one.")] = None,
) -> None:
    """Pre-flight report, before any audio: speakers, chapters, what was left out, and every guessed word."""
    from audiobook.text.check import check_script, format_report
    from audiobook.text.inputs import is_url
    from audiobook.text.normalize import user_lexicon
    from audiobook.text.prepare import load_script

    s = load_script(input)
    for w in s.warnings:
        warn(w)
    lines: list[str] = []
    if not is_url(input):  # a page's lines are not kept to cite
        with contextlib.suppress(OSError):
            lines = Path(input).read_text(encoding="utf-8", errors="replace").splitlines()
    report = check_script(s, user_lexicon(lexicon), lines)
    typer.echo(format_report(report), nl=False)
    if strict and report.guesses:
        raise typer.Exit(1)


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
    title: Annotated[str | None, typer.Option(
        help="Show title; default: podcast.toml in FOLDER, else the show the episodes name.")] = None,
    author: Annotated[str | None, typer.Option(help="Show author.")] = None,
    description: Annotated[str | None, typer.Option(help="Show description.")] = None,
    image: Annotated[str | None, typer.Option(help="Show artwork: URL or a file in the folder.")] = None,
    category: Annotated[str | None, typer.Option(help="iTunes category, e.g. News.")] = None,
    explicit: Annotated[bool | None, typer.Option("--explicit/--no-explicit", help="Explicit content.")] = None,
) -> None:
    """Write FOLDER/feed.xml: a podcast RSS feed of every episode in FOLDER."""
    from audiobook.package.manifest import Show
    from audiobook.publish.feed import write_feed

    options = Show.from_mapping({"title": title, "author": author, "description": description, "image": image,
                                 "category": category, "explicit": explicit}, "options")
    path = write_feed(folder, base_url, options, warn=warn)
    typer.echo(str(path))


@app.command()
@friendly
def studio(
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8765,
    workdir: Annotated[Path, typer.Option(help="Folder for articles, scripts and renders.")] = Path("studio"),
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open a browser.")] = False,
    host: Annotated[str, typer.Option(help="Address to bind; other than 127.0.0.1 exposes it.")] = "127.0.0.1",
) -> None:
    """A local web app to check, fix, hear, render and publish an episode (pip install 'audiobook[studio]')."""
    from audiobook.studio.server import serve

    serve(workdir, port, host, not no_browser)


def main() -> None:
    """The console command. After a render that returned (its outputs renamed into place, its pools joined)
    it leaves without the interpreter's teardown, 40-50 ms of freeing arrays and modules, its streams
    flushed; any other command, or a failed render, exits as Python does. Tests call `app` in-process."""
    try:
        app(prog_name="audiobook")
        code: object = 0
    except SystemExit as e:
        code = e.code
    if not _RENDERED or code not in (0, None) or "ray" in sys.modules:
        raise SystemExit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: let Python report it as it would
        raise SystemExit(code) from None
    os._exit(0)


if __name__ == "__main__":
    main()
