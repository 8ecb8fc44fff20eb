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

from audiobook.audio.pcm import trim_silence
from audiobook.text.normalize import Lexicon
from audiobook.text.prepare import load_script, script_lines
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


def _spectrogram(x: np.ndarray) -> np.ndarray:
    frames = np.lib.stride_tricks.sliding_window_view(x, 512)[::256] * np.hanning(512)
    return np.log(np.abs(np.fft.rfft(frames, axis=1))[:, 4:120] + 1e-4)  # 170 Hz to 5.2 kHz


def _match(cut: np.ndarray, y: np.ndarray) -> float:
    """Best correlation of `y`'s log spectrogram slid along `cut`'s: 1.0 for the same speech. Spectra, not
    waveforms: espeak-ng's voicing noise makes two renditions of one sentence differ sample by sample."""
    a, b = _spectrogram(cut), _spectrogram(y)
    if len(b) > len(a):
        a = np.pad(a, ((0, len(b) - len(a)), (0, 0)), constant_values=np.log(1e-4))
    return max(float(np.corrcoef(a[k : k + len(b)].ravel(), b.ravel())[0, 1]) for k in range(len(a) - len(b) + 1))


def test_the_russian_voice_is_heard_and_keeps_the_speakers_pitch(episode: Path) -> None:
    m = manifest(episode)
    x = decode_audio(episode, RATE)
    lines = script_lines(load_script(MIXED), Lexicon())[0]
    spoken = {line.text: line.spoken for line in lines}
    engine = get_engine("espeak")
    # Signal: every Russian sentence in the episode is the speaker's Russian voice, not their Kazakh one:
    # its spectrogram matches that voice's rendition of the sentence, and so does its length, to the sample
    # count of the trimmed piece. Measured: 0.88-0.98 against 0.04-0.32; 2 ms against 0.16-3.2 s.
    roles = {sp["id"]: sp["role"] for sp in m["speakers"]}
    for cue in (c for c in m["cues"] if c["language"] == "ru"):
        role = roles[cue["speaker"]]
        cut = _cut(x, cue, 0.1)
        got = {}
        for name in (f"ru-{role}", f"kk-{role}"):
            pcm = trim_silence(engine.open(find_profile(name), 1).speak(spoken[cue["text"]]), -45.0)
            assert pcm.sample_rate == RATE
            y = pcm.samples.astype(np.float64) / 32768
            got[name] = (_match(cut, y), abs(len(y) / RATE - (cue["end"] - cue["start"])))
        (ru_score, ru_len), (kk_score, kk_len) = got[f"ru-{role}"], got[f"kk-{role}"]
        assert ru_score > 0.8 and kk_score < 0.5 and ru_len < 0.01 < kk_len, (cue["text"], got)
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
