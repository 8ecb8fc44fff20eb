"""The studio page in headless Chromium against a real `audiobook studio`: load it with the token, upload
an article, change a speaker, play a sentence, render with progress, open the read-along page.

STUDIO_SCREENSHOTS=DIR keeps a screenshot of each screen there (docs/studio/ was made so)."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("websocket")
import httpx  # noqa: E402
from cdp import CHROMIUM, Chromium  # noqa: E402
from studio_helpers import ARTICLE, start, stop  # noqa: E402

from audiobook.text.scriptfile import load_script_file  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                 "(apt-get install -y chromium)")]
EVIL = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


@pytest.fixture
def studio(tmp_path: Path) -> Any:
    proc, url = start(tmp_path / "wd")
    try:
        yield url, tmp_path / "wd"
    finally:
        code, err = stop(proc)
        assert code == 0, err


@pytest.fixture
def browser() -> Any:
    chromium = Chromium()
    try:
        yield chromium
    finally:
        chromium.close()


def shot(chromium: Chromium, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    chromium.screenshot(path)
    assert path.stat().st_size > 5000
    if folder := os.environ.get("STUDIO_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)


def test_the_editors_loop_in_a_browser(studio: tuple[str, Path], browser: Chromium, tmp_path: Path) -> None:
    url, workdir = studio
    article = tmp_path / "bakshy.txt"
    # A paragraph with markup in it (shown as text, never run) and one with nothing to speak (a warning).
    article.write_text(ARTICLE.read_text(encoding="utf-8").replace(
        "Еске салсақ,", f"— Тағы бір сөз: {EVIL} осы.\n\n***\n\nЕске салсақ,"), encoding="utf-8")

    browser.navigate(url)
    assert browser.eval("document.documentElement.lang") == "kk"
    assert browser.eval("location.search") == ""  # the token moved to the cookie, out of the address bar
    shot(browser, tmp_path, "01-import")

    browser.set_files("#file", [article])
    browser.eval("document.querySelector('#upload-form button').click()")
    rows = browser.wait("document.querySelectorAll('#rows tr').length", what="the script table")
    assert rows == 8  # the *** separator is page furniture: listed as dropped, not a paragraph
    assert browser.eval("document.activeElement.id") == "editor-h"  # focus follows the work
    assert browser.eval("window.pwned") is None
    assert EVIL in browser.eval("document.getElementById('tx-6').value")
    assert browser.eval("document.querySelectorAll('#rows img, #rows script').length") == 0
    assert browser.eval("[...document.querySelectorAll('#dropped del')].map(d => d.textContent)") == ["***"]
    labels = browser.eval("[...document.querySelectorAll('#rows select, #rows textarea')]"
                          ".every(e => e.getAttribute('aria-label'))")
    assert labels

    # Give paragraph 5 (an answer) to the interviewer, and save.
    browser.eval("(() => { const s = document.getElementById('sp-5'); s.value = 'interviewer';"
                 " s.dispatchEvent(new Event('change')); })()")
    browser.eval("document.getElementById('save').click()")
    browser.wait("document.getElementById('status').textContent.includes('сақталды')", what="the save")
    article_id = next((workdir / "articles").iterdir()).name
    saved = load_script_file(workdir / "articles" / article_id / "script.yaml")
    assert saved.segments[5].speaker == "interviewer"
    shot(browser, tmp_path, "02-script")

    # Play a sentence: its audio is synthesized and the player's time moves.
    browser.eval("document.querySelectorAll('#rows button.play')[3].click()")
    browser.wait("document.getElementById('player').currentTime > 0.3", timeout=30, what="the player to play")
    assert browser.eval("document.getElementById('player').duration") > 2
    browser.eval("document.getElementById('player').pause()")
    voices = browser.eval("[...document.querySelectorAll('#voices select')].map(s => s.options.length)")
    assert len(voices) == 3 and all(n >= 6 for n in voices)  # the default + five installed voices
    browser.eval("document.getElementById('voices-h').scrollIntoView()")
    shot(browser, tmp_path, "03-voices")

    # Render: the bar is fed by the server's events up to the end.
    browser.eval("document.getElementById('fmt-m4b').click(); document.getElementById('render').click()")
    seen: list[float] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = not browser.eval("document.getElementById('results').hidden")
        # Read after the check: the last event may land between two reads (seen on a loaded machine).
        value = float(browser.eval("document.getElementById('progress').value"))
        if not seen or value != seen[-1]:
            seen.append(value)
        if done:
            break
        time.sleep(0.05)
    assert seen[-1] == 1.0 and seen == sorted(seen), seen
    assert "100%" in browser.eval("document.getElementById('progress-text').textContent")
    links = browser.eval("[...document.querySelectorAll('#downloads a')].map(a => a.textContent)")
    assert {"mp3", "m4b", "html", "vtt", "srt"} <= set(links)
    assert browser.eval("document.activeElement.id") == "results-h"
    browser.eval("document.querySelector('#feed-form button').click()")
    browser.wait("!document.getElementById('feed-link').hidden", what="the feed")
    token = parse_qs(urlparse(url).query)["token"][0]
    feed = httpx.get(url.split("/?")[0] + "/feed/feed.xml", headers={"Authorization": f"Bearer {token}"})
    assert feed.status_code == 200 and f"studio-{article_id}.mp3" in feed.text
    shot(browser, tmp_path, "04-results")

    # The read-along page the render wrote, served by the studio: its audio loads.
    readalong = browser.eval("document.getElementById('readalong').href")
    browser.navigate(readalong)
    browser.wait("document.querySelector('audio') && document.querySelector('audio').duration > 10",
                 what="the read-along audio")
    assert EVIL not in browser.eval("document.documentElement.innerHTML")  # escaped there too
    assert browser.eval("window.pwned") is None
    shot(browser, tmp_path, "05-readalong")


@pytest.fixture
def inprocess(tmp_path: Path) -> Any:
    """The studio served from this process (its requests and the page's, side by side)."""
    import socket
    import threading

    import uvicorn

    from audiobook.studio.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(tmp_path / "wd", "tok"), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/?token=tok", tmp_path / "wd"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def key(chromium: Chromium, name: str, code: int) -> None:
    """A real key press, as the keyboard gives it (Enter carries its text, which activates a button)."""
    text = {"Enter": "\r"}.get(name)
    chromium.send("Input.dispatchKeyEvent", type="keyDown" if text else "rawKeyDown", key=name, code=name,
                  windowsVirtualKeyCode=code, nativeVirtualKeyCode=code, **({"text": text} if text else {}))
    chromium.send("Input.dispatchKeyEvent", type="keyUp", key=name, code=name, windowsVirtualKeyCode=code,
                  nativeVirtualKeyCode=code)


def test_dropped_furniture_is_kept_with_the_keyboard(inprocess: tuple[str, Path], browser: Chromium,
                                                      tmp_path: Path) -> None:
    url, workdir = inprocess
    browser.navigate(url)
    # Pasted from a page: a photo credit (with markup in it) under the lead, which the parser leaves out.
    lines = ARTICLE.read_text(encoding="utf-8").split("\n")
    pasted = "\n".join([*lines[:3], "Фото: <i>Айгүл Серікқызы</i>", "", *lines[3:]])
    browser.eval("document.getElementById('text').value = " + json.dumps(pasted))
    browser.eval("document.getElementById('text').focus()")
    key(browser, "Tab", 9)  # to the text form's button
    assert browser.eval("document.activeElement.textContent") == "Мәтінді талдау"
    key(browser, "Enter", 13)
    browser.wait("document.querySelectorAll('#rows tr').length === 7", what="the script table")
    assert browser.eval("document.querySelector('#dropped del').textContent") == "Фото: <i>Айгүл Серікқызы</i>"
    assert browser.eval("document.querySelectorAll('#dropped i').length") == 0
    browser.eval("document.getElementById('dropped-h').scrollIntoView()")
    shot(browser, tmp_path, "06-dropped")
    browser.eval("document.querySelector('#dropped button').focus()")
    key(browser, "Enter", 13)  # Keep
    browser.wait("document.querySelectorAll('#rows tr').length === 8", what="the kept paragraph")
    # Kept where the page had it, as near as the script can tell: before the first paragraph.
    assert browser.eval("document.getElementById('tx-0').value") == "Фото: <i>Айгүл Серікқызы</i>"
    browser.eval("document.getElementById('save').focus()")
    key(browser, "Enter", 13)
    browser.wait("document.getElementById('status').textContent.includes('сақталды')", what="the save")
    article = next((workdir / "articles").iterdir())
    saved = load_script_file(article / "script.yaml")
    assert saved.segments[0].text == "Фото: <i>Айгүл Серікқызы</i>" and saved.segments[0].role == "narrator"
    assert [c.first_segment for c in saved.chapters] == [0, 3, 5]  # later chapters moved down by one
