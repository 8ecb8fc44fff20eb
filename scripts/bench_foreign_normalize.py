"""Accuracy and time of the Russian/English normalizer on tests/data/normalize-ru-en.tsv.

Run: PYTHONPATH=src python scripts/bench_foreign_normalize.py
"""

from __future__ import annotations

import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "normalize-ru-en.tsv"
HELD_OUT = DATA.with_name("normalize-ru-heldout.tsv")


def cases(path: Path = DATA) -> list[tuple[str, str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line.strip() and not line.startswith("#")]  # type: ignore[misc]


def main() -> None:
    t0 = time.perf_counter()
    from audiobook.text.foreign import normalize_foreign

    normalize_foreign("В 2024 году.", "ru")
    normalize_foreign("In 2024.", "en")
    load = time.perf_counter() - t0
    for name, path in (("written with the rules", DATA), ("held out", HELD_OUT)):
        print(f"== {name} ({path.name})")
        report(path)
    print(f"first use (imports, pymorphy3 dictionary) {load:.2f} s")


def report(path: Path) -> None:
    from audiobook.text.foreign import normalize_foreign

    data = cases(path)
    t0 = time.perf_counter()
    got = [normalize_foreign(src, lang) for lang, src, _ in data]
    per = (time.perf_counter() - t0) / len(data) * 1000
    print(f"{per:.2f} ms/sentence")
    for lang in ("ru", "en"):
        rows = [(g, want, src) for (la, src, want), g in zip(data, got, strict=True) if la == lang]
        if not rows:
            continue
        ok = sum(g == want for g, want, _ in rows)
        print(f"{lang}: {ok}/{len(rows)} exactly right")
        for g, want, src in rows:
            if g != want:
                print(f"  {src}\n    got  {g}\n    want {want}")


if __name__ == "__main__":
    main()
