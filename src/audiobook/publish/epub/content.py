"""The EPUB's text: one XHTML document per chapter (headline, lead, turns with speakers' names), every
spoken sentence a `<span id>` that the media overlay points at, and the navigation document.

Pure: a `Manifest` in, strings out. Sentences are matched to their cues by the same splitter the
pipeline used, so a sentence that was not spoken (nothing to say in it) is still in the text, unsynced.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from html import escape

from audiobook.package.manifest import CueEntry, Manifest, SegmentEntry
from audiobook.text.normalize.sentences import split_sentences

XHTML_NS = 'xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
ACTIVE_CLASS = "-epub-media-overlay-active"
UI = {"toc": "Мазмұны", "landmarks": "Бағдар", "text": "Мәтін"}
MONTHS_KK = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
             "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан")
CSS = f"""\
body {{ font-family: serif; line-height: 1.5; }}
h1 {{ font-size: 1.5em; }}
h2 {{ font-size: 1.2em; margin-top: 1.5em; }}
.lead {{ font-weight: bold; }}
.date {{ font-style: italic; }}
.speaker {{ font-weight: bold; }}
.{ACTIVE_CLASS} {{ background-color: #ffe066; color: #000000; }}
"""
# Characters XML 1.0 forbids (a hostile or damaged article must not make the book unreadable).
Cue = tuple[str, CueEntry]  # the span id ("s12") and the cue
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Clip:
    """One overlay pair: the sentence's span id and its audio clip, in milliseconds."""

    id: str
    begin_ms: int
    end_ms: int


@dataclass(frozen=True)
class Doc:
    name: str  # "ch001": text/ch001.xhtml, smil/ch001.smil
    title: str
    heading_id: str
    xhtml: str
    clips: list[Clip]


@dataclass(frozen=True)
class Text:
    docs: list[Doc]
    unspoken: int  # sentences in the text without audio


def text(s: str) -> str:
    return escape(_NOT_XML.sub("", s), quote=True)


def ms(seconds: float) -> int:
    return int(round(seconds * 1000))


def build_text(m: Manifest) -> Text:
    """Every chapter's XHTML document and its clips, in reading order."""
    by_segment: dict[int, list[Cue]] = defaultdict(list)
    for i, c in enumerate(m.cues):
        by_segment[c.segment].append((f"s{i + 1}", c))
    groups = _chapter_groups(m)
    docs: list[Doc] = []
    unspoken = 0
    for n, (title, segments) in enumerate(groups):
        name = f"ch{n + 1:03d}"
        prev_speaker: str | None = None  # a chapter opens with its speaker's name
        body: list[str] = []
        clips: list[Clip] = []
        rest = list(segments)
        if n == 0:
            body.append(f'<h1 id="{name}-h">{_headline(m, rest, by_segment, clips)}</h1>')
            if m.date:
                body.append(f'<p class="date"><time datetime="{text(m.date)}">{_kk_date(m.date)}</time></p>')
        else:
            body.append(f'<h2 id="{name}-h">{text(title)}</h2>')
        for seg in rest:
            spans, missing = _sentences(seg, by_segment.get(seg.index, []), clips)
            unspoken += missing
            if n == 0 and seg.text.strip() == m.lead.strip() and m.lead.strip():
                body.append(f'<p class="lead">{spans}</p>')
            elif seg.speaker != prev_speaker:
                speaker = next((c.name for _, c in by_segment.get(seg.index, [])), None) or \
                    m.speaker_names().get(seg.speaker, seg.speaker)
                body.append(f'<p class="turn"><span class="speaker">{text(speaker)}:</span> {spans}</p>')
            else:
                body.append(f"<p>{spans}</p>")
            prev_speaker = seg.speaker
        docs.append(Doc(name, title, f"{name}-h", _page(m.title if n == 0 else title, m.language, name,
                                                         "\n".join(body)), clips))
    return Text(docs, unspoken)


def _chapter_groups(m: Manifest) -> list[tuple[str, list[SegmentEntry]]]:
    """Segments per chapter. The manifest's chapters are the script's chapters that have speech, in
    order; the segments of a chapter without speech go with the chapter before it."""
    spoken = sorted({c.chapter for c in m.cues})
    titles = {ch: (m.chapters[i].title if i < len(m.chapters) else m.title) for i, ch in enumerate(spoken)}
    groups: list[tuple[str, list[SegmentEntry]]] = []
    current: int | None = None
    for seg in m.segments:
        if seg.chapter in titles and seg.chapter != current:
            current = seg.chapter
            groups.append((titles[seg.chapter], []))
        if not groups:
            groups.append((m.chapters[0].title if m.chapters else m.title, []))
        groups[-1][1].append(seg)
    return groups or [(m.title, [])]


def _headline(m: Manifest, rest: list[SegmentEntry], by_segment: dict[int, list[Cue]], clips: list[Clip]) -> str:
    """The headline; when it was read aloud (the first segment), its spans, and that segment is used up."""
    if rest and rest[0].text.strip() == m.title.strip() and by_segment.get(rest[0].index):
        seg = rest.pop(0)
        return _sentences(seg, by_segment[seg.index], clips)[0]
    return text(m.title)


def _sentences(seg: SegmentEntry, cues: list[Cue], clips: list[Clip]) -> tuple[str, int]:
    """The segment's text with a span per spoken sentence; returns it and the count of unspoken ones."""
    sentences = split_sentences(seg.text)
    out: list[str] = []
    queue = list(cues)
    missing = 0
    for s in sentences:
        if queue and queue[0][1].text == s:
            out.append(_span(*queue.pop(0), clips))
        else:
            out.append(text(s))
            missing += 1
    if queue:  # the text was edited after the cues were made: the cues are what was heard
        clips[len(clips) - (len(cues) - len(queue)):] = []
        return " ".join(_span(sid, c, clips) for sid, c in cues), 0
    return " ".join(out), missing


def _span(sid: str, c: CueEntry, clips: list[Clip]) -> str:
    clips.append(Clip(sid, ms(c.start), ms(c.end)))
    # A sentence in another language carries it, so reading systems and screen readers switch (XHTML: both).
    code = text(c.language)
    lang = f' lang="{code}" xml:lang="{code}"' if c.language and c.language != "kk" else ""
    return f'<span id="{sid}"{lang}>{text(c.text)}</span>'


def _kk_date(iso: str) -> str:
    try:
        y, mo, d = (int(p) for p in iso.split("-"))
        return f"{y} жылғы {d} {MONTHS_KK[mo - 1]}"
    except (ValueError, IndexError):
        return text(iso)


def _page(title: str, lang: str, name: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html {XHTML_NS} lang="{text(lang)}" xml:lang="{text(lang)}">\n<head>\n<meta charset="UTF-8"/>\n'
        f"<title>{text(title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="../style.css"/>\n</head>\n<body>\n'
        f'<section id="{name}" epub:type="chapter" role="doc-chapter" aria-labelledby="{name}-h">\n'
        f"{body}\n</section>\n</body>\n</html>\n"
    )


def nav(docs: list[Doc], lang: str) -> str:
    """The navigation document: the chapters, and landmarks for reading systems."""
    items = "\n".join(f'<li><a href="text/{d.name}.xhtml#{d.heading_id}">{text(d.title)}</a></li>' for d in docs)
    first = docs[0].name
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html {XHTML_NS} lang="{text(lang)}" xml:lang="{text(lang)}">\n<head>\n<meta charset="UTF-8"/>\n'
        f'<title>{UI["toc"]}</title>\n<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n<body>\n'
        f'<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-h">\n<h1 id="toc-h">{UI["toc"]}</h1>\n'
        f"<ol>\n{items}\n</ol>\n</nav>\n"
        f'<nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-h" hidden="hidden">\n'
        f'<h2 id="landmarks-h">{UI["landmarks"]}</h2>\n<ol>\n'
        f'<li><a epub:type="bodymatter" href="text/{first}.xhtml">{UI["text"]}</a></li>\n'
        "</ol>\n</nav>\n</body>\n</html>\n"
    )
