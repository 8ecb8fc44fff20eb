"""Assembly: pauses from the pacing table, cue and chapter times from sample counts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from measure import dominant_hz

from audiobook.audio.assemble import Pacing, assemble
from audiobook.audio.pcm import write_wav
from audiobook.text.script import Line
from audiobook.voice.engines import Pcm
from audiobook.voice.synth import Rendered

RATE = 22050


def tone(path: Path, seconds: float, freq: float) -> Rendered:
    n = int(seconds * RATE)
    x = (np.sin(2 * np.pi * freq * np.arange(n) / RATE) * 12000).astype(np.int16)
    write_wav(path, Pcm(x, RATE))
    return Rendered(path, n, RATE)


def test_layout(tmp_path: Path) -> None:
    lines = [
        Line(0, 0, 0, "narrator", "А.", "а"),
        Line(1, 0, 1, "interviewer", "Б?", "б"),
        Line(2, 0, 1, "interviewee", "В.", "в"),
        Line(2, 1, 1, "interviewee", "Г.", "г"),
        Line(3, 0, 1, "interviewee", "Д.", "д"),
    ]
    pieces = [tone(tmp_path / f"{i}.wav", 0.5 + 0.1 * i, 200 + 100 * i) for i in range(len(lines))]
    p = Pacing(sentence=0.3, paragraph=0.6, turn=0.9, chapter=1.5, head=0.4, tail=1.0, chapter_lead=0.25)
    ep = assemble(lines, pieces, ["Ашылу", "Бірінші сұрақ"], RATE, p)
    starts = [c.start for c in ep.cues]
    gaps = [starts[0]] + [starts[i] - ep.cues[i - 1].end for i in range(1, len(starts))]
    assert np.allclose(gaps, [0.4, 1.5, 0.9, 0.3, 0.6], atol=1 / RATE)
    assert abs(ep.duration - (ep.cues[-1].end + 1.0)) < 1 / RATE
    # Each piece is where its cue says: the dominant frequency inside each cue is that piece's tone.
    for i, cue in enumerate(ep.cues):
        seg = ep.samples[int(cue.start * RATE) : int(cue.end * RATE)]
        assert abs(dominant_hz(seg, RATE) - (200 + 100 * i)) < 5
        assert np.abs(ep.samples[int(cue.start * RATE) - 50 : int(cue.start * RATE) - 1]).max() == 0
    assert ep.samples.dtype == np.int16
    assert [c.title for c in ep.chapters] == ["Ашылу", "Бірінші сұрақ"]
    assert ep.chapters[0].start == 0 and abs(ep.chapters[1].start - (ep.cues[1].start - 0.25)) < 1e-9
    assert ep.chapters[0].end == ep.chapters[1].start and ep.chapters[1].end == ep.duration
    assert ep.segments[2].start == ep.cues[2].start and ep.segments[2].end == ep.cues[3].end
