"""Self-contained read-along page (`<stem>.html`): the audio, a chapter list that seeks, and the
transcript as focusable sentences that are highlighted while read and seek when activated.

Article text only ever reaches the page through `html.escape`; the inline script and style are
static assets (no article text in them) pinned by a Content-Security-Policy hash, so even a
missed escape could not run injected script.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from functools import cache
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import quote

from audiobook import __version__
from audiobook.errors import AudiobookError

# Kazakh UI text.
UI = {
    "skip": "Мәтінге өту",
    "player": "Ойнатқыш",
    "no_audio": "Браузеріңіз аудионы ойната алмайды.",
    "download_audio": "MP3 файлын жүктеп алыңыз",
    "follow": "Оқылып жатқан сөйлемге айналдыру",
    "chapters": "Тараулар",
    "transcript": "Мәтін",
    "help": (
        "Сөйлемді басыңыз немесе оған Tab арқылы өтіп, Enter пернесін басыңыз: "
        "аудио сол жерден ойнатылады."
    ),
    "chapter_n": "{n}-тарау",
    "files": "Файлдар",
}
FILE_LABELS = {
    "audio": "Аудио (MP3)",
    "vtt": "Субтитрлер (WebVTT)",
    "srt": "Субтитрлер (SRT)",
    "chapters": "Тараулар (JSON)",
    "transcript": "Мәтін (JSON)",
}
MONTHS_KK = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)


def render_readalong(manifest: dict[str, Any]) -> str:
    """Return the read-along HTML page for one rendered episode (pure; the caller writes it)."""
    audio = manifest.get("audio")
    if not isinstance(audio, str) or not audio:
        raise AudiobookError("manifest: no audio file name; re-run `audiobook render`")
    title = str(manifest.get("title") or audio)
    lang = str(manifest.get("language") or "kk")
    css, js = _asset("readalong.css"), _asset("readalong.js")
    csp = (
        "default-src 'none'; "
        f"script-src '{_sha256(js)}'; style-src '{_sha256(css)}'; "
        # file: so the page also works opened straight from disk, without a server.
        "media-src 'self' file: blob:; "
        "base-uri 'none'; form-action 'none'"
    )
    show = manifest.get("show") if isinstance(manifest.get("show"), dict) else {}
    audio_url = _attr(quote(audio))

    head = [
        "<!DOCTYPE html>",
        f'<html lang="{_attr(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_attr(csp)}">',
        f'<meta name="generator" content="audiobook {_attr(__version__)}">',
        f"<title>{_text(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        f'<a class="skip-link" href="#transcript">{_text(UI["skip"])}</a>',
        "<main>",
        "<header>",
        f"<h1>{_text(title)}</h1>",
    ]
    meta = _meta_line(show, manifest.get("date"))
    if meta:
        head.append(f'<p class="meta">{meta}</p>')
    lead = str(manifest.get("lead") or "").strip()
    if lead:
        head.append(f'<p class="lead">{_text(lead)}</p>')
    head += [
        "</header>",
        f'<section class="player" aria-label="{_attr(UI["player"])}">',
        f'<audio id="audio" controls preload="metadata" src="{audio_url}">',
        f'<p>{_text(UI["no_audio"])} <a href="{audio_url}">{_text(UI["download_audio"])}</a>.</p>',
        "</audio>",
        f'<label class="follow"><input type="checkbox" id="follow" checked> {_text(UI["follow"])}</label>',
        "</section>",
    ]
    body = head + _chapters_nav(manifest) + _transcript(manifest) + ["</main>"]
    body += _files(manifest)
    body += [f"<script>{js}</script>", "</body>", "</html>", ""]
    return "\n".join(body)


def _chapters_nav(manifest: dict[str, Any]) -> list[str]:
    chapters = _chapters(manifest)
    if not chapters:
        return []
    out = [
        '<nav aria-labelledby="chapters-title">',
        f'<h2 id="chapters-title">{_text(UI["chapters"])}</h2>',
        "<ol>",
    ]
    for i, ch in enumerate(chapters):
        start = _seconds(ch.get("start"))
        end = _seconds(ch.get("end"))
        out.append(
            f'<li><button type="button" class="chapter" data-start="{start:.3f}" data-end="{end:.3f}">'
            f'<span class="chapter-title">{_text(_chapter_title(ch, i))}</span> '
            f'<span class="chapter-time">{_clock(start)}</span></button></li>'
        )
    out += ["</ol>", "</nav>"]
    return out


def _transcript(manifest: dict[str, Any]) -> list[str]:
    chapters = _chapters(manifest)
    lang = str(manifest.get("language") or "kk")
    names = {
        str(s.get("id")): str(s.get("name") or s.get("id"))
        for s in manifest.get("speakers") or []
        if isinstance(s, dict)
    }
    out = [
        '<section id="transcript" aria-labelledby="transcript-title" tabindex="-1">',
        f'<h2 id="transcript-title">{_text(UI["transcript"])}</h2>',
        f'<p class="help">{_text(UI["help"])}</p>',
    ]
    open_chapter: int | None = None
    previous_speaker: str | None = None
    for seg in _paragraphs(manifest):
        chapter = seg["chapter"]
        if chapter != open_chapter and 0 <= chapter < len(chapters):
            if open_chapter is not None:
                out.append("</section>")
            out.append(f'<section class="chapter-text" aria-labelledby="chapter-{chapter}">')
            out.append(f'<h3 id="chapter-{chapter}">{_text(_chapter_title(chapters[chapter], chapter))}</h3>')
            open_chapter = chapter
            previous_speaker = None  # name the speaker again at the top of each chapter
        speaker = seg["speaker"]
        parts = []
        if speaker and speaker != previous_speaker:
            parts.append(f'<span class="speaker">{_text(names.get(speaker, speaker))}:</span>')
        previous_speaker = speaker
        for cue in seg["cues"]:
            start, end = _seconds(cue.get("start")), _seconds(cue.get("end"))
            cue_lang = str(cue.get("language") or lang)  # screen readers switch voice on a foreign sentence
            lang_attr = f' lang="{_attr(cue_lang)}"' if cue_lang != lang else ""
            parts.append(
                f'<span class="cue"{lang_attr} data-start="{start:.3f}" data-end="{end:.3f}" tabindex="0" '
                'role="button">'
                f'{_text(str(cue.get("text") or ""))}</span>'
            )
        attrs = f'data-speaker="{_attr(speaker or "")}" data-role="{_attr(str(seg["role"] or ""))}"'
        out.append(f'<p class="segment" {attrs}>{" ".join(parts)}</p>')
    if open_chapter is not None:
        out.append("</section>")
    out.append("</section>")
    return out


def _paragraphs(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Segments in time order, each with its sentence cues; a segment without cues becomes one cue."""
    segments = [s for s in manifest.get("segments") or [] if isinstance(s, dict)]
    cues = [c for c in manifest.get("cues") or [] if isinstance(c, dict)]
    by_segment: dict[int, list[dict[str, Any]]] = {}
    for cue in cues:
        by_segment.setdefault(int(cue.get("segment", -1)), []).append(cue)
    paragraphs: list[dict[str, Any]] = []
    known: set[int] = set()
    for pos, seg in enumerate(segments):
        index = int(seg.get("index", pos))
        known.add(index)
        whole = {"start": seg.get("start"), "end": seg.get("end"), "text": seg.get("text")}
        own = by_segment.get(index) or [whole]
        paragraphs.append(_paragraph(seg, own))
    for index, own in by_segment.items():
        if index not in known:  # cues whose segment is missing still get read along
            paragraphs.append(_paragraph(own[0], own))
    paragraphs.sort(key=lambda p: p["start"])
    return paragraphs


def _paragraph(source: dict[str, Any], cues: list[dict[str, Any]]) -> dict[str, Any]:
    cues = sorted(cues, key=lambda c: _seconds(c.get("start")))
    return {
        "start": _seconds(cues[0].get("start")),
        "chapter": int(source.get("chapter", -1) if source.get("chapter") is not None else -1),
        "speaker": str(source.get("speaker") or "") or None,
        "role": source.get("role"),
        "cues": cues,
    }


def _chapters(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in manifest.get("chapters") or [] if isinstance(c, dict)]


def _chapter_title(chapter: dict[str, Any], index: int) -> str:
    return str(chapter.get("title") or "").strip() or UI["chapter_n"].format(n=index + 1)


def _files(manifest: dict[str, Any]) -> list[str]:
    links = [("audio", manifest["audio"])]
    sidecars = manifest.get("sidecars") or {}
    links += [(k, sidecars[k]) for k in FILE_LABELS if k in sidecars and isinstance(sidecars[k], str)]
    out = [
        '<footer class="files" aria-labelledby="files-title">',
        f'<h2 id="files-title">{_text(UI["files"])}</h2>',
        "<ul>",
    ]
    out += [f'<li><a href="{_attr(quote(name))}">{_text(FILE_LABELS[key])}</a></li>' for key, name in links]
    out += ["</ul>", "</footer>"]
    return out


def _meta_line(show: dict[str, Any], raw_date: Any) -> str:
    parts = []
    if show.get("title"):
        parts.append(_text(str(show["title"])))
    if raw_date:
        try:
            day = date.fromisoformat(str(raw_date))
        except ValueError:
            parts.append(_text(str(raw_date)))
        else:
            label = f"{day.year} жылғы {day.day} {MONTHS_KK[day.month - 1]}"
            parts.append(f'<time datetime="{day.isoformat()}">{label}</time>')
    return " · ".join(parts)


def _seconds(value: Any) -> float:
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return 0.0


def _clock(seconds: float) -> str:
    total = int(seconds)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _text(value: str) -> str:
    return escape(value, quote=False)


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


@cache
def _asset(name: str) -> str:
    # Packaged next to this module; guarded so a bad asset can never close its <script>/<style> early.
    text = resources.files("audiobook.publish").joinpath(name).read_text(encoding="utf-8")
    if "</" in text:
        raise AudiobookError(f"{name}: asset contains '</'; remove it so the inline block stays closed")
    return text
