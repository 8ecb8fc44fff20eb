"""Share of the project's realistic news sentences (tests/data/normalize_sentences.tsv) the normalizer reads
exactly right, by kind of sentence; prints every miss. Usage: python scripts/measure_normalize.py"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from audiobook.text.normalize import normalize

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "normalize_sentences.tsv"


def kind(text: str) -> str:
    if re.search(r"[\u0600-\u06ff]", text):
        return "Arabic script"
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    cyrillic = len(re.findall(r"[а-яәғқңөұүһі]", text, re.IGNORECASE))
    return "Latin-script Kazakh" if latin > cyrillic else "Cyrillic with Latin" if latin else "Cyrillic"


def main() -> int:
    totals: dict[str, list[int]] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        written, expected = line.split("\t")
        got = normalize(written)
        t = totals.setdefault(kind(written), [0, 0])
        t[1] += 1
        if got == expected:
            t[0] += 1
        else:
            print(f"miss: {written}\n  got:      {got}\n  expected: {expected}")
    right = sum(t[0] for t in totals.values())
    n = sum(t[1] for t in totals.values())
    for k, (ok, count) in totals.items():
        print(f"{k}: {ok}/{count}")
    print(f"all: {right}/{n} = {100 * right / n:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
