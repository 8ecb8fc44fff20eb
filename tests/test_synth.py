"""The piece cache: content-addressed, only changed pieces re-synthesized, moved by XDG_CACHE_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from measure import median_pitch

from audiobook.audio.pcm import read_wav, trim_silence
from audiobook.voice.engines import Pcm, get_engine
from audiobook.voice.engines.espeak import EspeakSettings
from audiobook.voice.engines.piper import PiperSettings
from audiobook.voice.profile import VoiceProfile
from audiobook.voice.resolve import find_profile
from audiobook.voice.synth import cache_root, piece_problem, synthesize_all

MULTI = Path(__file__).parent / "data" / "multispeaker-test.onnx"  # speaker n: a sine of 220 Hz * (1 + n)

SENTENCES = ["Бірінші сөйлем.", "Екінші сөйлем бұл.", "Үшінші сөйлем де бар."]


def test_only_changed_pieces_are_synthesized(tmp_path: Path) -> None:
    voice = find_profile("kk-interviewee")
    first, s1 = synthesize_all([(t, voice) for t in SENTENCES], tmp_path, 22050)
    assert (s1.synthesized, s1.cached) == (3, 0)
    edited = [SENTENCES[0], "Екінші сөйлем өзгерді.", SENTENCES[2]]
    second, s2 = synthesize_all([(t, voice) for t in edited], tmp_path, 22050)
    assert (s2.synthesized, s2.cached) == (1, 2)
    assert second[0].path == first[0].path and second[1].path != first[1].path
    # A different voice is a different piece, even for the same words.
    _, s3 = synthesize_all([(SENTENCES[0], find_profile("kk-narrator"))], tmp_path, 22050)
    assert s3.synthesized == 1


def test_repeated_piece_synthesized_once(tmp_path: Path) -> None:
    voice = find_profile("kk-narrator")
    pieces, stats = synthesize_all([("Иә.", voice), ("Иә.", voice)], tmp_path, 22050)
    assert stats.synthesized == 1 and pieces[0].path == pieces[1].path


def test_pieces_are_trimmed_and_at_episode_rate(tmp_path: Path) -> None:
    pieces, _ = synthesize_all([(SENTENCES[1], find_profile("kk-narrator"))], tmp_path, 44100)
    pcm = read_wav(pieces[0].path)
    assert pcm.sample_rate == 44100 == pieces[0].sample_rate
    assert len(pcm.samples) == pieces[0].frames
    raw = get_engine("espeak").open(find_profile("kk-narrator"), None).speak(SENTENCES[1])
    # Same speech, resampled: the duration is kept to within the trimmed silence.
    assert -0.001 < raw.duration - pcm.duration < 0.6


def test_trim_silence_keeps_a_margin() -> None:
    x = np.zeros(22050 * 2, dtype=np.int16)
    x[22050 // 2 : 22050] = 8000  # speech from 0.5 s to 1.0 s
    out = trim_silence(Pcm(x, 22050), -45.0, keep=0.02)
    assert abs(len(out.samples) / 22050 - 0.54) < 0.001
    assert out.samples[0] == 0 and out.samples[441] == 8000


@pytest.mark.slow
def test_parallel_workers_match_serial(tmp_path: Path) -> None:
    voice = find_profile("kk-interviewer")
    serial, _ = synthesize_all([(t, voice) for t in SENTENCES], tmp_path / "a", 22050, jobs=1)
    parallel, stats = synthesize_all([(t, voice) for t in SENTENCES], tmp_path / "b", 22050, jobs=2)
    assert stats.synthesized == 3
    # espeak-ng adds random aspiration noise (which also moves the trim point by a few ms), so compare
    # what the words decide: length and pitch.
    for a, b in zip(serial, parallel, strict=True):
        assert abs(a.frames - b.frames) < 0.01 * 22050
        xa, xb = read_wav(a.path).samples / 32768, read_wav(b.path).samples / 32768
        assert abs(median_pitch(xa, 22050) / median_pitch(xb, 22050) - 1) < 0.05


def test_meanwhile_runs_once_in_this_process_while_workers_synthesize(tmp_path: Path) -> None:
    """The pipeline draws the cover in `meanwhile`: it runs once, here, whether the pieces go to a pool of
    workers (then after they are started, so they are still forked from one thread), to this process, or
    all come from the cache."""
    import threading

    voice = find_profile("kk-interviewer")
    for texts, jobs in ((SENTENCES, 2), ([t + " Иә." for t in SENTENCES], 1), (SENTENCES, 2)):
        seen: list[tuple[int, int]] = []
        _, stats = synthesize_all([(t, voice) for t in texts], tmp_path, 22050, jobs=jobs,
                                  meanwhile=lambda seen=seen: seen.append((os.getpid(), threading.active_count())))
        assert [pid for pid, _ in seen] == [os.getpid()], (jobs, stats)
        if stats.synthesized and jobs > 1:
            assert seen[0][1] > 1  # the pool's own threads were running: its workers were started by then


@pytest.mark.slow
def test_cache_follows_xdg_cache_home(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "AUDIOBOOK_CACHE"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    code = "from audiobook.voice.synth import cache_root; print(cache_root()[0])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert Path(out.stdout.strip()) == tmp_path / "xdg" / "audiobook" / "pieces"


def test_no_cache_uses_a_throwaway_folder() -> None:
    root, tmp = cache_root(no_cache=True)
    assert tmp is not None and root.is_dir()
    tmp.cleanup()
    assert not root.exists()


def test_workers_only_when_the_work_outweighs_starting_them(tmp_path: Path) -> None:
    from audiobook.voice.synth import ESPEAK_POOL_MIN, Job, auto_jobs, cpu_cores

    espeak = VoiceProfile("e", "espeak", EspeakSettings())
    piper = VoiceProfile("p", "piper", PiperSettings(Path("x.onnx")))
    few = [Job(f"сөйлем {i}", espeak, tmp_path / f"{i}.wav") for i in range(3)]
    many = [Job(f"сөйлем {i}", espeak, tmp_path / f"{i}.wav") for i in range(ESPEAK_POOL_MIN)]
    assert auto_jobs([]) == 1 and auto_jobs(few) == 1
    assert auto_jobs(many) == cpu_cores()
    assert auto_jobs([*few, Job("сөйлем", piper, tmp_path / "p.wav")]) == cpu_cores()


FORK_CHECK = f"""
import threading
from pathlib import Path
from audiobook.voice.engines import get_engine
from audiobook.voice.engines.espeak import EspeakSettings
from audiobook.voice.engines.piper import PiperSettings
from audiobook.voice.profile import VoiceProfile
from audiobook.voice.synth import Job, _start_method

espeak = VoiceProfile("e", "espeak", EspeakSettings())
piper = VoiceProfile("p", "piper", PiperSettings(Path({str(MULTI)!r})))
jobs = [Job("сөйлем", espeak, Path("e.wav"))]
print(_start_method(jobs).get_start_method())
print(_start_method([*jobs, Job("сөйлем", piper, Path("p.wav"))]).get_start_method())
release = threading.Event()
other = threading.Thread(target=release.wait)
other.start()
print(_start_method(jobs).get_start_method())
release.set()
other.join()
print(_start_method(jobs).get_start_method())
get_engine("piper").open(piper, 1).speak("Hello.")
print(_start_method(jobs).get_start_method())
"""


@pytest.mark.slow
def test_workers_fork_only_where_it_is_safe() -> None:
    """In a fresh process: espeak-ng workers fork (milliseconds to start, engine already loaded); a neural
    engine's spawn; so do all while another thread runs (it may hold a lock the child would wait on
    forever), and all once this process has loaded onnxruntime (its thread pools do not survive a fork)."""
    from audiobook.voice.synth import CAN_FORK

    out = subprocess.run([sys.executable, "-c", FORK_CHECK], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    fork = "fork" if CAN_FORK else "spawn"
    assert out.stdout.split() == [fork, "spawn", "spawn", fork, "spawn"]


@pytest.mark.slow
def test_a_pool_of_neural_workers_gives_each_speaker_its_voice(tmp_path: Path) -> None:
    """Two spawned workers, three speakers of one model, each worker opening the model once: every piece
    has the pitch of its own speaker."""
    profiles = [VoiceProfile(f"s{n}", "piper", PiperSettings(MULTI, speaker=n)) for n in range(3)]
    texts = [(f"Hello number {i}.", profiles[i % 3]) for i in range(6)]
    pieces, stats = synthesize_all(texts, tmp_path, 16000, jobs=2)
    assert stats.synthesized == 6
    for (_, p), piece in zip(texts, pieces, strict=True):
        pcm = read_wav(piece.path)
        spec = np.abs(np.fft.rfft(pcm.samples.astype(np.float64)))
        hz = float(np.fft.rfftfreq(len(pcm.samples), 1 / pcm.sample_rate)[np.argmax(spec)])
        assert round(hz / 220) == 1 + p.settings.speaker  # type: ignore[attr-defined]


def corrupt(path: Path, how: str) -> None:
    blob = bytearray(path.read_bytes())
    if how == "noise":  # the header stays valid: only the samples change
        mid = len(blob) // 2
        blob[mid : mid + 2000] = os.urandom(2000)
    elif how == "truncated":
        blob = blob[: len(blob) // 2]
    else:
        blob = bytearray(b"not a wav file")
    path.write_bytes(bytes(blob))


@pytest.mark.parametrize(("how", "problem"), [
    ("noise", "checksum mismatch"), ("truncated", "wrong length"),
    ("garbage", "unreadable (file does not start with RIFF id)"),
])
def test_a_damaged_cache_piece_is_synthesized_again_with_a_warning(tmp_path: Path, how: str, problem: str) -> None:
    voice = find_profile("kk-narrator")
    texts = [(SENTENCES[0], voice), (SENTENCES[1], voice)]
    pieces, _ = synthesize_all(texts, tmp_path, 22050)
    assert piece_problem(pieces[0].path, 22050) is None
    good = read_wav(pieces[1].path).samples.copy()
    corrupt(pieces[0].path, how)
    assert piece_problem(pieces[0].path, 22050) is not None
    again, stats = synthesize_all(texts, tmp_path, 22050)
    assert (stats.synthesized, stats.cached) == (1, 1)
    assert stats.warnings == [f"{pieces[0].path}: cached piece damaged ({problem}); synthesized again"]
    assert piece_problem(again[0].path, 22050) is None
    assert abs(again[0].frames - pieces[0].frames) < 0.05 * pieces[0].frames  # speech again, not noise
    assert np.array_equal(read_wav(again[1].path).samples, good)  # the good piece was kept
    third, stats = synthesize_all(texts, tmp_path, 22050)
    assert (stats.synthesized, stats.warnings) == (0, [])


@pytest.mark.slow
def test_a_full_cache_disk_names_the_cache(tmp_path: Path) -> None:
    """A real write failure (the file size limit stands in for a full disk): one line naming the cache."""
    code = f"""
import resource, signal
from pathlib import Path
from audiobook.errors import AudiobookError
from audiobook.voice.resolve import find_profile
from audiobook.voice.synth import synthesize_all
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))
try:
    synthesize_all([("{SENTENCES[2]}", find_profile("kk-narrator"))], Path({str(tmp_path / "cache")!r}), 22050)
except AudiobookError as e:
    print(e)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (f"{tmp_path / 'cache'}: cannot write the voice cache (File too large); free space "
                                "there, set AUDIOBOOK_CACHE to another folder, or use --no-cache")

