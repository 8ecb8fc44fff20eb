"""HTML (a whole saved page or an exported fragment) -> Document.

The article is found by the page's own markup (`itemprop="articleBody"`, a single `<article>`, `<main>`),
else by trafilatura's main-text extraction; the headline and date come from the page's metadata
(`og:title`, `article:published_time`, `<time datetime>`, then trafilatura's metadata finder). Nothing is
thrown away here: every text block outside the article, and every image, caption, share or tag box
inside it, is handed on with the reason it is furniture, so the parser can report it (or keep it).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from audiobook.errors import AudiobookError
from audiobook.text.inputs.blocks import Block, Document, clean
from audiobook.text.source import check_file

MAX_BYTES = 20_000_000

_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "video",
         "audio", "map", "head", "title", "meta", "link"}
_BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "dt", "dd", "td",
          "th", "div", "section", "article", "main", "header", "footer", "nav", "aside", "figure", "ul", "ol",
          "dl", "table", "tbody", "thead", "tr", "form", "address", "center", "body", "html", "hr", "details",
          "summary", "caption"}
_TAG_REASONS = {"nav": "navigation", "footer": "page footer", "aside": "sidebar or related links",
                "figcaption": "photo caption", "figure": "photo and its caption", "form": "page controls",
                "button": "page controls", "select": "page controls"}
# class/id words that mark page furniture inside or around an article (matched as whole words).
_CLASS_REASONS = (
    ({"share", "sharing", "social", "socials", "likely", "ya-share2", "addthis", "sharethis"}, "share buttons"),
    ({"subscribe", "subscription", "follow", "newsletter"}, "subscribe box"),
    ({"tags", "tag", "tagcloud", "keywords"}, "tags"),
    ({"related", "similar", "readmore", "read-more", "read-also", "more-news", "also", "recommend",
      "recommended", "popular", "latest", "lastnews", "last-news"}, "related news"),
    ({"breadcrumb", "breadcrumbs", "menu", "navbar", "navigation", "nav", "pagination", "pager"}, "navigation"),
    ({"banner", "advert", "advertisement", "ads", "adv", "promo", "sponsored"}, "advertising"),
    ({"comments", "comment", "disqus"}, "comments"),
    ({"views", "counter", "counters", "stats", "statistics", "reading-time", "readtime"}, "counter"),
    ({"copyright", "copy"}, "copyright line"),
    ({"caption", "photo-caption", "image-caption", "wp-caption-text", "credit", "photo-credit"}, "photo caption"),
)
_LEAD_CLASS = {"lead", "intro", "excerpt", "subtitle", "annotation", "standfirst"}  # styled as the lead
_BOXES = {"a", "span", "time", "small", "label", "button"}  # side by side, they are separate items
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.IGNORECASE)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def read_html_file(path: Path) -> Document:
    check_file(path, "a saved web page")
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise AudiobookError(f"{path}: larger than {MAX_BYTES // 1_000_000} MB; give the article's page only")
    return read_html(decode(data, None, str(path)), str(path))


def decode(data: bytes, charset: str | None, source: str) -> str:
    """UTF-8 first (what nearly every Kazakh site serves), then the declared charset."""
    declared = [charset] if charset else []
    if m := _CHARSET.search(data[:4096]):
        declared.append(m.group(1).decode("ascii", "replace"))
    for enc in ["utf-8-sig", *declared]:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    raise AudiobookError(f"{source}: not UTF-8 and no usable charset declared; save the page as UTF-8")


def read_html(html: str, source: str) -> Document:
    root = _parse(html, source)
    title, when = _metadata(root)
    walker = _Walker(_container(root, html))
    walker.walk(root, None, False, False)
    blocks = walker.blocks
    if title is None:
        title = _trafilatura_title(root)
    if not any(b.furniture is None and b.text.strip() for b in blocks):
        # A page drawn by its scripts has no text in its markup; its JSON-LD often holds the article whole.
        body = _json_ld_body(root)
        if body is None:
            raise AudiobookError(f"{source}: no article text found in the page; save the article's own page")
        blocks = [*(b for b in blocks if b.furniture), *body]
    return Document(source=source, blocks=_headline_first(blocks, title), title=title, date=when)


def _json_ld_body(root: Any) -> list[Block] | None:
    """The `articleBody` of the page's JSON-LD (NewsArticle and the like) as paragraphs, or None."""
    import json

    def bodies(node: Any) -> Any:
        if isinstance(node, dict):
            if isinstance(node.get("articleBody"), str):
                yield node["articleBody"]
            for value in node.values():
                yield from bodies(value)
        elif isinstance(node, list):
            for value in node:
                yield from bodies(value)

    for el in root.iter("script"):
        if el.get("type") != "application/ld+json" or not (el.text or "").strip():
            continue
        try:
            data = json.loads(el.text)
            found = list(bodies(data))
        except (ValueError, RecursionError):  # not JSON, or nested past what a page's metadata needs
            continue
        for text in found:
            line = el.sourceline or 0
            if re.search(r"<(?:p|br|div)\b", text, re.IGNORECASE):  # a body given as markup
                blocks = [b for b in fragment_blocks(text, "") if b.text.strip()]
                return [Block(b.text, line, b.bold, b.italic, b.heading, b.furniture) for b in blocks] or None
            paras = [" ".join(clean(p).split()) for p in re.split(r"\n+", text)]
            return [Block(p, line) for p in paras if p] or None
    return None


def fragment_blocks(html: str, source: str) -> list[Block]:
    """A piece of HTML inside another document (raw HTML in a Markdown file): all of it belongs to the
    article, and what is furniture in it (a share box, a menu) keeps its reason, so it is reported."""
    root = _parse(html, source, fragment=True)
    if root is None:
        return []
    walker = _Walker(None)
    walker.walk(root, None, False, False)
    return walker.blocks


def _parse(html: str, source: str, fragment: bool = False) -> Any:
    """The page's lxml tree; for a fragment with nothing in it (a comment), None."""
    import lxml.html  # type: ignore[import-untyped]
    from lxml import etree

    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses an encoding declaration in a str
    if not html.strip() and not fragment:
        raise AudiobookError(f"{source}: the page is empty; give a saved article page")
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError) as e:
        if fragment and isinstance(e, etree.ParserError):
            return None  # "Document is empty"
        raise AudiobookError(f"{source}: not readable as HTML ({e}); save the page again") from None
    for err in parser.error_log:
        if err.type_name == "ERR_RESOURCE_LIMIT":  # libxml2 stops at 256 nested tags and drops the rest
            raise AudiobookError(f"{source}: the page nests its tags too deep to be read whole ({err.message}); "
                                 "save the article again, or copy its text into a .txt file")
    return root


def _headline_first(blocks: list[Block], title: str | None) -> list[Block]:
    """The page's <h1> often sits above the article (outside its container): that one is the headline."""
    if any(b.heading == 1 and b.furniture is None for b in blocks):
        return blocks
    body = [i for i, b in enumerate(blocks) if b.furniture is None]
    first_body = body[0] if body else len(blocks)
    for i, b in enumerate(blocks[:first_body]):
        if b.heading == 1 and b.text.strip():
            return [*blocks[:i], Block(b.text, b.line, heading=1), *blocks[i + 1:]]
    return blocks


def _meta(root: Any, *names: str) -> str | None:
    for name in names:
        for el in root.iter("meta"):
            if name in (el.get("property"), el.get("name"), el.get("itemprop")) and (el.get("content") or "").strip():
                return clean(" ".join(el.get("content").split()))
    return None


def _parse_date(value: str | None) -> date | None:
    if value and (m := _ISO_DATE.search(value)):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def _metadata(root: Any) -> tuple[str | None, date | None]:
    title = _meta(root, "og:title", "twitter:title", "headline")
    when = _parse_date(_meta(root, "article:published_time", "datePublished", "pubdate", "date", "DC.date"))
    if when is None:
        for el in root.iter():
            if isinstance(el.tag, str) and el.get("itemprop") == "datePublished" and (
                    when := _parse_date(el.get("content") or el.get("datetime"))):
                break
    if when is None:
        for el in root.iter("script"):
            if el.get("type") == "application/ld+json" and (
                    m := re.search(r'"datePublished"\s*:\s*"([^"]+)"', el.text or "")):
                when = _parse_date(m.group(1))
                break
    if when is None:
        for el in root.iter("time"):
            if when := _parse_date(el.get("datetime")):
                break
    if title is None and (t := root.find(".//title")) is not None and t.text_content().strip():
        title = clean(" ".join(t.text_content().split()))
    return title, when


def _trafilatura_title(root: Any) -> str | None:
    """Its date guesses are not used: on a page with no date tag it returns e.g. 1 January of a year
    seen somewhere, while a date line in the text (see parse.furniture) is the page's own."""
    try:
        import trafilatura

        meta = trafilatura.extract_metadata(root)
    except Exception:  # metadata is a bonus: a page it cannot read still has its article
        return None
    return clean(meta.title) if meta is not None and meta.title else None


def _container(root: Any, html: str) -> Any:
    """The element holding the article, or None for the whole page (a fragment, or nothing found)."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("itemprop") == "articleBody":
            return el
    def prose(el: Any) -> int:
        return sum(len(p.text_content()) for p in el.iter("p"))

    articles = list(root.iter("article"))
    if articles and prose(best := max(articles, key=prose)) >= 200:  # not a teaser card
        return best
    mains = list(root.iter("main"))
    if len(mains) == 1:
        return mains[0]
    body = root.find("body")
    if body is None or not any(el.tag in ("nav", "header", "footer", "aside") for el in body.iter()):
        return None  # a fragment or a bare page: all of it is the article
    return _trafilatura_container(root, html)


def _trafilatura_container(root: Any, html: str) -> Any:
    """The smallest element holding every paragraph trafilatura takes for the article."""
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, favor_recall=True) or ""
    except Exception:
        return None
    wanted = {" ".join(line.split()) for line in text.splitlines() if len(line.split()) >= 4}
    hits = [el for el in root.iter("p", "li", "div", "blockquote")
            if " ".join(el.text_content().split()) in wanted]
    if not hits:
        return None
    common = list(hits[0].iterancestors())
    for el in hits[1:]:
        ancestors = set(el.iterancestors())
        common = [a for a in common if a in ancestors]
    return common[0] if common else None


# A class that says a state, not a box: a state word before the thing ("has-related", "no-ads") or after it
# ("share-enabled", "comments-open", which WordPress puts on <body>).
_STATE_BEFORE = {"has", "no", "is", "without"}
_STATE_AFTER = {"enabled", "disabled", "open", "closed", "active", "allowed", "off"}
# What follows "tag-" in a box of tags; anything else is WordPress's per-tag class on a post ("tag-astana").
_TAG_BOX = {"list", "links", "link", "cloud", "box", "block", "wrap", "wrapper", "item", "items", "container",
            "line", "area", "label", "title"}


def _class_words(el: Any) -> set[str]:
    words: set[str] = set()
    for token in f"{el.get('class', '')} {el.get('id', '')}".lower().split():
        parts = [p for p in re.split(r"_+|(?<=[a-z])-(?=[a-z])", token) if p]
        if parts and parts[0] == "js":  # "js-related-news": a hook for the page's scripts, then the box
            parts = parts[1:]
        if not parts or parts[0] in _STATE_BEFORE or (len(parts) == 2 and parts[1] in _STATE_AFTER):
            continue
        if parts[0] == "tag" and len(parts) > 1 and parts[1] not in _TAG_BOX:
            continue
        words.add(token)
        words.update(parts)
    return words


def _class_reason(el: Any) -> str | None:
    words = _class_words(el)
    for names, reason in _CLASS_REASONS:
        if words & names:
            return reason
    return None


class _Walker:
    """Document order walk: block elements become Blocks; loose inline text between them too."""

    def __init__(self, container: Any) -> None:
        self.container = container
        # The article and what holds it are not furniture, whatever their classes say ("single-post
        # has-related" on <body>): their reasons would leave out the whole article.
        self.holders = {container, *container.iterancestors()} if container is not None else set()
        self.inside = container is None
        self.blocks: list[Block] = []
        self.buf: list[tuple[str, bool, bool]] = []
        self.buf_line = 0
        self.buf_reason: str | None = None

    def walk(self, el: Any, reason: str | None, bold: bool, italic: bool) -> None:
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            return
        entered = el is self.container
        if entered:
            self.flush()
            self.inside = True
        tag = el.tag
        reason = reason or _TAG_REASONS.get(tag) or (None if el in self.holders else _class_reason(el))
        if tag == "img":
            self.flush()
            name = (el.get("src") or "").rsplit("/", 1)[-1].split("?")[0]
            desc = " ".join(x for x in (clean(el.get("alt") or "").strip(), name) if x)
            if desc:
                self.blocks.append(Block(desc, el.sourceline or 0, furniture="image and its alt text"))
            return
        bold = bold or tag in ("b", "strong") or bool(_BOLD_STYLE.search(el.get("style", "")))
        italic = italic or tag in ("i", "em") or bool(_ITALIC_STYLE.search(el.get("style", ""))) or bool(
            _LEAD_CLASS & set(re.split(r"[\s_-]+", el.get("class", "").lower())))
        if tag in _BLOCK:
            self.flush()
        if tag == "br":
            self.add("\n", bold, italic, el, reason)
        elif el.text:
            self.add(el.text, bold, italic, el, reason)
        for child in el:
            self.walk(child, reason, bold, italic)
            if not (child.tail or "").strip() and child.tag in _BOXES and (nxt := child.getnext()) is not None \
                    and nxt.tag in _BOXES:
                self.add(" ", bold, italic, el, reason)  # "<a>Басты бет</a><a>Саясат</a>": two words, not one
            if child.tail:
                self.add(child.tail, bold and child.tag not in _BLOCK, italic and child.tag not in _BLOCK, el,
                         reason)
        if tag in _BLOCK:
            self.flush(_HEADINGS.get(tag, 0))
        if entered:
            self.flush()
            self.inside = False

    def add(self, text: str, bold: bool, italic: bool, el: Any, reason: str | None) -> None:
        if not self.buf:
            self.buf_line = el.sourceline or 0
            self.buf_reason = reason if self.inside else reason or "outside the article (page around it)"
        self.buf.append((text, bold, italic))

    def flush(self, heading: int = 0) -> None:
        buf, self.buf = self.buf, []
        text = "".join(t for t, _, _ in buf)
        lines = [" ".join(clean(line).split()) for line in text.split("\n")]
        text = "\n".join(line for line in lines if line)
        if not text:
            return
        visible = [(t, b, i) for t, b, i in buf if t.strip()]
        bold = all(b for _, b, _ in visible)
        italic = all(i for _, _, i in visible)
        self.blocks.append(Block(text, self.buf_line, bold=bold and not heading, italic=italic, heading=heading,
                                 furniture=self.buf_reason))

