#!/usr/bin/env python3
"""Open a read-along page (S.html) in headless Chromium and check that it works.

    python scripts/check_readalong.py out/S.html [--manifest out/S.json] [--chromium /usr/bin/chromium]

Checks: the page is Kazakh (lang="kk") and runs without script errors or CSP violations; the
<audio> element loads with a finite duration matching the manifest (within 0.5 s); there is at
least one timed element (data-start) per manifest cue; a real mouse click on the 3rd sentence moves
audio.currentTime to its data-start (within 0.3 s) and highlights it (aria-current); Enter on a
focused sentence and a click on a chapter button seek too; article text stayed text (only the page's
own <script> exists).

The page is served from 127.0.0.1 on an ephemeral port; Chromium is driven over the DevTools
protocol (cdp.py beside this script; needs websocket-client, a test dependency, and the audiobook
package for reading the manifest).
Exit 0 with a one-line summary; 1 when a check fails; 2 when the page or Chromium is missing.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

from cdp import CheckFailed, Page, SetupFailed, chromium, serve

from audiobook.errors import AudiobookError
from audiobook.package.manifest import Manifest

DURATION_TOLERANCE = 0.5  # s, page's audio.duration vs manifest
SEEK_TOLERANCE = 0.3  # s, audio.currentTime after activating a sentence vs its data-start


# --- the checks ---------------------------------------------------------------------------------

WAIT_METADATA = """new Promise((resolve) => {
  const a = document.querySelector("audio");
  if (!a) { resolve(null); return; }
  const done = () => resolve({duration: a.duration, readyState: a.readyState,
                              error: a.error ? a.error.code : null, src: a.currentSrc});
  if (a.readyState >= 1) { done(); return; }
  a.addEventListener("loadedmetadata", done, {once: true});
  a.addEventListener("error", done, {once: true});
  setTimeout(done, %d);
})"""

PAGE_FACTS = """(() => {
  const cues = Array.from(document.querySelectorAll("[data-start]"))
    .filter((el) => !el.closest("nav"));
  return {
    lang: document.documentElement.lang,
    main: !!document.querySelector("main"),
    h1: (document.querySelector("h1") || {}).textContent || "",
    nav: document.querySelectorAll("nav [data-start]").length,
    scripts: document.scripts.length,
    handlers: Array.from(document.querySelectorAll("*"))
      .filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith("on"))).length,
    starts: cues.map((el) => parseFloat(el.getAttribute("data-start"))),
    focusable: cues.filter((el) => el.tabIndex >= 0).length,
  };
})()"""

# Arm a one-shot 'seeked' listener that reports where the audio landed and what is highlighted.
ARM_SEEK = """(() => {
  const a = document.querySelector("audio");
  window.__readalongSeek = new Promise((resolve) => {
    a.addEventListener("seeked", () => {
      const cur = document.querySelector("#transcript [data-start][aria-current='true']");
      resolve({time: a.currentTime, current: cur ? cur.getAttribute("data-start") : null});
    }, {once: true});
    setTimeout(() => resolve(null), %d);
  });
  return true;
})()"""

TARGET = """(() => {
  const els = Array.from(document.querySelectorAll(%s)).filter((el) => %s);
  const el = els[%d];
  el.scrollIntoView({block: "center"});
  // A sentence may wrap: aim at the middle of its first line box, not of its bounding box.
  const r = el.getClientRects()[0];
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  return {x, y, start: parseFloat(el.getAttribute("data-start")), text: el.textContent.slice(0, 60),
          onTarget: hit === el || el.contains(hit)};
})()"""


def check_page(page_path: Path, manifest: Manifest, binary: str, timeout: float,
               from_disk: bool = False, screenshot: Path | None = None) -> str:
    cues = manifest.cues
    expected_duration = manifest.duration
    with serve(page_path.parent) as port, chromium(binary, timeout) as devtools:
        url = page_path.as_uri() if from_disk else f"http://127.0.0.1:{port}/{quote(page_path.name)}"
        target = devtools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = devtools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(devtools, session)
        for domain in ("Page", "Runtime", "Log"):
            page.call(f"{domain}.enable")
        page.call("Page.navigate", {"url": url})
        devtools.wait_event("Page.loadEventFired", timeout)
        _no_problems(page, page_path)

        meta = page.js(WAIT_METADATA % int(timeout * 1000), timeout=timeout + 5)
        if meta is None:
            raise CheckFailed(f"{page_path.name}: no <audio> element")
        duration = meta.get("duration")
        usable = isinstance(duration, int | float) and math.isfinite(duration) and duration > 0
        if meta.get("error") or not usable:
            raise CheckFailed(
                f"{page_path.name}: audio {meta.get('src')} did not load "
                f"(duration {duration}, media error {meta.get('error')}, readyState {meta.get('readyState')})"
            )
        if abs(duration - expected_duration) > DURATION_TOLERANCE:
            raise CheckFailed(
                f"{page_path.name}: audio duration {duration:.3f} s, manifest says {expected_duration:.3f} s"
            )

        facts = page.js(PAGE_FACTS)
        if facts["lang"] != "kk":
            raise CheckFailed(f"{page_path.name}: <html lang> is {facts['lang']!r}, expected 'kk'")
        if not facts["main"] or not facts["h1"].strip():
            raise CheckFailed(f"{page_path.name}: no <main> or empty <h1>")
        if facts["scripts"] != 1:
            # Exactly the page's own script: any other one came from markup in article text.
            raise CheckFailed(f"{page_path.name}: {facts['scripts']} <script> elements, expected exactly 1")
        if facts["handlers"]:
            raise CheckFailed(f"{page_path.name}: {facts['handlers']} elements with on* handler attributes")
        starts: list[float] = facts["starts"]
        if len(starts) < len(cues):
            raise CheckFailed(f"{page_path.name}: {len(starts)} timed elements for {len(cues)} sentences")
        missing = [c for c in cues if not any(abs(c.start - s) < 0.002 for s in starts)]
        if missing:
            raise CheckFailed(f"{page_path.name}: no data-start element for cue at {missing[0].start} s")
        if facts["focusable"] < len(cues):
            raise CheckFailed(f"{page_path.name}: {facts['focusable']} of {len(starts)} sentences focusable")
        if len(starts) < 1:
            raise CheckFailed(f"{page_path.name}: no timed sentences")

        cue_sel = json.dumps("[data-start]")
        not_nav = '!el.closest("nav")'
        # 1) Mouse click on the 3rd sentence.
        clicked = _activate(page, cue_sel, not_nav, min(2, len(starts) - 1), "click", timeout)
        if screenshot is not None:  # the page as a reader sees it, 3rd sentence highlighted
            shot = page.call("Page.captureScreenshot", {"format": "png"})["data"]
            screenshot.write_bytes(base64.b64decode(shot))
        # 2) Enter on a focused sentence (keyboard operation), another one so the time must change.
        key_index = len(starts) - 1 if len(starts) > 1 and min(2, len(starts) - 1) != len(starts) - 1 else 0
        keyed = _activate(page, cue_sel, not_nav, key_index, "enter", timeout)
        # 3) Chapter list seeks.
        chapter = None
        if facts["nav"]:
            nav_sel = json.dumps("nav [data-start]")
            chapter = _activate(page, nav_sel, "true", facts["nav"] - 1, "click", timeout)

        _no_problems(page, page_path)

    summary = (
        f"read-along OK: {page_path.name}: audio {duration:.2f} s (manifest {expected_duration:.2f} s), "
        f"{len(starts)} timed sentences for {len(cues)} cues, click on sentence {min(3, len(starts))} "
        f"-> {clicked:.3f} s, Enter -> {keyed:.3f} s"
    )
    if chapter is not None:
        summary += f", chapter -> {chapter:.3f} s"
    return summary


def _no_problems(page: Page, page_path: Path) -> None:
    problems = page.problems()
    if problems:
        raise CheckFailed(f"{page_path.name}: page reported an error: {problems[0]}")


def _activate(page: Page, selector: str, keep: str, index: int, how: str, timeout: float) -> float:
    """Click (or focus + Enter) the index-th element; return the time the audio seeked to."""
    page.js("document.querySelector('audio').pause()")
    page.js(ARM_SEEK % int(timeout * 1000))
    where = page.js(TARGET % (selector, keep, index))
    label = f"{'click on' if how == 'click' else 'Enter on'} {where['text']!r}"
    if how == "click":
        if not where["onTarget"]:
            raise CheckFailed(f"{label}: element is covered at its own position")
        page.click(where["x"], where["y"])
    else:
        focused = page.js(
            f"(() => {{ const els = Array.from(document.querySelectorAll({selector})).filter((el) => {keep});"
            f" els[{index}].focus(); return document.activeElement === els[{index}]; }})()"
        )
        if not focused:
            raise CheckFailed(f"{label}: element cannot take keyboard focus")
        page.press_enter()
    landed = page.js("window.__readalongSeek", timeout=timeout + 5)
    if landed is None:
        raise CheckFailed(f"{label}: audio did not seek")
    if abs(landed["time"] - where["start"]) > SEEK_TOLERANCE:
        raise CheckFailed(f"{label}: audio at {landed['time']:.3f} s, expected {where['start']:.3f} s")
    if how == "click" and keep != "true":
        current = landed["current"]
        if current is None or abs(float(current) - where["start"]) > 0.002:
            raise CheckFailed(f"{label}: sentence not highlighted (aria-current on {current})")
    return float(landed["time"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", type=Path, help="the read-along page, S.html")
    parser.add_argument("--manifest", type=Path, help="the manifest (default: S.json beside the page)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM") or shutil.which("chromium")
                        or "/usr/bin/chromium", help="Chromium binary (default: chromium on PATH)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds allowed for each wait")
    parser.add_argument("--from-disk", action="store_true",
                        help="open the page as a file:// URL (as offline readers do) instead of over HTTP")
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the page after the click")
    args = parser.parse_args(argv)
    try:
        page_path = args.page.resolve()
        if not page_path.is_file():
            raise SetupFailed(f"{args.page}: no such page; render the episode first")
        manifest_path = args.manifest or page_path.with_suffix(".json")
        try:
            manifest = Manifest.load(Path(manifest_path))
        except AudiobookError as exc:
            raise SetupFailed(f"{exc} (or pass --manifest)") from exc
        if not (Path(args.chromium).is_file() or shutil.which(args.chromium)):
            raise SetupFailed(f"{args.chromium}: Chromium not found; apt-get install chromium")
        print(check_page(page_path, manifest, args.chromium, args.timeout, args.from_disk, args.screenshot))
        return 0
    except CheckFailed as exc:
        print(f"read-along check FAILED: {exc}", file=sys.stderr)
        return 1
    except SetupFailed as exc:
        print(f"read-along check could not run: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
