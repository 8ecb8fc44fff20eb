"""A Kazakh interview with Russian questions and answers and an English sentence, rendered for real: each
sentence goes to its speaker's voice for its language, and every output records and marks the language."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, run_cli
from measure import decode_audio, median_pitch

from audiobook.pipeline import load_script, script_lines
from audiobook.text.normalize import Lexicon
from audiobook.voice.engines import get_engine
from audiobook.voice.resolve import find_profile

MIXED = ROOT / "tests" / "data" / "mixed-interview.txt"
RATE = 22050

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def episode(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mixed")
    r = run_cli("render", str(MIXED), "-o", str(out), "--format", "epub", "-q")
    assert r.returncode == 0, r.stderr
    return Path(r.stdout.strip().splitlines()[-1])


def manifest(mp3: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))


def test_every_sentence_has_its_language_and_its_speakers_voice_for_it(episode: Path) -> None:
    m = manifest(episode)
    roles = {s["id"]: s["role"] for s in m["speakers"]}
    expected = [line.language for line in script_lines(load_script(MIXED), Lexicon())[0]]
    assert [c["language"] for c in m["cues"]] == expected
    assert expected.count("ru") == 6 and expected.count("en") == 1
    for c in m["cues"]:
        assert c["voice"] == f"{c['language']}-{roles[c['speaker']]}", c
    voices: dict[tuple[str, str], set[str]] = {}
    for c in m["cues"]:
        voices.setdefault((c["speaker"], c["language"]), set()).add(c["voice"])
    assert all(len(v) == 1 for v in voices.values())  # one voice per speaker per language


def _cut(x: np.ndarray, cue: dict, margin: float) -> np.ndarray:  # type: ignore[type-arg]
    a, b = int((cue["start"] - margin) * RATE), int((cue["end"] + margin) * RATE)
    return x[max(a, 0) : b]


def _match(cut: np.ndarray, y: np.ndarray) -> float:
    """Peak normalized cross-correlation of `y` slid along `cut` (1.0: the same waveform, any gain)."""
    from scipy.signal import correlate

    if len(y) > len(cut):
        cut = np.pad(cut, (0, len(y) - len(cut)))
    xc = correlate(cut, y, mode="valid", method="fft")
    energy = np.convolve(cut**2, np.ones(len(y)), mode="valid")
    return float(np.max(np.abs(xc) / (np.sqrt(energy * np.sum(y**2)) + 1e-9)))


def test_the_russian_voice_is_heard_and_keeps_the_speakers_pitch(episode: Path) -> None:
    m = manifest(episode)
    x = decode_audio(episode, RATE)
    lines = script_lines(load_script(MIXED), Lexicon())[0]
    spoken = {line.text: line.spoken for line in lines}
    engine = get_engine("espeak")
    # Signal: the Russian answer in the episode is the Russian voice's waveform, not the Kazakh voice's.
    cue = next(c for c in m["cues"] if c["text"].startswith("В 2024 году"))
    cut = _cut(x, cue, 0.3)
    scores = {}
    for name in ("ru-interviewee", "kk-interviewee"):
        pcm = engine.open(find_profile(name), 1).speak(spoken[cue["text"]])
        assert pcm.sample_rate == RATE
        scores[name] = _match(cut, pcm.samples.astype(np.float64) / 32768)
    assert scores["ru-interviewee"] > 0.8 and scores["kk-interviewee"] < 0.5, scores
    # Character: each speaker's Russian pitch stays within 15% of their Kazakh pitch, and the interviewer
    # stays clearly above the interviewee in both languages.
    pitch: dict[tuple[str, str], float] = {}
    for who in ("interviewer", "interviewee"):
        for lang in ("kk", "ru"):
            parts = [_cut(x, c, 0.0) for c in m["cues"] if c["speaker"] == who and c["language"] == lang]
            pitch[who, lang] = median_pitch(np.concatenate(parts), RATE)
    for who in ("interviewer", "interviewee"):
        assert abs(np.log(pitch[who, "ru"] / pitch[who, "kk"])) < np.log(1.15), pitch
    for lang in ("kk", "ru"):
        assert pitch["interviewer", lang] > 1.15 * pitch["interviewee", lang], pitch


def test_vtt_transcript_readalong_and_epub_mark_the_language(episode: Path) -> None:
    m = manifest(episode)
    ru = [c for c in m["cues"] if c["language"] == "ru"]
    vtt = episode.with_suffix(".vtt").read_text(encoding="utf-8")
    assert vtt.count("<lang ru>") == len(ru) and vtt.count("<lang en>") == 1
    assert vtt.count("</lang></v>") == len(ru) + 1
    transcript = json.loads(episode.with_suffix(".transcript.json").read_text(encoding="utf-8"))
    assert transcript["language"] == "kk" and len(transcript["segments"]) == len(m["cues"])
    html = episode.with_suffix(".html").read_text(encoding="utf-8")
    assert html.count('class="cue" lang="ru"') == len(ru) and html.count('class="cue" lang="en"') == 1
    with zipfile.ZipFile(episode.with_suffix(".epub")) as z:
        pages = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert pages.count('lang="ru" xml:lang="ru"') == len(ru)
    assert 'lang="en" xml:lang="en">We are ready to invest in Pavlodar next year.</span>' in pages


def test_languages_kk_reads_everything_with_the_kazakh_voices(tmp_path: Path) -> None:
    r = run_cli("render", str(MIXED), "-o", str(tmp_path), "--languages", "kk", "-q")
    assert r.returncode == 0, r.stderr
    m = manifest(Path(r.stdout.strip()))
    assert {c["language"] for c in m["cues"]} == {"kk"}
    assert {c["voice"] for c in m["cues"]} == {"kk-narrator", "kk-interviewer", "kk-interviewee"}
    r = run_cli("render", str(MIXED), "-o", str(tmp_path), "--languages", "ru,en")
    assert r.returncode == 1 and "--languages" in r.stderr and "Traceback" not in r.stderr
