"""Render options are checked before any work: one line naming the option or the real folder, exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "Кітапхана туралы сұхбат\n\nАуылда жаңа кітапхана ашылды.\n\n— Кітапхана қашан ашылды?\n— Кеше ашылды.\n"


def render(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "AUDIOBOOK_CACHE": str(tmp_path / "cache")}
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "audiobook", "render", str(article), *args], capture_output=True,
                       text=True, env=env, cwd=tmp_path, timeout=120)
    return r, time.monotonic() - t0


@pytest.mark.slow
@pytest.mark.parametrize(("args", "needle"), [
    (["--lufs", "-200"], "--lufs -200"),
    (["--lufs", "nan"], "--lufs nan"),
    (["--lufs", "0"], "--lufs 0"),
    (["--bitrate", "abc"], "--bitrate abc"),
    (["--bitrate", "0k"], "--bitrate 0k"),
    (["--jobs", "0"], "--jobs 0"),
    (["-j", "-3"], "--jobs -3"),
])
def test_bad_option_is_one_line_before_synthesis(tmp_path: Path, args: list[str], needle: str) -> None:
    r, _ = render(tmp_path, "-o", str(tmp_path / "out"), *args)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {needle}:"), r.stderr
    assert not (tmp_path / "cache").exists()  # nothing was synthesized
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_folder_that_cannot_be_created_is_named(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    r, _ = render(tmp_path, "-o", str(tmp_path / "a-file" / "out"))
    assert r.returncode == 1
    assert r.stderr.strip() == f"error: {tmp_path / 'a-file' / 'out'}: cannot be created, {tmp_path / 'a-file'} " \
        "is not a folder; give another -o/--outdir"
    assert not (tmp_path / "cache").exists()


@pytest.mark.slow
def test_read_only_folder_is_named_not_a_temporary_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes through permission bits: /proc is a folder nobody can add a file to
        out = Path("/proc")
    else:
        out = tmp_path / "ro"
        out.mkdir()
        out.chmod(0o555)
    r, _ = render(tmp_path, "-o", str(out))
    assert r.returncode == 1
    line = r.stderr.strip()
    assert line.startswith(f"error: {out}: cannot write there (") and line.endswith("give another -o/--outdir"), line
    assert ".partial" not in line and "tmp" not in line
    assert not (tmp_path / "cache").exists()


def test_a_long_quoted_value_is_shown_by_its_ends(tmp_path: Path) -> None:
    """An error quoting a pasted paragraph stays one readable line."""
    script = tmp_path / "s.yaml"
    name = "Айгүл " * 300
    script.write_text("title: Тақырып\nspeakers:\n- {id: a, name: А, role: interviewer}\n"
                      "chapters:\n- {title: Тақырып, first_segment: 0}\n"
                      f"segments:\n- {{speaker: '{name}', text: Сәлем.}}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "AUDIOBOOK_CACHE": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-m", "audiobook", "check", str(script)], capture_output=True, text=True,
                       env=env, cwd=tmp_path, timeout=60)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 1 and len(lines) == 1, r.stderr
    assert "unknown speaker 'Айгүл Айгүл" in lines[0] and "…" in lines[0] and len(lines[0]) < 400, lines[0]
