"""The editable script: YAML/JSON round trips, edits that take effect, and one-line errors with lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from audiobook.errors import AudiobookError
from audiobook.text.parse import parse_article
from audiobook.text.script import Script, is_script_file
from audiobook.text.scriptfile import dump_json, dump_yaml, format_script, load_script_file
from audiobook.text.source import read_text
from audiobook.voice.resolve import find_profile

ARTICLES = Path(__file__).parent / "data" / "articles"


@pytest.fixture(autouse=True)
def test_voices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A voice folder of our own, so the checks do not depend on the project's voices/."""
    d = tmp_path / "voices"
    d.mkdir()
    (d / "kk-test-voice.toml").write_text('engine = "espeak"\nvoice = "kk"\npitch = 40\n', encoding="utf-8")
    monkeypatch.setenv("AUDIOBOOK_VOICES", str(d))
    return d


def script(name: str = "round_table.txt") -> Script:
    return parse_article(read_text(ARTICLES / name), name)


def write(tmp_path: Path, text: str, name: str = "episode.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing needle."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def error_of(path: Path) -> str:
    with pytest.raises(AudiobookError) as e:
        load_script_file(path, check_voice=find_profile)
    msg = str(e.value)
    assert "\n" not in msg
    return msg


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in ARTICLES.glob("*.txt")))
def test_yaml_and_json_round_trip(tmp_path: Path, name: str) -> None:
    s = script(name)
    assert load_script_file(write(tmp_path, dump_yaml(s))).to_dict() == s.to_dict()
    assert load_script_file(write(tmp_path, dump_json(s), "episode.json")).to_dict() == s.to_dict()


def test_yaml_is_readable_and_json_has_the_documented_shape() -> None:
    s = script("hyphen_turns.txt")
    text = dump_yaml(s)
    assert text.startswith("# ") and "Сәуле Мұратқызы" in text  # comment header; unicode not escaped
    assert "# [2]" in text and "# ---- chapter 1: Бұл рас па?" in text
    assert yaml.safe_load(text)["speakers"][2] == {"id": "interviewee", "name": "Сәуле Мұратқызы",
                                                   "role": "interviewee", "voice": None}
    d = json.loads(dump_json(s))
    assert d["date"] == "2024-11-02" and "Сәуле" in dump_json(s)
    assert [seg["role"] for seg in d["segments"]] == [seg.role for seg in s.segments]
    assert d["chapters"][1] == {"title": "Бұл рас па?", "first_segment": 2}


def test_edits_take_effect(tmp_path: Path) -> None:
    text = dump_yaml(script())
    data = yaml.safe_load(text)
    data["segments"][4]["speaker"] = "nurlan-abdikov"  # fix an attribution; the role follows
    data["chapters"][2]["title"] = "Ата-аналар не дейді"
    data["speakers"][2]["voice"] = "kk-test-voice"
    del data["segments"][5]["role"]
    for seg in data["segments"]:
        del seg["chapter"]  # optional: first_segment decides
    s = load_script_file(write(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)))
    assert s.segments[4].speaker == "nurlan-abdikov" and s.segments[4].role == "interviewee"
    assert s.segments[5].role == "interviewee"
    assert s.chapters[2].title == "Ата-аналар не дейді"
    assert s.speaker("aygul-serikqyzy").voice == "kk-test-voice"
    assert [seg.chapter for seg in s.segments] == [seg.chapter for seg in script().segments]
    assert s.warnings == []


def test_role_contradicting_the_speaker_follows_the_speaker(tmp_path: Path) -> None:
    text = dump_yaml(script())
    data = yaml.safe_load(text)
    data["segments"][3]["speaker"] = "interviewer"  # role line left as "interviewee"
    s = load_script_file(write(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)))
    assert s.segments[3].role == "interviewer"
    assert len(s.warnings) == 1 and "segment 3" in s.warnings[0]


def test_voice_path_relative_to_the_script(tmp_path: Path, test_voices: Path) -> None:
    text = dump_yaml(script()).replace("voice: null", "voice: voices/kk-test-voice.toml", 1)
    s = load_script_file(write(tmp_path, text))
    assert s.speaker("narrator").voice == str((test_voices / "kk-test-voice.toml").resolve())


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    text = dump_yaml(script())
    lines = text.splitlines()
    bad = line_of(text, "text: Ата-аналарды да")
    lines[bad - 1] = lines[bad - 1].replace("text: ", "text: [unclosed ")
    msg = error_of(write(tmp_path, "\n".join(lines)))
    assert msg.startswith(f"{tmp_path / 'episode.yaml'}:") and "invalid YAML" in msg
    reported = int(msg.split(":")[1])
    assert bad <= reported <= bad + 1  # yaml reports where it noticed: this line or the next


def test_tab_indentation_is_invalid_yaml_with_line(tmp_path: Path) -> None:
    text = dump_yaml(script()).replace("  role: narrator", "\trole: narrator", 1)
    msg = error_of(write(tmp_path, text))
    assert f"episode.yaml:{line_of(text, chr(9) + 'role')}:" in msg


def test_unknown_role_names_its_line(tmp_path: Path) -> None:
    text = dump_yaml(script())
    text = text.replace("  role: interviewer\n  text: Ата-ана", "  role: moderator\n  text: Ата-ана")
    msg = error_of(write(tmp_path, text))
    assert f"episode.yaml:{line_of(text, 'role: moderator')}: unknown role 'moderator'" in msg
    assert "narrator, interviewer, interviewee" in msg


def test_unknown_speaker_role_names_its_line(tmp_path: Path) -> None:
    text = dump_yaml(script()).replace("  role: narrator\n  voice", "  role: host\n  voice", 1)
    msg = error_of(write(tmp_path, text))
    assert f"episode.yaml:{line_of(text, 'role: host')}: unknown role 'host'" in msg


def test_unknown_speaker_names_its_line(tmp_path: Path) -> None:
    text = dump_yaml(script()).replace("- speaker: madina-tolegen", "- speaker: madina", 1)
    msg = error_of(write(tmp_path, text))
    assert f"episode.yaml:{line_of(text, 'speaker: madina')}: unknown speaker 'madina'" in msg
    assert "madina-tolegen" in msg  # lists the valid ids


def test_unknown_voice_names_its_line(tmp_path: Path) -> None:
    text = dump_yaml(script())
    lines = text.splitlines()
    at = line_of(text, "voice: null", 3)
    lines[at - 1] = "  voice: no-such-voice"
    msg = error_of(write(tmp_path, "\n".join(lines)))
    assert msg.startswith(f"{tmp_path / 'episode.yaml'}:{at}: unknown voice 'no-such-voice'")
    assert "kk-test-voice" in msg  # the known voices are listed


def test_chapter_order_and_range(tmp_path: Path) -> None:
    text = dump_yaml(script())
    bad = text.replace("  first_segment: 6", "  first_segment: 1", 1)
    msg = error_of(write(tmp_path, bad))
    assert f"episode.yaml:{line_of(bad, 'first_segment: 1')}:" in msg and "greater than" in msg
    bad = text.replace("  first_segment: 9", "  first_segment: 99", 1)
    assert f"episode.yaml:{line_of(bad, 'first_segment: 99')}:" in error_of(write(tmp_path, bad))
    bad = text.replace("  first_segment: 0", "  first_segment: 1", 1)
    assert "must start at segment 0" in error_of(write(tmp_path, bad))


def test_segment_chapter_must_agree(tmp_path: Path) -> None:
    text = dump_yaml(script())
    lines = text.splitlines()
    at = line_of(text, "chapter: 2", 1)
    lines[at - 1] = "  chapter: 1"
    msg = error_of(write(tmp_path, "\n".join(lines)))
    assert msg.startswith(f"{tmp_path / 'episode.yaml'}:{at}:") and "first_segment" in msg


def test_other_errors(tmp_path: Path) -> None:
    text = dump_yaml(script())
    msg = error_of(write(tmp_path, text.replace("- speaker: narrator", "- speakr: narrator", 1)))
    assert "unknown key 'speakr'" in msg
    msg = error_of(write(tmp_path, text.replace("date: null", "date: 2025-02-30")))
    assert f"episode.yaml:{line_of(text, 'date: null')}:" in msg and "YYYY-MM-DD" in msg
    assert "not a script" in error_of(write(tmp_path, "- бір\n- екі\n"))
    msg = error_of(write(tmp_path, text.replace("  text: Ата-аналарды да ұмытпаңыздар.", "  text: ''")))
    assert "text" in msg
    msg = error_of(write(tmp_path, '{"title": "x",\n "speakers": [}', "episode.json"))
    assert "episode.json:2: invalid JSON" in msg
    with pytest.raises(AudiobookError, match="not found"):
        load_script_file(tmp_path / "missing.yaml")


def test_format_script_shows_who_says_what() -> None:
    out = format_script(script())
    assert "== Chapter 1: Құрметті қонақтар" in out
    assert "[3] [interviewee] Айгүл Серікқызы: Мен оны көмекші" in out
    assert "[12] [narrator] Диктор: Бұған дейін хабарланғандай" in out
    out = format_script(script("no_turns.txt"))
    assert out.count("[narrator] Диктор:") == 4 and "== Chapter 1" not in out
    assert "# Warning: no_turns.txt: no dialogue turns" in dump_yaml(script("no_turns.txt"))


def test_is_script_file() -> None:
    assert is_script_file(Path("a.yaml")) and is_script_file(Path("a.YML")) and is_script_file(Path("a.json"))
    assert not is_script_file(Path("a.txt"))
