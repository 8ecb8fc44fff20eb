"""Build small rendered-looking episodes (real MP3 + manifest + sidecars) for the publish tests."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import imageio_ffmpeg

from audiobook.publish.readalong import render_readalong

SPEAKERS = [
    {"id": "narrator", "name": "Диктор", "role": "narrator", "voice": "kk-narrator"},
    {"id": "interviewer", "name": "Тілші", "role": "interviewer", "voice": "kk-interviewer"},
    {"id": "interviewee", "name": "Айгүл Серікқызы", "role": "interviewee", "voice": "kk-interviewee"},
]

DEFAULT_PARAGRAPHS: list[tuple[str, list[str]]] = [
    ("narrator", ["Бүгін біз ауыл шаруашылығы туралы сөйлесеміз.", "Қонағымыз – агроном."]),
    ("interviewer", ["Сәлеметсіз бе?", "Биылғы егін қалай?"]),
    ("interviewee", ["Сәлеметсіз бе.", "Егін жақсы шықты.", "Жаңбыр көп болды."]),
]


def make_mp3(path: Path, seconds: float, freq: int = 440) -> None:
    """A real CBR MP3 with a Xing/LAME header, like render's output."""
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    cmd = [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"sine=frequency={freq}:sample_rate=44100:duration={seconds}",
        "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", str(path),
    ]
    subprocess.run(cmd, check=True, timeout=60)


def make_episode(
    folder: Path,
    stem: str,
    title: str,
    day: str | None,
    *,
    lead: str = "Агрономмен сұхбат.",
    paragraphs: list[tuple[str, list[str]]] | None = None,
    sentence_seconds: float = 1.0,
    freq: int = 440,
    html: bool = True,
) -> dict[str, Any]:
    """Write S.mp3, S.json and the sidecars into `folder`; return the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs = paragraphs or DEFAULT_PARAGRAPHS
    names = {s["id"]: s["name"] for s in SPEAKERS}
    roles = {s["id"]: s["role"] for s in SPEAKERS}
    segments: list[dict[str, Any]] = []
    cues: list[dict[str, Any]] = []
    t = 0.0
    for index, (speaker, sentences) in enumerate(paragraphs):
        chapter = 0 if index == 0 else 1
        seg_start = t
        for sentence in sentences:
            cues.append({
                "start": round(t, 3), "end": round(t + sentence_seconds, 3), "speaker": speaker,
                "name": names[speaker], "segment": index, "chapter": chapter, "text": sentence,
            })
            t += sentence_seconds
        segments.append({
            "index": index, "start": round(seg_start, 3), "end": round(t, 3), "speaker": speaker,
            "role": roles[speaker], "voice": f"kk-{roles[speaker]}", "chapter": chapter,
            "text": " ".join(sentences),
        })
    duration = round(t, 3)
    first_q = segments[1]["start"] if len(segments) > 1 else duration
    chapters = [
        {"title": "Кіріспе", "start": 0.0, "end": first_q},
        {"title": "Сұхбат", "start": first_q, "end": duration},
    ]
    make_mp3(folder / f"{stem}.mp3", duration, freq)
    sidecars = {
        "vtt": f"{stem}.vtt", "srt": f"{stem}.srt", "chapters": f"{stem}.chapters.json",
        "transcript": f"{stem}.transcript.json", "html": f"{stem}.html",
    }
    manifest: dict[str, Any] = {
        "format": "audiobook-manifest", "version": 1, "title": title, "date": day, "lead": lead,
        "language": "kk", "audio": f"{stem}.mp3", "duration": duration, "sample_rate": 44100,
        "show": None, "speakers": SPEAKERS, "chapters": chapters, "segments": segments, "cues": cues,
        "sidecars": sidecars,
    }
    (folder / sidecars["vtt"]).write_text("WEBVTT\n\n", encoding="utf-8")
    (folder / sidecars["srt"]).write_text("", encoding="utf-8")
    (folder / sidecars["chapters"]).write_text('{"version": "1.2.0", "chapters": []}', encoding="utf-8")
    (folder / sidecars["transcript"]).write_text('{"version": "1.0.0", "segments": []}', encoding="utf-8")
    if html:
        (folder / sidecars["html"]).write_text(render_readalong(manifest), encoding="utf-8")
    (folder / f"{stem}.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest
