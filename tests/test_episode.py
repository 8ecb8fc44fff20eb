"""Podcast-grade episode, measured by ffmpeg's EBU R128 meter and read back with mutagen."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, SAMPLE, run_cli
from measure import decode_audio, ebur128
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode
from mutagen.mp4 import MP4

from audiobook.audio.ffmpeg import Output, encode
from audiobook.package.manifest import Manifest


def manifest(mp3: Path) -> dict:
    return json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))


def test_loudness_and_true_peak_by_ffmpeg(sample_episode: Path) -> None:
    lufs, peak = ebur128(sample_episode)
    assert abs(lufs + 16) <= 1.0, lufs
    assert peak <= -1.0, peak


def test_mp3_format(sample_episode: Path) -> None:
    """The default: 44.1 kHz mono, 96 kbps constant bitrate (LAME's Info header says CBR)."""
    info = MP3(sample_episode).info
    assert info.sample_rate == 44100 and info.channels == 1
    assert info.bitrate == 96000 and info.bitrate_mode == BitrateMode.CBR


def test_id3_frames(sample_episode: Path) -> None:
    tags = ID3(sample_episode)
    m = manifest(sample_episode)
    for frame in ("TIT2", "TDRC", "TLAN", "TCON"):
        assert frame in tags
    assert str(tags["TCON"]) == "Podcast"
    assert tags.getall("COMM")[0].text[0] == m["lead"]
    uslt = tags.getall("USLT")[0].text
    for seg in m["segments"]:
        assert seg["text"] in uslt


def test_chapters_ctoc_and_json_agree(sample_episode: Path) -> None:
    tags = ID3(sample_episode)
    m = manifest(sample_episode)
    questions = [s for s in m["segments"] if s["role"] == "interviewer"]
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert len(chaps) >= 1 + len({q["chapter"] for q in questions})
    toc = tags.getall("CTOC")
    assert len(toc) == 1 and toc[0].flags & 0x03 == 0x03  # top-level and ordered
    assert list(toc[0].child_element_ids) == [c.element_id for c in sorted(chaps, key=lambda c: c.start_time)]
    doc = json.loads(sample_episode.with_name(sample_episode.stem + ".chapters.json").read_text(encoding="utf-8"))
    assert doc["version"] == "1.2.0"
    assert len(doc["chapters"]) == len(chaps)
    for c, j in zip(chaps, doc["chapters"], strict=True):
        assert abs(c.start_time / 1000 - j["startTime"]) < 0.002
        assert str(c.sub_frames["TIT2"]) == j["title"]


def test_vtt_cues_in_order_with_speakers(sample_episode: Path) -> None:
    vtt = sample_episode.with_suffix(".vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT")
    times = re.findall(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})", vtt)
    starts = [int(h) * 3600 + int(mi) * 60 + int(s) + int(ms) / 1000 for h, mi, s, ms, *_ in times]
    assert starts == sorted(starts) and len(starts) == len(manifest(sample_episode)["cues"])
    assert len(set(re.findall(r"<v ([^>]+)>", vtt))) >= 2
    # Readable lines: the caption text (voice tags are markup, not shown) wraps at 42 characters.
    shown = [re.sub(r"</?v[^>]*>", "", line) for line in vtt.splitlines() if "-->" not in line]
    assert all(len(line) <= 42 for line in shown)


def test_cues_line_up_with_the_audio(sample_episode: Path) -> None:
    """Each cue starts within 50 ms of where its speech starts in the decoded MP3."""
    rate = 22050
    x = decode_audio(sample_episode, rate)
    frame = int(0.005 * rate)
    env = np.sqrt(np.convolve(x**2, np.ones(frame) / frame, "same"))
    threshold = 10 ** (-40 / 20)
    for cue in manifest(sample_episode)["cues"]:
        s = int(cue["start"] * rate)
        onset = s - int(0.1 * rate) + int(np.argmax(env[s - int(0.1 * rate) : s + int(0.2 * rate)] > threshold))
        assert abs(onset / rate - cue["start"]) <= 0.05, (cue["text"], onset / rate, cue["start"])


def srt_time(text: str) -> float:
    h, m, rest = text.split(":")
    s, ms = rest.split(",")
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def test_srt_is_the_cues(sample_episode: Path) -> None:
    """Every SRT block is its cue: number, start and end to the millisecond, the text (the speaker named
    where the speaker changes), lines wrapped at 42 characters."""
    m = Manifest.load(sample_episode.with_suffix(".json"))
    blocks = sample_episode.with_suffix(".srt").read_text(encoding="utf-8").strip().split("\n\n")
    assert len(blocks) == len(m.cues)
    names = m.speaker_names()
    previous = None
    for i, (block, cue) in enumerate(zip(blocks, m.cues, strict=True), 1):
        number, times, *lines = block.split("\n")
        assert number == str(i)
        start, end = times.split(" --> ")
        assert abs(srt_time(start) - cue.start) < 0.0005 and abs(srt_time(end) - cue.end) < 0.0005, (i, times)
        expected = cue.text if cue.speaker == previous else f"{names[cue.speaker]}: {cue.text}"
        previous = cue.speaker
        # A line breaks at a space or after a hyphen (textwrap's two break points).
        shown = "".join(line if not k or lines[k - 1].endswith("-") else " " + line for k, line in enumerate(lines))
        assert shown == expected, i
        assert lines and all(len(line) <= 42 for line in lines)


def test_sidecars(sample_episode: Path) -> None:
    m = manifest(sample_episode)
    tr = json.loads(sample_episode.with_name(sample_episode.stem + ".transcript.json").read_text(encoding="utf-8"))
    assert [s["body"] for s in tr["segments"]] == [c["text"] for c in m["cues"]]
    for seg in m["segments"]:
        assert {"start", "end", "speaker", "voice", "text"} <= set(seg)


def test_m4b_has_chapters(sample_episode: Path) -> None:
    m4b = sample_episode.with_suffix(".m4b")
    mp4 = MP4(m4b)
    assert abs(mp4.info.length - manifest(sample_episode)["duration"]) < 0.2
    assert mp4.chapters is not None and len(list(mp4.chapters)) == len(manifest(sample_episode)["chapters"])


def test_show_details_and_cover_from_podcast_toml(sample_episode: Path) -> None:
    """The sample's podcast.toml (beside the article) gives show, author and cover."""
    tags = ID3(sample_episode)
    assert str(tags["TALB"]) == "Кітап әлемі"
    assert str(tags["TPE1"]) == "Облыстық кітапхана баспасөз қызметі"
    apic = tags.getall("APIC")[0]
    assert apic.mime == "image/png" and apic.data == (ROOT / "examples" / "cover.png").read_bytes()
    assert MP4(sample_episode.with_suffix(".m4b"))["covr"][0] == apic.data
    # The cover is copied beside the episode, so a feed of this folder can serve it.
    assert (sample_episode.parent / "cover.png").read_bytes() == apic.data
    assert manifest(sample_episode)["show"]["image"] == "cover.png"


@pytest.mark.slow
def test_intro_and_outro_music(tmp_path: Path) -> None:
    """Music goes around the speech: speech starts after the intro, the outro follows it, levels hold."""
    rate = 44100
    t = np.arange(int(3.0 * rate)) / rate
    for name, freq in (("intro", 440.0), ("outro", 660.0)):
        x = (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
        encode([x], rate, [Output(tmp_path / f"{name}.mp3", ["-c:a", "libmp3lame", "-b:a", "128k"])])
    note = tmp_path / "note.txt"
    note.write_text("— Сәлеметсіз бе?\n— Сәлеметсіз бе, қош келдіңіз.\n", encoding="utf-8")
    r = run_cli("render", str(note), "-o", str(tmp_path / "o"), "--intro", str(tmp_path / "intro.mp3"),
                "--outro", str(tmp_path / "outro.mp3"))
    assert r.returncode == 0, r.stderr
    m = json.loads((tmp_path / "o" / "note.json").read_text(encoding="utf-8"))
    assert m["cues"][0]["start"] >= 3.0
    assert m["duration"] - m["cues"][-1]["end"] >= 3.0
    x = decode_audio(tmp_path / "o" / "note.mp3", 22050)

    def dominant(a: float, b: float) -> float:
        seg = x[int(a * 22050) : int(b * 22050)]
        return float(np.fft.rfftfreq(len(seg), 1 / 22050)[np.argmax(np.abs(np.fft.rfft(seg)))])

    assert abs(dominant(0.5, 2.0) - 440) < 5 and abs(dominant(m["duration"] - 2.0, m["duration"] - 0.5) - 660) < 5
    lufs, peak = ebur128(tmp_path / "o" / "note.mp3")
    assert abs(lufs + 16) <= 1.0 and peak <= -1.0
    # The music sits about 6 LU under the speech in the finished episode.
    from audiobook.audio.master import integrated_loudness

    music = integrated_loudness(x[: int(m["cues"][0]["start"] * 22050) - 2205], 22050)
    speech = integrated_loudness(x[int(m["cues"][0]["start"] * 22050) : int(m["cues"][-1]["end"] * 22050)], 22050)
    assert 4.5 <= speech - music <= 7.5, (speech, music)


@pytest.mark.slow
def test_bad_music_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "intro.mp3"
    bad.write_text("not audio", encoding="utf-8")
    r = run_cli("render", str(SAMPLE), "-o", str(tmp_path / "o"), "--intro", str(bad))
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and "intro.mp3" in r.stderr
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").glob("*.mp3"))


def test_sidecars_keep_one_line_per_cue_whatever_the_text_holds(tmp_path: Path) -> None:
    """A speaker name with line breaks (an edited script) and a sentence that looks like an SRT timing line,
    with markup in it: every cue stays one cue, in VTT and SRT alike."""
    from publish_helpers import make_manifest

    from audiobook.package.sidecars import WriteSRT, WriteVTT

    m = make_manifest(tmp_path)
    forged = "Бірінші сөйлем. 00:00:00,000 --> 99:00:00,000 <b>Екінші</b> <script>x</script>сөйлем."
    cues = [replace(m.cues[0], text=forged), *m.cues[1:]]
    speakers = [replace(s, name="Айгүл\n\nСерікқызы") if s.role == "interviewee" else s for s in m.speakers]
    m = replace(m, cues=cues, speakers=speakers)
    srt = WriteSRT().render(m)
    blocks = [b for b in srt.strip().split("\n\n") if b]
    assert len(blocks) == len(m.cues)
    assert srt.count("-->") == len(m.cues) and "<b>" not in srt and "<script>" not in srt
    assert "Екінші" in srt and "Бірінші сөйлем." in srt
    vtt = WriteVTT().render(m)
    assert vtt.count(" --> ") == len(m.cues) and "Айгүл Серікқызы" in vtt and "Айгүл\n" not in vtt


@pytest.mark.parametrize(("seconds", "level", "needle"), [(3, 0.0, "silent"), (11 * 60, 0.1, "longer than 10")])
def test_silent_or_hours_long_music_is_refused(tmp_path: Path, seconds: int, level: float, needle: str) -> None:
    from audiobook.audio.music import load_music
    from audiobook.audio.pcm import Pcm, write_wav
    from audiobook.errors import AudiobookError

    rate = 8000
    t = np.arange(seconds * rate) / rate
    music = tmp_path / "intro.wav"
    write_wav(music, Pcm((level * 32767 * np.sin(2 * np.pi * 220 * t)).astype(np.int16), rate))
    with pytest.raises(AudiobookError, match=needle):
        load_music(music, 22050, fade_out=True)
