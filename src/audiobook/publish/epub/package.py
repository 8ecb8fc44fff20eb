"""The EPUB's package document (OPF), its media overlays (SMIL) and the OCF container (pure strings)."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

from audiobook.package.manifest import Manifest
from audiobook.publish.epub.content import ACTIVE_CLASS, Doc, Text, text

AUDIO = "audio/episode.mp3"  # a fixed ASCII name inside the book: readers mishandle spaces and non-ASCII
CONTAINER = """\
<?xml version="1.0" encoding="UTF-8"?>
<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">
<rootfiles>
<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
SUMMARY = (
    "Сұхбаттың толық мәтіні және оның аудиожазбасы; әр сөйлем дыбыспен үндестірілген. "
    "Мазмұны тараулар бойынша берілген, әр сөзді кім айтқаны көрсетілген. Сурет тек мұқабада."
)


def clock(ms: int) -> str:
    """A SMIL full clock value, h:mm:ss.fff."""
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h}:{m:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def seconds(ms: int) -> str:
    return f"{ms // 1000}.{ms % 1000:03d}s"


def overlay_ms(doc: Doc) -> int:
    """An overlay's playback time: the sum of its clips (the pauses between sentences are not in it)."""
    return sum(c.end_ms - c.begin_ms for c in doc.clips)


def smil(doc: Doc) -> str:
    pars = "\n".join(
        f'<par id="{c.id}-par"><text src="../text/{doc.name}.xhtml#{c.id}"/>'
        f'<audio src="../{AUDIO}" clipBegin="{seconds(c.begin_ms)}" clipEnd="{seconds(c.end_ms)}"/></par>'
        for c in doc.clips
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
        f'<body epub:textref="../text/{doc.name}.xhtml#{doc.name}">\n{pars}\n</body>\n</smil>\n'
    )


def identifier(m: Manifest) -> str:
    """Stable across re-renders of the same episode, so a reading system keeps its place."""
    show = m.show.title if m.show and m.show.title else ""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'audiobook:{show}:{m.title}:{m.date or m.stem}')}"


def modified() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")  # reproducible builds
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def opf(m: Manifest, body: Text, cover_name: str, cover_type: str) -> str:
    show = m.show
    guests = [s.name for s in m.speakers if s.role == "interviewee"]
    creator = (show.author if show and show.author else None) or ", ".join(guests) or m.title
    with_audio = [d for d in body.docs if d.clips]
    meta = [
        f'<dc:identifier id="uid">{identifier(m)}</dc:identifier>',
        f"<dc:title>{text(m.title)}</dc:title>",
        f"<dc:language>{text(m.language)}</dc:language>",
        f"<dc:creator>{text(creator)}</dc:creator>",
    ]
    if show and show.title:
        meta.append(f'<meta property="belongs-to-collection">{text(show.title)}</meta>')
    if m.date:
        meta.append(f"<dc:date>{text(m.date)}</dc:date>")
    if m.lead:
        meta.append(f"<dc:description>{text(m.lead)}</dc:description>")
    meta.append(f'<meta property="dcterms:modified">{modified()}</meta>')
    meta.append(f'<meta property="media:duration">{clock(sum(overlay_ms(d) for d in with_audio))}</meta>')
    meta += [f'<meta property="media:duration" refines="#mo-{d.name}">{clock(overlay_ms(d))}</meta>'
             for d in with_audio]
    meta.append(f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>')
    meta += _accessibility(body, creator)
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
        f'<item id="cover" href="{cover_name}" media-type="{cover_type}" properties="cover-image"/>',
        f'<item id="audio" href="{AUDIO}" media-type="audio/mpeg"/>',
    ]
    for d in body.docs:
        overlay = f' media-overlay="mo-{d.name}"' if d.clips else ""
        items.append(f'<item id="{d.name}" href="text/{d.name}.xhtml" media-type="application/xhtml+xml"{overlay}/>')
        if d.clips:
            items.append(f'<item id="mo-{d.name}" href="smil/{d.name}.smil" media-type="application/smil+xml"/>')
    spine = "\n".join(f'<itemref idref="{d.name}"/>' for d in body.docs)
    nl = "\n"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" '
        f'xml:lang="{text(m.language)}">\n'
        f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n{nl.join(meta)}\n</metadata>\n'
        f"<manifest>\n{nl.join(items)}\n</manifest>\n"
        f"<spine>\n{spine}\n</spine>\n</package>\n"
    )


def _accessibility(body: Text, certifier: str) -> list[str]:
    """EPUB Accessibility 1.1 (schema.org) metadata. Audio alone suffices only when every sentence was read."""
    sufficient = ["textual", "textual,auditory"] + (["auditory"] if body.unspoken == 0 else [])
    props = [("schema:accessMode", "textual"), ("schema:accessMode", "auditory")]
    props += [("schema:accessModeSufficient", s) for s in sufficient]
    props += [("schema:accessibilityFeature", f) for f in (
        "synchronizedAudioText", "readingOrder", "tableOfContents", "structuralNavigation",
        "displayTransformability")]
    props += [("schema:accessibilityHazard", "none"), ("schema:accessibilitySummary", SUMMARY),
              ("dcterms:conformsTo", CONFORMS_TO), ("a11y:certifiedBy", certifier)]
    return [f'<meta property="{p}">{text(v)}</meta>' for p, v in props]
