"""Kazakh text normalizer: what the voices are given instead of digits, abbreviations and Latin letters.

normalize() works sentence by sentence, in this order: phoneme spans ("[[N'wIn]]", espeak-ng notation)
are kept as they are; Arabic-script Kazakh into Cyrillic; hashtags, web and e-mail addresses into words;
an acronym in brackets right after its own expansion is dropped ("Біріккен Ұлттар Ұйымы (БҰҰ)"); the
pronunciation lexicon; Kazakh written in Latin letters into Cyrillic (then the lexicon again, for the
Cyrillic it revealed); the package's table of degrees, titles and news abbreviations (data/news.txt);
quotes dropped and brackets made commas; digits split from letters; short units after numbers; Roman
numerals; foreign Latin words into Cyrillic; abbreviations; numbers in context; remaining signs; dashes
into pauses and spacing tidied. Lexicon, table and address output is final: later rules never see it.
A sentence written with a capital (or one starting with a number and ending with . ! ? …) starts with a
capital.

Conventions are documented where they live: numbers.py (cardinals keep num2words' "бір мың"),
rules.py (ordinal contexts), morph.py (endings), abbreviations.py, translit.py, foreign.py, kazlatin.py,
arabic.py, web.py, punct.py, sentences.py; guesses.py (what `audiobook check` reports).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from audiobook.text.inputs.blocks import mend_scripts
from audiobook.text.normalize import (
    abbreviations,
    arabic,
    kazlatin,
    letters,
    morph,
    phones,
    punct,
    rules,
    translit,
    web,
)
from audiobook.text.normalize.guesses import GUESS_KINDS, Guess, active, collecting, report, spell_kazakh
from audiobook.text.normalize.lexicon import Lexicon, default_lexicon, load_lexicon, news_lexicon, user_lexicon
from audiobook.text.normalize.sentences import split_sentences

__all__ = [
    "GUESS_KINDS",
    "Guess",
    "Lexicon",
    "default_lexicon",
    "load_lexicon",
    "normalize",
    "normalize_lines",
    "split_sentences",
    "user_lexicon",
]

_PROTECT_BASE = 0xF0000  # supplementary private use area: never in text, never matched by \w or \d
_PROTECTED = re.compile("[\U000f0000-\U000ffffd]")
_FIRST_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?…][»\"”’)\]]*\s*$")
_FIRST_LETTER = re.compile(r"[^\W\d_]|[\U000f0000-\U000ffffd]")
_PHONEMES = re.compile(r"\[\[[^\[\]\n]*\]\]")  # espeak-ng phoneme input, passed through untouched
_LEFT_ACRONYM = re.compile(r"(?<![\w-])[А-ЯЁӘҒҚҢӨҰҮҺІ]{2,}(?![\w])")
# What a sentence may open with that makes no sound there: spaces, dashes, quotes, brackets, decoration.
_OPENING = re.compile(r"^[\s,;:\-–—«»“”„‟\"‹›‚'‘’()\[\]{}/\\*|^`<>_]*")
_TOKEN = re.compile(r"\S+")
# A dash glued to the front of a word after a space or a mark ("сөз /-ІІМ", "сөз –сөз") joins nothing: a
# pause, made one before the lexicon so it hides no word from it.
# (After "%" or "°" it takes an ending; after a space or "(" and before a digit it is a minus.)
_LOOSE_DASH = re.compile(r"(?<=[\s/!?,;:«»\"(…])[-–—]+(?=[^\W\d_])|(?<=[/!?,;:«»\"…])[-–—]+(?=\d)")
_ADDRESS_LIKE = re.compile(r"@|://|(?i:www)\.|\w\.\w+/")  # underscores in these are part of the address


def _drop_opening_dashes(text: str) -> str:
    """An opening dash (and the quotes, brackets and spaces around it) is only a pause, dropped at the end;
    dropped first, it hides no word from the lexicon ("«-СІМ"). A dash run right before a digit is a sign."""
    end = _OPENING.match(text).end()  # type: ignore[union-attr]
    if end < len(text) and text[end].isdigit() and end and text[end - 1] in "-–—":
        while end and text[end - 1] in "-–—":
            end -= 1
    return text[end:]


def _underscores(text: str) -> str:
    """Outside an address an underscore only joins or decorates words ("АҚ_", "78км_"): a space, so that it
    hides no word from the rules (it became one only at the end, and the next run read the word)."""
    if "_" not in text:
        return text
    return _TOKEN.sub(lambda m: m.group(0) if _ADDRESS_LIKE.search(m.group(0)) else m.group(0).replace("_", " "),
                      text)
_BRACKETED_ACRONYM = re.compile(r"\s*\((?P<acronym>[^\W\d_]{2,12})\)")


def _ends_with(text: str, end: int, words: str) -> bool:
    """Does text[:end], spaces collapsed and lower-cased, end with words? Only a tail a little longer than
    words is looked at (widened while spaces shrink it), so each bracket costs its acronym, not the text."""
    size = 2 * len(words) + 8
    while True:
        start = max(0, end - size)
        tail = " ".join(text[start:end].split()).lower()
        if start == 0 or len(tail) > len(words):
            return tail.endswith(words)
        size *= 2


def _drop_repeated_acronyms(text: str, lexicon: Lexicon) -> str:
    """An acronym in brackets right after its own expansion ("... ұйымы (ТМҰ)") only repeats it: drop it."""

    def one(m: re.Match[str]) -> str:
        acronym = m.group("acronym")
        spoken = lexicon.spoken(acronym) or abbreviations.ACRONYMS.get(acronym, ("",))[0]
        return "" if spoken and _ends_with(m.string, m.start(), spoken.lower()) else m.group(0)

    return _BRACKETED_ACRONYM.sub(one, text) if "(" in text else text


# An ending set off by a space after an acronym or a number ("ҰБТ -ны", "60% — ы", "2024 – ші"): joined
# to it as "ҰБТ-ны" would be.
_SPACED_ENDING = re.compile(r"(?:(?<=[A-ZА-ЯӘҒҚҢӨҰҮҺІ]{2})|(?<=[\d%]))\s+[-–—]\s?([а-яәғқңөұүһі]{1,6})"
                            r"(?=[\s.,;:!?»)]|$)")


def _spaced_ending(m: re.Match[str]) -> str:
    end = m.group(1)
    return f"-{end}" if morph.is_suffix(end) or morph.split_ordinal_marker(end) is not None else m.group(0)


# The minus sign typed for a dash ("Тәуелсіздік − ұлы игілік", "− Сіз ...?"): a sign only before a number.
_DASH_MINUS = re.compile(r"−(?!\s?\d)")


def _rules(text: str) -> str:
    text = phones.phones(text)
    text = punct.prepare(text)
    text = rules.degrees(text)
    text = rules.split_glued(text)
    text = abbreviations.per_units(text)
    text = abbreviations.expand_number_units(text)
    text = rules.romans(text)
    text = translit.transliterate(text, kazakh=False)
    text = abbreviations.expand_abbreviations(text)
    text = rules.numbers(text)
    text = rules.symbols(text)
    return punct.finish(text)


def _capitalise(original: str, spoken: str) -> str:
    """Start with a capital where the original did: a capitalised first word, or (for a first word that is
    a number, an acronym or a Roman numeral, which has no case of its own) a whole sentence ending in
    . ! ? or …; fragments such as "2024 жылы" stay lower-case."""
    first = _FIRST_WORD.search(original)
    if not first:
        return spoken
    word = first.group(0)
    caseless = word[0].isdigit() or (word.isupper() and (len(word) > 1 or word in "IVXLХІ"))
    if caseless:
        if not _SENTENCE_END.search(original):
            return spoken
    elif not word[0].isupper():
        return spoken
    letter = _FIRST_LETTER.search(spoken)
    if not letter or _PROTECTED.match(letter.group(0)):  # lexicon output is final
        return spoken
    i = letter.start()
    return spoken[:i] + spoken[i].upper() + spoken[i + 1 :]


def _normalize_sentence(sentence: str, lexicon: Lexicon) -> str:
    kept: list[str] = []

    def protect(spoken: str) -> str:
        kept.append(spoken)
        return chr(_PROTECT_BASE + len(kept) - 1)

    sentence = _PROTECTED.sub("", sentence)  # the placeholders' code points are reserved
    text = letters.fold_foreign(_PHONEMES.sub(lambda m: protect(m.group(0)), sentence))
    text = _SPACED_ENDING.sub(_spaced_ending, text) if " " in text else text
    # An opening dash is only a pause, and a pause opening a sentence is dropped at the end; dropped here,
    # it no longer hides the first word from the lexicon ("-СІМ"). A dash before a digit is a sign.
    text = _LOOSE_DASH.sub(", ", _drop_opening_dashes(text))
    text = web.hashtags(arabic.to_cyrillic(text))
    text = web.addresses(text, lambda word: _read_word(word, lexicon), protect)
    # Outside an address an underscore only joins or decorates words ("АҚ_", "78км_"); as a space before
    # the word rules, it no longer hides a word from them (it became one only at the end: not a fixed point).
    text = text.replace("_", " ")
    text = _drop_repeated_acronyms(text, lexicon)
    text = lexicon.sub(text, protect)
    if kazlatin.WORD.search(text):
        converted = kazlatin.to_cyrillic(text)
        text = lexicon.sub(converted, protect) if converted != text else text
    text = news_lexicon().sub(text, protect)
    spoken = _capitalise(sentence, _rules(text))
    for m in _LEFT_ACRONYM.finditer(spoken) if active() else ():
        caps = m.group(0)
        vowels = sum(ch in "АӘЕИОӨҰҮЫІУЭЮЯЁ" for ch in caps) / len(caps)
        if (len(caps) > 3 and vowels >= 0.4) or (len(caps) > 5 and vowels >= 0.25):
            continue  # a word in capitals (АСТАНА, ЮНЕСКО, ЖАСТАРДЫҢ, ТОҚМАҒАМБЕТОВ) is read as a word
        report("acronym", m.group(0), m.group(0), "not in the lexicon: the voice spells it or guesses",
               lexicon_spoken=spell_kazakh(m.group(0)))
    if kept:
        spoken = _PROTECTED.sub(lambda m: kept[ord(m.group(0)) - _PROTECT_BASE], spoken)
    return spoken


def _read_word(word: str, lexicon: Lexicon) -> str:
    """One word of an address: Kazakh in Latin letters or a foreign word, into Cyrillic; a Cyrillic word
    as the rules read it outside an address ("БҰҰ"), so that normalizing again changes nothing."""
    if not kazlatin.WORD.search(word):
        return _normalize_sentence(word, lexicon)
    if kazlatin.score(word) >= 3:  # an address is no context: only strong evidence makes a word Kazakh
        return kazlatin.convert_word(word.lower(), kazlatin.system_of(word) or "ascii")
    return translit.read_foreign(word)[0] if re.fullmatch(kazlatin.WORD, word) else translit.transliterate(word)


def normalize(text: str, lexicon: Lexicon | None = None, notes: list[Guess] | None = None) -> str:
    """One line of Kazakh text into the words a newsreader would say; idempotent.

    lexicon: None uses the built-in lexicon (text/normalize/data/lexicon.txt); pass Lexicon() for none.
    notes: if given, a Guess is appended for every reading that is a judgement (see guesses.py); the
    spoken text is the same with or without it.
    """
    lex = default_lexicon() if lexicon is None else lexicon
    text = _underscores(letters.drop_decoration(letters.drop_controls(mend_scripts(text))))  # before splitting
    if "−" in text:
        text = _DASH_MINUS.sub("–", text)
    with collecting(notes):
        parts = [_normalize_sentence(s, lex) for s in split_sentences(text)]
    return " ".join(p for p in parts if p)


def normalize_lines(lines: Iterable[str], lexicon: Lexicon | None = None) -> Iterator[str]:
    """normalize() each line (trailing newline ignored): one output line per input line, blank for blank."""
    lex = default_lexicon() if lexicon is None else lexicon
    for line in lines:
        yield normalize(line.rstrip("\r\n"), lex)
