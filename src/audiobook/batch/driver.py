"""`audiobook batch`: find the articles, skip what is up to date, render the rest on local workers or
Ray, write each finished episode into the site atomically, keep the ledger true, update the feed."""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from audiobook import __version__
from audiobook.batch.archive import Article, Skipped, find_articles
from audiobook.batch.ledger import Entry, Ledger
from audiobook.batch.task import Job, Outcome
from audiobook.errors import AudiobookError
from audiobook.package.manifest import Show
from audiobook.pipeline import RenderOptions
from audiobook.staging import Staging

LOCK_NAME = ".audiobook-batch.lock"
Event = Literal["todo", "rendered", "failed"]


@dataclass(frozen=True)
class BatchOptions:
    sources: list[Path]
    site: Path
    render: RenderOptions  # the options every episode gets; show details come per folder on top
    podcast: Path | None = None  # one podcast.toml for all; default: the first beside each article
    show_overrides: Show | None = None  # --show/--author
    jobs: int = 1  # episodes at once on this machine
    ray: bool = False
    ray_address: str | None = None
    cpus_per_episode: int = 1  # Ray: CPUs each episode's task asks for


@dataclass
class Summary:
    rendered: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (article, one-line reason)
    skipped: list[Skipped] = field(default_factory=list)


def run_batch(
    opts: BatchOptions, on_event: Callable[[Event, Article, Outcome | None], None] | None = None
) -> Summary:
    site = opts.site
    if site.exists() and not site.is_dir():
        raise AudiobookError(f"{site}: exists and is not a folder; give another -o/--outdir")
    site.mkdir(parents=True, exist_ok=True)
    with _lock(site):
        articles, skipped = find_articles(opts.sources, site)
        summary = Summary(skipped=skipped)
        ledger = Ledger.load(site)
        shared = shared_digest(opts.render)
        todo: list[Job] = []
        by_name: dict[str, Article] = {}
        for art in articles:
            by_name[art.name] = art
            try:
                render_opts = _options_for(art, opts)
                inputs_hash = _inputs_hash(shared, art, render_opts)
            except AudiobookError as e:
                summary.failed.append((art.rel, str(e)))
                ledger.record(art.name, Entry(str(art.source), "failed", "", error=str(e)))
                if on_event:
                    on_event("failed", art, Outcome(art.name, error=str(e)))
                continue
            if ledger.up_to_date(art.name, inputs_hash):
                summary.up_to_date.append(art.rel)
                continue
            ledger.entries[art.name] = Entry(str(art.source), "pending", inputs_hash)
            todo.append(Job(art.name, art.source, render_opts))
            if on_event:
                on_event("todo", art, None)
        ledger.save()

        def done(outcome: Outcome) -> None:
            art = by_name[outcome.name]
            entry = ledger.entries[outcome.name]
            if outcome.error is None:
                try:
                    entry.outputs = _deliver(site, outcome)
                except OSError as e:
                    outcome = replace(outcome, error=f"{site}: cannot write the episode ({e.strerror or e})")
            entry.seconds, entry.peak_rss_mb = round(outcome.seconds, 2), outcome.peak_rss_mb
            if outcome.error is None:
                entry.state, entry.error = "rendered", None
                summary.rendered.append(art.rel)
            else:
                entry.state, entry.error = "failed", outcome.error
                summary.failed.append((art.rel, outcome.error))
            ledger.record(outcome.name, entry)
            if on_event:
                on_event("rendered" if outcome.error is None else "failed", art, outcome)

        if todo:
            _runner(opts, len(todo)).run(todo, done)
        return summary


def _runner(opts: BatchOptions, n: int) -> Any:
    from audiobook.batch.runner import LocalRunner, RayRunner

    if opts.ray:
        return RayRunner(opts.ray_address, opts.cpus_per_episode)
    return LocalRunner(min(opts.jobs, n))


def _options_for(art: Article, opts: BatchOptions) -> RenderOptions:
    """The render options of one article: its folder's podcast.toml (or --podcast) under the options given."""
    from audiobook.parallel import cpu_cores
    from audiobook.publish.show import load_show

    info, cover = load_show(opts.podcast, [art.source.parent, opts.site], opts.show_overrides)
    # Each episode's synthesis gets its share of the cores, so N episodes at once do not oversubscribe them.
    share = opts.cpus_per_episode if opts.ray else max(1, cpu_cores() // max(1, opts.jobs))
    package = replace(opts.render.package, show=info, cover=opts.render.package.cover or cover)
    return replace(opts.render, outdir=opts.site, package=package, jobs=share)


def shared_digest(render: RenderOptions) -> str:
    """What every episode depends on besides its own files: the tool, the voice folders (profiles,
    cast, lexicon) and the models found, with their sizes and times."""
    from audiobook.voice.modelfiles import find_models
    from audiobook.voice.profile import voice_dirs

    h = hashlib.sha256(f"audiobook {__version__}\n".encode())
    for d in voice_dirs():
        for p in sorted(d.glob("*.toml")) + sorted(d.glob("*.txt")):
            h.update(f"{p.resolve()}\n".encode())
            h.update(p.read_bytes())
    for m in find_models():
        st = m.path.stat()
        h.update(f"{m.path.resolve()}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _inputs_hash(shared: str, art: Article, render: RenderOptions) -> str:
    h = hashlib.sha256(shared.encode())
    options = dataclasses.asdict(render)
    for volatile in ("outdir", "name", "jobs", "no_cache"):  # change where or how fast, not what
        options.pop(volatile, None)
    h.update(json.dumps(options, sort_keys=True, default=_file_digest).encode())
    for path in art.inputs:
        h.update(f"\n{path.name}\n".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _file_digest(value: Any) -> Any:
    """JSON for a path: its content's digest when it is a file (a replaced cover must re-render); a set
    in a stable order."""
    if isinstance(value, Path):
        return f"{value}:{hashlib.sha256(value.read_bytes()).hexdigest()}" if value.is_file() else str(value)
    if isinstance(value, frozenset | set):
        return sorted(value)
    return str(value)


def _deliver(site: Path, outcome: Outcome) -> list[str]:
    """The episode's files into the site, all or none."""
    with Staging(site) as stage:
        for name, data in outcome.files.items():
            stage.write_bytes(name, data)
        return [p.name for p in stage.commit()]


@contextmanager
def _lock(site: Path) -> Iterator[None]:
    with (site / LOCK_NAME).open("a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AudiobookError(f"{site}: another `audiobook batch` is writing this site; wait for it") from None
        yield
