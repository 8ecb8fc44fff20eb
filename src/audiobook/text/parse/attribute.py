"""Turn attribution: a provisional speaker for every paragraph, dash-turn roles, closing notes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from audiobook.text.parse.labels import _QUESTION, _Label, _Para
from audiobook.text.parse.words import (
    _CLOSING_MARKERS,
    _FIRST_PERSON,
    _FIRST_PERSON_ENDINGS,
    _REPORT_CUES,
    _WEAK_CLOSING,
    _ends_with_question,
    _shorten,
)
from audiobook.text.script import Role


@dataclass
class _Line:
    speaker: str  # provisional speaker key: "narrator", "@interviewer", "@interviewee" or a label key
    text: str
    turn_start: bool  # first paragraph of a new turn (chapters start at interviewer turn starts)



def _attribute(paras: list[_Para], warnings: list[str], source: str) -> tuple[list[_Line], str]:
    """Provisional speaker per paragraph, and the lead text."""
    labels = [p for p in paras if p.kind == "label"]
    dashes = [p for p in paras if p.kind == "dash"]
    label_speakers = {p.label.key for p in labels if p.label}
    # Label layout needs labels at least as often as dashes, or two speakers' labels and not a handful
    # among many dash turns (then they are prose like "Ұлттық Банк: ..." inside answers).
    label_mode = len(labels) >= 2 and (
        len(labels) >= len(dashes) or (len(label_speakers) >= 2 and 2 * len(labels) >= len(dashes)))
    asker = any(p.label.role == "interviewer" for p in labels if p.label)
    mixed = _mixed_layout(paras) if dashes and not asker else ""
    if mixed:
        label_mode = True  # each dash turn is the other side's, labelled by the dash itself
    if not label_mode:
        # Dash layout: only role-word labels ("Сұрақ:") are trusted; a capitalised phrase before a colon
        # inside an answer is prose.
        for p in labels:
            if p.label and not p.label.generic:
                p.kind, p.body, p.label = "plain", p.text, None
        labels = [p for p in labels if p.kind == "label"]
    if not labels and not dashes:
        warnings.append(f"{source}: no dialogue turns found; the whole text is read by the narrator")
        return [_Line("narrator", p.text, False) for p in paras], paras[0].text if paras else ""

    if label_mode:
        _infer_interviewer(paras)
    closing = _closing_start(paras)
    dash_roles = {} if label_mode else _dash_roles(paras, closing, warnings, source)
    questions_only = label_mode and all(p.label and p.label.role == "interviewer" for p in labels)
    if questions_only and any(p.label is not _QUESTION for p in labels):
        warnings.append(f"{source}: only questions are labelled; the paragraphs after each question "
                        "are read as the answer")

    lines: list[_Line] = []
    lead_paras: list[str] = []
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
            q_left = (1 if p.label is _QUESTION else _question_length(paras, i)) if questions_only else 0
            if p.body:
                lines.append(_Line(cur, p.body, True))
                q_left -= 1
            else:
                opened = True
        elif p.kind == "dash" and not label_mode:
            cur = dash_roles[i]
            lines.append(_Line(cur, p.body, True))
        elif p.kind == "dash" and mixed:
            cur = mixed
            lines.append(_Line(cur, p.body, True))
        elif p.kind == "dash" and cur not in (None, "@interviewer") and _ends_with_question(p.body):
            cur = "@interviewer"  # a round table: the moderator's dash question between named answers
            lines.append(_Line(cur, p.body, True))
        elif cur is None:
            lines.append(_Line("narrator", p.body, False))
            lead_paras.append(p.body)
        elif questions_only and cur == "@interviewer" and q_left <= 0:
            cur = "@interviewee"
            lines.append(_Line(cur, p.body, True))
        else:
            q_left -= 1
            lines.append(_Line(cur, p.body, starts))
    return lines, "\n".join(lead_paras)


def _mixed_layout(paras: list[_Para]) -> str:
    """Dash turns for one side and one label for the other ("– Егін қалай?" / "Қ.Ә.: Жақсы."), turn by turn:
    the labelled speaker becomes that role's speaker and the dashes the other role's. Returns the dashes'
    role, or "" when the layout is not this one."""
    turns = [p for p in paras if p.kind == "dash" or (p.kind == "label" and p.label)]
    labels = [p for p in turns if p.kind == "label"]
    keys = {p.label.key for p in labels if p.label}
    if len(labels) < 2 or len(keys) != 1 or len(turns) - len(labels) < 2:
        return ""
    if any(a.kind == b.kind == "label" for a, b in zip(turns, turns[1:], strict=False)):
        return ""
    if sum(a.kind == b.kind == "dash" for a, b in zip(turns, turns[1:], strict=False)) > 1:
        return ""
    dashes = [p for p in turns if p.kind == "dash"]
    asks = sum(_ends_with_question(p.body) for p in dashes) * 2 >= len(dashes)
    role: Role = "interviewee" if asks else "interviewer"
    lab = labels[0].label
    assert lab is not None
    as_role = _Label(f"@{role}", lab.name, role, True, True)
    for p in labels:
        p.label = as_role
    return "@interviewer" if asks else "@interviewee"


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
    if len(paras) > start and paras[-1].kind == "plain" and _SIGNATURE.match(paras[-1].text.strip()):
        return len(paras) - 1  # "Айгүл СЕЙІТОВА" under the last answer: the journalist's signature
    return len(paras)


# A name alone (two or three capitalised words, initials allowed) with perhaps a title after a comma, and
# no sentence's end: how a newspaper signs its article.
_UP = "А-ЯӘҒҚҢӨҰҮҺІЁA-Z"
_SIGNATURE = re.compile(rf"^(?:[{_UP}]\.\s?)*[{_UP}][\w'’-]+(?:\s+(?:[{_UP}]\.\s?)*[{_UP}][\w'’-]+){{1,2}}"
                        r"(?:,\s*[^.!?…]{1,60})?$")


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
    # Where only some dash turns are bold (a site's or Word's questions), bold is a question's sign too.
    bold = [paras[i].bold for i in turns]
    some_bold = any(bold) and not all(bold)
    for n, i in enumerate(turns):
        end = turns[n + 1] if n + 1 < len(turns) else closing
        last = next((paras[k].body for k in range(end - 1, i - 1, -1)
                     if paras[k].kind in ("plain", "dash") and paras[k].body), "")
        asks.append(_ends_with_question(last) or (some_bold and paras[i].bold))
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
