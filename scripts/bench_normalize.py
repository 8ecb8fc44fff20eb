#!/usr/bin/env python3
"""Time the Kazakh normalizer on text of growing length: the speed claim (25 KB in under 0.2 s) and that
time per KB stays flat as the text grows.

    python scripts/bench_normalize.py                       # a paragraph written for this bench, 1x..400x
    python scripts/bench_normalize.py ARTICLE.txt           # also a whole article, e.g. the shared interview

Each size is timed `--repeat` times in this process (after one warm-up call) and the best and the median
are printed: the best is the least disturbed by other work on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from audiobook.text.normalize import Lexicon, normalize


def paragraph(i: int) -> str:
    """One paragraph of numbers, a month range, Latin names and abbreviations; its own numbers per copy."""
    return (
        f"{2000 + i} жылы екі ел арасындағы тауар айналымы {470 + i} млн долларды құрады, ал {2001 + i} жылдың "
        f"қаңтар-тамызы аралығында {547 + i} млн долларға жетті. SOCAR мен ҚР компаниялары {i % 90 + 1}%-ға өсті. "
    )


def timed(text: str, repeat: int) -> tuple[float, float]:
    """(best, median) seconds of normalize(text) without a lexicon."""
    lexicon = Lexicon()
    normalize(text[:2000], lexicon)  # compiled patterns and lazy tables are paid once, not timed
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        normalize(text, lexicon)
        runs.append(time.perf_counter() - t0)
    return min(runs), statistics.median(runs)


def report(label: str, text: str, repeat: int) -> None:
    kb = len(text.encode("utf-8")) / 1024
    best, median = timed(text, repeat)
    print(f"{label:>22}: {kb:7.1f} KB   best {best * 1000:7.1f} ms   median {median * 1000:7.1f} ms   "
          f"{best * 1000 / kb:5.2f} ms/KB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("article", type=Path, nargs="?", help="a UTF-8 article normalized line by line as a whole")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    for copies in (1, 10, 100, 400):
        report(f"{copies} paragraph(s)", "".join(paragraph(i) for i in range(copies)), args.repeat)
    if args.article:
        text = " ".join(ln for ln in args.article.read_text(encoding="utf-8").splitlines() if ln.strip())
        report(args.article.name[:22], text, args.repeat)


if __name__ == "__main__":
    main()
