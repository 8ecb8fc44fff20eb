#!/usr/bin/env python3
"""Time the normalizer and the parser on pathological inputs at n, 2n and 4n repeats: a linear stage
shows ratios near 2 (a quadratic one near 4).

    PYTHONPATH=src python scripts/bench_linear.py            # n = 4000 repeats
    PYTHONPATH=src python scripts/bench_linear.py --n 1000   # quicker
    PYTHONPATH=src python scripts/bench_linear.py --only "1 - "

The inputs are the shapes issue 15 found quadratic, plus the ones a scaling probe of each regex-heavy
rule turned up. Each size is timed once after a warm-up (the best of --repeat runs with --repeat > 1).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from audiobook.text.normalize import Lexicon, normalize
from audiobook.text.parse import parse_article

_LEX = Lexicon()


def _normalize(unit: str) -> Callable[[int], object]:
    return lambda n: normalize(unit * n, _LEX)


def _parse_labels(n: int) -> object:
    lines = [f"{'Айгүл' if i % 2 else 'Ерлан'}: {i}-сұрақ туралы не ойлайсыз?" for i in range(n)]
    return parse_article("Сұхбат\n\n" + "\n".join(lines))


def _parse_questions(n: int) -> object:
    return parse_article("Сұхбат\n\n" + "\n".join(f"Тілші: {i}-сұрақ?" for i in range(n)) + "\nЖауап: Иә.")


def _parse_dashes(n: int) -> object:
    return parse_article("Сұхбат\n\n" + "\n".join(f"— {i}-сөйлем." for i in range(n)))


def _parse_headline_repeats(n: int) -> object:
    return parse_article("Сұхбат\n\n" + "\n".join("Сұхбат" for _ in range(n)))


CASES: dict[str, Callable[[int], object]] = {
    **{f"normalize {unit!r}": _normalize(unit) for unit in (
        "1 - ", "сөз – ", "1-", "1/", "(ТМҰ) ", "!?", ".", "…", "1 ", "100 ", "1,", "1.", "1:", "- ",
        "—", "№1 ", "$1 ", "XI ", "сөз ", "a ", "Dvořák ", "\x00", "\u202e", "78км_", "12%-ға ",
        ";", ":", "ж. ", "1. ", "Қ. ", ". " + " " * 50, "а" * 50 + " ", "x" * 50 + " ", "ұйымы (ТМҰ) ",
        "сағат 11.00-де ", "2024-01-02 ", ", ", "«", "(", "ҚР ", "http://a.kz ", "#тег ",
    )},
    "normalize one long number": lambda n: normalize("7" * n, _LEX),
    "normalize one long word": lambda n: normalize("Сөз" + "а" * n, _LEX),
    "normalize one long Latin word": lambda n: normalize("Word" + "a" * n, _LEX),
    "normalize long space run": lambda n: normalize("Сөз." + " " * n + "Сөз", _LEX),
    "parse alternating labels": _parse_labels,
    "parse dash turns": _parse_dashes,
    "parse one long question": _parse_questions,
    "parse headline repeats": _parse_headline_repeats,
}


def timed(fn: Callable[[int], object], n: int, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(n)
        runs.append(time.perf_counter() - t0)
    return min(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=4000, help="repeats of the smallest input (default 4000)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--only", help="run the cases whose name contains this")
    args = ap.parse_args()
    n = args.n
    print(f"{'input':<34} {'n=' + str(n):>10} {'2n':>10} {'4n':>10}   2n/n  4n/2n")
    worst = 0.0
    for name, fn in CASES.items():
        if args.only and args.only not in name:
            continue
        try:
            fn(50)  # compiled patterns and lazy tables are paid once, not timed
            t1, t2, t4 = (timed(fn, k * n, args.repeat) for k in (1, 2, 4))
        except Exception as exc:  # an older checkout may raise (ValueError past 4300 digits)
            print(f"{name:<34} raised {type(exc).__name__}: {str(exc)[:60]}", flush=True)
            continue
        r1, r2 = t2 / max(t1, 1e-9), t4 / max(t2, 1e-9)
        worst = max(worst, r2)
        print(f"{name:<34} {t1 * 1000:8.1f}ms {t2 * 1000:8.1f}ms {t4 * 1000:8.1f}ms   {r1:4.2f}  {r2:4.2f}",
              flush=True)
    print(f"worst 4n/2n ratio: {worst:.2f} (about 2 is linear, 4 quadratic)")


if __name__ == "__main__":
    main()
