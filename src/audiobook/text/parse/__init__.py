"""Article text -> Script: who says each paragraph, and where chapters begin.

Pure: no I/O. Layouts read (see tests/data/articles/ for one example of each):
- dash turns: paragraphs opened by "—", "–" or "- " alternate interviewer / interviewee;
- label turns: "Тілші:" alone on its line, or inline "Сұрақ: ...", "Айгүл Серікқызы: ...";
- paragraphs split by single line breaks or blank lines;
- first line = headline, optionally prefixed by `date YYYY-MM-DD` (or a bare ISO date);
- paragraphs before the first turn are the lead (read by the narrator, dateline kept as written);
- editorial notes after the last answer ("Еске салсақ, ...") are read by the narrator.
"""

from __future__ import annotations

from audiobook.text.parse.attribute import _attribute, _Line
from audiobook.text.parse.labels import _classify
from audiobook.text.parse.paragraphs import _headline, _paragraphs
from audiobook.text.parse.speakers import _chapters, _interviewee_name, _narrator, _speakers
from audiobook.text.parse.words import TITLE_LIMIT, _shorten
from audiobook.text.script import Script

__all__ = ["parse_article", "_shorten"]


def parse_article(text: str, source: str = "<input>") -> Script:
    """Split an interview article into speaker-attributed segments and per-question chapters."""
    warnings: list[str] = []
    paragraphs = _paragraphs(text)
    if not paragraphs:
        return Script(title="", date=None, lead="", speakers=[_narrator()], segments=[], chapters=[],
                      warnings=[f"{source}: no text"])

    headline, when, body = _headline(paragraphs, source, warnings)
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
                  chapters=chapters, warnings=warnings)
