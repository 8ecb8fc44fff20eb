"""`audiobook batch`: an archive of nested folders rendered incrementally, failures isolated, resumable,
on the local pool and on a local Ray started by the test."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import DATA, SAMPLE, run_cli
from measure import decode_audio
from mutagen.mp3 import MP3

from audiobook.batch.archive import find_articles, slug
from audiobook.batch.ledger import LEDGER_NAME
from audiobook.batch.runner import LocalRunner, _stop_deferred
from audiobook.batch.task import Job, Outcome
from audiobook.pipeline import RenderOptions

ARTICLES = DATA / "articles"


def _archive(root: Path) -> Path:
    """Nested folders, a Markdown file, an edited script beside its article, a broken (empty) article and
    a file that is no article."""
    src = root / "archive"
    (src / "2025" / "көктем").mkdir(parents=True)
    (src / "2026").mkdir()
    shutil.copy(ARTICLES / "label_lines.txt", src / "2025" / "көктем" / "әкім.txt")
    shutil.copy(ARTICLES / "hyphen_turns.txt", src / "2025" / "дәрігер.md")
    shutil.copy(ARTICLES / "inline_labels.txt", src / "2026" / "мұғалім.txt")
    r = run_cli("script", str(src / "2026" / "мұғалім.txt"), "--yaml")
    assert r.returncode == 0, r.stderr
    # The editor renamed the first chapter: the script beside the article is what gets rendered.
    head, sep, chapters = r.stdout.partition("\nchapters:\n- title: ")
    assert sep
    edited = head + sep + "Өңделген тарау\n  first_segment: 0\n" + chapters.split("\n", 2)[2]
    (src / "2026" / "мұғалім.yaml").write_text(edited, encoding="utf-8")
    (src / "2026" / "бос.txt").write_text("", encoding="utf-8")
    (src / "README.pdf").write_bytes(b"%PDF-1.4")
    return src


def _ledger(site: Path) -> dict[str, dict[str, object]]:
    return json.loads((site / LEDGER_NAME).read_text(encoding="utf-8"))["entries"]


def test_names_are_stable_unique_and_from_the_path(tmp_path: Path) -> None:
    src = tmp_path / "a"
    (src / "x y").mkdir(parents=True)
    (src / "x-y").mkdir()
    for folder in ("x y", "x-y"):
        shutil.copy(SAMPLE, src / folder / "Сұхбат.txt")
    shutil.copy(SAMPLE, src / "one.txt")
    shutil.copy(SAMPLE, src / "one.md")
    articles, skipped = find_articles([src], tmp_path / "site")
    names = [a.name for a in articles]
    assert len(set(names)) == len(names) == 4 and not skipped
    assert all(n.startswith(("x-y-сұхбат-", "one-")) for n in names)  # clashes get a hash of their path
    assert names == [a.name for a in find_articles([src], tmp_path / "site")[0]]  # stable
    assert slug("2025/Көктем/Әкім сұхбаты") == "2025-көктем-әкім-сұхбаты"


@pytest.mark.slow
def test_archive_rendered_then_up_to_date_then_only_the_change(tmp_path: Path) -> None:
    src, site = _archive(tmp_path), tmp_path / "site"
    r = run_cli("batch", str(src), "-o", str(site), "-j", "2", "--base-url", "https://example.org/kk/",
                "--title", "Мұрағат")
    assert r.returncode == 1, r.stderr  # one article is broken
    assert "failed: 2026/бос.txt: " in r.stderr and "file is empty" in r.stderr
    assert "skipped: " in r.stderr and "README.pdf" in r.stderr
    assert "batch: 3 rendered, 0 up to date, 1 failed" in r.stderr
    names = {"2025-көктем-әкім", "2025-дәрігер", "2026-мұғалім"}
    assert {p.stem for p in site.glob("*.mp3")} == names
    for name in names:  # each episode whole: its audio as long as its manifest says, sidecars beside it
        m = json.loads((site / f"{name}.json").read_text(encoding="utf-8"))
        assert abs(MP3(site / f"{name}.mp3").info.length - m["duration"]) < 0.1
        assert all((site / f).is_file() for f in m["sidecars"].values())
    edited = json.loads((site / "2026-мұғалім.json").read_text(encoding="utf-8"))
    assert edited["chapters"][0]["title"].startswith("Өңделген ")
    ledger = _ledger(site)
    assert {k: v["state"] for k, v in ledger.items()} == {**dict.fromkeys(names, "rendered"), "2026-бос": "failed"}
    assert "file is empty" in str(ledger["2026-бос"]["error"])
    items = ET.parse(site / "feed.xml").getroot().findall("./channel/item")
    assert len(items) == 3
    assert not list(site.glob(".*partial*"))

    (src / "2026" / "бос.txt").unlink()
    r = run_cli("batch", str(src), "-o", str(site))
    assert r.returncode == 0, r.stderr
    assert "batch: 0 rendered, 3 up to date, 0 failed" in r.stderr
    assert "nothing to render" in r.stderr

    article = src / "2025" / "дәрігер.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n— Рахмет, сау болыңыз!\n", encoding="utf-8")
    before = (site / "2025-көктем-әкім.mp3").stat().st_mtime_ns
    r = run_cli("batch", str(src), "-o", str(site))
    assert r.returncode == 0, r.stderr
    assert "batch: 1 rendered, 2 up to date, 0 failed" in r.stderr
    # Only the new turn is synthesized; every other sentence comes from the cache.
    synthesized = re.search(r"rendered: 2025/дәрігер\.md .* (\d+) sentences synthesized", r.stderr)
    assert synthesized and 1 <= int(synthesized.group(1)) <= 3, r.stderr
    assert (site / "2025-көктем-әкім.mp3").stat().st_mtime_ns == before

    # Another option changes every episode.
    r = run_cli("batch", str(src), "-o", str(site), "--lufs", "-18")
    assert r.returncode == 0, r.stderr
    assert "batch: 3 rendered, 0 up to date" in r.stderr


def _session_processes(sid: int, wait: float = 5.0) -> list[str]:
    """Processes still in session `sid` after up to `wait` seconds (helpers may take a moment to exit)."""
    deadline = time.monotonic() + wait
    while True:
        ps = subprocess.run(["ps", "-s", str(sid), "-o", "pid=,args="], capture_output=True, text=True)
        left = [line.strip() for line in ps.stdout.splitlines() if line.strip()]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def _crash_on_second(job: Job) -> Outcome:
    if job.name == "b":
        os._exit(7)  # a worker killed mid-render, as by the OOM killer
    return Outcome(job.name, {f"{job.name}.mp3": b"x"})


@pytest.mark.slow
def test_a_dead_worker_fails_only_its_episode(tmp_path: Path) -> None:
    done: list[Outcome] = []
    jobs = [Job(n, tmp_path / f"{n}.txt", RenderOptions()) for n in "abc"]
    LocalRunner(2, work=_crash_on_second).run(jobs, done.append)
    by_name = {o.name: o for o in done}
    assert set(by_name) == {"a", "b", "c"}
    assert by_name["a"].error is None and by_name["c"].error is None
    assert "worker rendering it died (exit code 7)" in str(by_name["b"].error)


def test_a_stop_during_a_worker_start_is_held_until_it_has_started() -> None:
    # The race seen in CI: SIGTERM arrives just before the start, and Python runs its handler (which raises)
    # at its next check, inside start(); the child then read a closed pipe and printed a traceback.
    def stop(_n: int, _f: object) -> None:
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, stop)
    finished = []
    try:
        with pytest.raises(KeyboardInterrupt), _stop_deferred():
            signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)  # type: ignore[operator]
            os.kill(os.getpid(), signal.SIGTERM)  # blocked here: pending until the block ends
            finished.append("started")
        assert finished == ["started"]
        assert signal.getsignal(signal.SIGTERM) is stop
        assert signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, set())
    finally:
        signal.signal(signal.SIGTERM, before)


@pytest.mark.slow
def test_sigterm_stops_cleanly_and_the_next_run_resumes(tmp_path: Path) -> None:
    src, site = tmp_path / "src", tmp_path / "site"
    src.mkdir()
    for i, name in enumerate(("em_dash_blank_lines", "en_dash_single_lines", "round_table", "label_lines")):
        shutil.copy(ARTICLES / f"{name}.txt", src / f"{i}.txt")
    shutil.copy(SAMPLE, src / "4.txt")
    proc = subprocess.Popen([sys.executable, "-m", "audiobook", "batch", str(src), "-o", str(site)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # stop it once the first episode is in the ledger
        if (site / LEDGER_NAME).is_file() and "rendered" in {e["state"] for e in _ledger(site).values()}:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    left = _session_processes(proc.pid)
    assert left == [], f"processes left behind: {left}"
    states = {k: v["state"] for k, v in _ledger(site).items()}
    done = [k for k, v in states.items() if v == "rendered"]
    assert done and set(states.values()) <= {"rendered", "pending"}
    assert {p.stem for p in site.glob("*.mp3")} == set(done)  # the ledger is true to the site
    assert not list(site.glob(".*partial*"))

    r = run_cli("batch", str(src), "-o", str(site))
    assert r.returncode == 0, r.stderr
    assert f"batch: {5 - len(done)} rendered, {len(done)} up to date, 0 failed" in r.stderr
    assert len(list(site.glob("*.mp3"))) == 5


@pytest.mark.slow
def test_ray_renders_the_archive_and_names_the_broken_article(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="the ray extra is not installed (pip install 'audiobook[ray]')")
    src, site = _archive(tmp_path), tmp_path / "site"
    # No cluster given: the batch starts a local Ray and shuts it down. Its session folder is this test's own,
    # so what is left running is found by that path (other Ray users on the machine are not ours).
    ray_tmp = tempfile.mkdtemp(prefix="ray-", dir="/tmp")  # Ray's socket paths must stay short
    env = {"RAY_ADDRESS": "", "RAY_TMPDIR": ray_tmp}
    r = run_cli("batch", str(src), "-o", str(site), "--ray", "--base-url", "https://example.org/kk/",
                "--title", "Мұрағат", env=env)
    assert r.returncode == 1, r.stderr
    assert "failed: 2026/бос.txt: " in r.stderr
    assert "batch: 3 rendered, 0 up to date, 1 failed" in r.stderr
    mp3s = sorted(site.glob("*.mp3"))
    assert len(mp3s) == 3
    x = decode_audio(mp3s[0], 22050)
    assert len(x) / 22050 > 20  # real speech came back from the Ray workers
    assert len(ET.parse(site / "feed.xml").getroot().findall("./channel/item")) == 3
    time.sleep(1)
    ray_procs = subprocess.run(["pgrep", "-f", ray_tmp], capture_output=True, text=True)
    assert ray_procs.stdout.split() == [], "Ray left processes running"

    (src / "2026" / "бос.txt").unlink()
    r = run_cli("batch", str(src), "-o", str(site), "--ray", env=env)
    assert r.returncode == 0, r.stderr
    assert "batch: 0 rendered, 3 up to date, 0 failed" in r.stderr and "nothing to render" in r.stderr
    shutil.rmtree(ray_tmp, ignore_errors=True)


@pytest.mark.slow
def test_ray_cluster_started_with_ray_start(tmp_path: Path) -> None:
    """An existing cluster (`ray start --head`) given by address: the episodes run on its workers."""
    pytest.importorskip("ray", reason="the ray extra is not installed (pip install 'audiobook[ray]')")
    ray_cli = Path(sys.executable).with_name("ray")
    port = _free_port()
    temp = tempfile.mkdtemp(prefix="ray-", dir="/tmp")  # Ray's socket paths must stay short
    # A private cluster on loopback only; token auth off because the test's cluster is its own.
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0", "RAY_ADDRESS": ""}
    start = subprocess.run([str(ray_cli), "start", "--head", "--node-ip-address", "127.0.0.1", "--port", str(port),
                            "--num-cpus", "2", "--include-dashboard", "false", "--disable-usage-stats",
                            "--temp-dir", temp],
                           capture_output=True, text=True, env=env, timeout=120)
    assert start.returncode == 0, start.stderr
    try:
        src = tmp_path / "src"
        (src / "a").mkdir(parents=True)
        shutil.copy(ARTICLES / "round_table.txt", src / "a" / "дөңгелек-үстел.txt")
        shutil.copy(ARTICLES / "no_turns.txt", src / "жаңалық.txt")
        r = run_cli("batch", str(src), "-o", str(tmp_path / "site"), "--ray-address", f"127.0.0.1:{port}",
                    env={"RAY_AUTH_MODE": "disabled", "RAY_ADDRESS": ""})
        assert r.returncode == 0, r.stderr
        assert "batch: 2 rendered, 0 up to date, 0 failed" in r.stderr
        assert len(list((tmp_path / "site").glob("*.mp3"))) == 2
    finally:
        subprocess.run([str(ray_cli), "stop", "--force"], capture_output=True, env=env, timeout=120)
        shutil.rmtree(temp, ignore_errors=True)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
