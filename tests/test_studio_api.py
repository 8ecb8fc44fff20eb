"""The studio's JSON API through Starlette's test client: the token, articles, edits, audio, renders,
the feed, and what a shared laptop needs (size limits, nothing outside the workdir)."""

from __future__ import annotations

import json
import time
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
from measure import decode_audio  # noqa: E402

with warnings.catch_warnings():  # Starlette 1.x would rather have httpx2; httpx works the same here
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient
from studio_helpers import ARTICLE, TOKEN, wav_stats  # noqa: E402

from audiobook.studio import api  # noqa: E402
from audiobook.studio.app import create_app  # noqa: E402
from audiobook.text.prepare import load_script  # noqa: E402
from audiobook.text.scriptfile import dump_json, load_script_file  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path / "studio"


@pytest.fixture
def client(workdir: Path) -> Any:
    with TestClient(create_app(workdir, TOKEN)) as c:
        yield c


def upload(client: Any, path: Path = ARTICLE) -> dict[str, Any]:
    r = client.post("/api/articles", files={"file": (path.name, path.read_bytes(), "text/plain")}, headers=AUTH)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_every_route_refuses_a_request_without_the_token(client: Any) -> None:
    for method, url in [("GET", "/"), ("GET", "/static/studio.js"), ("GET", "/api/voices"),
                        ("POST", "/api/articles"), ("GET", "/api/jobs/x"), ("GET", "/feed/feed.xml")]:
        assert client.request(method, url).status_code == 401, url
        assert client.request(method, url + "?token=wrong").status_code == 403, url
        assert client.request(method, url, headers={"Authorization": "Bearer wrong"}).status_code == 403, url
        assert client.request(method, url, cookies={"audiobook_studio_token": "wrong"}).status_code == 403
    assert client.get("/api/voices", headers=AUTH).status_code == 200


def test_the_first_visit_sets_a_cookie_that_then_suffices(client: Any) -> None:
    r = client.get(f"/?token={TOKEN}")
    assert r.status_code == 200
    assert '<html lang="kk">' in r.text
    assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/api/voices").status_code == 200  # the cookie alone, as the page's fetches send it
    client.cookies.clear()
    assert client.get("/api/voices").status_code == 401


def test_an_uploaded_article_comes_back_as_its_script(client: Any, workdir: Path) -> None:
    view = upload(client)
    assert view["script"] == json.loads(dump_json(load_script(ARTICLE)))  # as `audiobook script --json` prints
    assert [s["role"] for s in view["script"]["speakers"]] == ["narrator", "interviewer", "interviewee"]
    assert view["cast"] == {"narrator": "kk-narrator", "interviewer": "kk-interviewer",
                            "interviewee": "kk-interviewee"}
    # Saved as the YAML `audiobook script --yaml` writes, which the command line renders as it is.
    saved = workdir / "articles" / view["id"] / "script.yaml"
    assert load_script_file(saved).to_dict() == load_script(ARTICLE).to_dict()
    assert client.get(view["yaml"], headers=AUTH).text == saved.read_text(encoding="utf-8")
    pasted = client.post("/api/articles", json={"text": ARTICLE.read_text(encoding="utf-8")}, headers=AUTH)
    assert pasted.status_code == 201 and pasted.json()["script"] == view["script"]


@pytest.mark.slow
def test_an_article_by_url(client: Any, tmp_path: Path) -> None:
    import http.server
    import threading

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "bakshy.txt").write_bytes(ARTICLE.read_bytes())

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a: Any, **k: Any) -> None:
            super().__init__(*a, directory=str(tmp_path / "site"), **k)

        def log_message(self, *a: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/bakshy.txt"
        r = client.post("/api/articles", json={"url": url}, headers=AUTH)
        assert r.status_code == 201, r.text
        assert r.json()["script"]["title"].startswith("Бақша")
        r = client.post("/api/articles", json={"url": url.replace("bakshy", "missing")}, headers=AUTH)
        assert r.status_code == 422 and "cannot be fetched" in r.json()["error"]
    finally:
        server.shutdown()
    assert client.post("/api/articles", json={"url": "file:///etc/passwd"}, headers=AUTH).status_code == 422


def test_a_bad_article_is_one_line_naming_the_upload(client: Any) -> None:
    r = client.post("/api/articles", files={"file": ("empty.txt", b"  \n", "text/plain")}, headers=AUTH)
    assert r.status_code == 422
    assert r.json()["error"] == "empty.txt: file is empty; give an interview article with text"


def test_an_edit_is_saved_and_an_invalid_one_is_the_cli_message(client: Any, workdir: Path, tmp_path: Path) -> None:
    view = upload(client)
    script = view["script"]
    script["segments"][2]["speaker"] = "narrator"
    script["chapters"][1]["title"] = "Көктем <b>туралы</b>"
    r = client.put(f"/api/articles/{view['id']}/script", json=script, headers=AUTH)
    assert r.status_code == 200, r.text
    saved = load_script_file(workdir / "articles" / view["id"] / "script.yaml")
    assert saved.segments[2].speaker == "narrator" and saved.segments[2].role == "narrator"
    assert saved.chapters[1].title == "Көктем <b>туралы</b>"

    bad = json.loads(json.dumps(script))
    bad["segments"][1]["speaker"] = "guest"
    r = client.put(f"/api/articles/{view['id']}/script", json=bad, headers=AUTH)
    assert r.status_code == 422
    # The command line, given the same file, says the same one line.
    (tmp_path / "script.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(Exception) as cli:
        load_script_file(tmp_path / "script.json")
    assert r.json()["error"] == str(cli.value).replace(f"{tmp_path}/", "")
    assert "\n" not in r.json()["error"] and "unknown speaker 'guest'" in r.json()["error"]
    # Still the last good script.
    assert load_script_file(workdir / "articles" / view["id"] / "script.yaml").segments[1].speaker != "guest"


def test_a_voice_must_be_an_installed_one(client: Any, tmp_path: Path) -> None:
    from audiobook.voice.profile import builtin_voices

    view = upload(client)
    script = view["script"]
    refs = [v["ref"] for v in client.get("/api/voices", headers=AUTH).json()["voices"]]
    assert "kk-guest-2" in refs
    script["speakers"][2]["voice"] = "kk-guest-2"
    assert client.put(f"/api/articles/{view['id']}/script", json=script, headers=AUTH).status_code == 200
    assert client.get(f"/api/articles/{view['id']}", headers=AUTH).json()["cast"]["interviewee"] == "kk-guest-2"
    elsewhere = tmp_path / "kk-narrator.toml"  # a valid profile, but outside the voice folders
    elsewhere.write_bytes((builtin_voices() / "kk-narrator.toml").read_bytes())
    script["speakers"][2]["voice"] = str(elsewhere)
    r = client.put(f"/api/articles/{view['id']}/script", json=script, headers=AUTH)
    assert r.status_code == 422 and "is not installed" in r.json()["error"]


def test_a_segment_is_spoken_in_its_voice_and_cached(client: Any) -> None:
    view = upload(client)
    first = time.perf_counter()
    r = client.get(f"/api/articles/{view['id']}/segments/3/audio", headers=AUTH)
    first = time.perf_counter() - first
    assert r.status_code == 200 and r.headers["content-type"] == "audio/wav"
    duration, rms_db, rate = wav_stats(r.content)
    # "Иә, қар ерте еріді. Топырақ жылы, ..." : two sentences of speech, a second or more each.
    assert 2.0 < duration < 15.0 and rms_db > -35.0 and rate == 22050
    again = time.perf_counter()
    r2 = client.get(f"/api/articles/{view['id']}/segments/3/audio", headers=AUTH)
    again = time.perf_counter() - again
    assert r2.content == r.content
    assert again < max(first, 0.5)
    # Another voice for the speaker: other samples.
    script = view["script"]
    script["speakers"][2]["voice"] = "kk-narrator"
    client.put(f"/api/articles/{view['id']}/script", json=script, headers=AUTH)
    r3 = client.get(f"/api/articles/{view['id']}/segments/3/audio", headers=AUTH)
    assert r3.status_code == 200 and r3.content != r.content
    assert client.get(f"/api/articles/{view['id']}/segments/99/audio", headers=AUTH).status_code == 422
    sample = client.get("/api/voices/kk-interviewer/sample", headers=AUTH)
    assert sample.status_code == 200 and wav_stats(sample.content)[0] > 1.0
    assert client.get("/api/voices/..%2Fetc%2Fpasswd/sample", headers=AUTH).status_code == 404


def test_lexicon_entries_change_what_is_said(client: Any, workdir: Path) -> None:
    view = upload(client)
    before = client.get(f"/api/articles/{view['id']}/segments/2/audio", headers=AUTH).content
    r = client.post("/api/lexicon", json={"written": "көктем", "spoken": "көктем мезгілі"}, headers=AUTH)
    assert r.status_code == 200
    assert (workdir / "lexicon.txt").read_text(encoding="utf-8") == "көктем = көктем мезгілі\n"
    after = client.get(f"/api/articles/{view['id']}/segments/2/audio", headers=AUTH).content
    assert wav_stats(after)[0] > wav_stats(before)[0] + 0.3  # two words longer
    assert client.post("/api/lexicon", json={"written": "a=b", "spoken": "c"}, headers=AUTH).status_code == 422


@pytest.mark.slow
def test_a_render_job_reports_progress_ends_done_and_its_mp3_plays(client: Any, workdir: Path, tmp_path: Path) -> None:
    view = upload(client)
    segment_seconds = sum(
        wav_stats(client.get(f"/api/articles/{view['id']}/segments/{i}/audio", headers=AUTH).content)[0]
        for i in range(len(view["script"]["segments"])))
    r = client.post(f"/api/articles/{view['id']}/render", json={"formats": ["mp3", "m4b"]}, headers=AUTH)
    assert r.status_code == 202
    job = r.json()["job"]
    seen: list[dict[str, Any]] = []
    with client.stream("GET", f"/api/jobs/{job}/events", headers=AUTH) as events:
        assert events.headers["content-type"].startswith("text/event-stream")
        for line in events.iter_lines():
            if line.startswith("data: "):
                seen.append(json.loads(line[6:]))
    progress = [e["progress"] for e in seen]
    assert progress == sorted(progress) and all(0 <= p <= 1 for p in progress)
    assert seen[-1]["state"] == "done" and progress[-1] == 1.0 and len(seen) >= 3
    state = client.get(f"/api/jobs/{job}", headers=AUTH).json()
    assert state["state"] == "done" and state["error"] is None and state["progress"] == 1.0
    assert set(state["outputs"]) >= {"mp3", "m4b", "html", "vtt", "srt", "json", "chapters.json"}
    mp3 = client.get(state["outputs"]["mp3"], headers=AUTH)
    assert mp3.status_code == 200
    (tmp_path / "got.mp3").write_bytes(mp3.content)
    seconds = len(decode_audio(tmp_path / "got.mp3")) / 22050
    # Every segment's speech plus the pauses between them; the job says the same length.
    assert segment_seconds < seconds < segment_seconds + 15
    assert abs(seconds - state["duration"]) < 0.2
    page = client.get(state["outputs"]["html"], headers=AUTH)
    assert page.status_code == 200 and "<audio" in page.text
    ranged = client.get(state["outputs"]["mp3"], headers={**AUTH, "Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.content) == 100  # players seek

    show = {"base_url": "https://example.org/pod/", "title": "Ауыл сұхбаттары"}
    r = client.post(f"/api/articles/{view['id']}/feed", json=show, headers=AUTH)
    assert r.status_code == 200, r.text
    feed = client.get(r.json()["feed"], headers=AUTH)
    items = ET.fromstring(feed.content).findall("./channel/item")
    assert ET.fromstring(feed.content).findtext("./channel/title") == "Ауыл сұхбаттары"
    assert len(items) == 1
    assert items[0].find("enclosure").get("url") == f"https://example.org/pod/studio-{view['id']}.mp3"  # type: ignore[union-attr]
    assert client.get(f"/feed/studio-{view['id']}.mp3", headers=AUTH).content == mp3.content


@pytest.mark.slow
def test_a_failed_render_says_why(client: Any, workdir: Path) -> None:
    view = upload(client)
    folder = workdir / "articles" / view["id"]
    (folder / "out").write_text("a file where the output folder goes")
    job = client.post(f"/api/articles/{view['id']}/render", headers=AUTH).json()["job"]
    for _ in range(200):
        state = client.get(f"/api/jobs/{job}", headers=AUTH).json()
        if state["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert state["state"] == "failed" and state["error"] and "\n" not in state["error"]
    assert client.post(f"/api/articles/{view['id']}/feed", headers=AUTH).status_code == 409


def test_no_path_leads_out_of_the_workdir(client: Any, workdir: Path, tmp_path: Path) -> None:
    view = upload(client)
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours")
    out = workdir / "articles" / view["id"] / "out"
    out.mkdir()
    (out / "link.txt").symlink_to(secret)
    aid = view["id"]
    for url in [f"/api/articles/{aid}/files/link.txt", f"/api/articles/{aid}/files/..%2F..%2F..%2Fsecret.txt",
                f"/api/articles/{aid}/files/.job.json", "/api/articles/..%2F..%2Fsecret.txt",
                f"/api/articles/{aid}/files/%2e%2e", f"/api/articles/{aid.upper()}", "/api/articles/../../etc",
                "/static/..%2Fapi.py", "/static/index.html/..", "/feed/..%2F..%2Fsecret.txt",
                f"/api/articles/{aid}/files/..%5c..%5csecret.txt"]:
        r = client.get(url, headers=AUTH)
        assert r.status_code == 404, url
        assert "not yours" not in r.text
    assert client.put("/api/articles/..%2F..%2Fx/script", json={}, headers=AUTH).status_code == 404
    assert client.post("/api/articles/0123456789ab/render", headers=AUTH).status_code == 404


def test_an_upload_over_the_limit_is_refused(client: Any, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "MAX_UPLOAD", 64 * 1024)
    big = ("Сөз. " * 20000).encode()
    r = client.post("/api/articles", files={"file": ("big.txt", big, "text/plain")}, headers=AUTH)
    assert r.status_code == 413 and "limit" in r.json()["error"]
    r = client.post("/api/articles", json={"text": big.decode()}, headers=AUTH)
    assert r.status_code == 413

    def chunks() -> Any:  # no Content-Length: the limit holds while reading
        for _ in range(40):
            yield b"x" * 4096

    r = client.post("/api/articles", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413
    assert not any((workdir / "articles").iterdir())  # nothing kept of a refused upload


def test_dropped_furniture_is_listed_to_keep(client: Any, tmp_path: Path) -> None:
    lines = ARTICLE.read_text(encoding="utf-8").split("\n")
    # Page furniture as copied pages carry it: a photo credit and a view counter after the lead.
    page = tmp_path / "bakshy.txt"
    page.write_text("\n".join([*lines[:3], "Фото: Айгүл Серікқызы", "", "4236 рет көрсетілді", "", *lines[3:]]),
                    encoding="utf-8")
    view = upload(client, page)
    assert [d["text"] for d in view["dropped"]] == ["Фото: Айгүл Серікқызы", "4236 рет көрсетілді"]
    assert all(d["reason"] for d in view["dropped"])
    assert client.get(f"/api/articles/{view['id']}", headers=AUTH).json()["dropped"] == view["dropped"]
