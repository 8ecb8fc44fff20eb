"""Speakers (names from the headline and lead, ids) and chapters (one per question)."""

from __future__ import annotations

import re

from audiobook.text.parse.attribute import _Line
from audiobook.text.parse.labels import _Label, _Para, _parse_label, _word_kind
from audiobook.text.parse.words import (
    _INSTRUMENTAL_ENDINGS,
    _LABEL_RE,
    _NOT_NAMES,
    _PATRONYMIC_ENDINGS,
    _QUESTION_WORDS,
    _SURNAME_ENDINGS,
    GUEST_NAME,
    INTERVIEWER_NAME,
    NARRATOR_NAME,
    TITLE_LIMIT,
    _ends_with_question,
    _shorten,
)
from audiobook.text.script import Chapter, Role, Segment, Speaker


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
            sid: str
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
    # The title is made once per chapter, when its question is complete (made again for every line of a
    # long question, it was quadratic).

    def titled() -> None:
        if question:
            chapters[-1] = Chapter(_question_title(" ".join(question)), chapters[-1].first_segment)

    for line in lines:
        sp = speakers[line.speaker]
        if sp.role == "interviewer" and line.turn_start and answered:
            titled()
            chapters.append(Chapter(title="", first_segment=len(segments)))
            answered, question = False, []
        if sp.role == "interviewer" and not answered:
            question.append(line.text)
        elif sp.role == "interviewee":
            answered = True
        segments.append(Segment(speaker=sp.id, role=sp.role, text=line.text, chapter=len(chapters) - 1))
    titled()
    return segments, chapters


def _question_title(text: str) -> str:
    """The question sentence itself (a question often opens with a preamble), shortened."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?…])\s+", text) if s.strip()]
    asked = [s for s in sentences if _ends_with_question(s)]
    chosen = asked[0] if asked else (sentences[0] if sentences else text)
    return _shorten(chosen, TITLE_LIMIT)
