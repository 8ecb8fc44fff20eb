"""Text to paragraphs (hard wraps joined back), and the headline and date of the first line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from audiobook.text.inputs.blocks import Block, clean
from audiobook.text.parse.furniture import line_reason
from audiobook.text.parse.labels import _parse_label
from audiobook.text.parse.words import _DASH_RE, _DATE_ONLY_RE, _DATE_PREFIX_RE, _DATELINE_RE, _ISO_PREFIX_RE, _LABEL_RE


def _paragraphs(text: str) -> list[Block]:
    """Every non-empty line is a paragraph, except hard-wrapped continuations (joined back); each block
    keeps the number of the line it starts on."""
    text = clean(text.replace("\r\n", "\n").replace("\r", "\n"))
    raw_lines = [" ".join(raw.split()) for raw in text.split("\n")]
    # With blank lines between paragraphs, a line break inside a block that stops mid-sentence is a wrap.
    blank_layout = sum(1 for a, b in zip(raw_lines, raw_lines[1:], strict=False) if a and not b) >= 2
    out: list[str] = []
    starts: list[int] = []
    prev_blank = True
    for n, line in enumerate(raw_lines, 1):
        if not line:
            prev_blank = True
            continue
        # Never glue the lead onto the headline (which may sit under a date-only first line).
        protected = len(out) < 2 or (len(out) == 2 and bool(_DATE_ONLY_RE.match(out[0])))
        prev = out[-1] if out else ""
        wrapped = (line[0].islower() and (prev[-1:].isalnum() or prev[-1:] in ",-")) or (
            blank_layout and prev[-1:] not in ".!?…:;»\"”)" and not _DATELINE_RE.match(line))
        if out and not prev_blank and not protected and wrapped and not _starts_turn(line) \
                and not line_reason(line) and not line_reason(prev):  # furniture is never a wrapped line
            out[-1] += " " + line
        else:
            out.append(line)
            starts.append(n)
        prev_blank = False
    return [Block(t, n) for t, n in zip(out, starts, strict=True)]


def _split_blocks(blocks: list[Block]) -> list[Block]:
    """Blocks of a structured input, each split at its line breaks (<br>, a Markdown soft break) where
    a line is a paragraph of its own by the plain-text rules; formatting is kept."""
    out: list[Block] = []
    for b in blocks:
        lines = [" ".join(clean(x).split()) for x in b.text.split("\n")]
        lines = [x for x in lines if x]
        joined: list[str] = []
        for line in lines:
            prev = joined[-1] if joined else ""
            if joined and line[0].islower() and (prev[-1:].isalnum() or prev[-1:] in ",-") \
                    and not _starts_turn(line):
                joined[-1] += " " + line
            else:
                joined.append(line)
        out.extend(replace(b, text=t) for t in joined)
    return out


def _starts_turn(line: str) -> bool:
    if _DASH_RE.match(line):
        return True
    m = _LABEL_RE.match(line)
    return m is not None and _parse_label(m.group("label")) is not None


def _headline(paragraphs: list[Block], source: str, warnings: list[str]
              ) -> tuple[str, date | None, list[Block]]:
    """(headline or "", date, the paragraphs after the headline and date prefix)."""
    head, rest = paragraphs[0], paragraphs[1:]
    first = head.text
    when: date | None = None
    if m := _DATE_PREFIX_RE.match(first) or _ISO_PREFIX_RE.match(first):
        try:
            when = date.fromisoformat(m.group(1))
        except ValueError:
            warnings.append(f"{source}: date '{m.group(1)}' on the first line is not YYYY-MM-DD; ignored")
        first = m.group(2).strip()
        if not first:  # "date 2025-10-18" alone: the headline is the next line
            if not rest:
                return "", when, []
            head, rest = rest[0], rest[1:]
            first = head.text
    if _DASH_RE.match(first) or _DATELINE_RE.match(first) or _strong_label(first):
        # The text starts with the lead or a turn: there is no headline to read.
        return "", when, [replace(head, text=first), *rest]
    return first, when, rest


def _strong_label(text: str) -> bool:
    m = _LABEL_RE.match(text)
    lab = _parse_label(m.group("label")) if m else None
    return lab is not None and lab.generic
