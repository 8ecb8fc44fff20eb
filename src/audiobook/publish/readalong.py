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
from urllib.parse import quote

from audiobook import __version__
from audiobook.errors import AudiobookError
from audiobook.package.manifest import ChapterEntry, CueEntry, Manifest

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


def render_readalong(manifest: Manifest) -> str:
    """Return the read-along HTML page for one rendered episode (pure; the caller writes it)."""
    title = manifest.title or manifest.audio
    css, js = _asset("readalong.css"), _asset("readalong.js")
    csp = (
        "default-src 'none'; "
        f"script-src '{_sha256(js)}'; style-src '{_sha256(css)}'; "
        # file: so the page also works opened straight from disk, without a server.
        "media-src 'self' file: blob:; "
        "base-uri 'none'; form-action 'none'"
    )
    audio_url = _attr(quote(manifest.audio))

    head = [
        "<!DOCTYPE html>",
        f'<html lang="{_attr(manifest.language or "kk")}">',
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
    meta = _meta_line(manifest.show.title if manifest.show else None, manifest.date)
    if meta:
        head.append(f'<p class="meta">{meta}</p>')
    lead = manifest.lead.strip()
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
    body = head + _chapters_nav(manifest.chapters) + _transcript(manifest) + ["</main>"]
    body += _files(manifest)
    body += [f"<script>{js}</script>", "</body>", "</html>", ""]
    return "\n".join(body)


def _chapters_nav(chapters: list[ChapterEntry]) -> list[str]:
    if not chapters:
        return []
    out = [
        '<nav aria-labelledby="chapters-title">',
        f'<h2 id="chapters-title">{_text(UI["chapters"])}</h2>',
        "<ol>",
    ]
    for i, ch in enumerate(chapters):
        out.append(
            f'<li><button type="button" class="chapter" data-start="{ch.start:.3f}" data-end="{ch.end:.3f}">'
            f'<span class="chapter-title">{_text(_chapter_title(ch, i))}</span> '
            f'<span class="chapter-time">{_clock(ch.start)}</span></button></li>'
        )
    out += ["</ol>", "</nav>"]
    return out


def _transcript(manifest: Manifest) -> list[str]:
    chapters = manifest.chapters
    lang = manifest.language
    names = {s.id: s.name or s.id for s in manifest.speakers}
    cues: dict[int, list[CueEntry]] = {}
    for cue in manifest.cues:
        cues.setdefault(cue.segment, []).append(cue)
    out = [
        '<section id="transcript" aria-labelledby="transcript-title" tabindex="-1">',
        f'<h2 id="transcript-title">{_text(UI["transcript"])}</h2>',
        f'<p class="help">{_text(UI["help"])}</p>',
    ]
    open_chapter: int | None = None
    previous_speaker: str | None = None
    for seg in manifest.segments:
        # A segment's chapter indexes the script's chapters; only the spoken ones are in the manifest.
        if seg.chapter != open_chapter and 0 <= seg.chapter < len(chapters):
            if open_chapter is not None:
                out.append("</section>")
            out.append(f'<section class="chapter-text" aria-labelledby="chapter-{seg.chapter}">')
            heading = _text(_chapter_title(chapters[seg.chapter], seg.chapter))
            out.append(f'<h3 id="chapter-{seg.chapter}">{heading}</h3>')
            open_chapter = seg.chapter
            previous_speaker = None  # name the speaker again at the top of each chapter
        parts = []
        if seg.speaker != previous_speaker:
            parts.append(f'<span class="speaker">{_text(names.get(seg.speaker, seg.speaker))}:</span>')
        previous_speaker = seg.speaker
        own = cues.get(seg.index, [])
        for c in own:
            # A foreign sentence carries its language, so screen readers switch voice.
            lang_attr = f' lang="{_attr(c.language)}"' if c.language != lang else ""
            parts.append(f'<span class="cue"{lang_attr} data-start="{c.start:.3f}" data-end="{c.end:.3f}" '
                         f'tabindex="0" role="button">{_text(c.text)}</span>')
        if not own:  # nothing in it was spoken (the render reported it): the text, untimed
            parts.append(f'<span class="unspoken">{_text(seg.text)}</span>')
        attrs = f'data-speaker="{_attr(seg.speaker)}" data-role="{_attr(seg.role)}"'
        out.append(f'<p class="segment" {attrs}>{" ".join(parts)}</p>')
    if open_chapter is not None:
        out.append("</section>")
    out.append("</section>")
    return out


def _chapter_title(chapter: ChapterEntry, index: int) -> str:
    return chapter.title.strip() or UI["chapter_n"].format(n=index + 1)


def _files(manifest: Manifest) -> list[str]:
    sidecars = dict(manifest.sidecars.items())
    links = [("audio", manifest.audio)] + [(k, sidecars[k]) for k in FILE_LABELS if k in sidecars]
    out = [
        '<footer class="files" aria-labelledby="files-title">',
        f'<h2 id="files-title">{_text(UI["files"])}</h2>',
        "<ul>",
    ]
    out += [f'<li><a href="{_attr(quote(name))}">{_text(FILE_LABELS[key])}</a></li>' for key, name in links]
    out += ["</ul>", "</footer>"]
    return out


def _meta_line(show_title: str | None, day: str | None) -> str:
    parts = []
    if show_title:
        parts.append(_text(show_title))
    if day:
        d = date.fromisoformat(day)  # checked by Manifest.from_json
        label = f"{d.year} жылғы {d.day} {MONTHS_KK[d.month - 1]}"
        parts.append(f'<time datetime="{d.isoformat()}">{label}</time>')
    return " · ".join(parts)


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
