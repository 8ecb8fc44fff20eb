"""Russian and English sentences to speakable words (Kazakh ones go to text/normalize, unchanged).

Pure; num2words and pymorphy3 are imported at first use."""

from __future__ import annotations

from typing import Any

from audiobook.text.foreign.en import normalize_en
from audiobook.text.foreign.ru import normalize_ru


def normalize_foreign(sentence: str, language: str) -> str:
    """`sentence` as a `language` ("ru" or "en") newsreader says it."""
    if language == "ru":
        return normalize_ru(sentence)
    if language == "en":
        return normalize_en(sentence)
    raise ValueError(f"no normalizer for {language!r}")


def speakable(sentence: str, language: str, lexicon: Any = None) -> str:
    """What the voice of `language` is given: Kazakh through text/normalize (with the lexicon), Russian and
    English through their own rules."""
    if language == "kk":
        from audiobook.text.normalize import normalize

        return str(normalize(sentence, lexicon))
    return normalize_foreign(sentence, language)
