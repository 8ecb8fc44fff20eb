"""The EPUB 3 edition: text, media overlays and metadata read back from real renders (the bundled sample,
which has a show and a cover, and a round table with neither), and from small manifests for the edge cases."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, SAMPLE
from epub_helpers import NS, XML_LANG, Book, open_book, rendered, vtt_times
from mutagen.mp3 import MP3
from publish_helpers import make_episode

from audiobook.package.manifest import Manifest
from audiobook.publish.epub import write_epub
from audiobook.publish.epub.package import clock

ROUND_TABLE = DATA / "articles" / "round_table.txt"


@pytest.fixture(scope="module", params=["sample", "round_table"])
def episode(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    article = SAMPLE if request.param == "sample" else ROUND_TABLE
    return rendered(request.param, article, tmp_path_factory.mktemp(request.param))


def manifest_of(mp3: Path) -> Manifest:
    return Manifest.load(mp3.with_suffix(".json"))


@pytest.mark.slow
def test_every_sentence_has_one_overlay_pair_in_reading_order(episode: Path) -> None:
    m = manifest_of(episode)
    book = open_book(episode.with_suffix(".epub"))
    pars = book.pars()
    assert len(pars) == len(m.cues) > 0
    ids = [p.id for p in pars]
    assert len(set(ids)) == len(ids), "a sentence with two overlay pairs"
    # Each pair points at a span that exists in its document, and the pairs follow the text's order.
    in_text = [(doc, i) for doc in book.spine for i in book.span_ids(doc)]
    assert [(p.doc, p.id) for p in pars] == in_text
    spans = {(doc, e.get("id")): "".join(e.itertext()) for doc in book.spine
             for e in book.xml(doc).iter(f"{{{NS['x']}}}span") if e.get("id")}
    assert [spans[(p.doc, p.id)] for p in pars] == [c.text for c in m.cues]
    # Inside the audio (its length measured by mutagen from the MP3 in the book), never backwards.
    audio = {p.audio for p in pars}
    assert len(audio) == 1
    inner = book.zip.read(audio.pop())
    assert inner == episode.read_bytes()
    length = MP3(episode).info.length
    assert all(0 <= p.begin < p.end <= length + 0.05 for p in pars)
    assert all(a.end <= b.begin for a, b in zip(pars, pars[1:], strict=False))


@pytest.mark.slow
def test_overlay_times_are_the_cue_times(episode: Path) -> None:
    m = manifest_of(episode)
    pars = open_book(episode.with_suffix(".epub")).pars()
    assert [(p.begin, p.end) for p in pars] == [(c.start, c.end) for c in m.cues]
    assert [(p.begin, p.end) for p in pars] == vtt_times(episode.with_suffix(".vtt"))


@pytest.mark.slow
def test_package_metadata(episode: Path) -> None:
    m = manifest_of(episode)
    book = open_book(episode.with_suffix(".epub"))
    names = book.zip.namelist()
    info = book.zip.getinfo("mimetype")
    assert names[0] == "mimetype" and info.compress_type == zipfile.ZIP_STORED and not info.extra
    assert book.zip.read("mimetype") == b"application/epub+zip"
    stored = json.loads(episode.with_suffix(".json").read_text(encoding="utf-8"))
    assert stored["epub"] == episode.with_suffix(".epub").name == m.extra["epub"]
    assert book.opf.get("version") == "3.0"
    assert book.opf.findtext("opf:metadata/dc:language", namespaces=NS) == "kk"
    assert book.opf.findtext("opf:metadata/dc:title", namespaces=NS) == m.title
    # media:duration per overlay, and in total their sum; each overlay's is the sum of its clips.
    total = clock_s(book.metas("media:duration")[0])
    items = {i.get("id"): i for i in book.opf.iterfind("opf:manifest/opf:item", NS)}
    per = {}
    for item in items.values():
        if item.get("media-type") == "application/smil+xml":
            (value,) = book.metas("media:duration", "#" + item.get("id", ""))
            per[item.get("id")] = clock_s(value)
    assert len(per) == len(book.overlays) > 1
    assert total == pytest.approx(sum(per.values()), abs=1e-6)
    assert total == pytest.approx(sum(c.end - c.start for c in m.cues), abs=0.002 * len(m.cues))
    assert book.metas("media:active-class") == ["-epub-media-overlay-active"]
    css = book.zip.read("EPUB/style.css").decode()
    assert ".-epub-media-overlay-active" in css
    # Accessibility (EPUB Accessibility 1.1).
    assert set(book.metas("schema:accessMode")) == {"textual", "auditory"}
    assert {"textual", "auditory", "textual,auditory"} <= set(book.metas("schema:accessModeSufficient"))
    assert {"synchronizedAudioText", "readingOrder", "tableOfContents", "structuralNavigation"} <= set(
        book.metas("schema:accessibilityFeature"))
    assert book.metas("schema:accessibilityHazard") == ["none"]
    assert book.metas("schema:accessibilitySummary")[0]
    assert book.metas("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert book.metas("a11y:certifiedBy")
    # The cover is the episode's artwork, the same bytes as in the MP3.
    (cover,) = [i for i in items.values() if "cover-image" in (i.get("properties") or "")]
    apic = MP3(episode).tags.getall("APIC")[0]  # type: ignore[union-attr]
    assert book.zip.read("EPUB/" + cover.get("href", "")) == apic.data
    assert cover.get("media-type") == apic.mime


def clock_s(value: str) -> float:
    h, mnt, s = value.split(":")
    return int(h) * 3600 + int(mnt) * 60 + float(s)


@pytest.mark.slow
def test_text_documents(episode: Path) -> None:
    m = manifest_of(episode)
    book = open_book(episode.with_suffix(".epub"))
    docs = [book.xml(d) for d in book.spine]
    for root in docs:
        assert root.get("lang") == root.get(XML_LANG) == "kk"
    first = docs[0]
    h1 = first.find(".//x:h1", NS)
    assert h1 is not None and "".join(h1.itertext()) == m.title
    lead = first.find(".//x:p[@class='lead']", NS)
    assert lead is not None and "".join(lead.itertext()) == m.lead
    # A section per chapter, and each turn opens with its speaker's name.
    assert len(docs) == len(m.chapters)
    for root, ch in zip(docs[1:], m.chapters[1:], strict=True):
        section = root.find(".//x:section", NS)
        assert section is not None and section.get(f"{{{NS['epub']}}}type") == "chapter"
        assert section.findtext("x:h2", namespaces=NS) == ch.title
    speakers = ["".join(e.itertext()).rstrip(":") for root in docs for e in root.iter(f"{{{NS['x']}}}span")
                if e.get("class") == "speaker"]
    names = {s.name for s in m.speakers if s.role != "narrator"}
    assert names <= set(speakers)
    # The navigation document lists every chapter, each link landing on its heading.
    nav = book.xml("EPUB/nav.xhtml")
    toc = nav.find(".//x:nav[@id='toc']", NS)
    assert toc is not None and toc.get(f"{{{NS['epub']}}}type") == "toc"
    links = [(a.get("href", ""), "".join(a.itertext())) for a in toc.iter(f"{{{NS['x']}}}a")]
    assert [t for _, t in links] == [c.title for c in m.chapters]
    for href, _ in links:
        doc, _, frag = href.partition("#")
        assert book.xml("EPUB/" + doc).find(f".//*[@id='{frag}']") is not None


def small_book(tmp_path: Path, **kw: object) -> tuple[Manifest, Book]:
    d = make_episode(tmp_path, "ep", "Агрономмен сұхбат", "2025-10-18", **kw).to_json()  # type: ignore[arg-type]
    m = Manifest.from_json(d)
    cover = tmp_path / "cover.jpg"
    from audiobook.publish.cover import make_cover

    make_cover(None, m.title, cover)
    write_epub(m, tmp_path / "ep.mp3", cover, tmp_path / "ep.epub")
    return m, open_book(tmp_path / "ep.epub")


@pytest.mark.slow
def test_unspoken_sentence_stays_in_the_text_without_a_pair(tmp_path: Path) -> None:
    d = make_episode(tmp_path, "ep", "Тақырып", None).to_json()
    # The pipeline leaves out a sentence with nothing to speak: in the text, it has no overlay pair.
    d["segments"][1]["text"] = "Сәлеметсіз бе? 2025. Биылғы егін қалай?"
    (tmp_path / "ep.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    m = Manifest.from_json(d)
    cover = tmp_path / "c.jpg"
    from audiobook.publish.cover import make_cover

    make_cover("Шоу", m.title, cover)
    body = write_epub(m, tmp_path / "ep.mp3", cover, tmp_path / "ep.epub")
    assert body.unspoken == 1
    book = open_book(tmp_path / "ep.epub")
    assert len(book.pars()) == len(m.cues)
    text = "".join(t for doc in book.spine for t in book.xml(doc).itertext())
    assert "2025." in text
    assert "auditory" not in book.metas("schema:accessModeSufficient")  # audio alone misses a sentence


@pytest.mark.slow
def test_article_text_stays_text(tmp_path: Path) -> None:
    evil = '<script>alert(1)</script> & <img src=x onerror="x()"> \x01'
    m, book = small_book(tmp_path, lead=evil, paragraphs=[("narrator", [f"Кіріспе {evil}.", "Екінші."]),
                                                          ("interviewer", ["Сұрақ?"])])
    for doc in book.spine:
        root = book.xml(doc)  # well-formed XML despite the markup and the control character
        assert root.find(".//x:script", NS) is None and root.find(".//x:img", NS) is None
    assert "<script>alert(1)</script>" in "".join(book.xml(book.spine[0]).itertext())
    assert len(book.pars()) == len(m.cues)


@pytest.mark.slow
def test_opf_is_well_formed_and_identifier_stable(tmp_path: Path) -> None:
    m1, b1 = small_book(tmp_path / "a")
    m2, b2 = small_book(tmp_path / "b")
    ident = "opf:metadata/dc:identifier"
    assert b1.opf.findtext(ident, namespaces=NS) == b2.opf.findtext(ident, namespaces=NS)
    assert b1.opf.findtext(ident, namespaces=NS).startswith("urn:uuid:")  # type: ignore[union-attr]
    ET.fromstring(b1.zip.read("EPUB/nav.xhtml"))


def test_clock() -> None:
    assert clock(0) == "0:00:00.000"
    assert clock(3_723_456) == "1:02:03.456"


@pytest.mark.slow
def test_unknown_format_refused_before_synthesis(tmp_path: Path) -> None:
    from conftest import run_cli

    r = run_cli("render", str(ROUND_TABLE), "-o", str(tmp_path / "out"), "--format", "m4b,pdf", "--format", "epub")
    assert r.returncode == 1
    assert r.stderr.strip() == "error: --format pdf: unknown; use epub, m4b, mp3"
    assert not (tmp_path / "out").exists()
