"""`<stem>.epub`: EPUB 3 with the article's text, the episode's MP3 and a media overlay (SMIL) that
pairs every spoken sentence with its clip, at the cues' sample-exact times; cover and accessibility
metadata (EPUB Accessibility 1.1).

The OCF zip is written here with zipfile rather than through ebooklib: ebooklib re-parses every XHTML
document with an HTML parser and rebuilds its head and body, treats SMIL as an opaque file, and writes an
NCX and guide; the few strings this needs are simpler to own and to hold to EPUBCheck.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from audiobook.package.manifest import Manifest
from audiobook.publish.epub.content import CSS, Text, build_text, nav
from audiobook.publish.epub.package import AUDIO, CONTAINER, opf, smil

__all__ = ["build_text", "write_epub"]


def write_epub(m: Manifest, audio: Path, cover: Path, out: Path) -> Text:
    """Write the book to `out` (the caller stages it); `audio` is the episode's MP3, `cover` a JPEG or PNG.
    Returns the text that was laid out (documents and their clips)."""
    from audiobook.package.id3 import image_mime

    body = build_text(m)
    cover_type = image_mime(cover)
    cover_name = "images/cover." + ("png" if cover_type == "image/png" else "jpg")
    deflate, store = zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w") as z:
        # OCF: the mimetype entry first, uncompressed, so the file identifies itself.
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=store)
        z.writestr("META-INF/container.xml", CONTAINER, compress_type=deflate)
        z.writestr("EPUB/package.opf", opf(m, body, cover_name, cover_type), compress_type=deflate)
        z.writestr("EPUB/nav.xhtml", nav(body.docs, m.language), compress_type=deflate)
        z.writestr("EPUB/style.css", CSS, compress_type=deflate)
        for d in body.docs:
            z.writestr(f"EPUB/text/{d.name}.xhtml", d.xhtml, compress_type=deflate)
            if d.clips:
                z.writestr(f"EPUB/smil/{d.name}.smil", smil(d), compress_type=deflate)
        z.write(cover, "EPUB/" + cover_name, compress_type=store)  # already compressed
        z.write(audio, "EPUB/" + AUDIO, compress_type=store)
    return body
