"""`audiobook studio --port 0 --no-browser` as a user starts it: the URL line, the token, a render, and
SIGTERM stopping the server with everything it started."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

pytest.importorskip("uvicorn")
import httpx  # noqa: E402
from studio_helpers import ARTICLE, alive, descendants, start, stop, wav_stats  # noqa: E402

pytestmark = pytest.mark.slow


def test_the_server_prints_its_url_refuses_strangers_and_stops_on_sigterm(tmp_path: Path) -> None:
    proc, url = start(tmp_path / "wd")
    try:
        parts = urlparse(url)
        assert parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.port and parts.path == "/"
        token = parse_qs(parts.query)["token"][0]
        assert len(token) >= 32
        base = f"http://127.0.0.1:{parts.port}"
        assert httpx.get(base + "/", timeout=30).status_code == 401
        assert httpx.get(base + "/api/voices", timeout=30).status_code == 401
        assert httpx.get(base + "/?token=" + token[:-1] + "x", timeout=30).status_code == 403
        with httpx.Client(base_url=base, timeout=60) as browser:  # keeps the cookie the first visit sets
            page = browser.get(url)
            assert page.status_code == 200 and 'lang="kk"' in page.text
            view = browser.post("/api/articles", files={"file": ("bakshy.txt", ARTICLE.read_bytes())}).json()
            assert len(view["script"]["segments"]) == 7
            wav = browser.get(f"/api/articles/{view['id']}/segments/3/audio")
            duration, rms_db, _ = wav_stats(wav.content)
            assert duration > 2 and rms_db > -35
            job = browser.post(f"/api/articles/{view['id']}/render", json={}).json()["job"]
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                state: dict[str, Any] = browser.get(f"/api/jobs/{job}").json()
                if state["state"] in ("done", "failed"):
                    break
                time.sleep(0.1)
            assert state["state"] == "done", state
            assert browser.get(state["outputs"]["mp3"]).content[:3] in (b"ID3", b"\xff\xfb")
    finally:
        code, err = stop(proc)
    assert code == 0, err
    assert "Traceback" not in err


def test_sigterm_during_a_render_stops_it_and_its_workers(tmp_path: Path) -> None:
    # A long article: many sentences, so synthesis (in worker processes) is still running when stopped.
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    long = "\n".join(lines[:3] + [f"— Сұрақ нөмірі {n}: бұл жыл қалай өтті?\n\n— Жақсы өтті. " * 1
                                  + " ".join(f"Біз {k} жаңа жұмыс бастадық." for k in range(8)) + "\n"
                                  for n in range(40)])
    proc, url = start(tmp_path / "wd")
    try:
        token = parse_qs(urlparse(url).query)["token"][0]
        auth = {"Authorization": f"Bearer {token}"}
        base = url.split("/?")[0]
        view = httpx.post(base + "/api/articles", json={"text": long}, headers=auth, timeout=60).json()
        job = httpx.post(f"{base}/api/articles/{view['id']}/render", headers=auth, timeout=30).json()["job"]
        for _ in range(300):
            state = httpx.get(f"{base}/api/jobs/{job}", headers=auth, timeout=30).json()
            if state["state"] == "running" and state["progress"] > 0.05:
                break
            time.sleep(0.1)
        assert state["state"] == "running", state
        started = descendants(proc.pid)
        assert started, "the render runs in child processes"
    finally:
        code, err = stop(proc)
    assert code == 0, err
    time.sleep(0.5)
    assert [p for p in started if alive(p)] == []
    assert not list((tmp_path / "wd" / "articles" / view["id"]).glob("out/*.mp3"))  # nothing half-written


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "audiobook", "studio", "--port", str(port), "--no-browser",
                            "--workdir", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert r.stderr.strip().startswith("error: 127.0.0.1:") and "--port" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert json.dumps(r.stdout) == '""'


def test_ctrl_c_stops_it_cleanly(tmp_path: Path) -> None:
    proc, url = start(tmp_path / "wd")
    assert url.startswith("http://127.0.0.1:")
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 0
    err = proc.stderr.read() if proc.stderr else ""
    assert "Traceback" not in err and "stopped" in err
