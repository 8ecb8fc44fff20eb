"""Where the episode is cut into runs that are encoded apart: at pauses, each run starting on an MP3 frame.

A run's encoded frames can be reused after an edit elsewhere only if its audio sits at the same place in
its frames. So every cut lies on the output's frame grid: the pause at a cut is shortened by less than one
frame (at most 26 ms at 44.1 kHz) so that the run after it starts on a frame boundary, and the episode's
cue, segment and chapter times are moved with it. Cuts are chosen by content, not by position: a pause
between two sentences is a cut when a hash of the two sentences says so and the run is long enough, so an
edit moves at most the cuts next to it and the runs after it keep their audio.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from math import gcd

import numpy as np

from audiobook.audio.assemble import ChapterMark, Cue, Episode, Span

SILENT = 32  # |sample| at or below this (-60 dBFS) counts as silence around a cut
CONTEXT_FRAMES = (4, 3)  # frames of real signal a run's encode starts before its cut / goes on after its end


@dataclass(frozen=True)
class RunSpec:
    min_seconds: float = 60.0  # a run is at least this long (the last one excepted)
    max_seconds: float = 240.0  # a pause this far from the last cut is a cut whatever its hash says
    chance: float = 0.35  # the share of pauses past min_seconds that are cuts


@dataclass(frozen=True)
class Grid:
    """The output's MP3 frame grid seen from the assembly rate."""

    rate: int  # assembly rate
    out_rate: int

    @property
    def frame(self) -> int:  # output samples per MP3 frame
        return 1152 if self.out_rate >= 32000 else 576

    @property
    def unit(self) -> int:
        """Assembly samples in the smallest span that is a whole number of frames at the output rate."""
        whole = self.frame * self.rate
        return whole // gcd(whole, self.out_rate)

    def out(self, n: int) -> int:
        """Assembly samples -> output samples (exact on the grid)."""
        return n * self.out_rate // self.rate

    def context(self) -> tuple[int, int]:
        """(before, after) in assembly samples: whole units covering CONTEXT_FRAMES frames each."""
        per_unit = self.out(self.unit) // self.frame
        return tuple(-(-k // per_unit) * self.unit for k in CONTEXT_FRAMES)  # type: ignore[return-value]


def spans(bounds: list[int], n: int, grid: Grid) -> list[tuple[int, int]]:
    """What each run's encode takes of the `n` samples: the run with its context (Grid.context)."""
    before, after = grid.context()
    last = len(bounds) - 2
    return [(max(0, a - before), n if i == last else min(n, b + after))
            for i, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False))]


def _fraction(a: str, b: str) -> float:
    h = hashlib.sha1(f"{a}\0{b}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def choose_cuts(ep: Episode, grid: Grid, spec: RunSpec = RunSpec()) -> list[int]:
    """Mid-pause positions (assembly samples, before alignment) where runs start, chosen by content."""
    x, rate = ep.samples, ep.sample_rate
    before, after = grid.context()
    reach = before + grid.unit  # the pause must be silent this far before its middle (trim + context)
    cuts: list[int] = []
    last = 0
    for a, b in zip(ep.cues, ep.cues[1:], strict=False):
        mid = (round(a.end * rate) + round(b.start * rate)) // 2
        lo, hi = mid - reach, mid + after
        since = (mid - last) / rate
        if lo < 0 or hi > len(x) or since < spec.min_seconds:
            continue
        if _fraction(a.text, b.text) >= spec.chance and since < spec.max_seconds:
            continue
        if int(np.abs(x[lo:hi].astype(np.int32)).max()) > SILENT:
            continue  # not silent all the way (music, or a very short pause)
        cuts.append(mid)
        last = mid
    return cuts


def align(ep: Episode, grid: Grid, spec: RunSpec = RunSpec()) -> tuple[Episode, list[int]]:
    """The episode with each cut's pause shortened onto the frame grid, and the run bounds [0, ..., end]
    (assembly samples). Reuses `ep.samples`' buffer (shifted in place): use only the returned episode."""
    x, rate = ep.samples, ep.sample_rate
    trims: list[tuple[int, int]] = []  # (cut position before alignment, samples removed just before it)
    total = 0
    for mid in choose_cuts(ep, grid, spec):
        t = (mid - total) % grid.unit
        trims.append((mid, t))
        total += t
    if not total:
        return ep, [0, *(m for m, _ in trims), len(x)]
    shift, bounds = 0, [0]
    for i, (mid, t) in enumerate(trims):
        end = trims[i + 1][0] - trims[i + 1][1] if i + 1 < len(trims) else len(x)
        shift += t
        x[mid - shift : end - shift] = x[mid:end]  # numpy copes with the overlap
        bounds.append(mid - shift)
    n = len(x) - total
    bounds.append(n)

    def moved(seconds: float) -> float:
        s, removed = round(seconds * rate), 0
        for mid, t in trims:
            if s >= mid:
                removed += t
            elif s > mid - t:
                removed += s - (mid - t)  # inside a removed stretch: to its start
        return (s - removed) / rate

    cues = [dataclasses.replace(c, start=moved(c.start), end=moved(c.end)) for c in ep.cues]
    chapters = [ChapterMark(c.title, moved(c.start), moved(c.end)) for c in ep.chapters]
    segments = {k: Span(moved(s.start), moved(s.end)) for k, s in ep.segments.items()}
    return Episode(x[:n], rate, cues, chapters, segments), bounds


__all__ = ["Cue", "Grid", "RunSpec", "align", "choose_cuts", "spans"]
