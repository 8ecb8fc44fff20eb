"""Article -> Script: who says each paragraph, and where chapters begin.

Pure: no I/O. Input is a `Document` from `text.inputs` (plain text, or blocks with formatting from HTML,
Markdown or Word). Layouts read (see tests/data/articles/ for one example of each):
- dash turns: paragraphs opened by "—", "–", "−" or "-" (with or without a space) alternate interviewer /
  interviewee;
- label turns: "Тілші:" alone on its line, or inline "Сұрақ: ...", "Айгүл Серікқызы, профессор: ...", "Қ.Ә:";
- questions marked only by formatting (a **bold** paragraph) or by a number ("2. Қалай ...?");
- paragraphs split by single line breaks or blank lines;
- first line (or heading, or the page's og:title) = headline, optionally prefixed by `date YYYY-MM-DD`;
- paragraphs before the first turn are the lead (read by the narrator, dateline kept as written);
- editorial notes after the last answer ("Еске салсақ, ...") are read by the narrator;
- page furniture (counters, photo credits, share lines, menus, ...) is left out and listed in
  Script.dropped with its reason, unless `keep_all`.
Text is put in NFC and cleared of invisible characters before any matching.
"""

from __future__ import annotations

from audiobook.text.inputs.blocks import Block, Document
from audiobook.text.parse.attribute import _attribute, _Line
from audiobook.text.parse.furniture import date_of, furniture, line_reason, same_text
from audiobook.text.parse.labels import _classify
from audiobook.text.parse.paragraphs import _headline, _paragraphs, _split_blocks
from audiobook.text.parse.speakers import _chapters, _interviewee_name, _narrator, _speakers
from audiobook.text.parse.words import TITLE_LIMIT, _shorten
from audiobook.text.script import Dropped, Script

__all__ = ["parse_article", "parse_document", "_shorten"]


def parse_article(text: str, source: str = "<input>", keep_all: bool = False) -> Script:
    """Split a plain-text interview article into speaker-attributed segments and per-question chapters."""
    return parse_document(Document(source=source, text=text), keep_all)


def parse_document(doc: Document, keep_all: bool = False) -> Script:
    """Split an interview article into speaker-attributed segments and per-question chapters."""
    source = doc.source
    warnings: list[str] = []
    pieces = _paragraphs(doc.text) if doc.text is not None else _split_blocks(doc.blocks)
    pieces, dropped = _leave_out_furniture(pieces, keep_all)
    if not pieces:
        return Script(title="", date=None, lead="", speakers=[_narrator()], segments=[], chapters=[],
                      warnings=[f"{source}: no text"], dropped=dropped)

    if pieces[0].heading:  # a heading opens the article: it is the headline
        headline, when, body = pieces[0].text, None, pieces[1:]
    elif doc.text is None and doc.title:  # the page's own headline, above the text
        headline, when, body = doc.title, None, pieces
    else:
        headline, when, body = _headline(pieces, source, warnings)
    when = doc.date or when or next(
        (d for x in dropped if x.reason.startswith("date") and (d := date_of(x.text))), None)
    if headline and not keep_all:
        again = [b for b in body if same_text(b.text, headline)]
        dropped += [Dropped(b.line, b.text, "repeats the headline") for b in again]
        repeated = {id(a) for a in again}
        body = [b for b in body if id(b) not in repeated]
    if not keep_all:
        body, twice = _drop_repeats(body)
        dropped = sorted(dropped + twice, key=lambda x: x.line)
    paras = _classify(body)

    lines, lead = _attribute(paras, warnings, source)
    title = headline
    if headline:
        lines.insert(0, _Line("narrator", headline, False))
    elif lines:
        title = _shorten(lines[0].text, TITLE_LIMIT)
        warnings.append(f"{source}: no headline found; the title is taken from the first paragraph")

    name = _interviewee_name(headline, lead)
    by_key = _speakers(lines, paras, name)
    segments, chapters = _chapters(lines, by_key, title)
    speakers = list({sp.id: sp for sp in by_key.values()}.values())
    return Script(title=title, date=when, lead=lead, speakers=speakers, segments=segments,
                  chapters=chapters, warnings=warnings, dropped=dropped)


def _drop_repeats(body: list[Block]) -> tuple[list[Block], list[Dropped]]:
    """A long paragraph printed again (a page shows its lead above the text and in it): read once."""
    seen: set[str] = set()
    kept, dropped = [], []
    for b in body:
        key = " ".join(b.text.casefold().split())
        if len(key) >= 60 and key in seen:
            dropped.append(Dropped(b.line, b.text, "repeats a paragraph"))
            continue
        seen.add(key)
        kept.append(b)
    return kept, dropped


def _leave_out_furniture(pieces: list[Block], keep_all: bool) -> tuple[list[Block], list[Dropped]]:
    """(the article's paragraphs, what was left out): the reader's furniture, then the line rules."""
    if keep_all:
        return pieces, []
    # Outside the article, a line rule names the thing better ("date and counters", "site name").
    dropped = [Dropped(b.line, b.text, (b.furniture.startswith("outside") and line_reason(b.text)) or b.furniture)
               for b in pieces if b.furniture]
    pieces = [b for b in pieces if not b.furniture]
    marks = furniture([b.text for b in pieces])
    dropped += [Dropped(b.line, b.text, marks[i]) for i, b in enumerate(pieces) if i in marks]
    dropped.sort(key=lambda x: x.line)
    return [b for i, b in enumerate(pieces) if i not in marks], dropped
