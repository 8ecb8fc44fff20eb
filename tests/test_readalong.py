"""The read-along page: structure, accessibility hooks, escaping, self-containment."""

from __future__ import annotations

import base64
import copy
import hashlib
import re
from dataclasses import replace
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from publish_helpers import make_manifest

from audiobook.package.manifest import Manifest, Show
from audiobook.publish.readalong import render_readalong
from audiobook.text.script import Speaker

EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)> "quoted"'


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element] = []
        self.parts: list[str | Element] = []  # text and children in document order

    @property
    def text(self) -> str:
        return "".join(p for p in self.parts if isinstance(p, str))

    def all_text(self) -> str:
        return "".join(p if isinstance(p, str) else p.all_text() for p in self.parts)

    def iter(self, tag: str | None = None) -> list[Element]:
        found = [self] if tag in (None, self.tag) else []
        for child in self.children:
            found += child.iter(tag)
        return found

    def ancestors(self) -> list[str]:
        out, node = [], self.parent
        while node is not None:
            out.append(node.tag)
            node = node.parent
        return out


class Tree(HTMLParser):
    VOID = {"meta", "input", "img", "br", "link", "source"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.node = self.root
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, dict(attrs), self.node)
        self.node.children.append(el)
        self.node.parts.append(el)
        if tag not in self.VOID:
            self.node = el

    def handle_endtag(self, tag: str) -> None:
        node = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"stray </{tag}>"
        self.node = node.parent or self.root

    def handle_data(self, data: str) -> None:
        self.node.parts.append(data)


PARAGRAPHS = [
    ("narrator", ["Бүгін біз агрономмен сөйлесеміз."]),
    ("interviewer", ["Сәлеметсіз бе?", "Егін қалай?"]),
    ("interviewee", ["Жақсы."]),
    ("interviewee", ["Жаңбыр көп болды."]),
]
SPEAKERS = [
    Speaker("narrator", "Диктор", "narrator"),
    Speaker("interviewer", "Тілші", "interviewer"),
    Speaker("interviewee", "Айгүл", "interviewee"),
]


@pytest.fixture
def manifest(tmp_path: Path) -> Manifest:
    """What build_manifest gives for a four-paragraph interview in two chapters."""
    return make_manifest(tmp_path, show=Show(title="Ауыл үні"), lead="Егін туралы әңгіме.", paragraphs=PARAGRAPHS,
                         speakers=SPEAKERS)


def sentences(root: Element) -> list[Element]:
    return [el for el in root.iter("span") if "data-start" in el.attrs]


def test_page_structure_and_accessibility(manifest: Manifest) -> None:
    html = render_readalong(manifest)
    root = Tree(html).root
    assert html.startswith("<!DOCTYPE html>")
    (page,) = root.iter("html")
    assert page.attrs["lang"] == "kk"
    assert len(root.iter("main")) == 1
    (h1,) = root.iter("h1")
    assert h1.all_text() == "Агрономмен сұхбат"
    assert "main" in h1.ancestors()

    (audio,) = root.iter("audio")
    assert audio.attrs["src"] == "agronom.mp3"
    assert "controls" in audio.attrs and audio.attrs["preload"] == "metadata"

    (nav,) = root.iter("nav")
    heading = next(el for el in root.iter("h2") if el.attrs.get("id") == nav.attrs["aria-labelledby"])
    assert heading.all_text() == "Тараулар"
    buttons = nav.iter("button")
    assert [b.attrs["data-start"] for b in buttons] == [f"{c.start:.3f}" for c in manifest.chapters]
    assert buttons[0].attrs["data-start"] == "0.000" and len(buttons) == 2
    assert all(b.attrs["type"] == "button" for b in buttons)
    assert "Кіріспе" in buttons[0].all_text() and "0:00" in buttons[0].all_text()

    transcript = next(el for el in root.iter("section") if el.attrs.get("id") == "transcript")
    assert any(h.all_text() == "Мәтін" for h in transcript.iter("h2"))
    spans = sentences(transcript)
    assert [s.attrs["data-start"] for s in spans] == [f"{c.start:.3f}" for c in manifest.cues]
    assert [s.attrs["data-end"] for s in spans] == [f"{c.end:.3f}" for c in manifest.cues]
    assert len(spans) == 5
    for span in spans:
        assert span.attrs["tabindex"] == "0" and span.attrs["role"] == "button"
        assert "p" in span.ancestors()  # sentences read in their paragraph
    assert spans[2].all_text() == "Егін қалай?"
    # No sentence is "current" before playback starts.
    assert not [el for el in root.iter() if "aria-current" in el.attrs]

    # Speaker named once per run of paragraphs, chapters as headings inside the transcript.
    labels = [el.all_text() for el in transcript.iter("span") if el.attrs.get("class") == "speaker"]
    assert labels == ["Диктор:", "Тілші:", "Айгүл:"]
    assert [h.all_text() for h in transcript.iter("h3")] == ["Кіріспе", "Сұхбат"]
    assert '<time datetime="2025-10-18">2025 жылғы 18 қазан</time>' in html


def test_page_is_self_contained_and_csp_pins_inline_assets(manifest: Manifest) -> None:
    html = render_readalong(manifest)
    root = Tree(html).root
    assert not re.search(r"https?://", html), "no network references"
    assert not root.iter("link") and not root.iter("img") and not root.iter("iframe")
    (script,) = root.iter("script")
    (style,) = root.iter("style")
    assert "src" not in script.attrs
    js = resources.files("audiobook.publish").joinpath("readalong.js").read_text(encoding="utf-8")
    css = resources.files("audiobook.publish").joinpath("readalong.css").read_text(encoding="utf-8")
    assert script.text == js and style.text == css

    metas = root.iter("meta")
    csp = next(m.attrs["content"] for m in metas if m.attrs.get("http-equiv") == "Content-Security-Policy")

    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert "default-src 'none'" in csp
    assert f"script-src '{digest(js)}'" in csp and f"style-src '{digest(css)}'" in csp
    assert "unsafe-inline" not in csp
    # Reduced motion is honoured for the auto-scroll.
    assert "prefers-reduced-motion" in js and "prefers-reduced-motion" in css


def test_article_text_is_escaped_everywhere(tmp_path: Path) -> None:
    speakers = [SPEAKERS[0], Speaker('x" onclick="alert(1)', EVIL, "interviewer"), SPEAKERS[2]]
    paragraphs = [PARAGRAPHS[0], ('x" onclick="alert(1)', ["Сәлеметсіз бе?", EVIL]), *PARAGRAPHS[2:]]
    m = make_manifest(tmp_path, title=EVIL, lead=EVIL, show=Show(title=EVIL), paragraphs=paragraphs, speakers=speakers)
    m = replace(m, chapters=[m.chapters[0], replace(m.chapters[1], title=EVIL)])
    html = render_readalong(m)
    root = Tree(html).root
    assert len(root.iter("script")) == 1 and not root.iter("img")
    assert "<script>alert" not in html and "onerror=alert(1)>" not in html
    seg = next(p for p in root.iter("p") if p.attrs.get("data-speaker", "").startswith("x"))
    assert seg.attrs["data-speaker"] == 'x" onclick="alert(1)'  # stayed inside the attribute
    assert all(not k.startswith("on") for el in root.iter() for k in el.attrs)
    assert root.iter("h1")[0].all_text() == EVIL
    assert root.iter("title")[0].all_text() == EVIL
    assert sentences(root)[2].all_text() == EVIL
    assert any(el.all_text() == f"{EVIL}:" for el in root.iter("span") if el.attrs.get("class") == "speaker")
    assert any(b.all_text().startswith(EVIL) for b in root.iter("button"))
    # The script block holds only the static asset: no article text in it.
    assert EVIL not in root.iter("script")[0].text and "alert" not in root.iter("script")[0].text


def test_unspoken_segment_is_shown_untimed_in_place_and_pure(tmp_path: Path) -> None:
    """A paragraph with no word to speak (the render reports it) is in the page as text, not a sentence."""
    paragraphs = [PARAGRAPHS[0], PARAGRAPHS[1], ("interviewee", ["—"]), PARAGRAPHS[3]]
    m = make_manifest(tmp_path, paragraphs=paragraphs, speakers=SPEAKERS)
    assert m.segments[2].start is None and not [c for c in m.cues if c.segment == 2]
    before = copy.deepcopy(m)
    html = render_readalong(m)
    assert m == before, "render_readalong must not modify the manifest"
    assert html == render_readalong(m), "deterministic"
    root = Tree(html).root
    spans = sentences(root)
    assert [s.attrs["data-start"] for s in spans] == [f"{c.start:.3f}" for c in m.cues]
    paras = [p for p in root.iter("p") if p.attrs.get("class") == "segment"]
    assert [p.all_text().split(":")[-1].strip() for p in paras][2] == "—"
    assert not [el for el in paras[2].iter() if "data-start" in el.attrs]


def test_audio_name_is_url_quoted(tmp_path: Path) -> None:
    html = render_readalong(make_manifest(tmp_path, stem="сұхбат #1"))
    (audio,) = Tree(html).root.iter("audio")
    assert audio.attrs["src"] == "%D1%81%D2%B1%D1%85%D0%B1%D0%B0%D1%82%20%231.mp3"


def test_untitled_chapter_and_no_show(tmp_path: Path) -> None:
    m = make_manifest(tmp_path, show=None, day=None)
    m = replace(m, chapters=[replace(m.chapters[0], title=""), *m.chapters[1:]])
    root = Tree(render_readalong(m)).root
    assert root.iter("nav")[0].iter("button")[0].all_text().startswith("1-тарау")
    assert not [p for p in root.iter("p") if p.attrs.get("class") == "meta"]


def test_assets_cannot_break_out_of_inline_blocks() -> None:
    for name in ("readalong.js", "readalong.css"):
        text = resources.files("audiobook.publish").joinpath(name).read_text(encoding="utf-8")
        assert "</" not in text
