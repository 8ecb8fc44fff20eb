"""What every input reader hands the parser: paragraphs with the formatting that carries meaning."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

# Invisible characters that split words for matching but are never spoken: zero-width spaces and joiners,
# soft hyphen, bidi marks and controls, word joiner, BOM (mid-text), Mongolian vowel separator; and control
# characters other than tab and newline (a NUL cuts espeak's audio short, an ESC is not allowed in XML).
_INVISIBLE_RE = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)


def clean(text: str) -> str:
    """NFC (a decomposed "й" matches "й") without invisible characters, words typed in two scripts
    mended (see mend_scripts) and glued words parted; applied before any matching."""
    return _GLUED.sub(" ", mend_scripts(unicodedata.normalize("NFC", _INVISIBLE_RE.sub("", text))))


# Two words a page's layout glued together, a rubric onto its text ("Ауа райыОсыған байланысты"): a capital
# after three small letters, with three more after it. Names in camel case are shorter ("ҚазМұнайГаз").
_GLUED = re.compile("(?:(?<=[а-яәғқңөұүһіё]{3})|(?<=[a-z]{2}))(?=[А-ЯӘҒҚҢӨҰҮҺІЁ][а-яәғқңөұүһіё]{3})")


# Latin letters that look like Cyrillic ones. Older Kazakh sites typed the Latin i for і (no key for it),
# and copied text carries a Latin A or o inside Cyrillic words: "кiтап", "Aуылда". They look the same and
# read as letter names ("кайтап"), so inside a Cyrillic word they are made the Cyrillic letters they show.
_TO_CYRILLIC = str.maketrans("aceiopxyABCEHIKMOPTXY", "асеіорхуАВСЕНІКМОРТХУ")
# In a Latin word, the Cyrillic look-alikes and the Kazakh letters as the 2018 alphabet writes them: who
# types a Cyrillic ә into a Latin word ("Sәtqaliyev", "Mәselen") writes the informal or the 2018 Latin,
# where i is і, as in the 2018 one.
_TO_LATIN = str.maketrans("аеорсхікуАЕОРСХІКМТВНУәөүұңғқӘӨҮҰҢҒҚ", "aeopcxikyAEOPCXIKMTBHYáóúuńǵqÁÓÚUŃǴQ")
_LETTERS = re.compile(r"[^\W\d_]+")
_LATIN_LETTER = re.compile("[A-Za-z]")
_CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")
_ENDING = re.compile(r"[A-Za-z][\u0400-\u04ff]+$")


def mend_scripts(text: str) -> str:
    """Each word written in Latin and Cyrillic letters at once, in the script most of its letters are in."""
    if text.isascii():
        return text

    def mend(m: re.Match[str]) -> str:
        word = m.group(0)
        if not (_LATIN_LETTER.search(word) and _CYRILLIC_LETTER.search(word)):
            return word
        latin = sum("a" <= c.lower() <= "z" for c in word)
        cyrillic = sum("\u0400" <= c <= "\u04ff" for c in word)
        if cyrillic < latin and _ENDING.search(word):
            return word  # a Kazakh ending on a Latin name, unhyphenated: "Telegramда", "iPhoneды"
        tables = (_TO_CYRILLIC, _TO_LATIN) if cyrillic >= latin else (_TO_LATIN, _TO_CYRILLIC)
        for table in tables:  # the majority's script first; "кеlgеn" has no Cyrillic l, g, n but Latin к, е
            mended = word.translate(table)
            if not (any("a" <= c.lower() <= "z" for c in mended) and any("\u0400" <= c <= "\u04ff" for c in mended)):
                return mended
        return word  # letters with no twin in either (Latin q in a Cyrillic word): a brand, kept

    return _LETTERS.sub(mend, text)


@dataclass(frozen=True)
class Block:
    """One paragraph of an article as its source holds it.

    `text` may contain line breaks ("\\n", e.g. from <br> or a Markdown soft break); the parser splits
    them by the plain-text rules. `furniture` is the reader's reason to leave the block out (navigation,
    an image, a caption...): the parser reports it as dropped unless told to keep everything.
    """

    text: str
    line: int  # where it starts: line of a text, HTML or Markdown file; paragraph number in a Word file
    bold: bool = False  # the whole paragraph is bold: on news sites and in Word, the interviewer's question
    italic: bool = False  # the whole paragraph is italic (a lead or an editorial note)
    heading: int = 0  # 1-6 for a heading, 0 for body text
    furniture: str | None = None


@dataclass
class Document:
    """An article read from a file or a URL: plain text (parsed by the text rules) or blocks."""

    source: str  # for messages: the path or URL
    text: str | None = None  # a plain-text article, as written
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None  # the headline from the page's own metadata (og:title, <title>, Word title)
    date: date | None = None  # the publication date from the metadata
