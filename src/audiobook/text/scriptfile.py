"""The editable script: Script <-> YAML/JSON, and a plain-text view for checking attributions.

An editor fixes who reads a paragraph, renames chapters or picks voices in the YAML, then renders it.
Loading validates everything a renderer relies on and reports the file's line number.

Rules chosen for edited files:
- a segment's `speaker` decides its voice; its `role` may be omitted (taken from the speaker) and a
  `role` that contradicts the speaker is replaced by the speaker's role, with a warning in
  Script.warnings (an editor who re-attributes a paragraph usually changes only `speaker`);
- chapters' `first_segment` decide where chapters start (0, then strictly increasing, in range); a
  segment's `chapter` may be omitted, and if given must agree with them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from audiobook.errors import AudiobookError
from audiobook.text.language import LANGUAGES
from audiobook.text.script import ROLES, Chapter, Role, Script, Segment, Speaker
from audiobook.text.source import read_text

_HEADER = """\
# Audiobook script. Edit it, then render it with:  audiobook render {name}
# What you can change:
#   speakers: voice  - a voice profile name (a .toml in voices/, e.g. kk-narrator), a Piper voice as
#                      NAME:SPEAKER (e.g. kk_KZ-issai-high:1) or a path to a .toml;
#                      null = the cast's default voice for the speaker's role
#             name   - the name shown in transcripts and tags
#             role   - narrator, interviewer or interviewee
#   chapters: title  - the chapter's name in players; first_segment = number of its first segment
#                      (the [N] in the comments below; the first chapter starts at 0)
#   segments: speaker - who reads the paragraph (an id from speakers); its role follows the speaker
#             text    - what is read
#             language - optional: kk, ru or en for the whole paragraph (default: detected per sentence)
# Deleting or inserting segments shifts the numbers: adjust first_segment of later chapters, and the
# segments' chapter: lines (or delete those lines; first_segment decides).
"""

_TOP_KEYS = ("title", "date", "lead", "speakers", "chapters", "segments", "dropped")  # dropped: for reading only
_SPEAKER_KEYS = ("id", "name", "role", "voice")
_SEGMENT_KEYS = ("speaker", "role", "text", "chapter", "language")
_CHAPTER_KEYS = ("title", "first_segment")


# --- writing -------------------------------------------------------------------------------------


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False,
                          width=1_000_000)  # one line per text: easier to edit than folded lines


def dump_yaml(script: Script, name: str = "episode.yaml") -> str:
    """The script as commented, block-style YAML; `name` is only used in the header's render hint."""
    d = script.to_dict()
    parts = [_HEADER.format(name=name)]
    for w in script.warnings:
        parts.append(f"# Warning: {w}\n")
    for x in script.dropped:
        parts.append(f"# Left out: line {x.line} ({x.reason}): {' '.join(x.text.split())}\n")
    parts.append(_dump({k: d[k] for k in ("title", "date", "lead")}))
    parts.append(_dump({"speakers": d["speakers"]}))
    parts.append(_dump({"chapters": d["chapters"]}))
    parts.append("segments:\n")
    starts = {c.first_segment: (n, c.title) for n, c in enumerate(script.chapters)}
    for i, seg in enumerate(d["segments"]):
        if i in starts:
            n, title = starts[i]
            parts.append(f"# ---- chapter {n}: {' '.join(title.split())}\n")
        parts.append(f"# [{i}]\n")
        parts.append(_dump([seg]))
    return "".join(parts)


def dump_json(script: Script) -> str:
    return json.dumps(script.to_dict(), ensure_ascii=False, indent=2) + "\n"


def format_script(script: Script, width: int = 200) -> str:
    """Who says what, chapter by chapter, for a person to check before rendering. Warnings are left to
    the caller (the CLI prints them on stderr)."""
    out = [script.title + (f" ({script.date.isoformat()})" if script.date else "")]
    out.append("Speakers: " + ", ".join(
        f"{s.id} = {s.name} [{s.role}]" + (f" voice {s.voice}" if s.voice else "") for s in script.speakers))
    names = {s.id: s.name for s in script.speakers}
    starts = {c.first_segment: (n, c.title) for n, c in enumerate(script.chapters)}
    for i, seg in enumerate(script.segments):
        if i in starts:
            n, title = starts[i]
            out += ["", f"== Chapter {n}: {title}"]
        text = " ".join(seg.text.split())
        if len(text) > width:
            text = text[: width - 1].rstrip() + "…"
        out.append(f"[{i}] [{seg.role}] {names.get(seg.speaker, seg.speaker)}: {text}")
    return "\n".join(out) + "\n"


# --- reading -------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings, so a bad date is our error with a line, not a crash."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        # A script needs no aliases, and nested ones multiply: 300 bytes made 10^8 strings to check.
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "an alias (*name) repeats another part of the file; "
                                              "write the text out instead",
                                              self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # YAML keeps the last of two equal keys without a word: an edit that duplicates `text:` would be lost.
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}' (the first would be lost); keep one", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _File:
    """Error reporting with line numbers taken from the YAML node tree."""

    def __init__(self, path: Path, root: yaml.Node | None) -> None:
        self.path, self.root = path, root
        self.warnings: list[str] = []

    def line(self, *keys: str | int) -> int | None:
        node = self.root
        if node is None:
            return None
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
                if not found:
                    break  # a missing key: point at its parent
                node = found[0]
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
            else:
                break
        return node.start_mark.line + 1

    def error(self, keys: tuple[str | int, ...], problem: str) -> AudiobookError:
        line = self.line(*keys)
        where = f"{self.path}:{line}" if line else str(self.path)
        return AudiobookError(f"{where}: {' '.join(problem.split())}")


# Checks a speaker's voice reference (raises AudiobookError for an unknown one); the voice stage's
# `audiobook.voice.resolve.find_profile`, passed in by the caller so that text does not depend on voice.
VoiceCheck = Callable[[str], object]


def load_script_file(path: Path, check_voice: VoiceCheck | None = None) -> Script:
    """Read an edited YAML (or JSON) script; any problem is an AudiobookError naming file and line.
    `check_voice`: how speakers' voice references are checked; None leaves that to the cast."""
    text = read_text(path)
    root: yaml.Node | None = None
    try:
        data, root = _parse(path, text)
    except RecursionError:  # "[[[[..." deeper than Python's stack; no script is nested more than 4 deep
        raise AudiobookError(f"{path}: nested too deeply to be a script; make one with "
                             "`audiobook script ARTICLE --yaml`") from None
    f = _File(path, root)
    _check_surrogates(f, data, ())
    return _build(data, f, check_voice)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for k, v in pairs:
        if k in d:
            raise ValueError(f"duplicate key '{k}' (the first would be lost); keep one")
        d[k] = v
    return d


def _parse(path: Path, text: str) -> tuple[Any, yaml.Node | None]:
    root: yaml.Node | None = None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as e:
            raise AudiobookError(f"{path}:{e.lineno}: invalid JSON ({e.msg}); fix the syntax") from None
        except ValueError as e:
            raise AudiobookError(f"{path}: invalid JSON ({e})") from None
        try:  # JSON is YAML: the node tree gives line numbers for the checks below
            root = yaml.compose(text, Loader=_Loader)
        except (yaml.YAMLError, RecursionError):
            root = None
    else:
        try:
            loader = _Loader(text)
            try:
                root = loader.get_single_node()
                data = loader.construct_document(root) if root is not None else None
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            line = f":{mark.line + 1}" if mark else ""
            problem = " ".join(str(e.problem or e.context or "syntax error").split())
            raise AudiobookError(f"{path}{line}: invalid YAML ({problem}); fix the syntax there "
                                 "(check indentation and quotes)") from None
        except yaml.YAMLError as e:
            problem = " ".join(str(e).split())
            raise AudiobookError(f"{path}: invalid YAML ({problem}); fix the syntax") from None
    return data, root


_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls but tab and newline, and DEL: espeak stops reading at a NUL, and no output format carries them.
_CONTROL = re.compile("[ ]*[\x00-\x08\x0b-\x1f\x7f]+[ ]*")


def _check_surrogates(f: _File, value: Any, where: tuple[str | int, ...]) -> None:
    """JSON's `\\ud800` escape makes a string no file can hold: refuse it here, with its line."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise f.error(where, "a lone surrogate escape (\\ud800-\\udfff) is not a character; remove it "
                          "or write the character itself")
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_surrogates(f, k, where)
            _check_surrogates(f, v, (*where, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_surrogates(f, v, (*where, i))


def _keys(f: _File, d: dict[str, Any], allowed: tuple[str, ...], where: tuple[str | int, ...]) -> None:
    for k in d:
        if k not in allowed:
            raise f.error((*where, str(k)), f"unknown key '{k}'; allowed here: {', '.join(allowed)}")


def _str(f: _File, d: dict[str, Any], key: str, where: tuple[str | int, ...], required: bool = True) -> str:
    value = d.get(key)
    if value is None and not required:
        return ""
    if isinstance(value, str) and _CONTROL.search(value):
        n = sum(len(m.group().strip(" ")) for m in _CONTROL.finditer(value))
        value = _CONTROL.sub(" ", value).strip(" ")
        f.warnings.append(f"{f.path}:{f.line(*where, key)}: removed {n} control character(s) from {key}")
    if not isinstance(value, str) or (required and not value.strip()):
        what = "missing" if value is None else f"must be text, got {value!r}"
        raise f.error((*where, key), f"{key} {what}; give it a non-empty text value")
    return value


def _list(f: _File, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise f.error((key,), f"'{key}' must be a non-empty list; restore it from `audiobook script --yaml`")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise f.error((key, i), f"{key} item {i} must be a mapping (key: value lines), got {item!r}")
    return items


def _role(f: _File, value: Any, where: tuple[str | int, ...]) -> Role:
    if value not in ROLES:
        raise f.error(where, f"unknown role {value!r}; use one of {', '.join(ROLES)}")
    return value  # type: ignore[no-any-return]


def _voice(f: _File, ref: Any, sid: str, where: tuple[str | int, ...], check: VoiceCheck | None) -> str | None:
    if ref is None or ref == "":
        return None
    if not isinstance(ref, str):
        raise f.error(where, f"voice of speaker '{sid}' must be a profile name or path, got {ref!r}")
    resolved = ref
    if (ref.endswith(".toml") or "/" in ref) and not Path(ref).expanduser().is_absolute():
        beside = f.path.parent / ref  # a path in the script is relative to the script, not the cwd
        if beside.exists():
            resolved = str(beside.resolve())
    if check is None:
        return resolved
    try:
        check(resolved)
    except AudiobookError as e:
        raise f.error(where, f"unknown voice '{ref}' for speaker '{sid}' ({e}); "
                      "use a profile name from voices/, NAME:SPEAKER or a path to a .toml") from None
    return resolved


def _build(data: Any, f: _File, check_voice: VoiceCheck | None) -> Script:
    if not isinstance(data, dict):
        raise f.error((), "not a script (expected title, speakers, chapters and segments); "
                      "make one with `audiobook script ARTICLE --yaml`")
    _keys(f, data, _TOP_KEYS, ())
    title = _str(f, data, "title", ())
    when: date | None = None
    if data.get("date") not in (None, ""):
        try:
            when = date.fromisoformat(str(data["date"]))
        except ValueError:
            raise f.error(("date",), f"date {data['date']!r} is not YYYY-MM-DD; fix it or write null") \
                from None
    lead = _str(f, data, "lead", (), required=False)

    speakers: list[Speaker] = []
    for i, d in enumerate(_list(f, data, "speakers")):
        at = ("speakers", i)
        _keys(f, d, _SPEAKER_KEYS, at)
        sid = _str(f, d, "id", at)
        if any(s.id == sid for s in speakers):
            raise f.error((*at, "id"), f"speaker id '{sid}' is used twice; give each speaker its own id")
        name = _str(f, d, "name", at, required=False) or sid
        role = _role(f, d.get("role"), (*at, "role"))
        voice = _voice(f, d.get("voice"), sid, (*at, "voice"), check_voice)
        speakers.append(Speaker(id=sid, name=name, role=role, voice=voice))
    by_id = {s.id: s for s in speakers}

    raw_segments = _list(f, data, "segments")
    chapters: list[Chapter] = []
    for n, d in enumerate(_list(f, data, "chapters")):
        at = ("chapters", n)
        _keys(f, d, _CHAPTER_KEYS, at)
        ctitle = _str(f, d, "title", at)
        first = d.get("first_segment")
        if first is None:  # derive it from the segments' chapter numbers
            first = next((i for i, s in enumerate(raw_segments) if s.get("chapter") == n), None)
            if first is None:
                raise f.error(at, f"chapter {n} has no first_segment and no segment says chapter: {n}; "
                              "add first_segment")
        if not isinstance(first, int) or isinstance(first, bool) or not 0 <= first < len(raw_segments):
            raise f.error((*at, "first_segment"), f"first_segment {first!r} is not a segment number "
                          f"(0 to {len(raw_segments) - 1})")
        if n == 0 and first != 0:
            raise f.error((*at, "first_segment"), "the first chapter must start at segment 0")
        if chapters and first <= chapters[-1].first_segment:
            raise f.error((*at, "first_segment"), f"first_segment {first} must be greater than the previous "
                          f"chapter's ({chapters[-1].first_segment}); chapters go in order")
        chapters.append(Chapter(title=ctitle, first_segment=first))

    warnings: list[str] = f.warnings
    segments: list[Segment] = []
    ch = 0
    for i, d in enumerate(raw_segments):
        at = ("segments", i)
        _keys(f, d, _SEGMENT_KEYS, at)
        said = d.get("speaker")
        if not isinstance(said, str) or said not in by_id:
            raise f.error((*at, "speaker"), f"unknown speaker {said!r} in segment {i}; use one of "
                          f"{', '.join(by_id)} or add it under speakers")
        role = by_id[said].role
        if "role" in d and d["role"] is not None:
            given = _role(f, d["role"], (*at, "role"))
            if given != role:
                warnings.append(f"{f.path}:{f.line(*at, 'role')}: segment {i} role '{given}' does not match "
                                f"speaker '{said}' ({role}); the speaker's role is used")
        text = _str(f, d, "text", at)
        while ch + 1 < len(chapters) and chapters[ch + 1].first_segment <= i:
            ch += 1
        given_ch = d.get("chapter")
        if given_ch is not None and given_ch != ch:
            raise f.error((*at, "chapter"), f"segment {i} says chapter: {given_ch!r}, but the chapters' "
                          f"first_segment put it in chapter {ch}; make them agree, or delete the segments' "
                          "chapter: lines (first_segment decides)")
        language = d.get("language")
        if language is not None and language not in LANGUAGES:
            raise f.error((*at, "language"), f"segment {i} language {language!r} is not one of "
                          f"{', '.join(LANGUAGES)}; fix it or delete the line (detected per sentence)")
        segments.append(Segment(speaker=said, role=role, text=text, chapter=ch, language=language))
    return Script(title=title, date=when, lead=lead, speakers=speakers, segments=segments,
                  chapters=chapters, warnings=warnings)
