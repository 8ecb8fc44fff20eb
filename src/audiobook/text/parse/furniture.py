"""Page furniture: lines a copied or saved page carries that are not the article (counters, reading
times, dates with counters, image file names, photo credits, share/subscribe/tag lines, read-more links,
site names and copyright lines, menus, related-news lists).

Conservative by construction: every rule matches a whole short line of a shape no sentence has (a bare
number, a date with counters, a file name) or one that opens with a fixed page phrase; a line that opens
a turn or asks a question is never furniture. What is left out is returned with its reason.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from audiobook.text.parse.words import _DASH_RE, cyrillic_shadow

_MONTHS = {
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6, "шілде": 7, "тамыз": 8,
    "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
    "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_SITE = r"(?:www\.)?[\w-]+\.(?:kz|ru|com|org|net|info|media|news|қаз)"
# Pieces a date/counter line is made of: dates, times, bare numbers, month names, a site, separators.
_DATE_TOKEN = re.compile(
    rf"(?P<dmy>\d{{1,2}})[./-](?P<dm>\d{{1,2}})[./-](?P<dy>\d{{4}})|(?P<iy>\d{{4}})-(?P<im>\d\d)-(?P<id>\d\d)"
    rf"|(?P<td>\d{{1,2}})\s+(?P<tm>{_MONTH_RE})(?:ы|і|нда|нде|да|де)?(?:,?\s+(?P<ty>\d{{4}}))?(?:\s*(?:ж\.|жыл|г\.))?"
    r"|\d{1,2}:\d\d|\b(?:бүгін|кеше|сегодня|вчера)\b", re.IGNORECASE)

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("counter", re.compile(r"^\d[\d\s.,]*(?:\s*(?:k|к|мың|рет|көрсетілді|қаралды|қаралым|оқылды|просмотр\w*|"
                           r"views?|пікір|коммент\w*|ret|k[oó]rsetildi|qaraldy|oqyldy|pikir))*$", re.IGNORECASE)),
    ("counter", re.compile(r"^(?:көрсетілді|қаралды|оқылды|қаралым|просмотры|views|пікірлер|комментарии)"
                           r"\s*:?\s*\(?\d*\)?$", re.IGNORECASE)),
    ("reading time", re.compile(r"^(?:\d+\s*)?(?:мин|минут|min)\.?(?:\s*(?:оқу|оқуға|оқу үшін|чтения|read))?$"
                                r"|^оқу үшін$|^(?:оқу уақыты|время чтения|reading time)\s*:?\s*\d*\s*(?:мин\w*|min)?$",
                                re.IGNORECASE)),
    ("image file name", re.compile(r"^[\w\-. ()]{1,80}\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|heic)$", re.IGNORECASE)),
    ("photo credit", re.compile(
        r"^(?:фото|фотосурет|сурет|суреттер|видео|photo|фото и видео|иллюстрация|коллаж|инфографика|"
        r"фото және видео)(?:\s*:\s*.{0,80}|\s*[—–-]\s*[^.!?…]{0,60}"
        r"|\s+(?:ашық дереккөз|ғаламтор|интернет|архив|автордың|"
        r"кейіпкердің|жеке мұрағат|пресс-служб|баспасөз қызметі|из открытых|с сайта).{0,80})?$"
        # "Коллажды жасаған – Ерлан ОМАР": a name after it, not a sentence ("Бейнені түсірген тұрғын ...")
        r"|^(?:коллажды|суретті|суреттерді|фотоны|фотосуретті|бейнені|видеоны|инфографиканы) "
        r"(?:жасаған|түсірген|дайындаған|әзірлеген)\s*[:–—-]?\s*[А-ЯӘҒҚҢӨҰҮҺІA-Z«][^.!?…]{0,80}$"
        # the credit alone under a photo: "ашық дереккөзі", "ғаламтордан алынды"
        r"|^(?:ашық дереккөз(?:і|ден|дерден)?|ғаламтор(?:дан)?(?: алынды)?|интернеттен алынды|"
        r"(?:автордың|кейіпкердің) жеке (?:мұрағатынан|архивінен)|из открытых источников)\.?$", re.IGNORECASE)),
    ("share line", re.compile(r"^(?:бөлісу|бөлісіңіз|поделиться|share)\b[^.!?…]{0,40}$", re.IGNORECASE)),
    ("subscribe line", re.compile(r"^(?:жазылыңыз|подписывайтесь|подписаться|subscribe)\b.{0,120}$"
                                  r"|^.{0,100}\b(?:telegram|whatsapp|instagram|youtube|tiktok|facebook)\b.{0,60}"
                                  r"(?:жазыл|подпис|subscribe|арнамыз|каналымыз|парақшамыз).{0,60}$", re.IGNORECASE)),
    ("share line", re.compile(r"^(?:(?:telegram|whatsapp|facebook|instagram|twitter|x|vk|вконтакте|ok|"
                              r"одноклассники|youtube|tiktok|threads|linkedin|email|e-mail)[\s,|·•/]*){2,}$",
                              re.IGNORECASE)),
    ("tags", re.compile(r"^(?:тегтер|тег|теги|tags|кілт сөздер|түйін сөздер)\s*(?::.{0,150}|#.{0,150})?$",
                        re.IGNORECASE)),
    ("tags", re.compile(r"^(?:#\w+[\s,]*)+$")),
    ("read-more link", re.compile(r"^(?:толығырақ|толық оқу|оқи отырыңыз|сондай-ақ оқыңыз|тағы оқыңыз|оқыңыз|"
                                  r"читайте также|читайте|read more|see also|тақырыпқа орай|тақырыпқа қатысты)"
                                  r"\s*(?:[:»>→—–-].*)?$", re.IGNORECASE)),
    ("copyright line", re.compile(r"©|\(c\)\s*\d{4}|^copyright\b|барлық құқықтар қорғалған|все права защищены|"
                                  r"материалдарды пайдалану|при использовании материалов|гиперсілтеме міндетті|"
                                  r"^материал\w* (?:көшіріп|пайдалан|қолдан)\w*.{0,60}сілтеме\w* (?:жасау )?міндетті",
                                  re.IGNORECASE)),
    ("site name", re.compile(rf"^{_SITE}$|^[A-Z][A-Za-z]+(?:\.kz)?$", re.IGNORECASE)),
    ("page controls", re.compile(r"^(?:қате (?:таптыңыз|байқадыңыз)|нашли ошибку|заметили ошибку|ошибка в тексте|"
                                 r"found a typo)|(?:қате|ошибк|typo).{0,80}ctrl\s*\+\s*enter", re.IGNORECASE)),
    ("advertising", re.compile(r"^(?:реклама|жарнама|advertisement|ad|спонсор|на правах рекламы|"
                               r"жарнама құқығында)\s*:?$", re.IGNORECASE)),
    ("age rating", re.compile(r"^\d{1,2}\s?\+$")),
    ("page controls", re.compile(r"^(?:back to top(?: button)?|наверх|жоғары(?: көтерілу)?|scroll to top|"
                                 r"толық нұсқа|мобильді нұсқа|версия для печати|басып шығару)$", re.IGNORECASE)),
    ("comments", re.compile(r"^(?:пікірлер|пікір қалдыру|пікір жазу|комментарии|комментировать|жауап беру)"
                            r"\s*(?:\(\d+\))?:?$", re.IGNORECASE)),
)
_NAV_WORDS = {
    "басты бет", "басты", "жаңалықтар", "саясат", "қоғам", "экономика", "әлем", "спорт", "мәдениет",
    "интервью", "сұхбат", "аймақтар", "өңірлер", "білім", "денсаулық", "технология", "технологиялар",
    "оқиға", "оқиғалар", "руханият", "тарих", "мультимедиа", "фото", "видео", "главная", "новости",
    "политика", "общество", "мир", "культура", "регионы", "происшествия", "home", "news", "kz", "ru", "en",
    "қаз", "рус", "eng", "іздеу", "поиск", "мәзір", "меню", "барлық жаңалықтар", "біз туралы", "байланыс",
    "байланыстар", "тренд", "трендтер", "о нас", "контакты", "валюта бағамы", "курс валют", "войти",
}
# What may stand beside a date on a date line: times, counters, the site's name, a rubric ("Сұхбат | 18.10.2025").
_LEFTOVER_OK = re.compile(
    rf"^(?:[\s|·•,/:—–-]|\d+|{_SITE}|[A-Z][A-Za-z]+|жыл|ж\.|г\.|рет|көрсетілді|қаралды|қаралым|оқылды|"
    r"просмотр\w*|views?|пікір\w*|сөз|сағат|жаңартылды|жарияланды|обновлено|опубликовано|"
    r"дүйсенбі|сейсенбі|сәрсенбі|бейсенбі|жұма|сенбі|жексенбі|понедельник|вторник|среда|четверг|пятница|"
    r"суббота|воскресенье|"
    + "|".join(sorted((re.escape(w) for w in _NAV_WORDS), key=len, reverse=True)) + r")*$", re.IGNORECASE)
_NAV_SPLIT = re.compile(r"\s*(?:[/»›>|·•]|\s-\s)\s*")
_RELATED = re.compile(
    r"^(?:ұқсас жаңалықтар|ұқсас материалдар|тақырыпқа қатысты(?: жаңалықтар)?|соңғы жаңалықтар|өзге де "
    r"жаңалықтар|басқа жаңалықтар|көп оқылғандар|көп оқылған|танымал|топ жаңалықтар|похожие новости|"
    r"последние новости|related(?: news)?|more news|сондай-ақ оқыңыз|тағы да оқыңыз|читайте также|басқа "
    r"материалдар|ұқсас мақалалар|редактор таңдауы|оқырман таңдауы|танымал жаңалықтар|тағы оқи отырыңыз|"
    r"материалы по теме|другие новости)\s*:?$",
    re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", "…", ".»", "!»", "?»", ".\"", "?\"")


def line_reason(text: str) -> str | None:
    """Why one line is page furniture, or None when it may be the article's (a Latin or Arabic line by
    its Cyrillic reading: "512 ret kórsetildi" is a counter)."""
    shadow = cyrillic_shadow(text)
    return _line_reason(text) or (_line_reason(shadow) if shadow != text else None)


def _line_reason(text: str) -> str | None:
    t = re.sub(r"^[^\w«\"“(—–-]+", "", text).strip()  # icons before counters: "👁 4236"
    t = re.sub(r"^\d+(?=(?:Фото|Сурет|Видео|Photo)\b)", "", t)  # a counter glued on: "125Фото: …"
    if not t:
        return "symbols only"
    if _DASH_RE.match(t) or t.rstrip(" »\"”)").endswith("?") or len(t) > 200:
        return None
    if date_of(t) is not None or _is_date_line(t):
        left = _leftover(t)
        counted = re.search(r"\d\s+\d|\d{3,}\s*$|\d\s*(?:рет|көрсетілді|қаралды|қаралым|оқылды|просмотр|views?)", left)
        return "date and counters" if counted else "date line"
    for reason, rx in _RULES:
        if rx.search(t) or rx.search(text.strip()):
            return reason
    parts = [p.lower().strip(" .:") for p in _NAV_SPLIT.split(t) if p.strip(" .:")]
    # A word with a colon opens something ("Редакция:" labels a speaker), except the trend strip's own.
    if parts and all(p in _NAV_WORDS for p in parts) and (not t.endswith(":") or parts[-1].startswith("тренд")):
        return "navigation"
    return None


def _is_date_line(t: str) -> bool:
    return bool(_DATE_TOKEN.search(t)) and bool(_LEFTOVER_OK.match(_leftover(t)))


def _leftover(t: str) -> str:
    """A line with its dates taken out and its icons too ("18.10.2025, 14:30 👁 4236": a view counter),
    and the rubric before a separator ("Зерде • 12 Мамыр, 2024")."""
    t = _RUBRIC.sub("", t)
    return "".join(" " if unicodedata.category(c).startswith("S") else c for c in _DATE_TOKEN.sub(" ", t))


_RUBRIC = re.compile(r"^[^\W\d_]+(?:[\s-][^\W\d_]+)?\s*[•|·]\s*(?=\d)")


def date_of(t: str) -> date | None:
    """The date on a line made only of a date (with a time, counters or the site's name), else None."""
    m = _DATE_TOKEN.search(t)
    if not m or not _LEFTOVER_OK.match(_leftover(t)):
        return None
    try:
        if m.group("dy"):
            return date(int(m.group("dy")), int(m.group("dm")), int(m.group("dmy")))
        if m.group("iy"):
            return date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        if m.group("ty"):
            return date(int(m.group("ty")), _MONTHS[m.group("tm").lower()], int(m.group("td")))
    except ValueError:
        return None
    return None


def furniture(texts: list[str]) -> dict[int, str]:
    """Index -> reason for every furniture line of an article's paragraphs (in order)."""
    out: dict[int, str] = {}
    related = False
    for i, text in enumerate(texts):
        if related:
            # A related-news list: headlines without a sentence's end, up to the first sentence or turn.
            if _DASH_RE.match(text) or text.rstrip().endswith(_SENTENCE_END) or len(text) > 200:
                related = False
            else:
                out[i] = "related news"
                continue
        if _RELATED.match(text.strip()):
            out[i], related = "related news", True
            continue
        if reason := line_reason(text):
            out[i] = reason
    return out


def same_text(a: str, b: str) -> bool:
    """Equal up to case, spacing and punctuation (a headline printed again over the photo)."""
    def key(s: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", s.casefold()).split())

    return bool(key(a)) and key(a) == key(b)
