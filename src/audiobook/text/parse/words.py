"""Word lists, patterns and small text helpers shared by the parser's stages."""

from __future__ import annotations

import re
from functools import lru_cache

NARRATOR_NAME = "Диктор"
INTERVIEWER_NAME = "Тілші"
GUEST_NAME = "Қонақ"
TITLE_LIMIT = 60

# Label words that name the asking side. Exact forms (lowercase, dots stripped): prefix matching would
# turn e.g. "журналистика факультетінің деканы" into an interviewer.
_INTERVIEWER_WORDS = {
    "тілші", "тілшісі", "тілшіміз", "сұрақ", "с", "журналист", "журналисі", "журналистің",
    "жүргізуші", "жүргізушісі", "модератор", "модераторы", "корреспондент", "корреспонденті", "корр",
    "интервьюер", "сұхбаттасушы", "вопрос",
}
_QUESTION_WORDS = {"сұрақ", "с", "вопрос"}  # interviewer labels that are not a display name
# Generic answer labels: the speaker is "the interviewee", named from the headline/lead if possible.
_ANSWER_WORDS = {"жауап", "ж", "ответ"}
# Job titles used as labels ("Әкім:", "Облыс әкімі:") or before a name in the lead ("Президенті Ильхам
# Әлиев"); matched as prefixes so possessive forms (әкімі, министрі, төрағасы) count.
_TITLE_PREFIXES = (
    "президент", "премьер-министр", "вице-министр", "министр", "әкім", "төраға", "төрайым", "директор",
    "басшы", "ректор", "депутат", "сенатор", "елші", "сарапшы", "маман", "профессор", "академик",
    "ғалым", "дәрігер", "мұғалім", "бапкер", "жаттықтырушы", "спортшы", "чемпион", "жазушы", "ақын",
    "суретші", "әнші", "актер", "актриса", "режиссер", "композитор", "кәсіпкер", "фермер", "өкіл",
    "спикер", "қонақ", "респондент", "меңгеруші", "жетекші", "құрылтайшы", "хатшы", "бастық", "генерал",
)
# Possessive/plural endings a title takes ("әкімі", "төрағасы"); a surname like "Әкімов" is no title.
_TITLE_ENDINGS = {"", "ы", "і", "сы", "сі", "ың", "ің", "ымыз", "іміз", "лары", "лері", "дары", "дері",
                  "тары", "тері", "ның", "нің", "дың", "дің", "тың", "тің"}
# Editorial captions: not a speaker label; the paragraph is read in full by the narrator.
_NOTE_WORDS = {"анықтама", "ескерту", "редакциядан", "дерек", "дереккөз", "фото", "видео", "суретте",
               "автор", "толығырақ"}
# Bylines ("Сұхбаттасқан: Айгүл Серікқызы") name the journalist but are read by the narrator.
_BYLINES = ("сұхбаттасқан", "әңгімелескен", "дайындаған", "сұхбатты жүргізген", "сұхбатты дайындаған")
# Single capitalised words that often precede a colon in ordinary prose; never speaker labels.
_NOT_NAMES = {
    "мысалы", "мәселен", "айталық", "біріншіден", "екіншіден", "үшіншіден", "төртіншіден", "сонымен",
    "қысқасы", "яғни", "демек", "қорытынды", "қорытындылай", "нәтиже", "нәтижесі", "нәтижесінде",
    "маңыздысы", "негізгісі", "себебі", "өйткені", "сондықтан", "бірақ", "алайда", "иә", "жоқ",
    "әрине", "рас", "міне", "ендеше", "бұл", "осы", "сол", "мына", "ол", "олар", "мен", "біз", "сіз",
    "сен", "барлығы", "бәрі", "әр", "кейбір", "сұрақтар", "жауаптар", "тақырып", "мақсат", "міндет",
    "шешім", "мәселе", "ұсыныс", "бағдарлама", "жоспар", "нұсқау", "ереже", "кеңес", "қосымша",
}
# Paragraphs after the last answer opening with these are the newsroom's, not the interviewee's.
_CLOSING_MARKERS = (
    "еске салсақ", "еске сала кетейік", "еске сала кетсек", "еске сала кеткен жөн", "еске салайық",
    "естеріңізге сала кетейік", "естеріңізге салсақ", "айта кетейік", "айта кетсек", "айта кетелік",
    "айта кеткен жөн", "айта кету керек", "айта өтейік", "айтып өтейік", "атап өтсек", "атап өтейік",
    "ескерте кетейік", "бұған дейін хабарланғандай", "бұған дейін хабарлағанымыздай",
    "бұған дейін жазғанымыздай", "хабарланғандай", "жоғарыда айтылғандай", "дерек үшін",
    "анықтама үшін", "айта кетерлігі",
)
# "Бұған дейін ..." ("earlier ...") is the newsroom only when it reports what was published.
_WEAK_CLOSING = ("бұған дейін", "бұдан бұрын", "сонымен қатар, бұған дейін")
_REPORT_CUES = ("хабарла", "жазған", "жазды", "мәлімде", "жария", "kazinform", "казинформ",
                "агенттіг", "тілші", "редакция", "сайт")

_FIRST_PERSON = {"мен", "менің", "маған", "мені", "менде", "менен", "біз", "біздің", "бізге", "бізді",
                 "бізде", "бізден", "өзім", "өзіміз"}
_FIRST_PERSON_ENDINGS = ("мын", "мін", "пын", "пін", "бын", "бін", "мыз", "міз", "ымдай", "імдей",
                         "ымыздай", "іміздей")

# A hyphen turn with no space ("-Сәуле апай, ...") only before a capital or an opening quote: a
# lowercase "-" start is a wrapped word's ending.
_DASH_RE = re.compile(r"^(?:[—–―‒−]|--?(?=\s)|-(?=[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ«\"“]))\s*")
_DATE_PREFIX_RE = re.compile(r"^date:?\s+(\d{4}-\d\d?-\d\d?)(?:\s+|$)(.*)$", re.IGNORECASE | re.DOTALL)
_DATE_ONLY_RE = re.compile(r"^(?:date:?\s+)?\d{4}-\d{2}-\d{2}$", re.IGNORECASE)
_ISO_PREFIX_RE = re.compile(r"^(\d{4}-\d\d-\d\d)(?:\s+|$)(.*)$", re.DOTALL)
_LABEL_RE = re.compile(r"^\**\s*(?P<label>[^:\n]{1,60}?)\s*\**\s*:\s*\**\s*(?P<rest>.*)$", re.DOTALL)
_DATELINE_RE = re.compile(r"^[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ][A-ZА-ЯӘҒҚҢӨҰҮҺІЁ\- ]{1,30}\.\s+\S")
_INITIAL_RE = re.compile(r"^[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ]\.$")
_INITIALS_RE = re.compile(r"^(?:[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ]\.){1,3}[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ]?\.?$")  # "Қ.Ә", "Қ.Ә."
_PATRONYMIC_ENDINGS = ("ұлы", "улы", "қызы", "кызы", "ович", "евич", "овна", "евна", "ич")
_GENITIVE_ENDINGS = ("ның", "нің", "дың", "дің", "тың", "тің")
_SURNAME_ENDINGS = ("ов", "ев", "ова", "ева", "ин", "ина", "ұлы", "қызы", "улы", "кызы", "ский", "ская",
                    "бай", "бек", "бекова", "баев", "баева")
_INSTRUMENTAL_ENDINGS = ("пен", "бен", "мен")


def _ends_with_question(text: str) -> bool:
    return text.rstrip(" »\"”)]*").endswith("?")



def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut on a word boundary with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:–—-") + "…"


_OTHER_SCRIPT = re.compile(r"[A-Za-z\u00C0-\u024F\u0600-\u06FF]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@lru_cache(maxsize=4096)  # asked by the label and the furniture rules for the same line
def cyrillic_shadow(text: str) -> str:
    """A paragraph of Kazakh in Latin or Arabic letters as Cyrillic, for matching the layout rules only
    ("Tilshi:", "512 ret kórsetildi" are the Cyrillic rules' label and counter); other text unchanged."""
    other = len(_OTHER_SCRIPT.findall(text))
    if other <= len(_CYRILLIC.findall(text)) or other < 3:
        return text
    from audiobook.text.normalize import arabic, kazlatin

    shadow = kazlatin.to_cyrillic(arabic.to_cyrillic(text))
    head, colon, rest = shadow.partition(":")
    if colon and len(head) <= 60 and arabic.ARABIC.search(text.partition(":")[0]):
        shadow = " ".join(w[:1].upper() + w[1:] for w in head.split(" ")) + colon + rest  # no capitals in it
    return shadow

