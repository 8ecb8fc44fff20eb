"""The MP3 encoded in runs and joined: sample-exact, cues in place, joins inaudible, edits re-encode one run.

Real espeak-ng speech through the real stages (synthesis, assembly, runs, mastering, encoding); runs are made
short (RunSpec) so a one-minute article has several joins.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from audiobook.audio import mp3
from audiobook.audio.assemble import Episode, assemble
from audiobook.audio.encode import (
    GAIN_SLACK_DB,
    GAIN_STEP_DB,
    EncodeStats,
    Mastered,
    Mp3Settings,
    encode_mp3,
    gain_steps,
    master_blocks,
    step_gain,
)
from audiobook.audio.ffmpeg import ffmpeg_exe
from audiobook.audio.master import Loudness, grid_cell, loudness_from_powers, measure, plan_master
from audiobook.audio.master.parts import measure_parts
from audiobook.audio.runs import Grid, RunSpec, align, spans
from audiobook.pipeline import ASSEMBLY_RATE
from audiobook.text.normalize import user_lexicon
from audiobook.text.parse import parse_article
from audiobook.text.prepare import script_lines
from audiobook.voice.cast import cast_script
from audiobook.voice.synth import synthesize_all

OUT = 44100
SPEC = RunSpec(min_seconds=6.0, max_seconds=20.0, chance=0.5)

ARTICLE = """date 2026-05-04 Бақша маусымы басталды: ауыл тұрғындары көкөніс егуге кірісті
ШЫМКЕНТ. Аудандық ауыл шаруашылығы бөлімінің маманы Ерлан Сейітов биылғы егіс науқаны туралы айтып берді.
— Ерлан Бекұлы, биыл көктем ерте келді ме?
— Иә, биыл қар ерте еріді. Топырақ сәуірдің ортасында-ақ жылынды. Сондықтан көп шаруа қызанақ пен қиярды ерте екті.
Суару жүйесі де уақытында іске қосылды. Арықтарға су мамырдың басында жіберілді.
— Тұқым бағасы қалай өзгерді?
— Былтырғымен салыстырғанда тұқым сәл қымбаттады. Бірақ аудан әкімдігі шағын шаруашылықтарға көмек көрсетті.
Жүзден астам отбасы арзан тұқым алды. Бұл көмек күзге дейін жалғасады.
— Жастар ауыл шаруашылығына қызығады ма?
— Қызығатындар көбейді. Биыл он екі жас отбасы жылыжай салды. Олар көкөністі қалаға сатады.
Біз оларға несие алудың жолын түсіндіріп жатырмыз. Келесі жылы бұл сан екі есе артады деп ойлаймыз.
— Әңгімеңізге рахмет.
— Сізге де рахмет.
"""


@dataclass
class Render:
    episode: Episode
    mastered: Mastered
    stats: EncodeStats
    path: Path
    reference: np.ndarray  # the mastered episode, as the runs master it, at the output rate (float32)


def render(text: str, work: Path, cache: Path | None, name: str = "ep") -> Render:
    """The article through the real stages up to a joined MP3 (no tags, no sidecars). Pieces are cached
    beside `work`, as a render caches them (espeak-ng's output varies from one synthesis to the next)."""
    script = parse_article(text, source="test")
    lines, _ = script_lines(script, user_lexicon(None))
    cast = cast_script(script)
    work.mkdir(parents=True, exist_ok=True)
    (work.parent / "pieces").mkdir(exist_ok=True)
    pieces, _ = synthesize_all([(ln.spoken, cast[ln.speaker]) for ln in lines], work.parent / "pieces", ASSEMBLY_RATE,
                               jobs=1)
    ep = assemble(lines, pieces, [c.title for c in script.chapters], ASSEMBLY_RATE)
    ep, bounds = align(ep, Grid(ASSEMBLY_RATE, OUT), SPEC)
    # Metered run by run as a render meters them, the measurements cached beside the encoded runs.
    plan = plan_master(ep.samples, ASSEMBLY_RATE, Loudness(), spans(bounds, len(ep.samples), Grid(ASSEMBLY_RATE, OUT)),
                       cache)
    m = Mastered(ep.samples, ASSEMBLY_RATE, bounds, plan, Loudness())
    path = work / f"{name}.mp3"
    stats = encode_mp3(m, path, Mp3Settings(), cache)
    import soxr

    ref = soxr.resample(np.concatenate(list(m.blocks(stats.gain))), ASSEMBLY_RATE, OUT, quality="VHQ")
    return Render(ep, m, stats, path, ref.astype(np.float32))


def decode(path: Path) -> np.ndarray:
    cmd = [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1", "pipe:1"]
    return np.frombuffer(subprocess.run(cmd, capture_output=True, check=True).stdout, dtype="<f4")


def single_pass(x: np.ndarray, path: Path, quality: int) -> np.ndarray:
    cmd = [ffmpeg_exe(), "-v", "error", "-y", "-f", "f32le", "-ar", str(OUT), "-ac", "1", "-i", "pipe:0",
           "-c:a", "libmp3lame", "-b:a", "96k", "-compression_level", str(quality), str(path)]
    subprocess.run(cmd, input=x.astype("<f4").tobytes(), check=True)
    return decode(path)


def snr_db(y: np.ndarray, ref: np.ndarray) -> float:
    return float(10 * np.log10(np.sum(ref.astype(np.float64) ** 2) / np.sum((y - ref).astype(np.float64) ** 2)))


@pytest.fixture(scope="module")
def joined(tmp_path_factory: pytest.TempPathFactory) -> Render:
    return render(ARTICLE, tmp_path_factory.mktemp("joined"), None)


@pytest.mark.slow
def test_several_runs_cut_on_the_frame_grid(joined: Render) -> None:
    b = joined.mastered.bounds
    assert joined.stats.runs == len(b) - 1 >= 3
    grid = Grid(ASSEMBLY_RATE, OUT)
    assert all(grid.out(c) % 1152 == 0 for c in b[:-1])
    assert b[-1] == len(joined.episode.samples)


@pytest.mark.slow
def test_decodes_to_the_mastered_sample_count(joined: Render) -> None:
    import mutagen.mp3

    n = len(joined.episode.samples) * OUT // ASSEMBLY_RATE
    assert len(joined.reference) == n
    assert len(decode(joined.path)) == n  # ffmpeg's gapless trim, from the LAME tag
    info = mutagen.mp3.MP3(joined.path).info
    assert info.length * OUT == pytest.approx(n, abs=1e-3)
    assert info.sample_rate == OUT and info.bitrate_mode == mutagen.mp3.BitrateMode.CBR


def test_info_header_describes_the_file(joined: Render) -> None:
    data = joined.path.read_bytes()
    head = mp3.parse_header(data)
    info = data[4 + head.side_bytes :]
    assert info[:4] == b"Info"
    offs = mp3.scan(data)
    frames, size = int.from_bytes(info[8:12], "big"), int.from_bytes(info[12:16], "big")
    assert frames == len(offs) - 1 and size == len(data)
    toc = np.frombuffer(info[16:116], dtype=np.uint8)
    assert toc[0] == 0 and np.all(np.diff(toc.astype(int)) >= 0)
    lame = info[120:156]
    assert lame[:9] == b"LAME3.100"
    v = int.from_bytes(lame[21:24], "big")
    delay, padding = v >> 12, v & 0xFFF
    assert delay == 576 and frames * 1152 - delay - padding == len(joined.reference)
    assert int.from_bytes(lame[28:32], "big") == len(data)
    assert int.from_bytes(lame[32:34], "big") == mp3.crc16(data[offs[0] :])
    tag = bytearray(data[: offs[0]])
    crc_at = 4 + head.side_bytes + 120 + 34
    tag[crc_at : crc_at + 2] = b"\0\0"
    assert int.from_bytes(lame[34:36], "big") == mp3.crc16(tag[:190])
    # The whole stream decodes without a complaint (a broken reservoir makes ffmpeg say so).
    r = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(joined.path), "-f", "null", "-"], capture_output=True)
    assert r.returncode == 0 and r.stderr == b""


def onset(x: np.ndarray, start: int, threshold: float = 0.01) -> int:
    return start + int(np.argmax(np.abs(x[start:]) > threshold))


@pytest.mark.slow
def test_cues_and_chapters_line_up_with_the_decoded_audio(joined: Render) -> None:
    y, ref = decode(joined.path), joined.reference
    for cue in joined.episode.cues:
        s = round(cue.start * OUT)
        heard, meant = onset(y, max(0, s - 2205)), onset(ref, max(0, s - 2205))
        assert abs(heard - meant) <= 0.010 * OUT  # the speech is where the cue says, to the sample
        assert 0 <= meant - s <= 0.05 * OUT  # a cue starts at its piece (its 20 ms margin before the word)
    for ch in joined.episode.chapters[1:]:
        s = round(ch.start * OUT)
        assert np.abs(y[max(0, s - 441) : s]).max() < 0.01  # a chapter mark falls in its pause


@pytest.mark.slow
def test_joins_are_inaudible(joined: Render, tmp_path: Path) -> None:
    y, ref = decode(joined.path), joined.reference
    single = single_pass(ref, tmp_path / "single.mp3", joined.stats.quality)
    assert len(single) == len(ref)
    grid = Grid(ASSEMBLY_RATE, OUT)
    for cut in joined.mastered.bounds[1:-1]:
        c = grid.out(cut)
        near = slice(c - int(0.05 * OUT), c + int(0.05 * OUT))
        assert np.abs(y[near] - ref[near]).max() < 1e-3  # -60 dBFS: nothing added at the join
        wide = slice(c - OUT, c + OUT)  # a second either side: the speech around the join
        assert snr_db(y[wide], ref[wide]) >= snr_db(single[wide], ref[wide]) - 1.0
    assert snr_db(y, ref) >= snr_db(single, ref) - 0.5


@pytest.mark.slow
def test_edit_reencodes_only_the_changed_runs(tmp_path: Path) -> None:
    cache = tmp_path / "runs"
    cache.mkdir()
    first = render(ARTICLE, tmp_path / "a", cache, "a")
    assert first.stats.encoded == first.stats.runs
    again = render(ARTICLE, tmp_path / "b", cache, "b")
    assert again.stats.encoded == 0 and again.path.read_bytes() == first.path.read_bytes()
    # One sentence of the middle answer longer: its run's audio changes, and the runs after it move.
    edited = ARTICLE.replace("Бірақ аудан әкімдігі", "Бірақ биыл аудан әкімдігі")
    assert edited != ARTICLE
    after = render(edited, tmp_path / "c", cache, "c")
    assert after.stats.gain_db == first.stats.gain_db  # the gain step the cached runs used is kept

    def runs(r: Render) -> list[bytes]:
        b = r.mastered.bounds
        return [r.mastered.samples[lo:hi].tobytes() for lo, hi in zip(b, b[1:], strict=False)]

    before_runs, after_runs = runs(first), runs(after)
    changed = sum(run not in before_runs for run in after_runs)
    assert 1 <= changed < after.stats.runs
    assert changed <= after.stats.encoded <= changed + 1  # a neighbour's context may reach the edit
    assert after.stats.encoded < after.stats.runs - 1
    assert len(list(cache.rglob("*.mp3"))) == first.stats.runs + after.stats.encoded
    # And only the spans it changed were metered again for the plan.
    assert len(list(cache.rglob("*.loud.npz"))) == first.stats.runs + after.stats.encoded
    assert len(decode(after.path)) == len(after.reference)
    assert snr_db(decode(after.path), after.reference) > 20  # cached and new runs join into the edited episode


@pytest.mark.slow
def test_the_plan_measured_run_by_run_is_the_whole_episodes(joined: Render) -> None:
    m = joined.mastered
    runs = spans(m.bounds, len(m.samples), Grid(ASSEMBLY_RATE, OUT))
    cell = grid_cell(ASSEMBLY_RATE)
    parts = measure_parts(m.samples, ASSEMBLY_RATE, cell, runs, None)
    whole, _ = measure(m.samples, ASSEMBLY_RATE, cell)
    # The pauses at the cuts, metered twice or cut short, are gated out; what moves is where the 400 ms
    # gating blocks fall in each run (BS.1770 starts them at a signal's first sample): 0.001 LU on the shared
    # 16-minute interview, 0.025 on this one of 75 s; a meter's tolerance is 0.1.
    joined_lufs = loudness_from_powers(np.concatenate([p.powers for p in parts]))
    assert abs(joined_lufs - loudness_from_powers(whole)) < 0.05
    assert abs(m.plan.predicted_lufs - Loudness().target_lufs) < 0.05
    assert m.plan.run_peaks is not None and len(m.plan.run_peaks) == len(m.bounds) - 1
    gain = joined.stats.gain
    for (lo, hi), peaks in zip(runs, m.plan.run_peaks, strict=True):
        own = np.concatenate(list(master_blocks(m.samples[lo:hi], ASSEMBLY_RATE, gain, Loudness())))
        planned = np.concatenate(list(master_blocks(m.samples[lo:hi], ASSEMBLY_RATE, gain, Loudness(), peaks)))
        assert np.array_equal(own, planned)  # the encoder's limiter, from the plan's peaks


def test_gain_steps_stay_within_the_slack() -> None:
    for db in (-3.37, 0.0, 6.84, 12.05):
        steps = gain_steps(10 ** (db / 20))
        assert abs(steps[0] * GAIN_STEP_DB - db) <= GAIN_STEP_DB / 2 + 1e-9  # nearest first
        assert all(abs(k * GAIN_STEP_DB - db) <= GAIN_SLACK_DB + 1e-9 for k in steps)
        assert 20 * np.log10(step_gain(steps[0])) == pytest.approx(steps[0] * GAIN_STEP_DB)


def test_crc16_matches_ffmpeg_lame_tag(tmp_path: Path) -> None:
    """ffmpeg's own single-pass file: our CRC of its audio frames is the one its LAME tag holds."""
    rng = np.random.default_rng(1)
    x = (rng.standard_normal(OUT * 2) * 0.05).astype(np.float32)
    path = tmp_path / "one.mp3"
    single_pass(x, path, 2)
    data = path.read_bytes()
    start = data.find(b"\xff\xfb")  # after the ID3 tag ffmpeg writes
    head = mp3.parse_header(data, start)
    lame = data[start + 4 + head.side_bytes + 120 :][:36]
    assert int.from_bytes(lame[32:34], "big") == mp3.crc16(data[start + head.length :])
    for n in (1, 2, 63, 64, 1000, 70001):
        b = os.urandom(n)
        slow, table = 0, mp3._crc_table()
        for v in b:
            slow = int(table[(slow ^ v) & 0xFF]) ^ (slow >> 8)
        assert mp3.crc16(b) == slow
        assert mp3.crc16_continue(mp3.crc16(b[: n // 3]), b[n // 3 :]) == slow


def test_splice_refuses_to_overwrite_main_data() -> None:
    def f(area: int, begin: int, main: int) -> mp3.Frame:
        return mp3.Frame(bytearray(21 + area), 21, begin, main)

    run = [f(300, 0, 0), f(300, 0, 0), f(300, 200, 0)]  # its third frame reaches 200 bytes back
    busy = [f(300, 0, 250)]  # main data up to 50 bytes from the end: no room for 200
    assert not mp3.splice(busy, run, 2) and len(busy) == 1
    idle = [f(300, 0, 90)]  # 210 bytes free at the end
    run[1].data[-200:] = b"\x07" * 200
    assert mp3.splice(idle, run, 2) and len(idle) == 2
    assert bytes(idle[0].data[-200:]) == b"\x07" * 200 and bytes(idle[0].data[21:111]) == bytes(90)


@pytest.mark.slow
def test_a_join_that_cannot_be_made_falls_back_to_one_run(joined: Render, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mp3, "splice", lambda *a: False)
    path = tmp_path / "one.mp3"
    stats = encode_mp3(joined.mastered, path, Mp3Settings(), None)
    assert stats.runs == 1
    y = decode(path)
    assert len(y) == len(joined.reference) and snr_db(y, joined.reference) > 20


def test_runs_are_joined_in_order_with_few_read_ahead() -> None:
    """Cached runs are read faster than they are joined: the encoder keeps at most `ahead` of them read
    and not yet joined (a 174-minute book held all its 120 MB of MP3 at once), in order however they finish."""
    import random
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from audiobook.audio.encode import _ahead

    started, taken, most = 0, 0, 0
    lock = threading.Lock()

    def fn(job: int) -> int:
        nonlocal started, most
        with lock:
            started += 1
            most = max(most, started - taken)
        time.sleep(random.Random(job).uniform(0, 0.01))
        return job * 10

    with ThreadPoolExecutor(max_workers=3) as pool:
        out = []
        for value in _ahead(pool, fn, list(range(40)), 5):  # type: ignore[arg-type]
            out.append(value)
            with lock:
                taken += 1
    assert out == [j * 10 for j in range(40)]
    assert 3 <= most <= 5


@pytest.mark.parametrize(("given", "kbps"), [("96k", 96), ("128K", 128), ("64000", 64), ("160.0k", 160)])
def test_bitrate_forms_reach_lame(joined: Render, tmp_path: Path, given: str, kbps: int) -> None:
    """Every form the --bitrate check accepts is the rate LAME writes, read back from the frames."""
    import mutagen.mp3

    assert Mp3Settings(bitrate=given).kbps == kbps
    m = joined.mastered
    short = Mastered(m.samples[: m.bounds[1]], m.rate, m.bounds[:1] + [m.bounds[1]], m.plan, m.spec)
    path = tmp_path / "rate.mp3"
    encode_mp3(short, path, Mp3Settings(bitrate=given), None)
    info = mutagen.mp3.MP3(path).info
    assert info.bitrate == kbps * 1000 and info.bitrate_mode == mutagen.mp3.BitrateMode.CBR
    assert len(decode(path)) == len(short.samples) * OUT // ASSEMBLY_RATE
