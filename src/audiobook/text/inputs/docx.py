"""Word (.docx) -> Document, by python-docx.

Styles and run formatting carry the meaning: "Title"/"Heading N" is a heading, a paragraph whose every
run is bold is a bold block (a question), all italic an italic block (a lead or a note); pictures are
handed on as furniture with their alt text. The document's title property is the fallback headline.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from audiobook.errors import AudiobookError
from audiobook.text.inputs.blocks import Block, Document, clean
from audiobook.text.source import check_file

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def read_docx(path: Path) -> Document:
    check_file(path, "a Word .docx file")
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError  # type: ignore[import-untyped]

    try:
        d = docx.Document(str(path))
        paragraphs = list(_paragraphs(d))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as e:
        raise AudiobookError(f"{path}: not a readable Word .docx file ({e}); save it again from Word") from None
    blocks: list[Block] = []
    for n, p in enumerate(paragraphs, 1):
        blocks.extend(_pictures(p, n))
        text = "\n".join(" ".join(clean(x).split()) for x in p.text.split("\n"))
        text = "\n".join(x for x in text.split("\n") if x)
        if not text:
            continue
        style = (p.style.name if p.style is not None else "") or ""
        heading = _heading_level(style)
        runs = [r for r in p.runs if r.text.strip()]
        bold = bool(runs) and all(_flag(r, p, "bold") for r in runs)
        italic = bool(runs) and all(_flag(r, p, "italic") for r in runs)
        if style.lower() in ("subtitle", "quote", "intense quote") and not heading:
            italic = True  # lead-styled paragraphs
        blocks.append(Block(text, n, bold=bold and not heading, italic=italic, heading=heading))
    if not any(b.text for b in blocks):
        raise AudiobookError(f"{path}: the Word file has no text; give an interview article")
    title = clean(d.core_properties.title).strip() if d.core_properties.title else None
    return Document(source=str(path), blocks=blocks, title=title or None)


def _paragraphs(container: Any) -> Any:
    """The paragraphs in document order, those in table cells included (a merged cell once)."""
    from docx.table import Table

    seen: set[int] = set()
    for item in container.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        yield from _paragraphs(cell)
        else:
            yield item


def _heading_level(style: str) -> int:
    low = style.lower()
    if low == "title":
        return 1
    if low.startswith("heading"):
        digits = "".join(c for c in low if c.isdigit())
        return int(digits) if digits else 1
    return 0


def _flag(run: Any, para: Any, name: str) -> bool:
    """Run formatting, else its character style, else the paragraph style (python-docx gives None for
    'inherit')."""
    value = getattr(run, name)
    if value is None and run.style is not None:
        value = getattr(run.style.font, name)
    if value is None and para.style is not None:
        value = getattr(para.style.font, name)
    return bool(value)


def _pictures(p: Any, n: int) -> list[Block]:
    out = []
    for doc_pr in p._p.iter(f"{_WP}docPr"):
        desc = " ".join(x for x in (doc_pr.get("descr"), doc_pr.get("title"), doc_pr.get("name")) if x)
        out.append(Block(clean(desc) or "picture", n, furniture="image and its alt text"))
    return out
