"""Synthesize stage: every (voice, spoken text) piece once, cached by content, in parallel workers.

A piece is stored ready for assembly: trimmed and at the episode's sample rate. The cache key covers
everything that changes those samples, so an edit re-synthesizes only the pieces whose text changed.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import struct
import tempfile
import threading
import wave
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.context import BaseContext
from pathlib import Path

from audiobook.audio.pcm import resample, trim_silence, wav_frames
from audiobook.errors import AudiobookError
from audiobook.parallel import CAN_FORK, cpu_cores, die_with_parent
from audiobook.voice.engines import Pcm, Voice, engine_names, get_engine
from audiobook.voice.profile import VoiceProfile

CACHE_FORMAT = "2"  # bump when the stored form of a piece changes (2: a checksum chunk after the samples)


@dataclass(frozen=True)
class Job:
    spoken: str
    profile: VoiceProfile
    path: Path  # where the finished piece goes


@dataclass(frozen=True)
class Rendered:
    path: Path
    frames: int
    sample_rate: int


@dataclass
class SynthStats:
    pieces: int = 0
    synthesized: int = 0
    cached: int = 0
    warnings: list[str] = field(default_factory=list)  # e.g. a damaged cache piece, synthesized again


def cache_root(no_cache: bool = False) -> tuple[Path, tempfile.TemporaryDirectory[str] | None]:
    """The piece cache folder (platformdirs user cache, so XDG_CACHE_HOME moves it), or a throwaway one."""
    if no_cache:
        tmp = tempfile.TemporaryDirectory(prefix="audiobook-")
        return Path(tmp.name), tmp
    from platformdirs import user_cache_dir

    root = Path(os.environ.get("AUDIOBOOK_CACHE") or user_cache_dir("audiobook")) / "pieces"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise AudiobookError(f"{root}: cannot make the voice cache ({e.strerror}); set AUDIOBOOK_CACHE to another "
                             "folder, or use --no-cache") from None
    return root, None


def piece_key(spoken: str, engine: str, engine_version: str, voice_identity: str, rate: int, trim_db: float) -> str:
    h = hashlib.sha256()
    for part in (CACHE_FORMAT, engine, engine_version, voice_identity, str(rate), str(trim_db), spoken):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


# espeak-ng pieces take ~10 ms each: a forked worker (milliseconds to start) pays from a handful of pieces,
# a spawned one (~0.3 s) only from many.
ESPEAK_POOL_MIN = 8 if CAN_FORK else 64


def auto_jobs(todo: list[Job]) -> int:
    """One worker per core when the work outweighs starting them: any neural voice, or many espeak pieces."""
    neural = any(get_engine(j.profile.engine).neural for j in todo)
    return cpu_cores() if todo and (neural or len(todo) >= ESPEAK_POOL_MIN) else 1


def _start_method(todo: list[Job]) -> BaseContext:
    """fork where it is safe: a forked worker starts in milliseconds with the engine already loaded, a
    spawned one imports everything again (~0.3 s). Safe means every engine the work needs survives a fork,
    no fork-unsafe engine's runtime is loaded in this process (onnxruntime's and torch's thread pools do
    not survive one), and no other Python thread is running: one could hold a lock (a stream's, the
    engine's) that the child then waits on forever."""
    needed = {get_engine(job.profile.engine) for job in todo}
    loaded = {e for e in map(get_engine, engine_names()) if not e.fork_safe and e.runtime_loaded()}
    if CAN_FORK and threading.active_count() == 1 and all(e.fork_safe for e in needed) and not loaded:
        return get_context("fork")
    return get_context("spawn")


class Voices:
    """The voices one process has opened, each model loaded once; `threads` is each one's share of cores."""

    def __init__(self, threads: int | None) -> None:
        self.threads = threads
        self._open: dict[VoiceProfile, Voice] = {}

    def get(self, profile: VoiceProfile) -> Voice:
        if profile not in self._open:
            # Another profile of a model already loaded (another speaker, pace) shares that model.
            shared = (v.with_profile(profile) for v in list(self._open.values()) if v.profile.engine == profile.engine)
            voice = next((v for v in shared if v is not None), None)
            self._open[profile] = voice or get_engine(profile.engine).open(profile, self.threads)
        return self._open[profile]

    def speak(self, text: str, profile: VoiceProfile) -> Pcm:
        return self.get(profile).speak(text)


_worker: Voices | None = None  # a pool worker's voices, made by _init_worker


def _init_worker(threads: int, parent: int) -> None:
    global _worker
    die_with_parent(parent)
    # Ctrl-C and SIGTERM are the parent's to handle: workers stop when it shuts the pool down, or die with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker = Voices(threads)


def _work(job: Job, rate: int, trim_db: float) -> tuple[int, int]:
    """Runs in a pool worker, with the voices that worker has loaded."""
    assert _worker is not None, "worker not initialised"
    return _make_piece(_worker, job, rate, trim_db)


def _make_piece(voices: Voices, job: Job, rate: int, trim_db: float) -> tuple[int, int]:
    pcm = voices.speak(job.spoken, job.profile)
    pcm = resample(trim_silence(pcm, trim_db), rate)
    try:
        job.path.parent.mkdir(parents=True, exist_ok=True)
        store_piece(job.path, pcm.samples.astype("<i2", copy=False).tobytes(), rate)
    except OSError as e:  # a full or read-only cache disk: name the cache, not a temporary file in it
        raise AudiobookError(f"{job.path.parent.parent}: cannot write the voice cache ({e.strerror}); free space "
                             "there, set AUDIOBOOK_CACHE to another folder, or use --no-cache") from None
    return len(pcm.samples), rate


# A piece is a 16-bit mono WAV followed by a RIFF chunk that WAV readers skip: the CRC-32 of the samples and
# their count. A piece damaged behind a valid header (a disk error, a stray write) fails the check.
_CHECK_CHUNK = b"abck"
_TRAILER = struct.Struct("<4sIII")  # chunk id, chunk size (8), crc32, frames


def store_piece(path: Path, samples: bytes, rate: int) -> None:
    """Atomically: a reader never sees a half-written piece (workers and renders share the cache)."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples)
    blob = bytearray(buf.getvalue())
    blob += _TRAILER.pack(_CHECK_CHUNK, 8, zlib.crc32(samples), len(samples) // 2)
    struct.pack_into("<I", blob, 4, len(blob) - 8)  # the RIFF size covers the check chunk
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def piece_problem(path: Path, rate: int) -> str | None:
    """Why the cached piece at `path` cannot be used, or None when its samples match their checksum."""
    try:
        blob = path.read_bytes()
        with wave.open(io.BytesIO(blob), "rb") as w:
            if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, rate):
                return f"not 16-bit mono at {rate} Hz"
            frames = w.getnframes()
    except (OSError, EOFError, wave.Error) as e:
        return f"unreadable ({e})"
    start = 44  # the header store_piece writes
    if len(blob) != start + 2 * frames + _TRAILER.size:
        return "wrong length"
    tag, _, crc, count = _TRAILER.unpack_from(blob, start + 2 * frames)
    if tag != _CHECK_CHUNK or count != frames or zlib.crc32(blob[start : start + 2 * frames]) != crc:
        return "checksum mismatch"
    return None


def synthesize_all(
    texts: Sequence[tuple[str, VoiceProfile]],
    root: Path,
    rate: int,
    trim_db: float = -45.0,
    jobs: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[list[Rendered], SynthStats]:
    """Return one Rendered per input (same order). Identical pieces are synthesized once.
    `jobs`: worker processes; None chooses by the work to do (auto_jobs). `meanwhile`: work for this
    process while the workers synthesize (run first when there are none)."""
    versions: dict[str, str] = {}
    identities: dict[VoiceProfile, str] = {}  # a profile's identity stats its model file: once per profile
    paths: list[Path] = []
    todo: dict[Path, Job] = {}
    checked: set[Path] = set()
    warnings: list[str] = []
    for spoken, profile in texts:
        if profile.engine not in versions:
            versions[profile.engine] = get_engine(profile.engine).version()
        if profile not in identities:
            identities[profile] = profile.identity()
        key = piece_key(spoken, profile.engine, versions[profile.engine], identities[profile], rate, trim_db)
        path = root / key[:2] / f"{key}.wav"
        paths.append(path)
        if path in todo or path in checked:
            continue
        checked.add(path)
        if path.exists() and (problem := piece_problem(path, rate)) is not None:
            warnings.append(f"{path}: cached piece damaged ({problem}); synthesized again")
            path.unlink(missing_ok=True)
        if not path.exists():
            todo[path] = Job(spoken, profile, path)
    stats = SynthStats(pieces=len(texts), synthesized=len(todo), cached=len(set(paths)) - len(todo),
                       warnings=warnings)
    jobs = auto_jobs(list(todo.values())) if jobs is None else jobs
    done = 0
    # Longest first, so the last piece to finish in a pool is short.
    ordered = sorted(todo.values(), key=lambda j: len(j.spoken), reverse=True)
    if jobs <= 1 or len(ordered) < 2:
        if meanwhile is not None:
            meanwhile()
        # The engine gets the cores this process may run on (its CPU affinity), no more: onnxruntime's
        # default pool would otherwise size itself by the machine and pin threads outside that set.
        voices = Voices(cpu_cores())
        for job in ordered:
            _make_piece(voices, job, rate, trim_db)
            done += 1
            if on_progress:
                on_progress(done, len(ordered))
    else:
        jobs = min(jobs, len(ordered))
        threads = max(1, cpu_cores() // jobs)
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_start_method(ordered),
                                   initializer=_init_worker, initargs=(threads, os.getpid()))
        try:
            # Submitting is inside the try: Ctrl-C or SIGTERM while work is queued cancels the queue, rather
            # than waiting for every queued piece to be synthesized.
            futures = [pool.submit(_work, job, rate, trim_db) for job in ordered]
            if meanwhile is not None:  # after the submits: the workers are forked by then, from one thread
                meanwhile()
            for fut in as_completed(futures):
                fut.result()
                done += 1
                if on_progress:
                    on_progress(done, len(ordered))
        except BrokenProcessPool:
            pool.shutdown(wait=False, cancel_futures=True)
            raise AudiobookError("a synthesis worker died (out of memory?); try again with --jobs 1") from None
        except BaseException:
            # The queue is dropped; the pieces being made are waited for (milliseconds for espeak-ng, a
            # sentence for a neural voice), so none is written after the caller removes a throwaway cache.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown()
    rendered = []
    for path in paths:
        try:
            frames, sr = wav_frames(path)
            if sr != rate:
                raise ValueError(f"{sr} Hz, expected {rate} Hz")
        except (OSError, EOFError, ValueError, wave.Error) as e:
            raise AudiobookError(f"{path}: cached piece unreadable ({e}); delete it or use --no-cache") from None
        rendered.append(Rendered(path, frames, sr))
    return rendered, stats
