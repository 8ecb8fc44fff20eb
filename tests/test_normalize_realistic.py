"""Sentences in the style of Kazakh news (times, titles, brands, addresses, Latin- and Arabic-script Kazakh),
written for this project: the share read exactly right. scripts/measure_normalize.py prints the misses."""

from __future__ import annotations

from pathlib import Path

from audiobook.text.normalize import normalize

DATA = Path(__file__).parent / "data" / "normalize_sentences.tsv"


def rows() -> list[tuple[str, str]]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [(a, b) for a, b in (line.split("\t") for line in lines if line.strip())]


def test_at_least_95_percent_read_right() -> None:
    cases = rows()
    assert len(cases) >= 60
    misses = [(a, normalize(a), b) for a, b in cases if normalize(a) != b]
    assert len(misses) <= 0.05 * len(cases), misses


def test_latin_script_kazakh_at_least_90_percent() -> None:
    cases = [(a, b) for a, b in rows() if sum(ch.isascii() and ch.isalpha() for ch in a) > 3]
    assert len(cases) >= 20
    misses = [(a, normalize(a), b) for a, b in cases if normalize(a) != b]
    assert len(misses) <= 0.1 * len(cases), misses
