"""Kazakh in other scripts (Latin 2021, Latin 2018, informal ASCII, Arabic) and foreign names as said."""

from __future__ import annotations

import pytest

from audiobook.text.normalize import Guess, Lexicon, arabic, foreign, kazlatin, normalize

NO_LEXICON = Lexicon()


def norm(text: str) -> str:
    return normalize(text, NO_LEXICON)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # 2021 standard: ı is і, y is ы, i is и/й, u is у, ū is ұ
        ("Bız bügın mektepte jaña kıtap oqydyq.", "Біз бүгін мектепте жаңа кітап оқыдық."),
        ("Ūstaz şäkırtterıne alğys aitty.", "Ұстаз шәкірттеріне алғыс айтты."),
        ("Kıtaphanağa 500 jaña kıtap keldı.", "Кітапханаға бес жүз жаңа кітап келді."),
        ("Bır danyşpan kısı Bağdat şaharyna keldı.", "Бір данышпан кісі Бағдат шахарына келді."),
        # 2018 acute version: á ǵ ń ó ú ý, sh, ch; i is і, ı is и/й
        ("Men búgin mektepke bardym.", "Мен бүгін мектепке бардым."),
        ("Qazaqstan – kópultty memleket.", "Қазақстан, көпұлтты мемлекет."),
        ("Shymkent qalasynda jańa saıabaq ashyldy.", "Шымкент қаласында жаңа саябақ ашылды."),
        # the older Turkic-style spelling, same marks as 2021: ı is ы, i is і, ï is и, y is й
        ("Bizdiñ awıl ülken emes, biraq adamdarı meyirimdi.", "Біздің ауыл үлкен емес, бірақ адамдары мейірімді."),
        ("Qazir tolıq söz bostandığı joq.", "Қазір толық сөз бостандығы жоқ."),
        ("Byıl 2025 jılı jobağa 5 mlrd teñge bölindi.",
         "Биыл екі мың жиырма бесінші жылы жобаға бес миллиард теңге бөлінді."),
        ("Qazaqstan Respwblïkası Ükimetiniñ otırısı", "Қазақстан Республикасы Үкіметінің отырысы"),  # w is у
        ("Jastar auılğa qaytuı kerek, biraq swraq köp.", "Жастар ауылға қайтуы керек, бірақ сұрақ көп."),  # w is ұ
        # 2018: i after a vowel is і (ı is й there), ıa is я; acronyms stay capitals for the lexicon
        ("Onyń ózgerýi baıqaldy.", "Оның өзгеруі байқалды."),
        ("Ol maqalany búgin jarııalady.", "Ол мақаланы бүгін жариялады."),
        ("QR Parlamenti AQSh-pen kelisti.",
         "Қазақстан Республикасы Парламенті Америка Құрама Штаттарымен келісті."),
        ("Ol aǵylśyn tilin biledi.", "Ол ағылшын тілін біледі."),  # ś typed for sh, ǧ and ŋ for ǵ and ń
        ("Şyǧys halyqtary keldı.", "Шығыс халықтары келді."),
        # abai.kz's transliteration: ú is ұ, ý is ү beside gh/ng digraphs (the 2018 alphabet has ǵ ń)
        ("Búl mәsele ýshin jaghday jaqsy.", "Бұл мәселе үшін жағдай жақсы."),
        ("Onyng aituynsha, tender kýzde ótkizilmek.", "Оның айтуынша, тендер күзде өткізілмек."),
        # informal ASCII: sh/ch/zh/gh/ng, harmony decides o/u
        ("Olar auylyna bardy.", "Олар ауылына барды."),  # у after a vowel is a consonant: y is ы
        ("Bul kitap ote qyzyqty eken.", "Бұл кітап өте қызықты екен."),
        ("Biz bugin uige qaittyq.", "Біз бүгін үйге қайттық."),
        ("Zhas ushqyndar zhengiske zhetti.", "Жас ұшқындар жеңіске жетті."),
        # numbers with Latin endings read right once the words are Cyrillic
        ("Ol 2024 jyly Almatyda ótti.", "Ол екі мың жиырма төртінші жылы Алматыда өтті."),
        ("Jastar 2025 jyly 3 myń jumys ornyn ashty.", "Жастар екі мың жиырма бесінші жылы үш мың жұмыс орнын ашты."),
        # Latin-script Kazakh names inside Cyrillic text
        ("Елордада «Jas Alash» газетінің оқырмандары жиналды.", "Елордада Жас Алаш газетінің оқырмандары жиналды."),
        ("Жаңа жоба «Qazaq Eli» деп аталады.", "Жаңа жоба Қазақ Елі деп аталады."),
    ],
)
def test_latin_script_kazakh(text: str, spoken: str) -> None:
    assert norm(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Видео YouTube арнасында жарияланды.", "Видео Ютуб арнасында жарияланды."),
        ("Tesla компаниясы зауыт салды.", "Тесла компаниясы зауыт салды."),
        ("Ол Harvard университетінде оқыды.", "Ол Харвард университетінде оқыды."),
        ("Сұхбатты Reuters пен Bloomberg жариялады.", "Сұхбатты Рейтер пен Блумберг жариялады."),
        ("Жоба The Soyle платформасында.", "Жоба Зе Сойле платформасында."),
        ("Kazinform тілшісі хабарлады.", "Казинформ тілшісі хабарлады."),
        ("Ол Джон Смитпен кездесті.", "Ол Джон Смитпен кездесті."),  # Russian-Cyrillic names stay as written
        ("Air Astana жаңа рейс ашты.", "Эйр Астана жаңа рейс ашты."),
        ("Joe Biden мен Elon Musk", "Джо Байден мен Илон Маск"),
    ],
)
def test_foreign_names_as_they_are_said(text: str, spoken: str) -> None:
    assert norm(text) == spoken


@pytest.mark.parametrize(
    ("phones", "spoken"),
    [
        (("T", "EH1", "S", "L", "AH0"), "тесла"),
        (("M", "AY1", "K", "R", "OW0", "S", "AO2", "F", "T"), "майкроусофт"),
        (("Y", "UW1", "N", "IH0", "T"), "юнит"),
        (("EH1", "R"), "эр"),
        (("DH", "AH0"), "за"),
    ],
)
def test_arpabet_to_kazakh_cyrillic(phones: tuple[str, ...], spoken: str) -> None:
    assert foreign.from_arpabet(phones) == spoken


def test_dictionary_reading_follows_the_spelling_for_reduced_vowels() -> None:
    assert foreign.pronounce("London") == "лондон"
    assert foreign.pronounce("Biden") == "байден"
    assert foreign.pronounce("Shell") == "шелл"
    assert foreign.pronounce("Qazaqbekuly") is None


def test_english_is_told_apart_from_latin_kazakh() -> None:
    assert kazlatin.kazakh_words(["YouTube"]) == [False]
    assert kazlatin.kazakh_words(["The", "Soyle"]) == [False, False]
    assert kazlatin.kazakh_words(["Jas", "Alash"]) == [True, True]
    assert kazlatin.kazakh_words(["Ol", "jyly", "tudy"]) == [True, True, True]
    assert kazlatin.score("oqydyq") > 0 > kazlatin.score("Windows")


# Known pairs: tote jazuw -> Cyrillic. The hamza (ٴ) or the letters ە ك گ mark a front-vowel word.
ARABIC_PAIRS = [
    ("ٴبىز", "біз"), ("مەكتەپ", "мектеп"), ("قازاقستان", "қазақстан"), ("ٴتىل", "тіл"), ("ٴاكە", "әке"),
    ("ٴوزى", "өзі"), ("ٴۇي", "үй"), ("بۇل", "бұл"), ("جىل", "жыл"), ("ادام", "адам"), ("ٴسوز", "сөз"),
    ("ورتا", "орта"), ("ٴۇلكەن", "үлкен"), ("حالىق", "халық"), ("بالا", "бала"), ("كەلدى", "келді"),
    ("ٴوڭىر", "өңір"), ("اۋىل", "ауыл"), ("ٴىنى", "іні"), ("جاڭا", "жаңа"), ("ساعات", "сағат"),
    # a vowel beside қ/ғ is back and beside к/г front, whatever else the word has
    ("قىركۇيەكتە", "қыркүйекте"), ("قىزمەتكە", "қызметке"), ("توقاەۆ", "тоқаев"),
    # и before a vowel after a consonant, й only after a vowel
    ("بيىل", "биыл"), ("ميلليون", "миллион"), ("ازيا", "азия"), ("ايتتى", "айтты"),
    # frequent words of both harmonies, and acronyms (the script has no capitals)
    ("بىراق", "бірақ"), ("قازىر", "қазір"), ("شامامەن", "шамамен"), ("قر", "ҚР"), ("اقش", "АҚШ"),
]  # fmt: skip


@pytest.mark.parametrize(("written", "cyrillic"), ARABIC_PAIRS)
def test_arabic_script_word_pairs(written: str, cyrillic: str) -> None:
    assert arabic.convert_word(written) == cyrillic


def test_arabic_script_hamza_before_a_quote_latin_i_and_roman_numerals() -> None:
    assert norm("ء«تىل» دەگەن ءسوز.") == "Тіл деген сөз."
    assert norm("ءتiل ماڭىزدى.") == "Тіл маңызды."
    assert norm("ءححى عاسىر باستالدى.") == "жиырма бірінші ғасыр басталды."


def test_arabic_script_sentence_is_read_not_spelled() -> None:
    assert norm("ٴبىز 2024 جىلى مەكتەپكە باردىق.") == "Біз екі мың жиырма төртінші жылы мектепке бардық."
    assert norm("قازاقستان ۇلكەن ەل، ٴبىز ونى سۇيەمىز؟") == "Қазақстан үлкен ел, біз оны сүйеміз?"


def test_guesses_name_converted_and_foreign_words_without_changing_speech() -> None:
    text = "Ol 2024 jyly keldi. Kazinform, BBC және ЖҰЖ 90 жылы құрылғанын айтты."
    notes: list[Guess] = []
    spoken = normalize(text, NO_LEXICON, notes)
    assert spoken == norm(text)
    kinds = {(g.kind, g.written) for g in notes}
    assert ("latin-kazakh", "jyly") in kinds
    assert ("latin-rule", "Kazinform") in kinds
    assert ("acronym", "BBC") in kinds
    assert ("acronym", "ЖҰЖ") in kinds
    assert ("number", "90 жылы") in kinds and ("number", "2024 жылы") not in kinds
    acronym = next(g for g in notes if g.written == "ЖҰЖ")
    assert acronym.lexicon_line == "ЖҰЖ = жы-ұ-жы"


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Бұл кiтап өте қызықты.", "Бұл кітап өте қызықты."),  # a Latin i typed for і
        ("Aуылда той болды.", "Ауылда той болды."),  # a Latin A
        ("Қазip бәрі жақсы.", "Қазір бәрі жақсы."),
        ("Mәselen, biz keldik.", "Мәселен, біз келдік."),  # a Cyrillic ә in a Latin word
        ("Sәtqaliev «Kókshetauda» boldy.", "Сәтқалиев Көкшетауда болды."),  # with a 2018 ó beside it
        ("Жаңалықты Telegramда жаздық.", "Жаңалықты Телеграмда жаздық."),  # an ending on a name: kept
    ],
)
def test_words_typed_in_two_scripts_are_read_in_the_one_they_show(text: str, spoken: str) -> None:
    """Older sites typed the Latin i for і; copied text carries Latin look-alikes inside Cyrillic words.
    They were read as letter names: "кайтап", "Эйуылда"."""
    assert norm(text) == spoken


def test_words_a_page_glued_together_are_parted() -> None:
    from audiobook.text.inputs.blocks import clean

    assert clean("Ауа райыОсыған байланысты") == "Ауа райы Осыған байланысты"
    assert clean("BasNewsЖаңалықтар") == "BasNews Жаңалықтар"
    assert clean("ҚазМұнайГаз") == "ҚазМұнайГаз" and clean("Telegramда") == "Telegramда"
