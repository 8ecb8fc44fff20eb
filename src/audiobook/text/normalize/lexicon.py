"""The user's pronunciation lexicon: written form -> spoken form, applied before every other rule.

File format (data/lexicon.txt, and --lexicon files): one `written = spoken` entry per line; `#` starts a
comment (a whole line, or after a space); blank lines are ignored. Keys match whole words. A key written in
capitals only (an acronym: "ТМҰ") matches case-sensitively; others match in any case ("kaspi", "Kaspi"). A
key may be followed in the text by a hyphen and a Kazakh ending ("ТМҰ-ның"); the ending is attached to the
spoken form, rebuilt by vowel harmony when it is a plain case ending ("ТМҰ-ға" -> "... ұйымына"). The spoken
form is final: later rules never rewrite it, so it may even keep Latin letters. A spoken form in [[...]] is
phonemes in espeak-ng's notation ("Nguyen = [[N'wIn]]"), passed to the voice untouched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from audiobook.errors import AudiobookError
from audiobook.files import LEXICON_LIMIT, read_user_text
from audiobook.text.normalize.morph import CONJUNCTION, KAZ_LOWER, attach, is_suffix, looks_possessive, with_conjunction

DEFAULT_LEXICON_NAME = "lexicon.txt"


def _is_acronym(key: str) -> bool:
    return any(ch.isalpha() for ch in key) and key == key.upper()


def _key_pattern(key: str) -> str:
    body = r"\s+".join(re.escape(part) for part in key.split())
    return body if _is_acronym(key) else f"(?i:{body})"


@dataclass(frozen=True)
class Lexicon:
    """Written form -> spoken form. Build with load_lexicon() or Lexicon({"ТМҰ": "..."})."""

    entries: Mapping[str, str] = field(default_factory=dict)
    source: Path | None = None

    def __post_init__(self) -> None:
        entries = MappingProxyType(dict(self.entries))
        object.__setattr__(self, "entries", entries)
        folded = {k.lower(): (k, v) for k, v in entries.items() if not _is_acronym(k)}
        object.__setattr__(self, "_folded", folded)
        pattern = None
        if entries:
            keys = sorted(entries, key=len, reverse=True)
            alternation = "|".join(_key_pattern(k) for k in keys)
            # A class of the keys' first letters lets the regex skip most positions at once.
            firsts = "".join(sorted({c for k in keys for c in (k[0], k[0].lower(), k[0].upper())}))
            pattern = re.compile(
                rf"(?<![\w-])(?=[{re.escape(firsts)}])(?P<key>{alternation})"
                rf"(?:-(?P<end>[{KAZ_LOWER}]+)(?![\w-]))?(?![\w])" + CONJUNCTION
            )
        object.__setattr__(self, "_pattern", pattern)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.entries.items())))

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:  # an empty lexicon is still a lexicon, not "no lexicon given"
        return True

    def spoken(self, written: str) -> str | None:
        """The spoken form for a written form as it appears in text, or None."""
        if written in self.entries and _is_acronym(written):
            return self.entries[written]
        folded: dict[str, tuple[str, str]] = self._folded  # type: ignore[attr-defined]
        entry = folded.get(re.sub(r"\s+", " ", written).lower())
        if entry is None:
            return None
        key, found = entry
        if written[:1].isupper() and not key[:1].isupper() and found[:1].islower():
            found = found[:1].upper() + found[1:]  # a capital at a sentence start stays
        return found

    def sub(self, text: str, wrap: Callable[[str], str]) -> str:
        """Replace every entry in text by wrap(spoken form); a non-grammatical hyphen tail stays as is."""
        pattern: re.Pattern[str] | None = self._pattern  # type: ignore[attr-defined]
        if pattern is None:
            return text

        def one(m: re.Match[str]) -> str:
            spoken = self.spoken(m.group("key"))
            if spoken is None:  # only possible for odd whitespace; leave the text alone
                return m.group(0)
            end, conj = m.group("end"), m.group("conj")
            if conj:  # "ТМҰ мен": the separate "and" agrees with the spoken form
                conj = " " + (conj if end else with_conjunction(spoken, looks_possessive(spoken)))
            if end and spoken.endswith("]]"):  # a phoneme entry: the ending follows as written
                return wrap(spoken + end) + (conj or "")
            if end and is_suffix(end):
                return wrap(attach(spoken, end, looks_possessive(spoken))) + (conj or "")
            return wrap(spoken) + (f"-{end}" if end else "") + (conj or "")

        return pattern.sub(one, text)

    def apply(self, text: str) -> str:
        """Text with every entry replaced by its spoken form."""
        return self.sub(text, lambda s: s)

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with other's entries added; other wins where both define a key."""
        return Lexicon({**self.entries, **other.entries}, other.source or self.source)


_COMMENT = re.compile(r"(?:^|\s)#.*$")


def load_lexicon(path: Path) -> Lexicon:
    """Read a lexicon file; a malformed line is an AudiobookError naming the file, the line and the fix."""
    path = Path(path)
    lines = read_user_text(path, LEXICON_LIMIT, "lexicon").splitlines()  # bounded, regular file, BOM dropped
    entries: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        line = _COMMENT.sub("", raw).strip()
        if not line:
            continue
        written, eq, spoken = (part.strip() for part in line.partition("="))
        where = f"{path}:{number}"
        if not eq:
            raise AudiobookError(
                f"{where}: expected 'written = spoken', got {line!r}; add ' = ' and the spoken form, "
                "or put # in front to comment the line out"
            )
        if not written or not spoken:
            side = "written form (left of =)" if not written else "spoken form (right of =)"
            raise AudiobookError(f"{where}: the {side} is empty; write it or delete the line")
        key = " ".join(written.split())
        if key in first_line:
            raise AudiobookError(
                f"{where}: {key!r} is already defined on line {first_line[key]}; keep only one of the two"
            )
        first_line[key] = number
        entries[key] = " ".join(spoken.split())
    return Lexicon(entries, path)


def default_lexicon_path() -> Path:
    # Shipped as package data, so an installed copy finds it from any folder.
    return Path(str(resources.files("audiobook.text.normalize") / "data" / DEFAULT_LEXICON_NAME))


_cache: dict[tuple[str, int], Lexicon] = {}


def default_lexicon() -> Lexicon:
    """The lexicon shipped in the package if it exists, else an empty lexicon (re-read when edited)."""
    path = default_lexicon_path()
    try:
        stamp = (str(path), os.stat(path).st_mtime_ns)
    except OSError:
        return Lexicon()
    if stamp not in _cache:
        _cache.clear()
        _cache[stamp] = load_lexicon(path)
    return _cache[stamp]


@lru_cache(maxsize=1)
def news_lexicon() -> Lexicon:
    """The table of degrees, titles and news abbreviations that ships with the package (data/news.txt);
    applied after the user's lexicon, which wins."""
    return load_lexicon(Path(str(resources.files("audiobook.text.normalize") / "data" / "news.txt")))


def user_lexicon(path: Path | None) -> Lexicon:
    """The default lexicon, with the entries of `path` (from --lexicon) added on top where given."""
    base = default_lexicon()
    return base.merged(load_lexicon(path)) if path else base
