"""The pre-flight report of `audiobook check`: what an editor should see before any audio is made.

Pure: takes a parsed Script (and the input's lines, to point at them) and returns typed findings; the
command prints format_report() of them. Nothing is synthesized.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from audiobook.text.normalize import GUESS_KINDS, Guess, Lexicon, normalize, split_sentences
from audiobook.text.script import Script


@dataclass(frozen=True)
class SpeakerTurns:
    id: str
    name: str
    role: str
    turns: int


@dataclass(frozen=True)
class Finding:
    segment: int  # as `audiobook script` and the script file number them (from 0)
    line: int | None  # 1-based line of the input where the word is written, when found
    sentence: str  # the sentence as written
    guess: Guess


@dataclass(frozen=True)
class CheckReport:
    title: str
    speakers: list[SpeakerTurns]
    chapters: list[str]
    dropped: list[str]  # what the parser left out as page furniture
    findings: list[Finding] = field(default_factory=list)

    @property
    def guesses(self) -> list[Finding]:
        """Findings that are guesses (what `--strict` fails on); dictionary readings are not."""
        return [f for f in self.findings if f.guess.kind in GUESS_KINDS]


def _describe_dropped(item: Any) -> str:
    text = getattr(item, "text", None)
    if text is None:
        return str(item)
    reason = getattr(item, "reason", "")
    return f"{text} ({reason})" if reason else str(text)


def _locate(lines: Sequence[str], needle: str, start: int) -> int | None:
    """The first line at or after `start` (0-based) containing needle, as a 1-based number."""
    for i in range(max(start, 0), len(lines)):
        if needle in lines[i]:
            return i + 1
    for i in range(0, min(start, len(lines))):
        if needle in lines[i]:
            return i + 1
    return None


def check_script(script: Script, lexicon: Lexicon, lines: Sequence[str] = ()) -> CheckReport:
    """Speakers and their turns, chapters, what was dropped, and every guessed reading with its line."""
    turns: dict[str, int] = {}
    previous = None
    for seg in script.segments:  # a turn is a run of paragraphs by one speaker
        if seg.speaker != previous:
            turns[seg.speaker] = turns.get(seg.speaker, 0) + 1
        previous = seg.speaker
    speakers = [SpeakerTurns(s.id, s.name, s.role, turns.get(s.id, 0)) for s in script.speakers]
    findings: list[Finding] = []
    cursor = 0
    for number, seg in enumerate(script.segments):
        at = _locate(lines, seg.text[:40], cursor) if lines else None
        cursor = at - 1 if at else cursor
        for sentence in split_sentences(seg.text):
            notes: list[Guess] = []
            normalize(sentence, lexicon, notes)
            seen: set[tuple[str, str]] = set()
            for guess in notes:
                if (guess.kind, guess.written) in seen:
                    continue
                seen.add((guess.kind, guess.written))
                line = _locate(lines, guess.written, cursor) if lines else None
                findings.append(Finding(number, line or at, sentence, guess))
    dropped = [_describe_dropped(d) for d in getattr(script, "dropped", [])]
    return CheckReport(script.title, speakers, [c.title for c in script.chapters], dropped, findings)


# In this order: the few guesses an editor must look at first, then the many words of a whole article in
# Latin or Arabic letters, each converted by the same rules.
_KIND_TITLES = {
    "acronym": "Acronyms read letter by letter or guessed",
    "latin-rule": "Latin words read by spelling rules",
    "number": "Numbers read as a year or a count by their shape",
    "letter": "Letters with no known reading, given to the voice as written",
    "latin-kazakh": "Words converted from Latin-script Kazakh",
    "arabic-kazakh": "Words converted from Arabic-script Kazakh",
    "latin-dictionary": "Foreign words read from the English pronouncing dictionary (not guesses)",
}


def format_report(report: CheckReport) -> str:
    out = [f"Check: {report.title or '(untitled)'}", ""]
    out.append(f"Speakers ({len(report.speakers)}):")
    out += [f"  {s.name} [{s.role}]: {s.turns} turn{'s' if s.turns != 1 else ''}" for s in report.speakers]
    out.append(f"Chapters ({len(report.chapters)}):")
    out += [f"  {i}. {title}" for i, title in enumerate(report.chapters, start=1)]
    out.append(f"Left out as page furniture ({len(report.dropped)}):")
    out += [f"  {d}" for d in report.dropped] or ["  nothing"]
    for kind, title in _KIND_TITLES.items():
        found = [f for f in report.findings if f.guess.kind == kind]
        if not found:
            continue
        out += ["", f"{title} ({len(found)}):"]
        for f in found:
            where = f"line {f.line}" if f.line else f"segment {f.segment}"
            note = f"  ({f.guess.note})" if f.guess.note else ""
            out.append(f"  {where}: {f.guess.written} -> {f.guess.spoken}{note}")
            out.append(f"      lexicon: {f.guess.lexicon_line}")
    n = len(report.guesses)
    out += ["", f"{n} guessed reading{'s' if n != 1 else ''}" + (
        "; add lexicon lines (a --lexicon FILE) to make them final." if n else ".")]
    return "\n".join(out) + "\n"
