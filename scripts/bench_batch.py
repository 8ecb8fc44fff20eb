"""Benchmark `audiobook batch`: 1 vs 2 local workers, Ray on this machine, and an unchanged re-run.

    python scripts/bench_batch.py ARTICLE [ARTICLE ...] [--copies 8]

The archive is the given articles repeated to `--copies` episodes in nested folders; every render uses
--no-cache, so each episode synthesizes all of its sentences (copies would otherwise share the cache).
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LEDGER = ".audiobook-batch.json"


def batch(archive: Path, site: Path, *args: str) -> tuple[float, dict[str, dict[str, float]]]:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "audiobook", "batch", str(archive), "-o", str(site), "-q", *args],
                       capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"batch {' '.join(args)} failed:\n{r.stderr}")
    entries = json.loads((site / LEDGER).read_text(encoding="utf-8"))["entries"]
    return seconds, entries


def ray_start_seconds() -> float:
    code = "import ray, time; t = time.perf_counter(); ray.init(include_dashboard=False); ray.shutdown()"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                   env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"})
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", nargs="+", type=Path)
    ap.add_argument("--copies", type=int, default=8)
    ap.add_argument("--no-ray", action="store_true")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    os.environ["AUDIOBOOK_CACHE"] = str(work / "cache")
    archive = work / "archive"
    for i in range(a.copies):
        src = a.articles[i % len(a.articles)]
        dest = archive / f"{2020 + i // 4}" / f"{i:02d}{src.suffix}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dest)
    rows: list[tuple[str, str]] = []
    one, e1 = batch(archive, work / "site1", "-j", "1", "--no-cache")
    two, e2 = batch(archive, work / "site2", "-j", "2", "--no-cache")
    rows += [("1 local worker", f"{one:.1f} s"), ("2 local workers", f"{two:.1f} s ({one / two:.2f}x faster)")]
    per_episode = sum(e["seconds"] for e in e2.values()) / len(e2)
    rows.append(("episode render time in a worker (mean, 2 workers)", f"{per_episode:.2f} s"))
    rows.append(("peak RSS of a worker (max)", f"{max(e['peak_rss_mb'] for e in e2.values()):.0f} MiB"))
    if not a.no_ray:
        ray_s, e3 = batch(archive, work / "site3", "--ray", "--no-cache")
        start = ray_start_seconds()
        rows.append(("Ray on this machine (2 CPUs, 1 per episode)",
                     f"{ray_s:.1f} s ({ray_s / two:.2f}x the local pool)"))
        rows.append(("Ray start and shut down (once per batch)", f"{start:.1f} s"))
        ray_per_episode = sum(e["seconds"] for e in e3.values()) / len(e3)
        overhead = (ray_s - start) / a.copies * 2 - ray_per_episode  # wall time per episode slot minus its work
        rows.append(("Ray overhead per episode (beyond start-up)", f"{max(overhead, 0.0):.2f} s"))
        rows.append(("peak RSS of a Ray task's process (max)", f"{max(e['peak_rss_mb'] for e in e3.values()):.0f} MiB"))
    again, _ = batch(archive, work / "site2", "-j", "2")
    rows.append(("unchanged re-run (nothing rendered)", f"{again:.1f} s"))
    print(f"{a.copies} episodes from {', '.join(p.name for p in a.articles)}, {os.cpu_count()} cores\n")
    print("| measure | result |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
