"""`audiobook render` end to end on the bundled sample, and its handling of bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLE, run_cli
from measure import decode_audio, median_pitch, spectral_centroid
from mutagen.id3 import ID3


def test_mp3_decodes_to_the_manifest_duration(sample_episode: Path) -> None:
    m = json.loads(sample_episode.with_suffix(".json").read_text(encoding="utf-8"))
    x = decode_audio(sample_episode, 44100)
    assert abs(len(x) / 44100 - m["duration"]) < 0.05
    assert 30 < m["duration"] < 600
    # Every sentence of the article is in the audio: one cue per sentence, none empty.
    assert len(m["cues"]) >= 30 and all(c["end"] - c["start"] > 0.2 for c in m["cues"])


def test_basic_tags_read_back(sample_episode: Path) -> None:
    tags = ID3(sample_episode)
    assert tags.version[:2] == (2, 4)
    assert str(tags["TIT2"]).startswith("Кітапхана цифрлық дәуірде")
    assert str(tags["TDRC"]) == "2026-03-12"
    assert str(tags["TLAN"]) == "kaz"


def test_roles_sound_different_in_the_episode(sample_episode: Path) -> None:
    """Cut the episode by the manifest's segment times and measure each role's voice."""
    m = json.loads(sample_episode.with_suffix(".json").read_text(encoding="utf-8"))
    x = decode_audio(sample_episode, 22050)
    by_role: dict[str, list[np.ndarray]] = {}
    for seg in m["segments"]:
        if seg["start"] is not None:
            by_role.setdefault(seg["role"], []).append(x[int(seg["start"] * 22050) : int(seg["end"] * 22050)])
    pitch = {r: median_pitch(np.concatenate(p), 22050) for r, p in by_role.items()}
    centroid = {r: spectral_centroid(np.concatenate(p), 22050) for r, p in by_role.items()}
    assert set(pitch) == {"narrator", "interviewer", "interviewee"}
    values = sorted(pitch.values())
    assert values[1] / values[0] > 1.15 and values[2] / values[1] > 1.15, (pitch, centroid)


@pytest.mark.slow
def test_prints_the_path_and_writes_one_episode(tmp_path: Path) -> None:
    r = run_cli("render", str(SAMPLE), "-o", str(tmp_path / "o"), "-q")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(tmp_path / "o" / "sample-interview.mp3")
    names = sorted(p.name for p in (tmp_path / "o").iterdir())
    assert [n for n in names if n.endswith(".mp3")] == ["sample-interview.mp3"]
    assert not [n for n in names if "partial" in n]


def _fails_cleanly(r: object, *needles: str) -> None:
    assert r.returncode == 1, r.stdout + r.stderr  # type: ignore[attr-defined]
    err = r.stderr.strip()  # type: ignore[attr-defined]
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    for n in needles:
        assert n in err, err


@pytest.mark.slow
def test_missing_file(tmp_path: Path) -> None:
    r = run_cli("render", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o"))
    _fails_cleanly(r, "nope.txt", "not found")
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


@pytest.mark.slow
def test_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_text("  \n\n", encoding="utf-8")
    r = run_cli("render", str(f), "-o", str(tmp_path / "o"))
    _fails_cleanly(r, "empty.txt", "empty")
    assert not list(tmp_path.glob("o/*.mp3"))


@pytest.mark.slow
def test_not_utf8(tmp_path: Path) -> None:
    f = tmp_path / "cp1251.txt"
    f.write_bytes("— Сәлеметсіз бе? Бұл мәтін басқа кодтауда.".encode("cp1251", errors="replace"))
    r = run_cli("render", str(f), "-o", str(tmp_path / "o"))
    _fails_cleanly(r, "cp1251.txt", "UTF-8")
    assert not list(tmp_path.glob("o/*.mp3"))


@pytest.mark.slow
def test_text_without_turns_is_read_by_the_narrator(tmp_path: Path) -> None:
    f = tmp_path / "note.txt"
    f.write_text("Қала әкімдігі жаңа саябақ ашты.\nСаябақта балаларға арналған алаң бар.\n", encoding="utf-8")
    r = run_cli("render", str(f), "-o", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    assert "warning:" in r.stderr and "narrator" in r.stderr
    m = json.loads((tmp_path / "o" / "note.json").read_text(encoding="utf-8"))
    assert {s["role"] for s in m["segments"]} == {"narrator"}
    assert len(m["cues"]) == 2


@pytest.mark.slow
def test_failure_leaves_no_partial_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('engine = "piper"\nmodel = "missing.onnx"\n', encoding="utf-8")
    out = tmp_path / "o"
    r = run_cli("render", str(SAMPLE), "-o", str(out), "--voice", f"interviewee={bad}")
    _fails_cleanly(r, "missing.onnx")
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.slow
def test_rerender_after_an_edit_synthesizes_only_the_change(tmp_path: Path) -> None:
    article = tmp_path / "edit.txt"
    text = SAMPLE.read_text(encoding="utf-8")
    article.write_text(text, encoding="utf-8")
    env = {"AUDIOBOOK_CACHE": str(tmp_path / "cache")}
    first = run_cli("render", str(article), "-o", str(tmp_path / "o"), env=env)
    assert first.returncode == 0, first.stderr
    assert "0 from cache" in first.stderr
    edited = text.replace("Жоба 2019 жылы басталды.", "Жоба 2018 жылы басталды.")
    assert edited != text
    article.write_text(edited, encoding="utf-8")
    second = run_cli("render", str(article), "-o", str(tmp_path / "o"), env=env)
    assert second.returncode == 0, second.stderr
    m = re.search(r"sentences: (\d+) synthesized, (\d+) from cache", second.stderr)
    assert m and int(m.group(1)) == 1 and int(m.group(2)) > 20, second.stderr


@pytest.mark.slow
def test_nothing_to_speak(tmp_path: Path) -> None:
    f = tmp_path / "dashes.txt"
    f.write_text("— — —\n***\n", encoding="utf-8")
    r = run_cli("render", str(f), "-o", str(tmp_path / "o"))
    _fails_cleanly(r, "dashes.txt", "nothing to speak")


@pytest.mark.slow
def test_output_path_that_is_a_file(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("x", encoding="utf-8")
    r = run_cli("render", str(SAMPLE), "-o", str(taken))
    _fails_cleanly(r, "taken", "not a folder")


@pytest.mark.slow
def test_podcast_toml_naming_a_missing_image(tmp_path: Path) -> None:
    (tmp_path / "podcast.toml").write_text('title = "Шоу"\nimage = "nope.png"\n', encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("— Сұрақ бар ма?\n— Жоқ.\n", encoding="utf-8")
    r = run_cli("render", str(article), "-o", str(tmp_path / "o"))
    _fails_cleanly(r, "podcast.toml", "nope.png")


@pytest.mark.slow
def test_a_folder_given_as_voice_profile(tmp_path: Path) -> None:
    (tmp_path / "guest.toml").mkdir()
    r = run_cli("render", str(SAMPLE), "-o", str(tmp_path / "o"), "--voice", f"interviewee={tmp_path / 'guest.toml'}")
    _fails_cleanly(r, "guest.toml")


@pytest.mark.slow
def test_podcast_toml_with_wrong_types_fails_before_synthesis(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("— Сұрақ бар ма?\n— Жоқ.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    for body, needle in (("title = 123\n", "title is 123, not text; write it in quotes"),
                         ('title = "Шоу"\nexplicit = "иә"\n', "explicit is 'иә'; write explicit = true or false"),
                         ('titel = "Шоу"\n', "unknown key 'titel'")):
        (tmp_path / "podcast.toml").write_text(body, encoding="utf-8")
        r = run_cli("render", str(article), "-o", str(tmp_path / "o"), env={"AUDIOBOOK_CACHE": str(cache)})
        _fails_cleanly(r, f"{tmp_path / 'podcast.toml'}: ", needle)
        assert not cache.exists() or not any(cache.rglob("*.wav")), "synthesized before checking the show"
