"""Files written beside the audio, each a small writer class (as openai-whisper's writers) that turns
the episode manifest into text. The manifest is the one source: every time in it comes from samples."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from audiobook.package.manifest import Manifest

LINE = 42  # characters per caption line, the usual readability limit


def _ts(seconds: float, sep: str) -> str:
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _vtt_escape(text: str) -> str:
    return _one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _one_line(text: str) -> str:
    """Whitespace (newlines in an edited script's speaker name) folded: a line break would end a cue."""
    return " ".join(text.split())


_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def _srt_text(text: str) -> str:
    """SRT has no escaping: markup from the article (<b>, <script>) is dropped, as players would render it,
    and an arrow cannot pass for a cue's timing line."""
    return _one_line(_TAG.sub("", text)).replace("-->", "→")


class Writer:
    suffix = ""

    def render(self, manifest: Manifest) -> str:
        raise NotImplementedError


class WriteVTT(Writer):
    suffix = ".vtt"

    def render(self, manifest: Manifest) -> str:
        names = manifest.speaker_names()
        out = ["WEBVTT", "Language: kk", ""]
        for i, cue in enumerate(manifest.cues, 1):
            name = _vtt_escape(names.get(cue.speaker, cue.speaker))
            lines = textwrap.wrap(_vtt_escape(cue.text), LINE) or [""]
            out += [str(i), f"{_ts(cue.start, '.')} --> {_ts(cue.end, '.')}"]
            # A sentence in another language than the episode's is marked, so players and screen readers switch.
            open_, close = (f"<lang {cue.language}>", "</lang>") if cue.language != manifest.language else ("", "")
            out += [f"<v {name}>{open_}{lines[0]}", *lines[1:]]
            out[-1] += f"{close}</v>"
            out.append("")
        return "\n".join(out)


class WriteSRT(Writer):
    suffix = ".srt"

    def render(self, manifest: Manifest) -> str:
        names = manifest.speaker_names()
        out: list[str] = []
        prev = None
        for i, cue in enumerate(manifest.cues, 1):
            # Name the speaker where the speaker changes, as broadcast subtitles do.
            text = _srt_text(cue.text if cue.speaker == prev else f"{names.get(cue.speaker, '')}: {cue.text}")
            prev = cue.speaker
            out += [str(i), f"{_ts(cue.start, ',')} --> {_ts(cue.end, ',')}", *(textwrap.wrap(text, LINE) or ["…"]), ""]
        return "\n".join(out)


class WriteChaptersJSON(Writer):
    """Podcasting 2.0 JSON chapters, version 1.2.0."""

    suffix = ".chapters.json"

    def render(self, manifest: Manifest) -> str:
        doc: dict[str, Any] = {"version": "1.2.0", "title": manifest.title, "fileName": manifest.audio}
        if manifest.show and manifest.show.title:
            doc["podcastName"] = manifest.show.title
        doc["chapters"] = [
            {"startTime": round(c.start, 3), "endTime": round(c.end, 3), "title": c.title} for c in manifest.chapters
        ]
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class WriteTranscriptJSON(Writer):
    """Podcasting 2.0 JSON transcript."""

    suffix = ".transcript.json"

    def render(self, manifest: Manifest) -> str:
        names = manifest.speaker_names()
        segments = [
            {"speaker": names.get(c.speaker, c.speaker), "startTime": round(c.start, 3),
             "endTime": round(c.end, 3), "body": c.text}
            for c in manifest.cues
        ]
        # The spec has no per-segment language: the episode's primary one is given at the top (per-sentence
        # languages are in the VTT's <lang> spans and the manifest's cues).
        doc = {"version": "1.0.0", "language": manifest.language, "segments": segments}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class WriteManifest(Writer):
    """The manifest itself (`<stem>.json`), which `Manifest.load` reads back."""

    suffix = ".json"

    def render(self, manifest: Manifest) -> str:
        return manifest.dumps()


WRITERS: list[Writer] = [WriteVTT(), WriteSRT(), WriteChaptersJSON(), WriteTranscriptJSON(), WriteManifest()]
SIDECAR_KEYS = {".vtt": "vtt", ".srt": "srt", ".chapters.json": "chapters", ".transcript.json": "transcript"}
