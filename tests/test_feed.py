"""The podcast feed: required tags true to the files, stable items, escaping, show details, errors."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

import feedparser
import podcastparser
import pytest
from conftest import ROOT, run_cli
from mutagen.mp3 import MP3
from publish_helpers import make_episode

from audiobook.errors import AudiobookError
from audiobook.package.manifest import Manifest, Show
from audiobook.publish.feed import parse_category, write_feed

BASE = "https://example.org/kk/podcast/"
COVER = ROOT / "examples" / "cover.png"
NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}
SHOW = Show(title="Ауыл үні", author="Редакция", description="Ауыл туралы сұхбаттар.", image="cover.jpg",
            category="News/Politics", explicit=False)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "out"
    make_episode(d, "agronom", "Агрономмен сұхбат", "2025-10-18", sentence_seconds=1.0)
    make_episode(d, "mektep", "Мектеп директорымен сұхбат", "2025-10-20", sentence_seconds=1.3, freq=550,
                 lead="Білім туралы әңгіме.")
    (d / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    return d


def items(path: Path) -> list[ET.Element]:
    return ET.parse(path).getroot().findall("channel/item")


def item_blocks(path: Path) -> dict[str, str]:
    """Raw text of each <item> keyed by guid, to compare bytes across runs."""
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"<item>.*?</item>", text, flags=re.S)
    return {re.search(r"<guid[^>]*>(.*?)</guid>", b).group(1): b for b in blocks}  # type: ignore[union-attr]


def local(folder: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    return folder / url[len(BASE):]


@pytest.mark.slow
def test_feed_for_two_episodes_has_every_required_tag_true_to_the_files(folder: Path) -> None:
    out = write_feed(folder, BASE.rstrip("/"), SHOW)  # base URL without the slash works too
    assert out == folder / "feed.xml"
    raw = out.read_text(encoding="utf-8")
    # Namespaces declared once, on the root.
    for prefix in ("itunes", "podcast", "atom"):
        assert raw.count(f"xmlns:{prefix}=") == 1
    root = ET.parse(out).getroot()
    assert root.tag == "rss" and root.attrib["version"] == "2.0"
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Ауыл үні"
    assert channel.findtext("description") == "Ауыл туралы сұхбаттар."
    assert channel.findtext("language") == "kk"
    assert channel.findtext("link") == BASE
    assert channel.find("atom:link[@rel='self']", NS).attrib["href"] == BASE + "feed.xml"
    assert channel.find("itunes:image", NS).attrib["href"] == BASE + "cover.jpg"
    assert channel.findtext("image/url") == BASE + "cover.jpg"
    category = channel.find("itunes:category", NS)
    assert category.attrib["text"] == "News"
    assert category.find("itunes:category", NS).attrib["text"] == "Politics"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    assert channel.findtext("itunes:author", namespaces=NS) == "Редакция"
    assert re.fullmatch(r"[0-9a-f-]{36}", channel.findtext("podcast:guid", namespaces=NS))
    parsedate_to_datetime(channel.findtext("lastBuildDate"))

    found = items(out)
    assert [i.findtext("title") for i in found] == ["Мектеп директорымен сұхбат", "Агрономмен сұхбат"]
    assert [i.findtext("description") for i in found] == ["Білім туралы әңгіме.", "Агрономмен сұхбат."]
    for item, day in zip(found, ("2025-10-20", "2025-10-18"), strict=True):
        enclosure = item.find("enclosure")
        mp3 = local(folder, enclosure.attrib["url"])
        assert enclosure.attrib["type"] == "audio/mpeg"
        assert int(enclosure.attrib["length"]) == os.path.getsize(mp3)
        assert abs(int(item.findtext("itunes:duration", namespaces=NS)) - MP3(mp3).info.length) <= 1.0
        guid = item.find("guid")
        assert guid.attrib["isPermaLink"] == "false" and guid.text
        pub = item.findtext("pubDate")
        assert pub == format_datetime(datetime.fromisoformat(day).replace(tzinfo=UTC))
        assert parsedate_to_datetime(pub).date().isoformat() == day
        chapters = item.find("podcast:chapters", NS)
        assert chapters.attrib["type"] == "application/json+chapters"
        assert local(folder, chapters.attrib["url"]).name == mp3.stem + ".chapters.json"
        transcripts = {t.attrib["type"]: t.attrib for t in item.findall("podcast:transcript", NS)}
        assert local(folder, transcripts["text/vtt"]["url"]).name == mp3.stem + ".vtt"
        assert local(folder, transcripts["application/json"]["url"]).name == mp3.stem + ".transcript.json"
        assert all(t["language"] == "kk" for t in transcripts.values())
        assert local(folder, item.findtext("link")).name == mp3.stem + ".html"

    # Every URL in the feed is under the base URL and names a file that exists.
    urls = [el.attrib[a] for el in root.iter() for a in ("url", "href") if a in el.attrib]
    urls += [el.text for el in root.iter() if el.tag in ("link", "url") and el.text]
    assert len(urls) > 15
    for url in urls:
        assert url.startswith(BASE)
        if url != BASE:
            assert local(folder, url).is_file(), url


@pytest.mark.slow
def test_rerun_is_stable_and_new_episode_keeps_old_items(folder: Path) -> None:
    out = write_feed(folder, BASE, SHOW)
    first = out.read_bytes()
    first_items = item_blocks(out)
    assert len(first_items) == 2
    # Nothing changed: the file is left as it was (lastBuildDate too).
    assert write_feed(folder, BASE, SHOW) == out
    assert out.read_bytes() == first

    make_episode(folder, "zheke", "Кәсіпкермен сұхбат", "2025-10-19", freq=330)
    write_feed(folder, BASE, SHOW)
    after = item_blocks(out)
    assert len(after) == 3
    for guid, block in first_items.items():
        assert after[guid] == block, "an old item changed"
    titles = [i.findtext("title") for i in items(out)]
    assert titles == ["Мектеп директорымен сұхбат", "Кәсіпкермен сұхбат", "Агрономмен сұхбат"]
    assert not [p for p in folder.iterdir() if p.name.startswith(".")], "temp file left behind"


@pytest.mark.slow
def test_guid_survives_rerender_under_another_name(folder: Path, tmp_path: Path) -> None:
    write_feed(folder, BASE, SHOW)
    before = {i.findtext("title"): i.findtext("guid") for i in items(folder / "feed.xml")}
    other = tmp_path / "moved"
    make_episode(other, "agronom-v2", "Агрономмен сұхбат", "2025-10-18", freq=880)
    write_feed(other, "https://cdn.example.net/", Show(title="Ауыл үні"))
    (item,) = items(other / "feed.xml")
    assert item.findtext("guid") == before["Агрономмен сұхбат"]
    assert item.findtext("guid") != before["Мектеп директорымен сұхбат"]


@pytest.mark.slow
def test_undated_episode_keeps_its_first_pubdate(tmp_path: Path) -> None:
    d = tmp_path / "out"
    make_episode(d, "nodate", "Күні жоқ сұхбат", None)
    write_feed(d, BASE, Show(title="Шоу"))
    (item,) = items(d / "feed.xml")
    first = item.findtext("pubDate")
    parsedate_to_datetime(first)
    os.utime(d / "nodate.mp3", (1_000_000_000, 1_000_000_000))  # e.g. copied without timestamps
    make_episode(d, "dated", "Күні бар сұхбат", "2025-01-02")
    write_feed(d, BASE, Show(title="Шоу"))
    pub = {i.findtext("title"): i.findtext("pubDate") for i in items(d / "feed.xml")}
    assert pub["Күні жоқ сұхбат"] == first


@pytest.mark.slow
def test_markup_in_article_text_stays_text(tmp_path: Path) -> None:
    d = tmp_path / "out"
    evil = '<script>alert("x")</script> & <b>bold</b>'
    make_episode(d, "evil", evil, "2025-10-18", lead=evil, paragraphs=[("interviewer", [evil])])
    write_feed(d, BASE, Show(title=evil, description=evil, author=evil))
    raw = (d / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw and "<b>" not in raw
    assert "&lt;script&gt;" in raw
    (item,) = items(d / "feed.xml")
    assert item.findtext("title") == evil and item.findtext("description") == evil
    channel = ET.parse(d / "feed.xml").getroot().find("channel")
    assert channel.findtext("title") == evil
    assert channel.findtext("itunes:author", namespaces=NS) == evil


@pytest.mark.slow
def test_show_details_from_podcast_toml_with_options_winning(folder: Path) -> None:
    (folder / "podcast.toml").write_text(
        'title = "Файлдағы атау"\nauthor = "Автор"\ndescription = "Сипаттама"\n'
        'image = "https://img.example.org/art.png"\ncategory = "daily news"\nexplicit = true\n'
        'link = "https://example.org/"\nemail = "podcast@example.org"\n',
        encoding="utf-8",
    )
    write_feed(folder, BASE, Show(title="Опциядағы атау"))
    channel = ET.parse(folder / "feed.xml").getroot().find("channel")
    assert channel.findtext("title") == "Опциядағы атау"
    assert channel.findtext("description") == "Сипаттама"
    assert channel.findtext("link") == "https://example.org/"
    assert channel.find("itunes:image", NS).attrib["href"] == "https://img.example.org/art.png"
    category = channel.find("itunes:category", NS)
    assert category.attrib["text"] == "News"
    assert category.find("itunes:category", NS).attrib["text"] == "Daily News"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "true"
    assert channel.findtext("itunes:owner/itunes:email", namespaces=NS) == "podcast@example.org"

    write_feed(folder, BASE, Show(explicit=False))
    channel = ET.parse(folder / "feed.xml").getroot().find("channel")
    assert channel.findtext("title") == "Файлдағы атау"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"


def test_show_merge() -> None:
    base = Show(title="A", author="B", explicit=True)
    merged = base.merge(Show(author="C", explicit=False))
    assert (merged.title, merged.author, merged.explicit) == ("A", "C", False)
    assert base.merge(None) is base


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("News", ("News", None)),
        ("news/politics", ("News", "Politics")),
        ("Politics", ("News", "Politics")),
        ("Society & Culture > Documentary", ("Society & Culture", "Documentary")),
        ("technology", ("Technology", None)),
    ],
)
def test_parse_category(value: str, expected: tuple[str, str | None]) -> None:
    assert parse_category(value) == expected


def one_line_error(exc: pytest.ExceptionInfo[AudiobookError]) -> str:
    message = str(exc.value)
    assert "\n" not in message and ";" in message
    return message


@pytest.mark.slow
def test_errors_are_one_line_and_name_the_fix(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(AudiobookError) as exc:
        write_feed(folder, BASE, Show(author="x"))
    assert one_line_error(exc).startswith("show title: missing")
    for bad in ("example.org/podcast", "ftp://example.org/", "", "https://example.org/?a=1"):
        with pytest.raises(AudiobookError) as exc:
            write_feed(folder, bad, SHOW)
        assert one_line_error(exc).startswith("base URL:")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.json").write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(AudiobookError) as exc:
        write_feed(empty, BASE, SHOW)
    assert str(empty) in one_line_error(exc)
    with pytest.raises(AudiobookError) as exc:
        write_feed(folder, BASE, replace(SHOW, category="Cooking"))
    assert one_line_error(exc).startswith("category:")
    with pytest.raises(AudiobookError) as exc:
        write_feed(folder, BASE, replace(SHOW, image="missing.jpg"))
    assert one_line_error(exc).startswith("image:")
    (folder / "podcast.toml").write_text('titel = "typo"\n', encoding="utf-8")
    with pytest.raises(AudiobookError) as exc:
        write_feed(folder, BASE, SHOW)
    assert "titel" in one_line_error(exc)
    (folder / "podcast.toml").unlink()
    (folder / "agronom.mp3").unlink()
    with pytest.raises(AudiobookError) as exc:
        write_feed(folder, BASE, SHOW)
    assert "agronom.mp3" in one_line_error(exc)
    assert not (folder / "feed.xml").exists()



def read_back(path: Path) -> tuple[Any, dict[str, Any]]:
    """The feed as feedparser and podcastparser read it; both must take it without complaint."""
    data = path.read_bytes()
    fp = feedparser.parse(data)
    assert not fp.bozo, fp.get("bozo_exception")
    pp = podcastparser.parse(BASE + "feed.xml", io.BytesIO(data))
    return fp, pp


def persons(path: Path) -> list[list[tuple[str, str]]]:
    """(role, name) of each item's <podcast:person>s, by ElementTree: podcastparser 0.6 knows the namespace
    only by its old GitHub address, feedparser keeps no name."""
    return [[(p.attrib["role"], p.text or "") for p in item.findall("podcast:person", NS)] for item in items(path)]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Two episodes rendered with their show's name and a cover, as `audiobook render --show --cover`."""
    d = tmp_path / "site"
    show = Show(title="Ауыл үні", author="Редакция")
    make_episode(d, "agronom", "Агрономмен сұхбат", "2025-10-18", show=show, cover=COVER)
    make_episode(d, "mektep", "Мектеп директорымен сұхбат", "2025-10-20", show=replace(show, author=None),
                 cover=COVER, freq=550, sentence_seconds=1.3)
    return d


@pytest.mark.slow
def test_feed_without_title_read_back_by_feedparser_and_podcastparser(site: Path) -> None:
    warnings: list[str] = []
    out = write_feed(site, BASE, warn=warnings.append)
    assert not warnings
    fp, pp = read_back(out)
    assert fp.feed.title == pp["title"] == "Ауыл үні"
    assert fp.feed.image.href == pp["cover_url"] == BASE + "cover.png"
    assert (site / "cover.png").read_bytes() == COVER.read_bytes()
    assert pp["itunes_author"] == "Редакция"
    titles = ["Мектеп директорымен сұхбат", "Агрономмен сұхбат"]
    assert [e.title for e in fp.entries] == [e["title"] for e in pp["episodes"]] == titles
    for entry, episode in zip(fp.entries, pp["episodes"], strict=True):
        (enclosure,) = episode["enclosures"]
        mp3 = local(site, enclosure["url"])
        assert enclosure["file_size"] == os.path.getsize(mp3) and enclosure["mime_type"] == "audio/mpeg"
        assert entry.enclosures[0].href == enclosure["url"]
        assert abs(episode["total_time"] - MP3(mp3).info.length) <= 1.0
        assert int(entry.itunes_duration) == episode["total_time"]
        assert episode["episode_art_url"] == entry.image.href == BASE + "cover.png"
        assert entry.podcast_person["group"] == "cast"
    assert persons(out) == [[("host", "Тілші"), ("guest", "Айгүл Серікқызы")]] * 2


@pytest.mark.slow
def test_episodes_naming_different_shows_give_the_newest_with_a_warning(site: Path) -> None:
    make_episode(site, "zheke", "Кәсіпкермен сұхбат", "2025-10-25", show=Show(title="Қала үні"), freq=330)
    warnings: list[str] = []
    write_feed(site, BASE, warn=warnings.append)
    fp, _ = read_back(site / "feed.xml")
    assert fp.feed.title == "Қала үні"
    (warning,) = warnings
    assert "'Қала үні'" in warning and "'Ауыл үні'" in warning and "--title" in warning
    # Every episode has artwork: the newest one's (generated, as no cover was given) serves the channel too.
    assert fp.feed.image.href == BASE + "zheke.jpg" and fp.entries[0].image.href == BASE + "zheke.jpg"
    write_feed(site, BASE, Show(title="Үн"), warn=warnings.append)
    assert len(warnings) == 1 and read_back(site / "feed.xml")[0].feed.title == "Үн"


@pytest.mark.slow
def test_cli_feed_without_any_title_is_one_line(tmp_path: Path) -> None:
    d = tmp_path / "out"
    make_episode(d, "agronom", "Агрономмен сұхбат", "2025-10-18")
    r = run_cli("feed", str(d), "--base-url", BASE)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert r.stderr.startswith("error: show title: missing") and "--title" in r.stderr
    assert not (d / "feed.xml").exists()
    r = run_cli("feed", str(d), "--base-url", BASE, "--title", "Ауыл үні")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(d / "feed.xml")


@pytest.mark.parametrize(
    ("damage", "needle"),
    [
        (lambda m: {**m, "version": 0}, "manifest version 0"),
        (lambda m: {"title": "бөтен файл"}, "not an audiobook manifest"),
        (lambda m: {k: v for k, v in m.items() if k != "cues"}, "damaged audiobook manifest"),
        (lambda m: {**m, "duration": "ұзақ"}, "damaged audiobook manifest"),
        (lambda m: {**m, "date": "18.10.2025"}, "damaged audiobook manifest"),
    ],
)
@pytest.mark.slow
def test_old_foreign_or_damaged_manifest_is_one_line(folder: Path, damage: Any, needle: str) -> None:
    path = folder / "agronom.json"
    path.write_text(json.dumps(damage(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")
    with pytest.raises(AudiobookError) as exc:
        write_feed(folder, BASE, SHOW)
    message = one_line_error(exc)
    assert message.startswith(str(path)) and needle in message
    assert not (folder / "feed.xml").exists()


@pytest.mark.slow
def test_bad_types_in_podcast_toml_name_the_file(folder: Path) -> None:
    (folder / "podcast.toml").write_text("title = 123\n", encoding="utf-8")
    with pytest.raises(AudiobookError) as exc:
        write_feed(folder, BASE)
    assert one_line_error(exc) == f"{folder / 'podcast.toml'}: title is 123, not text; write it in quotes"


@pytest.mark.slow
def test_cli_feed_on_real_renders_without_title(sample_episode: Path, tmp_path: Path) -> None:
    """The bundled sample (show and cover from its podcast.toml) and a second real render naming the same
    show: `audiobook feed DIR --base-url URL` alone gives a feed both parsers read, with the artwork."""
    site = tmp_path / "site"
    site.mkdir()
    for p in sample_episode.parent.iterdir():
        if p.suffix != ".m4b":
            shutil.copy(p, site)
    note = tmp_path / "note.txt"
    note.write_text("date 2026-03-20 Оқырманмен қысқа сұхбат\nКітап туралы.\n\n— Сізге қандай кітап ұнайды?\n"
                    "— Маған тарихи романдар ұнайды.\n", encoding="utf-8")
    r = run_cli("render", str(note), "-o", str(site), "-q", "--show", "Кітап әлемі", "--cover", str(COVER))
    assert r.returncode == 0, r.stderr
    r = run_cli("feed", str(site), "--base-url", BASE)
    assert r.returncode == 0 and not r.stderr, r.stderr
    fp, pp = read_back(site / "feed.xml")
    assert fp.feed.title == "Кітап әлемі" and pp["cover_url"] == BASE + "cover.png"
    sample = Manifest.load(sample_episode.with_suffix(".json"))
    assert [e["title"] for e in pp["episodes"]] == ["Оқырманмен қысқа сұхбат", sample.title]
    for episode in pp["episodes"]:
        (enclosure,) = episode["enclosures"]
        mp3 = local(site, enclosure["url"])
        assert enclosure["file_size"] == os.path.getsize(mp3)
        assert abs(episode["total_time"] - MP3(mp3).info.length) <= 1.0
        assert episode["episode_art_url"] == BASE + "cover.png"
    named = [(r, s.name) for s in sample.speakers for role, r in (("interviewer", "host"), ("interviewee", "guest"))
             if s.role == role]
    assert persons(site / "feed.xml")[1] == named and len(named) >= 2


@pytest.mark.slow
def test_names_and_control_characters_do_not_lose_an_episode(tmp_path: Path) -> None:
    """An episode named like a sidecar is still an episode; hidden leftovers are not; a control character
    in an old manifest's title does not block the feed."""
    site = tmp_path / "site"
    make_episode(site, "сұхбат.transcript", "Кітапхана туралы сұхбат", "2025-10-18", show=Show(title="Ауыл үні"))
    make_episode(site, "екінші", "Мектеп туралы", "2025-10-19", show=Show(title="Ауыл үні"))
    manifest = site / "екінші.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["title"] = "Мектеп\x1b туралы"
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (site / ".екінші.partial-1.json").write_text("{not json", encoding="utf-8")
    write_feed(site, BASE)
    fp, _ = read_back(site / "feed.xml")
    assert sorted(e.title for e in fp.entries) == ["Кітапхана туралы сұхбат", "Мектеп туралы"]
