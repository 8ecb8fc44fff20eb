from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audiobook.voice import profile as voices

# In CI the property tests draw the same examples every run (a run that passed stays passing, a failure
# reproduces); elsewhere they explore afresh each time.
# (The Coqui environment in CI runs its tests without hypothesis.)
try:
    from hypothesis import settings
except ModuleNotFoundError:
    pass
else:
    settings.register_profile("ci", derandomize=True, deadline=None)
    if os.environ.get("CI"):
        settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-interview.txt"
DATA = ROOT / "tests" / "data"
ISSAI_SPEAKERS = {"M2": 0, "Iseke": 1, "F3": 2, "Raya": 3, "F1": 4, "F2": 5}  # kk_KZ-issai-high's speaker ids


def install_piper_voice(
    folder: Path, name: str, speakers: dict[str, int] | None = None, language: str = "kk_KZ",
    sample_rate: int | None = None,
) -> Path:
    """A stand-in Piper voice named like a real one, as `piper.download_voices` leaves it: the tiny
    tests/data/multispeaker-test.onnx (speaker i: a sine of 220 Hz * (1 + i)) with a config of that name,
    language and speakers. `sample_rate`: what the config claims (default: the model's own 16 kHz)."""
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    shutil.copy(DATA / "multispeaker-test.onnx", model)
    config = json.loads((DATA / "multispeaker-test.onnx.json").read_text())
    speakers = speakers or {}
    config.update(
        num_speakers=max(len(speakers), 1),
        speaker_id_map=speakers,
        language={"code": language, "family": language[:2], "region": language[3:]},
        dataset=name,
    )
    if sample_rate:
        config["audio"] = {**config["audio"], "sample_rate": sample_rate}
    if language.startswith("kk"):
        config["espeak"] = {"voice": "kk"}  # as the real Kazakh voices phonemize
    Path(f"{model}.json").write_text(json.dumps(config, ensure_ascii=False))
    return model


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow by what they need: rendering the sample episode (a session fixture, about 7 s) and a browser."""
    for item in items:
        if "sample_episode" in getattr(item, "fixturenames", ()) or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Tests must not read or fill the user's cache.
    os.environ["AUDIOBOOK_CACHE"] = str(tmp_path_factory.mktemp("cache"))


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line, in a subprocess, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "audiobook", *args], capture_output=True, text=True,
                          cwd=cwd, input=input, env={**os.environ, **(env or {})}, timeout=600)


@pytest.fixture(scope="session")
def sample_episode(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample rendered once through the CLI; returns the MP3 path."""
    out = tmp_path_factory.mktemp("episode")
    r = run_cli("render", str(SAMPLE), "-o", str(out), "--format", "m4b")
    assert r.returncode == 0, r.stderr
    mp3 = Path(r.stdout.strip().splitlines()[-1])
    assert mp3 == out / "sample-interview.mp3"
    return mp3


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No model anywhere: an empty cwd, empty user data folders, the project's espeak profiles only."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("TTS_HOME", raising=False)
    monkeypatch.delenv("AUDIOBOOK_VOICES", raising=False)
    project = tmp_path / "project-voices"
    project.mkdir()
    for p in voices.builtin_voices().glob("kk-*.toml"):
        shutil.copy(p, project)
    monkeypatch.setattr(voices, "PROJECT_VOICES", project)
    return tmp_path
