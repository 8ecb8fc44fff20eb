"""Markdown -> Document, by markdown-it-py's CommonMark token stream.

A heading is a heading; a paragraph that is all **bold** is a bold block (a question); images are handed
on as furniture (their alt text and file name); links keep their text. Soft line breaks stay line
breaks, so a copied interview with one turn per line reads as it does in a .txt.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from audiobook.errors import AudiobookError
from audiobook.text.inputs.blocks import Block, Document, clean

MAX_NESTING = 100  # markdown-it's CommonMark preset stops at 20; no article nests a tenth as deep
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)")
_HIDDEN = {"script", "style", "template", "noscript"}  # html._SKIP's elements that hold code, not prose
_LEAVES = {"paragraph_open", "heading_open"}  # their text is read by the inline parser, at any depth


def read_markdown(path: Path) -> Document:
    from audiobook.text.source import read_text

    return parse_markdown(read_text(path), str(path))


def parse_markdown(text: str, source: str) -> Document:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    tokens = md.parse(text)
    if any(tok.nesting == 1 and tok.level >= MAX_NESTING - 1 and tok.type not in _LEAVES for tok in tokens):
        # markdown-it reads nothing inside a quote or list item opened at this depth, and says nothing
        raise AudiobookError(f"{source}: quotes or lists nested too deep to read (past {MAX_NESTING} "
                             "levels); flatten them, or give the text as a .txt file")
    blocks: list[Block] = []
    heading = 0
    quote = 0
    for tok in tokens:
        if tok.type == "heading_open":
            heading = int(tok.tag[1])
        elif tok.type == "heading_close":
            heading = 0
        elif tok.type == "blockquote_open":
            quote += 1
        elif tok.type == "blockquote_close":
            quote -= 1
        elif tok.type == "inline":
            line = (tok.map[0] + 1) if tok.map else 0
            blocks.extend(_inline(tok.children or [], line, heading))
        elif tok.type in ("code_block", "fence"):
            line = (tok.map[0] + 1) if tok.map else 0
            blocks.append(Block(clean(tok.content.strip()), line, furniture="code block"))
        elif tok.type == "html_block":
            line = (tok.map[0] + 1) if tok.map else 0
            from audiobook.text.inputs.html import fragment_blocks

            blocks.extend(Block(b.text, line + max(b.line - 1, 0), b.bold, b.italic, b.heading, b.furniture)
                          for b in fragment_blocks(tok.content, source))
    if not any(b.text.strip() for b in blocks):
        raise AudiobookError(f"{source}: no text in the Markdown file; give an interview article")
    return Document(source=source, blocks=blocks)


def _inline(children: list[Any], line: int, heading: int) -> list[Block]:
    """One paragraph's inline tokens -> its block, plus a furniture block per image."""
    parts: list[tuple[str, bool, bool]] = []
    images: list[Block] = []
    bold = italic = 0
    hidden: str | None = None  # inside inline <script> or <style>: code, never read (as on a page)
    for t in children:
        if t.type == "html_inline" and (tag := _TAG.match(t.content)):
            name = tag.group(2).lower()
            if hidden is None and not tag.group(1) and name in _HIDDEN:
                hidden = name
            elif hidden == name and tag.group(1):
                hidden = None
        if hidden is not None:
            continue
        if t.type == "strong_open":
            bold += 1
        elif t.type == "strong_close":
            bold -= 1
        elif t.type == "em_open":
            italic += 1
        elif t.type == "em_close":
            italic -= 1
        elif t.type in ("text", "code_inline"):
            parts.append((t.content, bold > 0, italic > 0))
        elif t.type in ("softbreak", "hardbreak") or (t.type == "html_inline" and _BR.fullmatch(t.content)):
            parts.append(("\n", bold > 0, italic > 0))
        elif t.type == "image":
            alt = "".join(c.content for c in (t.children or []))
            src = str(t.attrs.get("src", "")).rsplit("/", 1)[-1]
            images.append(Block(clean(" ".join(x for x in (alt, src) if x)), line, furniture="image and its alt text"))
    text = "\n".join(" ".join(clean(x).split()) for x in "".join(p for p, _, _ in parts).split("\n"))
    text = "\n".join(x for x in text.split("\n") if x)
    visible = [(b, i) for p, b, i in parts if p.strip()]
    out = list(images)
    if text:
        out.insert(0, Block(text, line, bold=bool(visible) and all(b for b, _ in visible) and not heading,
                            italic=bool(visible) and all(i for _, i in visible), heading=heading))
    return out
