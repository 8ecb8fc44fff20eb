"""Parse and normalize as one step: an article (or an edited script) into the sentences to speak.

Pure apart from reading the input, and light to import (no numpy, no audio stack), so the CLI can run it
in a forked child while it loads the audio stack (parallel.Forked)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audiobook.text.language import LANGUAGES
from audiobook.text.script import Line, Script


@dataclass
class Prepared:
    script: Script
    lines: list[Line]
    warnings: list[str]  # the script's, then each sentence with nothing to speak
    seconds: float = 0.0  # how long it took (in a forked child, beside the parent's own start-up)


def load_script(path: Path | str, keep_all: bool = False) -> Script:
    """An edited script as it is, or an article (file or URL, any input format) parsed."""
    from audiobook.text.inputs import is_url, read_input
    from audiobook.text.script import is_script_file

    if not is_url(str(path)) and is_script_file(Path(path)):
        from audiobook.text.scriptfile import load_script_file  # and yaml: only for an edited script
        from audiobook.voice.resolve import find_profile

        return load_script_file(Path(path), check_voice=find_profile)
    from audiobook.text.parse import parse_document

    return parse_document(read_input(path), keep_all=keep_all)


def script_lines(
    script: Script, lexicon: Any, languages: tuple[str, ...] = LANGUAGES,
) -> tuple[list[Line], list[str]]:
    """Every sentence of every segment with its language, normalized by that language's rules (Kazakh ones
    exactly as before); a sentence with nothing to speak is reported."""
    from audiobook.text.foreign import speakable
    from audiobook.text.language import detect
    from audiobook.text.normalize import split_sentences

    lines: list[Line] = []
    warnings: list[str] = []
    for i, seg in enumerate(script.segments):
        for j, sentence in enumerate(split_sentences(seg.text)):
            language = seg.language or detect(sentence, languages)
            spoken = speakable(sentence, language, lexicon)
            if not any(ch.isalpha() for ch in spoken):
                warnings.append(f"segment {i}: nothing to speak in {sentence!r}; it is left out of the audio")
                continue
            lines.append(Line(i, j, seg.chapter, seg.speaker, sentence, spoken, language))
    return lines, warnings


def prepare(source: Path | str, keep_all: bool = False, lexicon: Path | None = None,
            languages: tuple[str, ...] = LANGUAGES) -> Prepared:
    t0 = time.perf_counter()
    from audiobook.text.normalize import user_lexicon

    script = load_script(source, keep_all)
    lines, warnings = script_lines(script, user_lexicon(lexicon), languages)
    return Prepared(script, lines, list(script.warnings) + warnings, time.perf_counter() - t0)
