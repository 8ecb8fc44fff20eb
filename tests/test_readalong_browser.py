"""The read-along page in headless Chromium (Debian's `chromium`): audio loads, one timed element per
sentence, and clicking or pressing Enter on a sentence moves the playback position. Skipped without
/usr/bin/chromium."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from publish_helpers import make_episode

CHROMIUM = Path("/usr/bin/chromium")
SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_readalong.py"

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")]


def check(page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(page), "--chromium", str(CHROMIUM), "--timeout", "30", *extra],
        capture_output=True, text=True, timeout=180,
    )


@pytest.mark.browser
def test_pages_of_two_episodes_play_and_seek(tmp_path: Path) -> None:
    evil = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    episodes = [
        # The 3rd sentence wraps over several lines: the click must still land on it.
        make_episode(
            tmp_path, "agronom", "Агрономмен сұхбат", "2025-10-18", sentence_seconds=1.1,
            paragraphs=[
                ("narrator", ["Кіріспе.", "Қонақ – агроном."]),
                ("interviewer", [" ".join(["Биылғы егін туралы ұзын сұрақ қоямыз,"] * 8) + "?", "Рахмет."]),
            ],
        ),
        make_episode(
            tmp_path, "evil", f"Тақырып {evil}", "2025-10-19", lead=evil, sentence_seconds=0.9, freq=550,
            paragraphs=[("narrator", ["Кіріспе сөйлем.", evil]), ("interviewer", ["Сұрақ?", "Тағы сұрақ?"]),
                        ("interviewee", [f"Жауап {evil}.", "Соңы."])],
        ),
    ]
    for m in episodes:
        page = tmp_path / m.sidecars.html
        result = check(page, "--screenshot", str(tmp_path / f"{page.stem}.png"))
        assert result.returncode == 0, result.stderr + result.stdout
        summary = result.stdout.strip()
        assert summary.startswith("read-along OK:") and "\n" not in summary
        n = len(m.cues)
        assert f"{n} timed sentences for {n} cues" in summary
        third = m.cues[2].start
        landed = float(re.search(r"click on sentence 3 -> ([\d.]+) s", summary).group(1))  # type: ignore[union-attr]
        assert abs(landed - third) <= 0.3
        assert (tmp_path / f"{page.stem}.png").stat().st_size > 1000


@pytest.mark.browser
def test_page_opened_from_disk_works_offline(tmp_path: Path) -> None:
    m = make_episode(tmp_path, "disk", "Дискідегі бет", None)
    result = check(tmp_path / m.sidecars.html, "--from-disk")
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.browser
def test_check_fails_when_the_page_cannot_seek(tmp_path: Path) -> None:
    """The page's own script, with only its seek statement removed (and the CSP hash updated, so the
    script still runs and highlights): the check must pass everything else and fail at the seek."""
    m = make_episode(tmp_path, "broken", "Сынық бет", "2025-10-18")
    page = tmp_path / m.sidecars.html
    html = page.read_text(encoding="utf-8")
    js = resources.files("audiobook.publish").joinpath("readalong.js").read_text(encoding="utf-8")
    seek = "audio.currentTime = t;"
    assert js.count(seek) == 1 and html.count(js) == 1
    broken = js.replace(seek, "void t;")
    html = html.replace(js, broken).replace(digest(js), digest(broken))
    assert digest(broken) in html and seek not in html
    page.write_text(html, encoding="utf-8")
    result = check(page, "--timeout", "8")  # the seek is awaited this long
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("read-along check FAILED: click on ")
    assert result.stderr.rstrip().endswith("audio did not seek"), result.stderr


def digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@pytest.mark.browser
def test_rendered_sample_page(sample_episode: Path) -> None:
    """The page `audiobook render` wrote for the bundled sample: real audio, one timed cue per sentence."""
    r = check(sample_episode.with_suffix(".html"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "read-along OK" in r.stdout
