"""The EPUB held to the field's own validators: EPUBCheck (Debian's `epubcheck`) with no error and no
warning, DAISY Ace (npm `@daisy/ace-cli`, driven with Debian's Chromium) with no serious or critical
violation, and every text document opened in headless Chromium. Each skips, saying why, when its tool
is missing; `.ci/run` installs them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, SAMPLE
from epub_helpers import open_book, rendered
from publish_helpers import make_episode

from audiobook.publish.cover import make_cover
from audiobook.publish.epub import write_epub

CHROMIUM = Path("/usr/bin/chromium")
EPUBCHECK_JARS = [Path("/usr/share/java/epubcheck.jar")]
ROUND_TABLE = DATA / "articles" / "round_table.txt"

pytestmark = pytest.mark.slow


def epubcheck_jar() -> Path | None:
    found = [p for p in EPUBCHECK_JARS if p.is_file()]
    return found[0] if found and shutil.which("java") else None


def ace() -> str | None:
    return shutil.which("ace") or shutil.which("ace-cli")


@pytest.fixture(scope="module", params=["sample", "round_table"])
def book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    article = SAMPLE if request.param == "sample" else ROUND_TABLE
    return rendered(request.param, article, tmp_path_factory.mktemp(request.param)).with_suffix(".epub")


@pytest.mark.skipif(epubcheck_jar() is None, reason="needs Debian's epubcheck (apt-get install epubcheck) and java")
def test_epubcheck_no_error_no_warning(book: Path) -> None:
    r = subprocess.run(["java", "-jar", str(epubcheck_jar()), str(book)], capture_output=True, text=True,
                       timeout=300)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert not re.search(r"^(FATAL|ERROR|WARNING)", out, re.M), out
    assert "No errors or warnings detected" in out, out


@pytest.mark.skipif(epubcheck_jar() is None, reason="needs Debian's epubcheck (apt-get install epubcheck) and java")
def test_epubcheck_catches_a_broken_overlay(tmp_path: Path) -> None:
    """The check above can fail: a pair pointing at a missing span is an EPUBCheck error."""
    m = make_episode(tmp_path, "ep", "Агрономмен сұхбат", "2025-10-18")
    make_cover(None, m.title, tmp_path / "c.jpg")
    write_epub(m, tmp_path / "ep.mp3", tmp_path / "c.jpg", tmp_path / "ep.epub")
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(tmp_path / "ep.epub") as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "EPUB/smil/ch002.smil":
                data = data.replace(b'#s', b'#missing', 1)
            dst.writestr(info, data)
    r = subprocess.run(["java", "-jar", str(epubcheck_jar()), str(broken)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode != 0 and "ERROR" in r.stdout + r.stderr


@pytest.mark.browser
@pytest.mark.skipif(ace() is None or not CHROMIUM.exists(),
                    reason="needs DAISY Ace (npm install -g @daisy/ace-cli) and /usr/bin/chromium")
def test_ace_no_serious_or_critical_violation(tmp_path: Path, book: Path) -> None:
    # Ace exits 1 only when it fails itself (violations still exit 0 and land in the report): a Chromium
    # tab lost on a loaded CI machine did so once, with nothing said under -s. So it runs verbose, its log
    # kept here, and is given a second try; a failure that repeats fails the test with the log's tail.
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM), "XDG_STATE_HOME": str(tmp_path / "state")}
    for _ in range(2):
        r = subprocess.run([str(ace()), "-V", "-f", "-o", str(tmp_path / "ace"), str(book)], capture_output=True,
                           text=True, timeout=600, env=env)
        if r.returncode == 0:
            break
    logs = sorted((tmp_path / "state").rglob("*.log"))
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:] + (logs[-1].read_text(errors="replace")[-3000:]
                                                              if logs else "")
    report = json.loads((tmp_path / "ace" / "report.json").read_text(encoding="utf-8"))
    found = [(a["earl:testSubject"]["url"], x["earl:test"]["dct:title"], x["earl:test"]["earl:impact"])
             for a in report["assertions"] for x in a.get("assertions", [])]
    assert not [f for f in found if f[2] in ("serious", "critical")], found
    meta = report["a11y-metadata"]
    assert not meta["empty"]
    assert {"schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
            "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo",
            "a11y:certifiedBy"} <= set(meta["present"])


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_text_opens_in_chromium(tmp_path: Path, book: Path) -> None:
    """Chromium parses each document as XHTML (an XML error shows as <parsererror>), and every span an
    overlay points at is in the DOM it built."""
    epub = open_book(book)
    root = tmp_path / "book"
    epub.zip.extractall(root)
    wanted: dict[str, set[str]] = {}
    for p in epub.pars():
        wanted.setdefault(p.doc, set()).add(p.id)
    for doc in [*epub.spine, "EPUB/nav.xhtml"]:
        dom = dump_dom(root / doc)
        assert "<parsererror" not in dom and "This page contains the following errors" not in dom, dom[:2000]
        assert re.search(r'<html[^>]*\blang="kk"', dom), dom[:500]
        ids = set(re.findall(r'<span id="([^"]+)"', dom))
        assert wanted.get(doc, set()) <= ids, f"{doc}: spans missing in the browser's DOM"


def dump_dom(page: Path) -> str:
    r = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={page.parent / '.chromium'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return r.stdout
