"""Reading a rendered EPUB back for the tests: the package, the overlays and the text documents."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "smil": "http://www.w3.org/ns/SMIL", "x": "http://www.w3.org/1999/xhtml",
      "epub": "http://www.idpf.org/2007/ops"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Par:
    doc: str  # the XHTML document's path in the zip
    id: str  # the span it points at
    begin: float
    end: float
    audio: str  # the audio file's path in the zip


@dataclass
class Book:
    zip: zipfile.ZipFile
    opf: ET.Element
    opf_path: str
    spine: list[str]  # the XHTML documents in reading order (paths in the zip)
    overlays: dict[str, str]  # XHTML path -> SMIL path

    def xml(self, path: str) -> ET.Element:
        return ET.fromstring(self.zip.read(path))

    def metas(self, prop: str, refines: str | None = None) -> list[str]:
        return [m.text or "" for m in self.opf.iterfind("opf:metadata/opf:meta", NS)
                if m.get("property") == prop and m.get("refines") == refines]

    def pars(self) -> list[Par]:
        """Every overlay pair, in spine order, then document order."""
        out = []
        for doc in self.spine:
            if doc not in self.overlays:
                continue
            smil = self.overlays[doc]
            for par in self.xml(smil).iter(f"{{{NS['smil']}}}par"):
                text, audio = par.find("smil:text", NS), par.find("smil:audio", NS)
                assert text is not None and audio is not None
                target, _, frag = text.get("src", "").partition("#")
                assert _resolve(smil, target) == doc, f"{smil} points into {target}, not its own document"
                out.append(Par(doc, frag, clock(audio.get("clipBegin", "")), clock(audio.get("clipEnd", "")),
                               _resolve(smil, audio.get("src", ""))))
        return out

    def span_ids(self, doc: str) -> list[str]:
        """The ids of the sentence spans of a document, in document order."""
        return [e.get("id", "") for e in self.xml(doc).iter(f"{{{NS['x']}}}span") if e.get("id")]


def _resolve(base: str, href: str) -> str:
    parts: list[str] = []
    for p in (PurePosixPath(base).parent / href).parts:
        if p == "..":
            parts.pop()
        elif p != ".":
            parts.append(p)
    return "/".join(parts)


def clock(value: str) -> float:
    """A SMIL clock value ("12.345s", "1:02.5", "0:01:02.500") in seconds."""
    if value.endswith("ms"):
        return float(value[:-2]) / 1000
    if value.endswith("s"):
        return float(value[:-1])
    parts = [float(p) for p in value.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0.0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def open_book(path: Path) -> Book:
    z = zipfile.ZipFile(path)
    container = ET.fromstring(z.read("META-INF/container.xml"))
    rootfile = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
    assert rootfile is not None
    opf_path = rootfile.get("full-path", "")
    opf = ET.fromstring(z.read(opf_path))
    items = {i.get("id"): i for i in opf.iterfind("opf:manifest/opf:item", NS)}
    spine, overlays = [], {}
    for ref in opf.iterfind("opf:spine/opf:itemref", NS):
        item = items[ref.get("idref")]
        doc = _resolve(opf_path, item.get("href", ""))
        spine.append(doc)
        if item.get("media-overlay"):
            overlays[doc] = _resolve(opf_path, items[item.get("media-overlay")].get("href", ""))
    return Book(z, opf, opf_path, spine, overlays)


def vtt_times(path: Path) -> list[tuple[float, float]]:
    """The cue times of a WebVTT file."""
    stamp = r"(\d+):(\d\d):(\d\d)\.(\d{3})"
    out = []
    for m in re.finditer(stamp + r" --> " + stamp, path.read_text(encoding="utf-8")):
        g = [int(x) for x in m.groups()]
        out.append(((g[0] * 3600_000 + g[1] * 60_000 + g[2] * 1000 + g[3]) / 1000,
                    (g[4] * 3600_000 + g[5] * 60_000 + g[6] * 1000 + g[7]) / 1000))
    return out


_RENDERED: dict[str, Path] = {}


def rendered(name: str, article: Path, folder: Path, *args: str) -> Path:
    """`audiobook render ARTICLE --format m4b,epub` once per test session; returns the MP3's path."""
    from conftest import run_cli

    if name not in _RENDERED:
        r = run_cli("render", str(article), "-o", str(folder), "--format", "m4b,epub", *args)
        assert r.returncode == 0, r.stderr
        _RENDERED[name] = Path(r.stdout.strip().splitlines()[-1])
    return _RENDERED[name]
