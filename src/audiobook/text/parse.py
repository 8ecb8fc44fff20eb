"""Article text -> Script: who says each paragraph, and where chapters begin.

Pure: no I/O. Layouts read (see tests/data/articles/ for one example of each):
- dash turns: paragraphs opened by "—", "–" or "- " alternate interviewer / interviewee;
- label turns: "Тілші:" alone on its line, or inline "Сұрақ: ...", "Айгүл Серікқызы: ...";
- paragraphs split by single line breaks or blank lines;
- first line = headline, optionally prefixed by `date YYYY-MM-DD` (or a bare ISO date);
- paragraphs before the first turn are the lead (read by the narrator, dateline kept as written);
- editorial notes after the last answer ("Еске салсақ, ...") are read by the narrator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from audiobook.text.script import Chapter, Role, Script, Segment, Speaker

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

_DASH_RE = re.compile(r"^(?:[—–―‒−]|--?(?=\s))\s*")
_DATE_PREFIX_RE = re.compile(r"^date:?\s+(\d{4}-\d\d?-\d\d?)(?:\s+|$)(.*)$", re.IGNORECASE | re.DOTALL)
_DATE_ONLY_RE = re.compile(r"^(?:date:?\s+)?\d{4}-\d{2}-\d{2}$", re.IGNORECASE)
_ISO_PREFIX_RE = re.compile(r"^(\d{4}-\d\d-\d\d)(?:\s+|$)(.*)$", re.DOTALL)
_LABEL_RE = re.compile(r"^\**\s*(?P<label>[^:\n]{1,60}?)\s*\**\s*:\s*\**\s*(?P<rest>.*)$", re.DOTALL)
_DATELINE_RE = re.compile(r"^[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ][A-ZА-ЯӘҒҚҢӨҰҮҺІЁ\- ]{1,30}\.\s+\S")
_INITIAL_RE = re.compile(r"^[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ]\.$")
_PATRONYMIC_ENDINGS = ("ұлы", "улы", "қызы", "кызы", "ович", "евич", "овна", "евна", "ич")
_GENITIVE_ENDINGS = ("ның", "нің", "дың", "дің", "тың", "тің")
_SURNAME_ENDINGS = ("ов", "ев", "ова", "ева", "ин", "ина", "ұлы", "қызы", "улы", "кызы", "ский", "ская",
                    "бай", "бек", "бекова", "баев", "баева")
_INSTRUMENTAL_ENDINGS = ("пен", "бен", "мен")


@dataclass(frozen=True)
class _Label:
    key: str  # identity of the speaker across turns, e.g. "@interviewer", "айгүл серікқызы"
    name: str  # display name as written
    role: Role
    generic: bool  # a role word (Тілші, Жауап), not a person's name or title
    strong: bool  # certainly a label, whatever the rest of the document looks like


@dataclass
class _Para:
    text: str  # as written (one paragraph, whitespace-trimmed)
    kind: str  # "plain", "dash", "label", "note"
    body: str  # what is read: text without dash marker / label
    label: _Label | None = None
    candidate: _Label | None = None  # a weak label awaiting document-level acceptance


@dataclass
class _Line:
    speaker: str  # provisional speaker key: "narrator", "@interviewer", "@interviewee" or a label key
    text: str
    turn_start: bool  # first paragraph of a new turn (chapters start at interviewer turn starts)


def parse_article(text: str, source: str = "<input>") -> Script:
    """Split an interview article into speaker-attributed segments and per-question chapters."""
    warnings: list[str] = []
    paragraphs = _paragraphs(text)
    if not paragraphs:
        return Script(title="", date=None, lead="", speakers=[_narrator()], segments=[], chapters=[],
                      warnings=[f"{source}: no text"])

    headline, when, body = _headline(paragraphs, source, warnings)
    paras = _classify(body)

    lines, lead = _attribute(paras, warnings, source)
    title = headline
    if headline:
        lines.insert(0, _Line("narrator", headline, False))
    elif lines:
        title = _shorten(lines[0].text, TITLE_LIMIT)
        warnings.append(f"{source}: no headline found; the title is taken from the first paragraph")

    name = _interviewee_name(headline, lead)
    by_key = _speakers(lines, paras, name)
    segments, chapters = _chapters(lines, by_key, title)
    speakers = list({sp.id: sp for sp in by_key.values()}.values())
    return Script(title=title, date=when, lead=lead, speakers=speakers, segments=segments,
                  chapters=chapters, warnings=warnings)


# --- paragraphs and headline ---------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    """Every non-empty line is a paragraph, except hard-wrapped continuations (joined back)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = [" ".join(raw.replace("\ufeff", "").split()) for raw in text.split("\n")]
    # With blank lines between paragraphs, a line break inside a block that stops mid-sentence is a wrap.
    blank_layout = sum(1 for a, b in zip(raw_lines, raw_lines[1:], strict=False) if a and not b) >= 2
    out: list[str] = []
    prev_blank = True
    for line in raw_lines:
        if not line:
            prev_blank = True
            continue
        # Never glue the lead onto the headline (which may sit under a date-only first line).
        protected = len(out) < 2 or (len(out) == 2 and bool(_DATE_ONLY_RE.match(out[0])))
        prev = out[-1] if out else ""
        wrapped = (line[0].islower() and (prev[-1:].isalnum() or prev[-1:] in ",-")) or (
            blank_layout and prev[-1:] not in ".!?…:;»\"”)" and not _DATELINE_RE.match(line))
        if out and not prev_blank and not protected and wrapped and not _starts_turn(line):
            out[-1] += " " + line
        else:
            out.append(line)
        prev_blank = False
    return out


def _starts_turn(line: str) -> bool:
    m = _LABEL_RE.match(line)
    return bool(_DASH_RE.match(line)) or (bool(m) and _parse_label(m.group("label")) is not None)


def _headline(paragraphs: list[str], source: str, warnings: list[str]) -> tuple[str, date | None, list[str]]:
    """(headline or "", date, the paragraphs after the headline and date prefix)."""
    first, rest = paragraphs[0], paragraphs[1:]
    when: date | None = None
    if m := _DATE_PREFIX_RE.match(first) or _ISO_PREFIX_RE.match(first):
        try:
            when = date.fromisoformat(m.group(1))
        except ValueError:
            warnings.append(f"{source}: date '{m.group(1)}' on the first line is not YYYY-MM-DD; ignored")
        first = m.group(2).strip()
        if not first:  # "date 2025-10-18" alone: the headline is the next line
            if not rest:
                return "", when, []
            first, rest = rest[0], rest[1:]
    if _DASH_RE.match(first) or _DATELINE_RE.match(first) or _strong_label(first):
        # The text starts with the lead or a turn: there is no headline to read.
        return "", when, [first, *rest]
    return first, when, rest


def _strong_label(text: str) -> bool:
    m = _LABEL_RE.match(text)
    return bool(m) and (lab := _parse_label(m.group("label"))) is not None and lab.generic


# --- labels --------------------------------------------------------------------------------------


def _word_kind(word: str) -> str:
    """'interviewer', 'answer', 'title', 'cap' (capitalised or initial), 'note' or 'other'."""
    low = word.lower().strip(".'’")
    if low in _INTERVIEWER_WORDS:
        return "interviewer"
    if low in _ANSWER_WORDS:
        return "answer"
    if low in _NOTE_WORDS:
        return "note"
    if any(low.startswith(p) and low[len(p):] in _TITLE_ENDINGS for p in _TITLE_PREFIXES):
        return "title"
    if _INITIAL_RE.match(word) or (word[:1].isupper() and word.strip(".'’-").replace("-", "").isalpha()):
        return "cap"
    return "other"


def _parse_label(raw: str) -> _Label | None:
    """A speaker label ("Тілші", "Айгүл Серікқызы, дәрігер") or None for ordinary text before a colon."""
    raw = raw.strip(" *_")
    if not raw or any(c in raw for c in "«»\"“”?!;…—–") or " - " in raw:
        return None
    raw = re.sub(r"\s*(?:№\s*)?\d+\.?$", "", raw)  # "Сұрақ 3:" -> "Сұрақ"
    if any(c.isdigit() for c in raw):
        return None
    name, desc = raw, ""
    if m := re.match(r"^([^(,]+)[(,](.*)$", raw):
        name, desc = m.group(1).strip(), m.group(2).strip(" )")
    words = name.split()
    desc_words = desc.split()
    if not 1 <= len(words) <= 4 or len(desc_words) > 6 or not words[0][:1].isupper():
        return None
    kinds = [_word_kind(w) for w in words]
    if "other" in kinds or any(w.lower().strip(".") in _NOT_NAMES for w in words):
        return None
    if "note" in kinds:
        return _Label(key="note", name=name, role="narrator", generic=True, strong=True)
    if len(words) > 1 and any(w.lower().endswith(_GENITIVE_ENDINGS) for w in words):
        return None
    all_kinds = kinds + [_word_kind(w) for w in desc_words]
    if "interviewer" in all_kinds:
        generic = all(k == "interviewer" for k in kinds)
        return _Label(key="@interviewer" if generic else name.lower(), name=name, role="interviewer",
                      generic=generic, strong=True)
    if kinds == ["answer"]:
        return _Label(key="@interviewee", name=name, role="interviewee", generic=True, strong=True)
    if "answer" in kinds:
        return None
    # A job title ("Әкім", "Облыс әкімі") or a name of 2+ words is surely a label; one capitalised word
    # ("Ерлан:" or "Қорытынды:") only when the rest of the document backs it up.
    strong = "title" in kinds or len(words) >= 2
    if desc and len(words) < 2 and "title" not in kinds:
        return None
    return _Label(key=name.lower(), name=name, role="interviewee", generic=False, strong=strong)


def _classify(body: list[str]) -> list[_Para]:
    paras: list[_Para] = []
    for text in body:
        if text.lower().startswith(_BYLINES):
            paras.append(_Para(text, "note", text))
            continue
        if m := _DASH_RE.match(text):
            paras.append(_Para(text, "dash", text[m.end():].strip()))
            continue
        m = _LABEL_RE.match(text)
        lab = _parse_label(m.group("label")) if m else None
        if m and lab:
            rest = _DASH_RE.sub("", m.group("rest").strip(), count=1).strip()
            if lab.key == "note":
                paras.append(_Para(text, "note", text, lab))
            elif lab.strong:
                paras.append(_Para(text, "label", rest, lab))
            else:
                paras.append(_Para(text, "plain", text, candidate=lab))
            continue
        paras.append(_Para(text, "plain", text))
    _accept_weak_labels(paras)
    _merge_name_variants(paras)
    return paras


def _accept_weak_labels(paras: list[_Para]) -> None:
    """A one-word label ("Ерлан:") counts if it recurs or is the surname of a named speaker; once, it is
    more likely prose ("Статистика: биыл ...") inside an answer."""
    strong = [p.label for p in paras if p.kind == "label" and p.label]
    weak = [p.candidate.key for p in paras if p.candidate]
    parts = {w.lower() for lab in strong if not lab.generic for w in lab.name.split()}
    for p in paras:
        c = p.candidate
        if c and (weak.count(c.key) >= 2 or c.key in parts):
            m = _LABEL_RE.match(p.text)
            assert m
            p.kind, p.label, p.candidate = "label", c, None
            p.body = _DASH_RE.sub("", m.group("rest").strip(), count=1).strip()


def _merge_name_variants(paras: list[_Para]) -> None:
    """"А. Серікқызы", "Серікқызы" or "Айгүл" after "Айгүл Серікқызы" are the same person (when only one
    full name fits)."""
    full = [p.label for p in paras if p.kind == "label" and p.label and not p.label.generic
            and len(p.label.name.split()) >= 2 and not _INITIAL_RE.match(p.label.name.split()[0])]
    for p in paras:
        lab = p.label
        if p.kind != "label" or not lab or lab.generic:
            continue
        words = lab.name.lower().split()
        if len(words) == 1:  # first name or surname
            fits = {f.key: f for f in full if words[0] in (_first(f), _last(f))}
        elif all(_INITIAL_RE.match(w) for w in lab.name.split()[:-1]):  # "Е. Қасымов"
            fits = {f.key: f for f in full if _last(f) == words[-1] and _first(f).startswith(words[0][0])}
        else:
            continue
        if len(fits) == 1:
            p.label = next(iter(fits.values()))


def _first(lab: _Label) -> str:
    return lab.name.lower().split()[0]


def _last(lab: _Label) -> str:
    return lab.name.lower().split()[-1]


# --- attribution ---------------------------------------------------------------------------------


def _attribute(paras: list[_Para], warnings: list[str], source: str) -> tuple[list[_Line], str]:
    """Provisional speaker per paragraph, and the lead text."""
    labels = [p for p in paras if p.kind == "label"]
    dashes = [p for p in paras if p.kind == "dash"]
    label_speakers = {p.label.key for p in labels if p.label}
    # Label layout needs labels at least as often as dashes, or two speakers' labels and not a handful
    # among many dash turns (then they are prose like "Ұлттық Банк: ..." inside answers).
    label_mode = len(labels) >= 2 and (
        len(labels) >= len(dashes) or (len(label_speakers) >= 2 and 2 * len(labels) >= len(dashes)))
    if not label_mode:
        # Dash layout: only role-word labels ("Сұрақ:") are trusted; a capitalised phrase before a colon
        # inside an answer is prose.
        for p in labels:
            if p.label and not p.label.generic:
                p.kind, p.body, p.label = "plain", p.text, None
        labels = [p for p in labels if p.kind == "label"]
    if not labels and not dashes:
        warnings.append(f"{source}: no dialogue turns found; the whole text is read by the narrator")
        lead = paras[0].text if paras else ""
        return [_Line("narrator", p.text, False) for p in paras], lead

    if label_mode:
        _infer_interviewer(paras)
    closing = _closing_start(paras)
    dash_roles = {} if label_mode else _dash_roles(paras, closing, warnings, source)
    questions_only = label_mode and all(p.label and p.label.role == "interviewer" for p in labels)
    if questions_only:
        warnings.append(f"{source}: only questions are labelled; the paragraphs after each question "
                        "are read as the answer")

    lines: list[_Line] = []
    lead: list[str] = []
    cur: str | None = None  # current speaker key; None = still in the lead
    opened = False  # a label alone on its line: the next paragraph starts the turn
    q_left = 0  # questions_only: paragraphs of the current question still to come
    for i, p in enumerate(paras):
        starts, opened = opened, False
        if i >= closing:
            lines.append(_Line("narrator", p.text, False))
        elif p.kind == "note":
            lines.append(_Line("narrator", p.body, False))
            if p.body.endswith(":"):  # an info-box heading: the paragraphs under it are the newsroom's
                cur = "narrator"
        elif p.kind == "label" and p.label:
            cur = p.label.key
            q_left = _question_length(paras, i) if questions_only else 0
            if p.body:
                lines.append(_Line(cur, p.body, True))
                q_left -= 1
            else:
                opened = True
        elif p.kind == "dash" and not label_mode:
            cur = dash_roles[i]
            lines.append(_Line(cur, p.body, True))
        elif cur is None:
            lines.append(_Line("narrator", p.body, False))
            lead.append(p.body)
        elif questions_only and cur == "@interviewer" and q_left <= 0:
            cur = "@interviewee"
            lines.append(_Line(cur, p.body, True))
        else:
            q_left -= 1
            lines.append(_Line(cur, p.body, starts))
    return lines, "\n".join(lead)


def _infer_interviewer(paras: list[_Para]) -> None:
    """With names on both sides ("Айгүл Серікқызы:", "Ерлан Қасымов:") and no role word, the asker is
    the named speaker whose turns mostly end with '?'."""
    labels = [p.label for p in paras if p.kind == "label" and p.label]
    if any(lab.role == "interviewer" for lab in labels) or len({lab.key for lab in labels}) < 2:
        return
    turns: dict[str, list[bool]] = {}
    for i, p in enumerate(paras):
        if p.kind == "label" and p.label:
            j = i + 1
            while j < len(paras) and paras[j].kind == "plain":
                j += 1
            last = next((q.body for q in reversed(paras[i:j]) if q.body), "")
            turns.setdefault(p.label.key, []).append(_ends_with_question(last))
    share = {k: sum(v) / len(v) for k, v in turns.items()}
    best = max(share, key=lambda k: share[k])
    if share[best] < 0.5 or sum(1 for v in share.values() if v == share[best]) > 1:
        return
    for p in paras:
        if p.label and p.label.key == best:
            p.label = _Label(best, p.label.name, "interviewer", p.label.generic, p.label.strong)


def _question_length(paras: list[_Para], i: int) -> int:
    """Paragraphs in an only-labelled question: up to the first ending with '?', else one."""
    j = i if paras[i].body else i + 1
    for k in range(j, min(j + 3, len(paras))):
        if k > j and paras[k].kind != "plain":
            break
        if _ends_with_question(paras[k].body):
            return k - j + 1
    return 1


def _closing_start(paras: list[_Para]) -> int:
    """Index of the first closing editorial paragraph after the last turn, or len(paras)."""
    last_turn = max((i for i, p in enumerate(paras) if p.kind in ("dash", "label")), default=-1)
    if last_turn < 0:
        return len(paras)
    start = last_turn + 1
    if paras[last_turn].kind == "label" and not paras[last_turn].body:
        start += 1  # "Жауап:" alone: the next paragraph is the answer itself
    for i in range(start, len(paras)):
        if paras[i].kind == "plain" and _is_closing(paras[i].text):
            return i
    return len(paras)


def _is_closing(text: str) -> bool:
    low = text.lower()
    if low.startswith(_CLOSING_MARKERS):
        return True
    if not low.startswith(_WEAK_CLOSING):
        return False
    # "Бұған дейін біз ..." / "... айтып өткенімдей" is the interviewee going on; a report is the newsroom.
    words = [w.strip(",.:;«»\"“”()!?") for w in low.split()]
    first_person = any(w in _FIRST_PERSON or w.endswith(_FIRST_PERSON_ENDINGS) for w in words)
    return any(c in low for c in _REPORT_CUES) or not first_person


def _ends_with_question(text: str) -> bool:
    return text.rstrip(" »\"”)]*").endswith("?")


def _dash_roles(paras: list[_Para], closing: int, warnings: list[str], source: str) -> dict[int, str]:
    """Interviewer/interviewee for each dash turn.

    Turns alternate, starting with the interviewer. A question usually ends with '?', an answer rarely
    does; a cheapest-path search lets that evidence override strict alternation only when it is strong
    (a repeated role costs more than several contrary '?' endings), so one rhetorical answer changes
    nothing but a turn that lost its partner does not shift every later attribution.
    """
    turns = [i for i, p in enumerate(paras[:closing]) if p.kind == "dash"]
    if not turns:
        return {}
    asks: list[bool] = []
    for n, i in enumerate(turns):
        end = turns[n + 1] if n + 1 < len(turns) else closing
        last = next((paras[k].body for k in range(end - 1, i - 1, -1)
                     if paras[k].kind in ("plain", "dash") and paras[k].body), "")
        asks.append(_ends_with_question(last))
    repeat, first_answer = 3.5, 2.5
    roles = ("@interviewer", "@interviewee")

    def emit(role: int, ask: bool) -> float:
        return float(ask) if role == 1 else float(not ask)  # the half-unit penalties above avoid ties

    cost = [emit(0, asks[0]), first_answer + emit(1, asks[0])]
    back: list[list[int]] = []
    for ask in asks[1:]:
        step, new = [], []
        for r in (0, 1):
            via = [cost[0] + (repeat if r == 0 else 0), cost[1] + (repeat if r == 1 else 0)]
            best = 0 if via[0] <= via[1] else 1
            step.append(best)
            new.append(via[best] + emit(r, ask))
        back.append(step)
        cost = new
    r = 0 if cost[0] <= cost[1] else 1
    path = [r]
    for step in reversed(back):
        r = step[r]
        path.append(r)
    path.reverse()
    for n in range(len(path)):
        if n == 0 and path[0] == 1:
            warnings.append(f"{source}: the first dash turn reads as an answer (its ending suggests so); "
                            "check the attribution")
        elif n and path[n] == path[n - 1]:
            who = "questions" if path[n] == 0 else "answers"
            warnings.append(f"{source}: two {who} in a row at dash turns {n} and {n + 1}: "
                            f"'{_shorten(paras[turns[n]].body, 40)}'; check the attribution")
    return {i: roles[r] for i, r in zip(turns, path, strict=True)}


# --- speakers and chapters -----------------------------------------------------------------------


def _interviewee_name(headline: str, lead: str) -> str | None:
    """The interviewee's name from "... – Ильхам Әлиевпен сұхбат", "Name Surname: quote" or
    "Президенті Ильхам Әлиев ..." in the lead; None when no pattern fits."""
    for text in (headline, lead):
        if name := _name_before_interview(text):
            return name
    if headline and (m := _LABEL_RE.match(headline)):
        lab = _parse_label(m.group("label"))
        if lab and not lab.generic and len(lab.name.split()) >= 2 and "title" not in map(
                _word_kind, lab.name.split()):
            return lab.name
    for text in (headline, lead):
        if name := _name_after_title(text):
            return name
    return _name_before_gave(lead)


def _tokens(text: str) -> list[str]:
    return [t.strip(",.:;«»\"“”()!?") for t in text.split()]


def _is_name_word(word: str) -> bool:
    core = word.replace("-", "").replace("'", "").replace("’", "")
    return (len(word) > 1 and word[0].isupper() and core.isalpha() and not core.isupper()
            and word.lower() not in _NOT_NAMES and _word_kind(word) == "cap")


def _name_before_interview(text: str) -> str | None:
    toks = _tokens(text)
    for i, tok in enumerate(toks):
        if not tok.lower().startswith("сұхбат"):
            continue
        for j in range(i - 1, max(i - 4, -1), -1):
            word = toks[j]
            if word[:1].isupper() and word.lower().endswith(_INSTRUMENTAL_ENDINGS) and len(word) > 4:
                words = [word[:-3]]
                k = j - 1
                while k >= 0 and len(words) < 3 and _is_name_word(toks[k]):
                    if len(words) == 2 and not words[0].lower().endswith(_PATRONYMIC_ENDINGS):
                        break
                    words.insert(0, toks[k])
                    k -= 1
                return " ".join(words)
    return None


def _name_after_title(text: str) -> str | None:
    toks = _tokens(text)
    for i, tok in enumerate(toks[:-2]):
        if _word_kind(tok) != "title" or not (_is_name_word(toks[i + 1]) and _is_name_word(toks[i + 2])):
            continue
        words = toks[i + 1:i + 3]
        if i + 3 < len(toks) and words[1].lower().endswith(_PATRONYMIC_ENDINGS) and _is_name_word(
                toks[i + 3]):
            words.append(toks[i + 3])
        return " ".join(words)
    return None


def _name_before_gave(text: str) -> str | None:
    """"Асқар Сүлейменов Kazinform тілшісіне берген сұхбатында": the nearest name before "берген",
    accepted only with a surname ending so "Әлиев Қазақстанға" is not taken for a name."""
    toks = _tokens(text)
    for i, tok in enumerate(toks):
        if tok.lower() != "берген" or not any(t.lower().startswith("сұхбат") for t in toks[i + 1:i + 3]):
            continue
        for j in range(i - 1, max(i - 9, 0), -1):
            first, last = toks[j - 1], toks[j]
            if _is_name_word(first) and _is_name_word(last) and last.lower().endswith(_SURNAME_ENDINGS):
                return f"{first} {last}"
    return None


_TRANSLIT = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o",
    "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h",
    "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}


def _slug(name: str) -> str:
    out = "".join(_TRANSLIT.get(c, c) for c in name.lower())
    return re.sub(r"[^a-z0-9]+", "-", out).strip("-")


def _speakers(lines: list[_Line], paras: list[_Para], name: str | None) -> dict[str, Speaker]:
    """Provisional speaker key -> Speaker, in order of first appearance (narrator first).

    One speaker per side gets the plain id ("interviewer", "interviewee"); with several on a side
    (a round table) the generic one keeps it and each named one gets a slug of its name.
    """
    labels: dict[str, _Label] = {}
    for p in paras:
        if p.kind == "label" and p.label:
            labels.setdefault(p.label.key, p.label)
    keys: list[str] = []
    for line in lines:
        if line.speaker != "narrator" and line.speaker not in keys:
            keys.append(line.speaker)
    out = {"narrator": _narrator()}
    used = {"narrator", "interviewer", "interviewee"}
    sides: tuple[tuple[Role, str], ...] = (
        ("interviewer", INTERVIEWER_NAME), ("interviewee", name or GUEST_NAME))
    for role, default in sides:
        group = [k for k in keys if _role_of(k, labels) == role]
        for key in group:
            lab = labels.get(key)
            display = default
            if lab and not lab.generic:
                display = lab.name
                if role == "interviewee" and name and len(group) == 1 and (
                        _is_title(lab.name) or lab.name.lower() in name.lower().split()):
                    display = name  # "Әкім:" or "Асқар:" -> "Асқар Ержанов" from the headline, for tags
            elif lab and role == "interviewer" and lab.name.lower().strip(".") not in _QUESTION_WORDS:
                display = lab.name  # "Журналист", "Модератор" as written
            if len(group) == 1 or key.startswith("@"):
                sid = role
            else:
                base = _slug(display) or f"{role}-{len(out)}"
                sid, n = base, 2
                while sid in used:
                    sid, n = f"{base}-{n}", n + 1
                used.add(sid)
            out[key] = Speaker(id=sid, name=display, role=role)
    return out


def _is_title(label: str) -> bool:
    """"Әкім", "Облыс әкімі": a job title, not a person's name."""
    kinds = [_word_kind(w) for w in label.split()]
    return kinds[-1] == "title"


def _role_of(key: str, labels: dict[str, _Label]) -> Role:
    if key == "@interviewer":
        return "interviewer"
    if key == "@interviewee":
        return "interviewee"
    return labels[key].role if key in labels else "interviewee"


def _narrator() -> Speaker:
    return Speaker(id="narrator", name=NARRATOR_NAME, role="narrator")


def _chapters(
    lines: list[_Line], speakers: dict[str, Speaker], title: str
) -> tuple[list[Segment], list[Chapter]]:
    """Chapter 0 = headline and lead; a new chapter at each question that follows an answer.

    Closing notes stay in the last chapter: a one-paragraph note is not worth its own chapter mark.
    """
    segments: list[Segment] = []
    chapters = [Chapter(title=_shorten(title, TITLE_LIMIT), first_segment=0)]
    answered = True  # the opening counts as answered: the first question opens chapter 1
    question: list[str] = []  # text of the question opening the current chapter
    for line in lines:
        sp = speakers[line.speaker]
        if sp.role == "interviewer" and line.turn_start and answered:
            chapters.append(Chapter(title="", first_segment=len(segments)))
            answered, question = False, []
        if sp.role == "interviewer" and not answered:
            question.append(line.text)
            chapters[-1] = Chapter(_question_title(" ".join(question)), chapters[-1].first_segment)
        elif sp.role == "interviewee":
            answered = True
        segments.append(Segment(speaker=sp.id, role=sp.role, text=line.text, chapter=len(chapters) - 1))
    return segments, chapters


def _question_title(text: str) -> str:
    """The question sentence itself (a question often opens with a preamble), shortened."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?…])\s+", text) if s.strip()]
    asked = [s for s in sentences if _ends_with_question(s)]
    chosen = asked[0] if asked else (sentences[0] if sentences else text)
    return _shorten(chosen, TITLE_LIMIT)


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut on a word boundary with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:–—-") + "…"
