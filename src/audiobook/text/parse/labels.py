"""Speaker labels ("Тілші:", "Айгүл Серікқызы, дәрігер:") and the paragraph classes they give."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from audiobook.text.inputs.blocks import Block
from audiobook.text.parse.words import (
    _ANSWER_WORDS,
    _BYLINES,
    _DASH_RE,
    _GENITIVE_ENDINGS,
    _INITIAL_RE,
    _INITIALS_RE,
    _INTERVIEWER_WORDS,
    _LABEL_RE,
    _NOT_NAMES,
    _NOTE_WORDS,
    _TITLE_ENDINGS,
    _TITLE_PREFIXES,
    _ends_with_question,
    cyrillic_shadow,
)
from audiobook.text.script import Role


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
    bold: bool = False  # the whole paragraph is bold in the source
    italic: bool = False
    line: int = 0  # where it starts in the source


# A question marked only by formatting or numbering: the interviewer asks, under no written label.
_QUESTION = _Label(key="@interviewer", name="Сұрақ", role="interviewer", generic=True, strong=True)
_NUMBERED_RE = re.compile(r"^(?:№\s*)?\d{1,2}[.)]\s+(?P<q>\S.*)$")



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
    if _INITIAL_RE.match(word) or _INITIALS_RE.match(word) or (
            word[:1].isupper() and word.strip(".'’-").replace("-", "").isalpha()):
        return "cap"
    return "other"


_INITIAL_GLUED = re.compile(r"^((?:[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ]\.\s?)+)(?=[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ][a-zа-яәғқңөұүһіё])")


def _parse_label(raw: str) -> _Label | None:
    """A speaker label ("Тілші", "Айгүл Серікқызы, дәрігер") or None for ordinary text before a colon."""
    raw = raw.strip(" *_")
    if not raw or any(c in raw for c in "«»\"“”?!;…—–") or " - " in raw:
        return None
    raw = re.sub(r"\s*(?:№\s*)?\d+\.?$", "", raw)  # "Сұрақ 3:" -> "Сұрақ"
    raw = _INITIAL_GLUED.sub(r"\1 ", raw)  # "Қ.Әбдіров" as "Қ. Әбдіров"
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


def _classify(body: list[Block]) -> list[_Para]:
    paras = [_classify_one(b.text) for b in body]
    for p, b in zip(paras, body, strict=True):
        p.bold, p.italic, p.line = b.bold, b.italic, b.line
        if b.heading and p.kind == "plain":
            p.kind = "note"  # a subheading inside the article: the narrator's
    _reported_and_listed(paras)
    _accept_weak_labels(paras)
    _merge_name_variants(paras)
    _formatted_questions(paras)
    return paras


# "– Мектеп салынады, – деді әкім.": speech the newsroom reports, not a turn of the interview.
_REPORTED = re.compile(r"[,!?…]\s*[–—-]\s*(?:деді|дейді|деп|деген|айтты|атап өтті|мәлімдеді|түсіндірді|"
                       r"жазды|хабарлады|сказал|сказала|отметил|отметила|говорит|заявил|заявила)\b")


def _reported_and_listed(paras: list[_Para]) -> None:
    """Dash paragraphs that are not turns: the words of a speaker named alone on the line before,
    reported speech ("..., – деді әкім.") and the items of a list after a colon ("Қорытынды кесте:" then
    "- 1-орын – ..."), which stay with whoever is speaking."""
    # An interview (a dash turn asks) quotes people inside its answers ("«...», – деді әкем."): there the
    # rule would take answers away from their speakers. A report with no questions is where it applies.
    interview = any(p.kind == "dash" and _ends_with_question(p.body) for p in paras)
    listing = ""  # the kind of the paragraph that opened a list with its colon, or ""
    for k, p in enumerate(paras):
        if p.kind == "dash" and k and paras[k - 1].kind == "label" and not paras[k - 1].body:
            p.kind, p.body = "plain", p.body  # "Үнзила Шапақ:" alone, then "– ...": her answer, not a new turn
            continue
        if p.kind == "dash":
            item = not _ends_with_question(p.body) and len(p.body) <= 200 and (
                p.body.rstrip().endswith((";", ",")) or p.body[:1].islower()
                or (p.body[:1].isdigit() and listing != "dash"))  # "– 12 үйірме бар" answers a question
            reported = not interview and _REPORTED.search(p.body) and "»" not in p.body
            if reported or (listing and item):
                p.kind, p.body = "plain", p.text
                continue
        listing = p.kind if p.kind in ("plain", "note", "dash") and p.body.rstrip().endswith(":") else ""


def _classify_one(text: str) -> _Para:
    shadow = cyrillic_shadow(text)
    if shadow != text:  # Latin or Arabic letters: the label found in Cyrillic, the text kept as written
        para = _classify_one(shadow)
        if para.kind in ("label", "note") and ":" in text and para.body != shadow:
            rest = text.split(":", 1)[1].strip()
            para.body = _DASH_RE.sub("", rest, count=1).strip()
        elif para.kind == "dash" and (m := _DASH_RE.match(text)):
            para.body = text[m.end():].strip()
        else:
            para.body = text if para.body == shadow else para.body
        para.text = text
        return para
    if text.lower().startswith(_BYLINES):
        return _Para(text, "note", text)
    if m := _DASH_RE.match(text):
        return _Para(text, "dash", text[m.end():].strip())
    m = _LABEL_RE.match(text)
    lab = _parse_label(m.group("label")) if m else None
    if m and lab:
        rest = _DASH_RE.sub("", m.group("rest").strip(), count=1).strip()
        if lab.key == "note":
            return _Para(text, "note", text, lab)
        if lab.strong:
            return _Para(text, "label", rest, lab)
        return _Para(text, "plain", text, candidate=lab)
    return _Para(text, "plain", text)


def _formatted_questions(paras: list[_Para]) -> None:
    """Questions marked only by **bold** (news sites, Word) or by a number ("3. Қалай ...?"), when the
    text has fewer written turns than such questions. Bold paragraphs before the first bold question
    (a bold lead) stay plain."""
    turns = sum(1 for p in paras if p.kind in ("dash", "label"))
    bold = [p for p in paras if p.kind == "plain" and p.bold and not p.italic]
    asked = [p for p in bold if _ends_with_question(p.text)]
    if len(bold) >= 2 and asked and 2 * len(asked) >= len(bold) and turns < len(bold):
        for p in bold[bold.index(asked[0]):]:
            p.kind, p.label, p.candidate = "label", _QUESTION, None
        return
    numbered = [(p, m) for p in paras if p.kind == "plain" and (m := _NUMBERED_RE.match(p.text))
                and _ends_with_question(p.text)]
    if len(numbered) >= 2 and turns < len(numbered):
        for p, m in numbered:
            p.kind, p.body, p.label, p.candidate = "label", m.group("q"), _QUESTION, None


def _accept_weak_labels(paras: list[_Para]) -> None:
    """A one-word label ("Ерлан:") counts if it recurs or is the surname of a named speaker; once, it is
    more likely prose ("Статистика: биыл ...") inside an answer."""
    strong = [p.label for p in paras if p.kind == "label" and p.label]
    weak = Counter(p.candidate.key for p in paras if p.candidate)  # counted once: list.count per label was quadratic
    parts = {w.lower() for lab in strong if not lab.generic for w in lab.name.split()}
    initials = {_initials_of(lab.name) for lab in strong if not lab.generic and len(lab.name.split()) >= 2}
    for p in paras:
        c = p.candidate
        if c and (weak[c.key] >= 2 or c.key in parts or _initials(c.name) in initials):
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
        if (letters := _initials(lab.name)) is not None:  # "А.Қ." after "Асан Қасымов"
            fits = {f.key: f for f in full if _initials_of(f.name) == letters}
        elif len(words) == 1:  # first name or surname
            fits = {f.key: f for f in full if words[0] in (_first(f), _last(f))}
        elif all(_INITIAL_RE.match(w) for w in lab.name.split()[:-1]):  # "Е. Қасымов"
            fits = {f.key: f for f in full if _last(f) == words[-1] and _first(f).startswith(words[0][0])}
        else:
            continue
        if len(fits) == 1:
            p.label = next(iter(fits.values()))


def _initials(name: str) -> str | None:
    """"А.Қ." or "А. Қ." -> "ақ"; None for anything but initials alone."""
    parts = [x for x in re.split(r"[.\s]+", name.strip()) if x]
    if len(parts) < 2 or not all(len(x) == 1 and x.isupper() for x in parts):
        return None
    return "".join(parts).lower()


def _initials_of(name: str) -> str:
    return "".join(w[0] for w in name.split()).lower()


def _first(lab: _Label) -> str:
    return lab.name.lower().split()[0]


def _last(lab: _Label) -> str:
    return lab.name.lower().split()[-1]
