"""Hostile edited scripts: one clear line naming the file (and line), or the text cleaned with a warning."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from audiobook.errors import AudiobookError
from audiobook.text.scriptfile import load_script_file

ROOT = Path(__file__).resolve().parents[1]

YAML = """\
title: Кітапхана туралы сұхбат
date: null
lead: Ауылда жаңа кітапхана ашылды.
speakers:
- id: narrator
  name: Жүргізуші
  role: narrator
  voice: null
chapters:
- title: Кіріспе
  first_segment: 0
segments:
- speaker: narrator
  text: {text}
"""


def script_dict(text: str) -> dict[str, object]:
    return {
        "title": "Кітапхана туралы сұхбат", "date": None, "lead": "Ауылда жаңа кітапхана ашылды.",
        "speakers": [{"id": "narrator", "name": "Жүргізуші", "role": "narrator", "voice": None}],
        "chapters": [{"title": "Кіріспе", "first_segment": 0}],
        "segments": [{"speaker": "narrator", "text": text}],
    }


def error_of(path: Path) -> str:
    with pytest.raises(AudiobookError) as e:
        load_script_file(path)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(str(path))
    return msg


@pytest.mark.slow
@pytest.mark.parametrize("name", ["deep.json", "deep.yaml"])
def test_deep_nesting_is_one_line(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_text("[" * 100_000, encoding="utf-8")
    assert "nested too deeply" in error_of(p)


def test_lone_surrogate_in_json_names_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "episode.json"
    p.write_text(json.dumps(script_dict("Кітапхана \ud800 ашылды."), indent=2), encoding="utf-8")
    line = next(n for n, s in enumerate(p.read_text().splitlines(), 1) if "\\ud800" in s)
    msg = error_of(p)
    assert msg.startswith(f"{p}:{line}: ") and "surrogate" in msg


def test_duplicate_yaml_key_names_its_line(tmp_path: Path) -> None:
    p = tmp_path / "episode.yaml"
    p.write_text(YAML.format(text="Бірінші нұсқа.") + "  text: Екінші нұсқа.\n", encoding="utf-8")
    msg = error_of(p)
    assert msg.startswith(f"{p}:15: ") and "duplicate key 'text'" in msg


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    """Nested aliases multiply: nine levels of ten in 300 bytes are 10^9 strings. A script needs none."""
    import time

    p = tmp_path / "episode.yaml"
    levels = ["a0: &a0 [Сөз]"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    p.write_text("\n".join(levels) + "\n", encoding="utf-8")
    t = time.perf_counter()
    msg = error_of(p)
    assert time.perf_counter() - t < 5
    assert msg.startswith(f"{p}:2: ") and "alias" in msg


def test_duplicate_json_key_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "episode.json"
    p.write_text('{"title": "Бір", "title": "Екі"}', encoding="utf-8")
    assert "duplicate key 'title'" in error_of(p)


@pytest.mark.parametrize(("raw", "clean"), [
    ('"Кітапхана\\0 кеше ашылды."', "Кітапхана кеше ашылды."),
    ('"Кітапхана\\x1b туралы\\x07сұхбат."', "Кітапхана туралы сұхбат."),
    ('"Бірінші жол.\\nЕкінші\\tжол."', "Бірінші жол.\nЕкінші\tжол."),  # tab and newline stay
])
def test_control_characters_are_removed_with_a_warning(tmp_path: Path, raw: str, clean: str) -> None:
    p = tmp_path / "episode.yaml"
    p.write_text(YAML.format(text=raw), encoding="utf-8")
    s = load_script_file(p)
    assert s.segments[0].text == clean
    removed = [w for w in s.warnings if "control character" in w]
    assert bool(removed) == ("\n" not in clean)
    if removed:
        assert removed[0].startswith(f"{p}:14: removed ")


@pytest.mark.slow
def test_nul_does_not_cut_the_audio(tmp_path: Path) -> None:
    """The sentence after a NUL is spoken: its audio is as long as the same sentence without the NUL."""
    text = "Кітапхана кеше ашылды, балалар кітап оқып, ертегі тыңдады."
    durations = []
    for name, value in (("clean", text), ("nul", text.replace(",", ",\u0000", 1))):
        p = tmp_path / f"{name}.json"
        p.write_text(json.dumps(script_dict(value), ensure_ascii=True), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "AUDIOBOOK_CACHE": str(tmp_path / "cache")}
        r = subprocess.run([sys.executable, "-m", "audiobook", "render", str(p), "-o", str(tmp_path / "out")],
                           capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 0, r.stderr
        if name == "nul":
            assert "removed 1 control character(s) from text" in r.stderr
        manifest = json.loads((tmp_path / "out" / f"{name}.json").read_text(encoding="utf-8"))
        seg = manifest["segments"][-1]
        assert seg["text"] == text
        durations.append(seg["end"] - seg["start"])
    assert durations[0] > 2.0
    assert abs(durations[1] - durations[0]) < 0.05, durations
