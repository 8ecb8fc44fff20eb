"""The MP3 encoded in runs on every core, each run cached, joined into one gapless file.

Each run (audio.runs) is mastered on its own: the episode's gain, quantized to GAIN_STEP_DB, and a limiter
worked out over the run alone, on a cell grid that starts at the run. The limiter acts within ~10 ms of a
peak and every run starts and ends in a silent pause, so this is the episode-wide limiter, but a run's
mastered audio depends only on its own samples and the gain step, never on where it sits. An edit then
changes the PCM of the runs it touches and no other, unless it moves the episode's loudness so far that
the nearest gain step changes: among the steps within GAIN_SLACK_DB of the planned gain, the one with the
most runs already in the cache is taken (the loudness stays within that slack of the target).

Each run is encoded with CONTEXT_FRAMES of its neighbours' audio around it, starting on the output's
frame grid, by LAME (lameenc) in this process, on one thread per core. A run's frames then sit on the same grid as a
single encode's, offset by whole frames: the joined file keeps each run's frames from its cut to the next
cut, frames that LAME encoded with real signal on both sides, and `mp3.splice` carries the bit reservoir
across each join. One Info/LAME header gives decoders the frame count, byte count, seek table, and the
delay and padding that trim the joined stream to exactly the mastered episode's samples.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from audiobook.audio import mp3
from audiobook.audio.master.plan import Loudness, MasterPlan, grid_cell, limiter_gain
from audiobook.audio.master.truepeak import run_peaks
from audiobook.audio.pcm import to_int16
from audiobook.audio.runs import Grid, spans
from audiobook.errors import AudiobookError
from audiobook.files import cache_put
from audiobook.parallel import cpu_cores

FORMAT = "5"  # bump when a run's encoding changes in a way its key does not capture (5: soxr HQ)
# libsoxr's 20-bit quality: its error is far below the 16 bits LAME is given, and it resamples a third faster
# than VHQ (28-bit), 0.05 s of CPU on the interview.
RESAMPLER = "HQ"
GAIN_STEP_DB = 0.1
GAIN_SLACK_DB = 0.15
DEFAULT_QUALITY = 7  # LAME -q for speech at 96 kbps, chosen by measurement (docs/benchmarks.md)


@dataclass(frozen=True)
class Mp3Settings:
    bitrate: str = "96k"
    rate: int = 44100
    quality: int = DEFAULT_QUALITY  # LAME's -q (0 best, 9 fastest) = ffmpeg's -compression_level for libmp3lame

    @property
    def kbps(self) -> int:
        """The bit rate as LAME takes it; LAME then uses the nearest rate its MPEG version has, as ffmpeg's
        libmp3lame does."""
        bps = bitrate_bps(self.bitrate)
        if bps is None:
            raise AudiobookError(f"--bitrate {self.bitrate}: not a bitrate; use e.g. 96k or 128k")
        return max(1, round(bps / 1000))


BITRATE = re.compile(r"(\d+(?:\.\d+)?)([kK]?)")  # 96k, 96K, 96000, 96.5k


def bitrate_bps(text: str) -> float | None:
    """A --bitrate in bits per second, or None when it is not one of BITRATE's forms."""
    m = BITRATE.fullmatch(text.strip())
    return float(m.group(1)) * (1000 if m.group(2) else 1) if m else None


@dataclass
class Mastered:
    """The assembled episode, its run bounds (audio.runs.align) and its master plan: mastered run by run."""

    samples: np.ndarray  # int16, assembly rate
    rate: int
    bounds: list[int]  # [0, cut, ..., len(samples)]
    plan: MasterPlan
    spec: Loudness

    def blocks(self, gain: float) -> Iterator[np.ndarray]:
        """The whole mastered episode at `gain` (EncodeStats.gain), run by run, as the MP3 carries it: for
        the M4B, and for checks."""
        for lo, hi in zip(self.bounds, self.bounds[1:], strict=False):
            yield from master_blocks(self.samples[lo:hi], self.rate, gain, self.spec)


def master_blocks(x: np.ndarray, rate: int, gain: float, spec: Loudness,
                  peaks: np.ndarray | None = None) -> Iterator[np.ndarray]:
    """Gain, then a limiter planned on these samples alone (cells from the first sample): float32 blocks, so
    a run costs no more memory than its PCM. `peaks`: these samples' cell peaks found at a threshold at or
    under the ceiling / gain (the plan's), which give the same limiter."""
    cell = grid_cell(rate)
    ceiling = 10 ** (spec.ceiling_dbtp / 20)
    limiter = None
    if len(x):
        if peaks is None:
            peaks = run_peaks(x, ceiling / gain, cell)
        if float(peaks.max()) * gain > ceiling:
            need = np.minimum(np.float32(ceiling / gain) / np.maximum(peaks, np.float32(1e-9)), np.float32(1.0))
            limiter = limiter_gain(need, max(1, round(spec.release * rate / cell)))
    return MasterPlan(gain, limiter, cell).blocks(x)


def gain_steps(gain: float) -> list[int]:
    """Quantized gain steps within the slack of `gain`, nearest first."""
    db = 20 * np.log10(gain)
    lo, hi = int(np.ceil((db - GAIN_SLACK_DB) / GAIN_STEP_DB)), int(np.floor((db + GAIN_SLACK_DB) / GAIN_STEP_DB))
    return sorted(range(lo, hi + 1), key=lambda k: abs(k * GAIN_STEP_DB - db)) or [round(db / GAIN_STEP_DB)]


def step_gain(k: int) -> float:
    return float(10 ** (k * GAIN_STEP_DB / 20))


@dataclass(frozen=True)
class Job:
    index: int
    lo: int  # assembly samples encoded: the run and its context
    hi: int
    first_frame: int  # the global frame its encode starts on
    digest: str  # of its PCM and everything else that decides its mastering


@dataclass
class EncodeStats:
    runs: int = 0
    encoded: int = 0  # runs encoded this time (the rest came from the cache)
    gain_db: float = 0.0
    gain: float = 1.0  # linear, as applied
    quality: int = DEFAULT_QUALITY


def runs_cache(no_cache: bool) -> Path | None:
    """Encoded runs live beside the synthesis pieces, under the same cache root."""
    if no_cache:
        return None
    from audiobook.voice.synth import cache_root

    root = cache_root(False)[0].parent / "runs"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _jobs(m: Mastered, grid: Grid, settings: Mp3Settings, pool: ThreadPoolExecutor) -> list[Job]:
    """Every run with its context and the digest of all that decides its encoding (hashed on the pool:
    hashlib releases the GIL)."""
    work = spans(m.bounds, len(m.samples), grid)
    n = len(m.samples)
    params = f"{FORMAT}|{m.rate}|{settings}|{m.spec.ceiling_dbtp}|{m.spec.release}|{lame_version()}"

    known = m.plan.span_keys or {}

    def digest(span: tuple[int, int]) -> str:
        h = hashlib.sha256(params.encode())
        h.update(f"|{span[0] == 0}|{span[1] == n}|".encode())
        if span in known:  # the master stage hashed these very samples (master.parts)
            h.update(f"part {known[span]}".encode())
        else:
            h.update(np.ascontiguousarray(m.samples[span[0] : span[1]]).data)
        return h.hexdigest()

    return [Job(i, lo, hi, grid.out(lo) // grid.frame, d)
            for i, ((lo, hi), d) in enumerate(zip(work, pool.map(digest, work), strict=True))]


@cache
def lame_version() -> str:
    """The encoder's identity in each run's cache key: lameenc's release (it bundles its LAME)."""
    from importlib.metadata import version

    return f"lameenc {version('lameenc')}"


def _key(job: Job, step: int) -> str:
    return hashlib.sha256(f"{job.digest}|{step}".encode()).hexdigest()


def _encode_run(m: Mastered, job: Job, gain: float, settings: Mp3Settings) -> bytes:
    """One run's MP3, by LAME in this process (lameenc), fed through libsoxr's stream resampler (aligned at
    the first sample: a run starts on the output grid, so its samples land where a single encode puts them).
    In-process because both release the GIL, so runs encode on every core's thread; ffmpeg's threaded
    pipeline spent a quarter of the encode's CPU handing frames between its threads (docs/benchmarks.md)."""
    import lameenc
    import soxr

    enc = lameenc.Encoder()
    enc.set_bit_rate(settings.kbps)
    enc.set_in_sample_rate(settings.rate)
    enc.set_out_sample_rate(settings.rate)  # or LAME picks its own rate for the bit rate
    enc.set_channels(1)
    enc.set_quality(settings.quality)
    enc.silence()  # LAME's messages would go to the user's stderr
    stream = soxr.ResampleStream(m.rate, settings.rate, 1, dtype="float32", quality=RESAMPLER) \
        if settings.rate != m.rate else None
    out = []
    for block in master_blocks(m.samples[job.lo : job.hi], m.rate, gain, m.spec, _plan_peaks(m, job, gain)):
        out.append(enc.encode(to_int16(stream.resample_chunk(block) if stream else block).tobytes()))
    if stream is not None:
        out.append(enc.encode(to_int16(stream.resample_chunk(np.zeros(0, np.float32), last=True)).tobytes()))
    out.append(enc.flush())
    data = b"".join(out)
    if not data:
        raise AudiobookError(f"LAME wrote no MP3 frames for {settings.bitrate} at {settings.rate} Hz; check --bitrate")
    return data


def _plan_peaks(m: Mastered, job: Job, gain: float) -> np.ndarray | None:
    """The plan's peaks of this run's span, when it measured the spans and at a threshold the gain allows."""
    peaks, ceiling = m.plan.run_peaks, 10 ** (m.spec.ceiling_dbtp / 20)
    if peaks is None or len(peaks) != len(m.bounds) - 1 or m.plan.peak_threshold > ceiling / gain:
        return None
    return peaks[job.index]


def _cached(cache: Path | None, key: str) -> bytes | None:
    if cache is None:
        return None
    try:
        return (cache / key[:2] / f"{key}.mp3").read_bytes()
    except OSError:
        return None


def _store(cache: Path | None, key: str, data: bytes) -> None:
    if cache is not None:
        cache_put(cache / key[:2] / f"{key}.mp3", lambda tmp: tmp.write_bytes(data))


class JoinError(Exception):
    """Two runs' frames could not be joined (never seen in silence; encode_mp3 then encodes in one run)."""


@dataclass
class Encoded:
    data: bytes  # a run's MP3 frames
    offsets: np.ndarray  # frame starts and the end (mp3.scan)


class Joiner:
    """Writes runs' frames to `out` as they come. Each run is kept until the next arrives: the join moves the
    reservoir bytes of the next run into the last frames kept from this one."""

    HOLD = 6  # frames either side of a join that the reservoir can reach (at most 511 bytes back)

    def __init__(self, out: Path, grid: Grid) -> None:
        self.grid = grid
        self.file = out.open("wb")
        # The last run: its bytes, frame offsets, first frame kept, global index of its frame 0.
        self.pending: tuple[bytes, np.ndarray, int, int] | None = None
        self.sizes: list[np.ndarray] = []  # of the frames written
        self.crc = 0
        self.header: mp3.Header | None = None
        self.joins: list[int] = []  # global frame where each later run's frames begin

    def _write(self, chunk: bytes, sizes: np.ndarray) -> None:
        """Frames' bytes, and the CRC of all written (numpy lanes: ~10 ms a megabyte)."""
        if not chunk:
            return
        if self.header is None:
            self.header = mp3.parse_header(chunk)
            self.file.write(bytes(mp3.info_header(self.header)[1].length))  # room for the Info frame
        self.file.write(chunk)
        self.crc = mp3.crc16_continue(self.crc, chunk)
        self.sizes.append(sizes)

    def add(self, run: Encoded, first_frame: int, cut_frame: int | None) -> None:
        """A run's frames, its encode starting on global frame `first_frame`; `cut_frame`: the global frame
        its run starts on (None: the first run)."""
        data, offs = run.data, run.offsets
        if self.pending is None or cut_frame is None:
            self.pending = (data, offs, 0, first_frame)
            return
        pdata, poffs, ptake, pfirst = self.pending
        for join in (cut_frame, cut_frame + 1, cut_frame - 1, cut_frame + 2, cut_frame - 2):
            local, held = join - first_frame, join - pfirst  # frame indices in this run and the one before
            if local < 2 or local >= len(offs) - 1 or held - self.HOLD < ptake or held > len(poffs) - 1:
                continue
            lo = max(0, local - self.HOLD)
            tail = [mp3.frame(pdata, int(poffs[k]), int(poffs[k + 1])) for k in range(held - self.HOLD, held)]
            head = [mp3.frame(data, int(offs[k]), int(offs[k + 1])) for k in range(lo, local + 1)]
            if mp3.splice(tail, head, local - lo):
                keep = held - self.HOLD
                self._write(pdata[poffs[ptake] : poffs[keep]], np.diff(poffs[ptake : keep + 1]))
                self._write(b"".join(bytes(f.data) for f in tail[: self.HOLD]),
                            np.array([len(f.data) for f in tail[: self.HOLD]], dtype=np.int64))
                self.pending = (data, offs, local, first_frame)
                self.joins.append(join)
                return
        raise JoinError(f"no join of the bit reservoir near frame {cut_frame}")

    def finish(self, total_samples: int) -> None:
        """Write the last run and then the Info frame for the whole stream of `total_samples`."""
        assert self.pending is not None
        data, offs, take, _ = self.pending
        self._write(data[offs[take] :], np.diff(offs[take:]))
        assert self.header is not None
        sizes = np.concatenate(self.sizes)
        padding = len(sizes) * self.grid.frame - mp3.ENCODER_DELAY - total_samples
        self.file.seek(0)
        self.file.write(mp3.info_frame_from(self.header, sizes, self.crc, mp3.ENCODER_DELAY, padding))
        self.file.close()


def encode_mp3(m: Mastered, out: Path, settings: Mp3Settings, cache: Path | None,
               jobs: int | None = None) -> EncodeStats:
    """Encode the mastered episode to `out` in runs on `jobs` threads (one per core), reusing cached runs."""
    try:
        return _encode_runs(m, out, settings, cache, jobs)
    except JoinError:
        whole = Mastered(m.samples, m.rate, [0, len(m.samples)], m.plan, m.spec)
        return _encode_runs(whole, out, settings, cache, jobs)


def _encode_runs(m: Mastered, out: Path, settings: Mp3Settings, cache: Path | None,
                 jobs: int | None) -> EncodeStats:
    grid = Grid(m.rate, settings.rate)
    workers = max(1, jobs or cpu_cores())
    pool = ThreadPoolExecutor(max_workers=workers)
    work = _jobs(m, grid, settings, pool)
    steps = gain_steps(m.plan.gain)
    # The gain step that most cached runs were mastered with, nearest the plan on a tie.
    step = max(steps, key=lambda k: sum(_cached_exists(cache, _key(j, k)) for j in work))
    gain = step_gain(step)
    stats = EncodeStats(len(work), 0, step * GAIN_STEP_DB, gain, settings.quality)

    def one(job: Job) -> Encoded:
        key = _key(job, step)
        data = _cached(cache, key)
        if data is None:
            data = _encode_run(m, job, gain, settings)
            _store(cache, key, data)
            stats.encoded += 1
        return Encoded(data, mp3.scan(data))  # here, on the worker, beside the encodes

    joiner = Joiner(out, grid)
    try:
        with pool:
            for job, run in zip(work, _ahead(pool, one, work, 4 * workers), strict=True):
                cut = None if job.index == 0 else grid.out(m.bounds[job.index]) // grid.frame
                joiner.add(run, job.first_frame, cut)
        joiner.finish(grid.out(len(m.samples)))
    finally:
        joiner.file.close()
        pool.shutdown(cancel_futures=True)
    return stats


def _ahead(pool: ThreadPoolExecutor, fn: Callable[[Job], Encoded], jobs: list[Job], ahead: int) -> Iterator[Encoded]:
    """pool.map in order, with at most `ahead` runs submitted and not yet taken: cached runs are read faster
    than they are joined, and pool.map held all of a long book's MP3 (120 MB for 174 min) at once."""
    waiting: deque[Future[Encoded]] = deque(pool.submit(fn, job) for job in jobs[:ahead])
    for job in jobs[ahead:]:
        yield waiting.popleft().result()
        waiting.append(pool.submit(fn, job))
    while waiting:
        yield waiting.popleft().result()


def _cached_exists(cache: Path | None, key: str) -> bool:
    return cache is not None and (cache / key[:2] / f"{key}.mp3").is_file()
