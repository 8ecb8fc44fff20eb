#!/usr/bin/env python3
"""Benchmark `audiobook render` against its floor, cold and warm, on an interview and one ten times longer.

The floor, measured in the same run: the engine's raw synthesis of the same normalized text (one
process, no cache, no trimming) plus one MP3 encode of audio as long as the episode at the same
settings. Each render runs as a separate `audiobook render` process, timed from outside, with its peak
RSS read from the kernel (wait4).

    python scripts/bench.py ../shared/examples/kazinform-2025-10-18-aliyev-interview.txt
    python scripts/bench.py ARTICLE --piper-model voice.onnx   # adds the 1-vs-2-core Piper run
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from audiobook.audio.encode import Mastered
from audiobook.audio.ffmpeg import Output, decode, encode, ffmpeg_exe
from audiobook.text.normalize import user_lexicon
from audiobook.text.prepare import load_script, script_lines
from audiobook.voice.cast import cast_script
from audiobook.voice.synth import Voices

ORDINALS = ["бірінші", "екінші", "үшінші", "төртінші", "бесінші", "алтыншы", "жетінші", "сегізінші", "тоғызыншы"]


# Renders are started by this small process, not by the bench itself. A child started by vfork or fork
# and exec inherits its parent's peak RSS into its own ru_maxrss, so renders started by the bench after it
# had decoded a long episode reported the bench's peak (3.3 GB) as theirs.
LAUNCHER = r"""
import json, os, subprocess, sys, tempfile, time
for line in sys.stdin:
    req = json.loads(line)
    cpus = req["cpus"]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(req["cmd"], env=req["env"], stdout=out, stderr=err,
                                preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        print(json.dumps({"seconds": seconds, "rss": usage.ru_maxrss / 1024, "code": proc.returncode,
                          "cpu": usage.ru_utime + usage.ru_stime, "load": os.getloadavg()[0],
                          "out": out.read(), "err": err.read()}), flush=True)
"""


class Launcher:
    """Runs commands from a process started while the bench was small; returns their wall time and
    peak RSS (the kernel's, from wait4: the largest of the render and each of its workers)."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen([sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)

    def run(self, cmd: list[str], env: dict[str, str], cpus: set[int] | None = None) -> tuple[float, float, str]:
        """(seconds, peak RSS MiB, stderr) of one command; `cpus`: pin it (and its workers) to these."""
        assert self._proc.stdin and self._proc.stdout
        self._proc.stdin.write(json.dumps({"cmd": cmd, "env": env, "cpus": sorted(cpus or [])}) + "\n")
        self._proc.stdin.flush()
        r = json.loads(self._proc.stdout.readline())
        if r["code"] != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{r['err']}{r['out']}")
        CPU["render"], CPU["load"] = r["cpu"], r["load"]
        return r["seconds"], r["rss"], r["err"]


_launcher: Launcher | None = None
# CPU seconds (user + system, with children) of the last render and the last floor, and the load average
# when the last render ended: wall times on a machine shared with other work measure the neighbours too.
CPU: dict[str, float] = {}


def run(cmd: list[str], env: dict[str, str], cpus: set[int] | None = None) -> tuple[float, float, str]:
    global _launcher
    if _launcher is None:
        _launcher = Launcher()
    return _launcher.run(cmd, env, cpus)


def make_long(article: Path, dest: Path, times: int = 10) -> Path:
    """The article's turns repeated `times` times. Each copy's sentences get a distinct closing word,
    so no copy is served from another's cache: the long render really speaks ten times the text."""
    lines = article.read_text(encoding="utf-8").splitlines()
    head, body = lines[:2], [ln for ln in lines[2:] if ln.strip()]
    out = list(head)
    for k in range(times):
        mark = f" ({ORDINALS[k - 1]} нұсқа)" if k else ""
        out += [re.sub(r"([.?!])(\s|$)", rf"{mark}\1\2", ln) if k else ln for ln in body]
    dest.write_text("\n".join(out) + "\n", encoding="utf-8")
    return dest


def floor_args(bitrate: str) -> list[str]:
    """The floor's encode: the bundled ffmpeg's libmp3lame at its default quality, resampled by soxr as the
    render's is, one pass."""
    return ["-af", "aresample=44100:resampler=soxr", "-ac", "1", "-c:a", "libmp3lame", "-b:a", bitrate,
            "-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3"]


def floor(article: Path, episode: Path, bitrate: str) -> tuple[float, float, float]:
    """(synthesis s, encode s, total) for the text of `article` with the default cast; the encode is of the
    rendered episode's own audio, decoded, at the same settings."""
    script = load_script(article)
    cast = cast_script(script)
    lines, _ = script_lines(script, user_lexicon(None))
    voices = Voices(threads=None)  # each model loaded once, with the library's default threads
    t0, c0 = time.perf_counter(), time.process_time()
    for line in lines:
        voices.speak(line.spoken, cast[line.speaker])
    synth, synth_cpu = time.perf_counter() - t0, time.process_time() - c0
    x = decode(episode, 22050)
    with tempfile.TemporaryDirectory() as d:
        t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        encode([x], 22050, [Output(Path(d) / "floor.mp3", floor_args(bitrate))])
        enc, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["floor"] = synth_cpu + r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
    return synth, enc, synth + enc


def stages(stderr: str, seconds: float) -> str:
    """The render's own stage timings (`--timings`), and what is left of the wall time: interpreter
    start-up, imports and exit."""
    m = re.search(r"^timings: (.*)$", stderr, re.M)
    if not m:
        return "?"
    spent = sum(float(v) for v in re.findall(r"([\d.]+) s", m.group(1)))
    return f"{m.group(1)}, start-up/imports/exit {seconds - spent:.2f} s"


def pieces_synthesized(stderr: str) -> str:
    m = re.search(r"sentences: (\d+) synthesized, (\d+) from cache", stderr)
    return f"{m.group(1)} synthesized / {m.group(2)} cached" if m else "?"


def bench_article(article: Path, work: Path, extra: list[str], label: str, repeat: int = 1) -> dict[str, float]:
    """Cold render, floor, warm render, floor again: `repeat` times (this machine's timings wander by
    10-30% between runs). Each cold render is set against the mean of the two floors measured beside it;
    medians are reported, with the spread."""
    colds, warms, floors, rss = [], [], [], 0.0
    for i in range(repeat):
        cache = work / f"cache-{label}-{i}"
        env = {**os.environ, "AUDIOBOOK_CACHE": str(cache)}
        cmd = [sys.executable, "-m", "audiobook", "render", str(article), "-o", str(work / "out"), "--timings",
               *extra]
        episode = work / "out" / f"{article.stem}.mp3"
        cold, rss_c, err = run(cmd, env)
        cold_cpu, load = CPU["render"], CPU["load"]
        before = floor(article, episode, "96k")
        floor_cpu = CPU["floor"]
        warm, rss_w, err_w = run(cmd, env)
        after = floor(article, episode, "96k")
        syn, enc, fl = ((a + b) / 2 for a, b in zip(before, after, strict=True))
        floor_cpu = (floor_cpu + CPU["floor"]) / 2
        print(f"  run {i + 1}: cold {cold:.2f} s ({stages(err, cold)}); floor {fl:.2f} s "
              f"(measured {before[2]:.2f} and {after[2]:.2f}); ratio {cold / fl:.2f}x; CPU {cold_cpu:.2f} s vs "
              f"floor's {floor_cpu:.2f} s ({cold_cpu / floor_cpu:.2f}x); load average {load:.1f}", flush=True)
        colds.append(cold)
        warms.append(warm)
        floors.append((syn, enc, fl))
        rss = max(rss, rss_c, rss_w)
        shutil.rmtree(cache, ignore_errors=True)
    manifest = json.loads((work / "out" / f"{article.stem}.json").read_text(encoding="utf-8"))
    cold, warm = statistics.median(colds), statistics.median(warms)
    syn, enc, fl = (statistics.median(f[k] for f in floors) for k in range(3))
    ratios = sorted(c / f[2] for c, f in zip(colds, floors, strict=True))
    spread = f" (runs: {', '.join(f'{r:.2f}' for r in ratios)})" if repeat > 1 else ""
    print(f"{label}: {manifest['duration'] / 60:.1f} min of audio, {len(manifest['cues'])} sentences")
    print(f"  cold render {cold:6.2f} s   floor {fl:6.2f} s (synthesis {syn:.2f} + encode {enc:.2f})"
          f"   ratio {statistics.median(ratios):.2f}x{spread}   peak RSS {rss:.0f} MiB   [{pieces_synthesized(err)}]")
    print(f"  warm render {warm:6.2f} s   [{pieces_synthesized(err_w)}]")
    return {"cold": cold, "warm": warm, "floor": fl, "rss": rss, "duration": manifest["duration"]}


def encoded_runs(cache: Path) -> int:
    """Encoded MP3 runs in a cache (audio.encode keeps them beside the pieces)."""
    return len(list((cache / "runs").rglob("*.mp3")))


def bench_edit(article: Path, work: Path, repeat: int = 1) -> dict[str, float]:
    """Re-render after editing one sentence of one answer, against the floor measured beside it: only that
    sentence is synthesized and only the runs whose audio changed are encoded."""
    times, ratios = [], []
    for i in range(repeat):
        cache = work / f"cache-edit-{i}"
        env = {**os.environ, "AUDIOBOOK_CACHE": str(cache)}
        copy = work / f"edit-{i}" / article.name
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(article, copy)
        out = work / f"edit-out-{i}"
        cmd = [sys.executable, "-m", "audiobook", "render", str(copy), "-o", str(out), "--timings"]
        run(cmd, env)
        before = encoded_runs(cache)
        lines = copy.read_text(encoding="utf-8").splitlines()
        # The second answer's first paragraph: change its first sentence only.
        answers = [k for k, ln in enumerate(lines) if ln.lstrip().startswith(("—", "–"))][1::2]
        lines[answers[1]] = re.sub(r"([.?!])", r" және тағы бір сөз\1", lines[answers[1]], count=1)
        copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
        seconds, _, err = run(cmd, env)
        cpu, load = CPU["render"], CPU["load"]
        fl = floor(article, out / f"{article.stem}.mp3", "96k")[2]
        times.append(seconds)
        ratios.append(seconds / fl)
        print(f"  edit run {i + 1}: re-render {seconds:.2f} s ({stages(err, seconds)}); floor {fl:.2f} s; "
              f"ratio {seconds / fl:.2f}x [{pieces_synthesized(err)}; runs: {encoded_runs(cache) - before} "
              f"encoded of {before}]; CPU {cpu:.2f} s vs floor's {CPU['floor']:.2f} s "
              f"({cpu / CPU['floor']:.2f}x); load average {load:.1f}", flush=True)
        shutil.rmtree(cache, ignore_errors=True)
    spread = f" (runs: {', '.join(f'{r:.2f}' for r in sorted(ratios))})" if repeat > 1 else ""
    print(f"edit one sentence of one answer, re-render: median {statistics.median(times):.2f} s, "
          f"ratio to floor {statistics.median(ratios):.2f}x{spread}")
    return {"edit": statistics.median(times), "ratio": statistics.median(ratios)}


def kazakh_phonemes(model: Path, work: Path) -> Path:
    """A copy of a Piper voice whose config phonemizes with espeak-ng's Kazakh. A non-Kazakh test voice
    (en_US-joe-medium) otherwise spells Cyrillic letter by letter, several times longer than speech; with
    Kazakh phonemes it speaks the text at a Kazakh voice's length, a fair stand-in for timing."""
    config = json.loads(Path(str(model) + ".json").read_text(encoding="utf-8"))
    if config.get("espeak", {}).get("voice") == "kk":
        return model
    config["espeak"] = {**config.get("espeak", {}), "voice": "kk"}
    copy = work / "kk-phonemes.onnx"
    copy.symlink_to(model.resolve())
    Path(str(copy) + ".json").write_text(json.dumps(config), encoding="utf-8")
    return copy


def bench_piper(article: Path, work: Path, model: Path) -> None:
    model = kazakh_phonemes(model, work)
    profile = work / "piper.toml"
    profile.write_text(f'engine = "piper"\nmodel = "{model}"\n', encoding="utf-8")
    voices = [a for role in ("narrator", "interviewer", "interviewee") for a in ("--voice", f"{role}={profile}")]
    times = {}
    for cores in (1, 2):
        env = {**os.environ, "AUDIOBOOK_CACHE": str(work / f"cache-piper-{cores}")}
        cmd = [sys.executable, "-m", "audiobook", "render", str(article), "-o", str(work / "piper"), *voices]
        # One core: the process (and every thread of onnxruntime) pinned to CPU 0, so the single-core
        # time is not helped by the engine's own threads. Two cores: the default, one worker per core.
        times[cores], rss, err = run(cmd, env, {0} if cores == 1 else None)
        print(f"piper on {cores} core(s): {times[cores]:.2f} s, peak RSS {rss:.0f} MiB [{pieces_synthesized(err)}]")
    print(f"piper speedup 2 cores over 1: {times[1] / times[2]:.2f}x")


def mastered_episode(article: Path) -> Mastered:
    """The article through the real stages up to the mastered episode, as a render makes it."""
    from audiobook.audio.assemble import assemble
    from audiobook.audio.master import Loudness, plan_master
    from audiobook.audio.runs import Grid, align
    from audiobook.voice.synth import cache_root, synthesize_all

    script = load_script(article)
    cast = cast_script(script)
    lines, _ = script_lines(script, user_lexicon(None))
    pieces, _ = synthesize_all([(ln.spoken, cast[ln.speaker]) for ln in lines], cache_root()[0], 22050)
    ep = assemble(lines, pieces, [c.title for c in script.chapters], 22050)
    ep, bounds = align(ep, Grid(22050, 44100))
    return Mastered(ep.samples, 22050, bounds, plan_master(ep.samples, 22050, Loudness()), Loudness())


def spectral_error(y: np.ndarray, ref: np.ndarray, rate: int, band: tuple[float, float]) -> float:
    """Log-spectral distance (dB) between `y` and `ref` over `band`, on 46 ms Hann frames (hop 23 ms) where
    the reference is within 40 dB of its loudest frame: the speech, not the pauses."""
    size, hop = 2048, 1024
    window = np.hanning(size).astype(np.float32)
    lo, hi = (int(f * size / rate) for f in band)
    frames = (min(len(y), len(ref)) - size) // hop
    sums, powers = [], []
    for start in range(0, frames, 512):  # chunks of frames: bounded memory
        idx = (np.arange(start, min(frames, start + 512)) * hop)[:, None] + np.arange(size)
        py = np.abs(np.fft.rfft(y[idx] * window, axis=1)[:, lo:hi]) ** 2
        pr = np.abs(np.fft.rfft(ref[idx] * window, axis=1)[:, lo:hi]) ** 2
        floor = 1e-10 * max(float(pr.max()), 1e-20)
        d = 10 * np.log10((py + floor) / (pr + floor))
        sums.append(np.sqrt(np.mean(d**2, axis=1)))
        powers.append(pr.sum(axis=1))
    lsd, power = np.concatenate(sums), np.concatenate(powers)
    speech = power > power.max() * 1e-4
    return float(lsd[speech].mean())


def cpu_seconds(cmd: list[str], data: bytes) -> float:
    """User + system CPU time of one command fed `data`: on a machine shared with other work, wall time
    measures the neighbours as much as the encoder."""
    with tempfile.TemporaryFile() as f:
        f.write(data)
        f.seek(0)
        proc = subprocess.Popen(cmd, stdin=f)
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    return usage.ru_utime + usage.ru_stime


def bench_quality(article: Path, repeat: int) -> None:
    """LAME's quality levels (ffmpeg's -compression_level) at 96 kbps on the episode's mastered speech:
    decoded against the mastered PCM (loudness difference, log-spectral distance, waveform SNR), and the
    time of one single-threaded encode (median of `repeat`)."""
    import soxr

    from audiobook.audio.master import integrated_loudness

    m = mastered_episode(article)
    x = np.concatenate(list(m.blocks(m.plan.gain)))
    ref = soxr.resample(x, 22050, 44100, quality="VHQ").astype(np.float32)
    loud_ref = integrated_loudness(ref, 44100)
    pcm = x.astype("<f4").tobytes()
    print(f"quality levels on {len(x) / 22050 / 60:.1f} min of mastered speech, 96 kbps mono 44.1 kHz; "
          f"CPU time (user + system) of one single-threaded ffmpeg, {repeat} rounds over the levels")
    print("| -compression_level (LAME -q) | encode CPU s, min (median) | loudness diff LU | LSD 50 Hz-8 kHz dB "
          "| LSD 8-11 kHz dB "
          "| SNR dB |")
    print("|---|---|---|---|---|---|")
    levels: list[int | None] = [None, *range(10)]
    times: dict[int | None, list[float]] = {q: [] for q in levels}
    with tempfile.TemporaryDirectory() as d:
        for _ in range(repeat):  # round-robin, so the machine's drift falls on every level alike
            for q in levels:
                level = [] if q is None else ["-compression_level", str(q)]
                cmd = [ffmpeg_exe(), "-v", "error", "-y", "-f", "f32le", "-ar", "22050", "-ac", "1", "-i", "pipe:0",
                       "-af", "aresample=44100:resampler=soxr", "-c:a", "libmp3lame", "-b:a", "96k", *level,
                       str(Path(d) / f"q{q}.mp3")]
                times[q].append(cpu_seconds(cmd, pcm))
        seen: dict[bytes, str] = {}
        for q in levels:
            out = Path(d) / f"q{q}.mp3"
            name = "default" if q is None else str(q)
            same = seen.setdefault(out.read_bytes(), name)
            y = decode(out, 44100)[: len(ref)]
            err = y - ref
            snr = 10 * np.log10(np.sum(ref.astype(np.float64) ** 2) / np.sum(err.astype(np.float64) ** 2))
            print(f"| {name}{'' if same == name else f' (= {same}, same bytes)'} | {min(times[q]):.2f} "
                  f"({statistics.median(times[q]):.2f}) | {integrated_loudness(y, 44100) - loud_ref:+.3f} "
                  f"| {spectral_error(y, ref, 44100, (50, 8000)):.2f} "
                  f"| {spectral_error(y, ref, 44100, (8000, 11000)):.2f} | {snr:.1f} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("article", type=Path)
    ap.add_argument("--piper-model", type=Path, help="a Piper .onnx voice for the parallel-speedup run")
    ap.add_argument("--skip-long", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the interview, medians reported")
    ap.add_argument("--quality", action="store_true", help="only compare LAME's quality levels on the episode")
    args = ap.parse_args()
    if args.quality:
        bench_quality(args.article, args.repeat)
        return
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    # The renders run as pip installs the package: with its bytecode. An editable install under
    # PYTHONDONTWRITEBYTECODE=1 (as on these machines) would compile 64 modules from source in every render
    # (0.1 s of start-up); pip compiles a regular install's modules when it installs them.
    import audiobook

    compileall.compile_dir(str(Path(audiobook.__file__).parent), quiet=1)
    run([sys.executable, "-c", "pass"], dict(os.environ))  # start the launcher while the bench is small
    with tempfile.TemporaryDirectory(prefix="audiobook-bench-") as d:
        work = Path(d)
        short = bench_article(args.article, work, [], "interview", args.repeat)
        if not args.skip_long:
            long = bench_article(make_long(args.article, work / f"{args.article.stem}-x10.txt"), work, [], "x10")
            print(f"ten times the text: {long['cold'] / short['cold']:.2f}x the time "
                  f"(audio {long['duration'] / short['duration']:.2f}x, floor {long['floor'] / short['floor']:.2f}x)")
        bench_edit(args.article, work, args.repeat)
        if args.piper_model:
            bench_piper(args.article, work, args.piper_model)


if __name__ == "__main__":
    main()
