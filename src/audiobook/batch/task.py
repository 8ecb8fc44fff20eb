"""One episode rendered anywhere (a local worker process or a Ray node), its files handed back as bytes,
so the driver alone writes the site and no shared file system is needed."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from audiobook.errors import AudiobookError
from audiobook.pipeline import RenderOptions


@dataclass(frozen=True)
class Job:
    name: str  # the episode's file stem
    source: Path
    options: RenderOptions  # outdir is ignored: the task renders into a folder of its own


@dataclass(frozen=True)
class Outcome:
    name: str
    files: dict[str, bytes] = field(default_factory=dict)  # file name -> content, the MP3 first
    error: str | None = None
    seconds: float = 0.0
    duration: float = 0.0
    synthesized: int = 0
    cached: int = 0
    warnings: list[str] = field(default_factory=list)
    peak_rss_mb: float = 0.0  # of the process that rendered it (its synthesis workers not counted)


def run_job(job: Job) -> Outcome:
    """Render `job`; every failure becomes the outcome's one-line error instead of an exception."""
    from audiobook.pipeline import render

    t0 = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="audiobook-batch-") as tmp:
            opts = replace(job.options, outdir=Path(tmp), name=job.name)
            result = render(job.source, opts)
            files = {p.name: p.read_bytes() for p in result.outputs}
    except AudiobookError as e:
        return Outcome(job.name, error=str(e), seconds=time.perf_counter() - t0)
    except OSError as e:
        return Outcome(job.name, error=f"{e.filename or job.source}: {e.strerror or e}",
                       seconds=time.perf_counter() - t0)
    except Exception as e:  # noqa: BLE001 - one article's bug must not stop the archive
        return Outcome(job.name, error=f"{job.source}: internal error {type(e).__name__}: {e}",
                       seconds=time.perf_counter() - t0)
    return Outcome(job.name, files, None, time.perf_counter() - t0, result.duration, result.stats.synthesized,
                   result.stats.cached, list(result.warnings), _peak_rss_mb())


def _peak_rss_mb() -> float:
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(peak / (1 << 20 if sys.platform == "darwin" else 1 << 10), 1)
