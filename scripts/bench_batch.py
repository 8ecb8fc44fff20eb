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
from collections.abc import Callable
from pathlib import Path

LEDGER = ".audiobook-batch.json"


def batch(archive: Path, site: Path, *args: str, cpus: set[int] | None = None,
          env: dict[str, str] | None = None) -> tuple[float, dict[str, dict[str, float]]]:
    """Seconds and ledger entries of one `audiobook batch`; `cpus`: pinned to these (its workers too)."""
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "audiobook", "batch", str(archive), "-o", str(site), "-q", *args],
                       capture_output=True, text=True, env={**os.environ, **(env or {})},
                       preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
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


# The bench's own cluster on loopback, token auth off as in the tests (the cluster is this bench's alone).
CLUSTER_ENV = {"RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0", "RAY_ADDRESS": ""}


def ray_cluster(work: Path) -> tuple[str, Callable[[], None]]:
    ray = Path(sys.executable).with_name("ray")
    temp = tempfile.mkdtemp(prefix="ray-", dir="/tmp")  # Ray's socket paths must stay short
    env = {**os.environ, **CLUSTER_ENV}
    subprocess.run([str(ray), "start", "--head", "--node-ip-address", "127.0.0.1", "--port", "6399", "--num-cpus",
                    "2", "--include-dashboard", "false", "--disable-usage-stats", "--temp-dir", temp],
                   capture_output=True, check=True, env=env)

    def stop() -> None:
        subprocess.run([str(ray), "stop", "--force"], capture_output=True, env=env)
        shutil.rmtree(temp, ignore_errors=True)

    return "127.0.0.1:6399", stop


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
    # One worker on one core against two on two: how the pool scales with workers. And one worker given
    # both cores (its episode's synthesis pool and encoder use them): what -j 2 gains on this machine.
    pinned, _ = batch(archive, work / "site0", "-j", "1", "--no-cache", cpus={min(os.sched_getaffinity(0))})
    one, e1 = batch(archive, work / "site1", "-j", "1", "--no-cache")
    two, e2 = batch(archive, work / "site2", "-j", "2", "--no-cache")
    rows += [("1 local worker on 1 core", f"{pinned:.1f} s"),
             ("1 local worker on 2 cores", f"{one:.1f} s"),
             ("2 local workers on 2 cores", f"{two:.1f} s ({pinned / two:.2f}x the 1-core worker, "
                                            f"{one / two:.2f}x the 2-core one)")]
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
        # The setup docs/scale.md describes: a cluster started beforehand (here on this machine, 2 CPUs).
        address, stop = ray_cluster(work)
        try:
            held, e4 = batch(archive, work / "site4", "--ray-address", address, "--no-cache", env=CLUSTER_ENV)
        finally:
            stop()
        held_per_episode = sum(e["seconds"] for e in e4.values()) / len(e4)
        rows.append(("Ray, a cluster started beforehand on this machine (`ray start --head --num-cpus 2`)",
                     f"{held:.1f} s ({held / two:.2f}x the local pool)"))
        rows.append(("its overhead per episode (wall time per episode slot minus the episode's render)",
                     f"{max(held / a.copies * 2 - held_per_episode, 0.0):.2f} s"))
    again, _ = batch(archive, work / "site2", "-j", "2")
    rows.append(("unchanged re-run (nothing rendered)", f"{again:.1f} s"))
    print(f"{a.copies} episodes from {', '.join(p.name for p in a.articles)}, {os.cpu_count()} cores\n")
    print("| measure | result |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
