"""The installed wheel works outside the checkout: default voices and lexicon ship as package data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

ARTICLE = """Halyk банкі кітапхана ашты

Halyk банкі ауылда жаңа кітапхана ашты.

— Кітапхана қашан ашылды?
— Кеше ашылды. Балалар келді.
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this tree, installed (without dependencies: they come from this venv) into a
    folder that is put first on the path, so the checkout's src/ is never imported."""
    base = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-w", str(base / "dist"),
         "-q"], capture_output=True, text=True, timeout=300, cwd=base,
    )
    assert build.returncode == 0, build.stderr
    wheel = next((base / "dist").glob("audiobook-*.whl"))
    target = base / "site"
    inst = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert inst.returncode == 0, inst.stderr
    return target


def run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "AUDIOBOOK_VOICES")}
    env["PYTHONPATH"] = str(site)
    env["AUDIOBOOK_CACHE"] = str(cwd.parent / "cache")
    return subprocess.run([sys.executable, "-m", "audiobook", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=600)


@pytest.mark.slow
def test_installed_wheel_renders_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    where = subprocess.run(
        [sys.executable, "-c", "import audiobook; print(audiobook.__file__)"], capture_output=True, text=True,
        cwd=empty, env={**os.environ, "PYTHONPATH": str(installed)},
    )
    assert Path(where.stdout.strip()).is_relative_to(installed), where.stdout  # not the checkout

    norm = run_installed(installed, empty, "normalize", "Halyk банкі")
    assert norm.returncode == 0, norm.stderr
    assert norm.stdout.strip() == "Халық банкі"  # the shipped lexicon applied

    voices = run_installed(installed, empty, "voices")
    assert voices.returncode == 0, voices.stderr
    for name in ("kk-narrator", "kk-interviewer", "kk-interviewee"):
        assert name in voices.stdout

    (empty / "article.txt").write_text(ARTICLE, encoding="utf-8")
    r = run_installed(installed, empty, "render", "article.txt", "-o", "out", "-q")
    assert r.returncode == 0, r.stderr
    mp3 = empty / "out" / "article.mp3"
    assert mp3.stat().st_size > 10_000
    manifest = json.loads((empty / "out" / "article.json").read_text(encoding="utf-8"))
    text = json.dumps(manifest, ensure_ascii=False)
    assert "kk-narrator" in text and "kk-interviewer" in text  # the shipped profiles were cast
