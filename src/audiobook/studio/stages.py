"""The studio's one door to the project's stages: every call into parse, cast, synthesis, render and
publish goes through here, so the stages can be reshaped and re-pointed in one place."""

from __future__ import annotations

import dataclasses
import io
import json
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audiobook.errors import AudiobookError
from audiobook.text.script import Script

SAMPLE_TEXT = "Сәлеметсіз бе! Бұл дауыстың үлгісі."  # what a voice says when the editor asks to hear it
_synth_lock = threading.Lock()  # engines keep one instance per process; one request synthesizes at a time


_URL_SUFFIXES = {"text/html": ".html", "application/xhtml+xml": ".html", "text/markdown": ".md",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}


def fetch_url(url: str, limit: int) -> tuple[bytes, str]:
    """An article's bytes from an http(s) URL and a file name whose extension tells `render` its format."""
    import urllib.error
    import urllib.request
    from urllib.parse import urlparse

    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AudiobookError(f"{url}: not an http(s) URL; give the article's web address")
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "audiobook-studio"}),
                                    timeout=20) as resp:
            data = resp.read(limit + 1)
            kind = resp.headers.get_content_type()
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise AudiobookError(f"{url}: cannot be fetched ({getattr(e, 'reason', e)}); check the address") from None
    if len(data) > limit:
        raise AudiobookError(f"{url}: larger than {limit // (1024 * 1024)} MB; save the article and upload it")
    name = Path(parts.path).name or "article"
    suffix = _URL_SUFFIXES.get(kind) or (Path(name).suffix if Path(name).suffix else ".txt")
    return data, Path(name).stem + suffix


def load_article(path: Path) -> Script:
    """An article in any format `render` reads, or a YAML/JSON script."""
    from audiobook.text.prepare import load_script

    return load_script(path)


def load_edited(path: Path) -> Script:
    """An edited script file; an invalid one raises the CLI's one-line AudiobookError."""
    from audiobook.text.scriptfile import load_script_file
    from audiobook.voice.resolve import find_profile

    return load_script_file(path, check_voice=find_profile)


def script_json(script: Script) -> dict[str, Any]:
    """The script exactly as `audiobook script --json` prints it."""
    from audiobook.text.scriptfile import dump_json

    data: dict[str, Any] = json.loads(dump_json(script))
    return data


def script_yaml(script: Script, name: str) -> str:
    """The script as `audiobook script --yaml` writes it."""
    from audiobook.text.scriptfile import dump_yaml

    return dump_yaml(script, name)


def dropped(script: Script) -> list[dict[str, Any]]:
    """Page furniture the parser left out (once parsers report it), as {"text", "segment"?} items."""
    out: list[dict[str, Any]] = []
    for item in getattr(script, "dropped", None) or []:
        if isinstance(item, str):
            out.append({"text": item})
        elif isinstance(item, dict):
            out.append({"text": str(item.get("text", "")), **{k: v for k, v in item.items() if k != "text"}})
        else:  # a dataclass or similar
            text = getattr(item, "text", str(item))
            entry: dict[str, Any] = {"text": str(text)}
            for key in ("line", "segment", "reason", "kind"):
                if getattr(item, key, None) is not None:
                    entry[key] = getattr(item, key)
            out.append(entry)
    return [d for d in out if d["text"].strip()]


def preflight(script: Script, lexicon: Path | None) -> list[dict[str, Any]]:
    """Warnings to show before rendering: the script's own, sentences with nothing to speak, and the
    normalizer's guessed words when it reports them ({"message", "segment"?, "word"?})."""
    from audiobook.text.normalize import user_lexicon
    from audiobook.text.prepare import script_lines

    out: list[dict[str, Any]] = [{"message": w} for w in script.warnings]
    _, warnings = script_lines(script, user_lexicon(lexicon))
    for w in warnings:  # "segment 8: nothing to speak in ...": numbered from 0, as the page's table
        head, _, rest = w.partition(": ")
        number = head.removeprefix("segment ")
        if number.isdigit():
            out.append({"message": rest, "segment": int(number)})
        else:
            out.append({"message": w})
    from audiobook.text.check import check_script

    for f in check_script(script, user_lexicon(lexicon)).guesses:  # the `audiobook check` report
        g = f.guess
        out.append({"message": f"{g.written} → {g.spoken}" + (f" ({g.note})" if g.note else ""),
                    "segment": f.segment, "word": g.written, "lexicon": g.lexicon_line})
    return out


@dataclass(frozen=True)
class VoiceChoice:
    ref: str  # what a script's speaker `voice:` may say
    label: str
    engine: str


def voice_choices() -> list[VoiceChoice]:
    """Every installed voice: the profiles in the voice folders and each speaker of a Kazakh Piper model."""
    from audiobook.voice.cast import check_profile
    from audiobook.voice.modelfiles import kazakh_piper_models
    from audiobook.voice.profile import list_profile_files
    from audiobook.voice.resolve import load_profile

    out: list[VoiceChoice] = []
    for path in list_profile_files():
        try:
            p = load_profile(path)
            check_profile(p)  # its engine and model files are there
        except AudiobookError:
            continue
        out.append(VoiceChoice(path.stem, f"{path.stem} ({p.engine})", p.engine))
    for m in kazakh_piper_models():
        if m.num_speakers > 1:
            out += [VoiceChoice(f"{m.name}:{i}", f"{m.name} {m.speakers.get(i, i)} (piper)", "piper")
                    for i in range(m.num_speakers)]
        else:
            out.append(VoiceChoice(m.name, f"{m.name} (piper)", "piper"))
    return out


def default_cast() -> dict[str, str]:
    from audiobook.voice.cast import default_cast as cast

    return cast()


def cast_refs(script: Script) -> dict[str, str]:
    """Speaker id -> the profile name that will read it."""
    from audiobook.voice.cast import cast_script

    return {sid: p.name for sid, p in cast_script(script).items()}


def speak(script: Script | None, segment: int | None, lexicon: Path | None, text: str | None = None,
          voice: str | None = None) -> bytes:
    """A WAV of one segment in its speaker's voice (or of `text` in `voice`), from the synthesis cache:
    a second request for the same words only reads the cached pieces."""
    from audiobook.audio.assemble import Pacing
    from audiobook.audio.pcm import read_wav, seconds_to_samples
    from audiobook.pipeline import ASSEMBLY_RATE
    from audiobook.text.normalize import normalize, split_sentences, user_lexicon
    from audiobook.text.prepare import script_lines
    from audiobook.voice.cast import cast_script, check_profile
    from audiobook.voice.resolve import find_profile
    from audiobook.voice.synth import cache_root, synthesize_all

    lex = user_lexicon(lexicon)
    pacing = Pacing()
    if script is not None and segment is not None:
        if not 0 <= segment < len(script.segments):
            raise AudiobookError(f"segment {segment}: no such segment (0 to {len(script.segments) - 1})")
        cast = cast_script(script)
        # Only this segment's sentences are normalized: the rest of the script is not needed to speak it.
        seg = script.segments[segment]
        one = dataclasses.replace(script, segments=[dataclasses.replace(seg, chapter=0)], chapters=[])
        lines, _ = script_lines(one, lex)
        texts = [(line.spoken, cast[line.speaker]) for line in lines]
    else:
        profile = find_profile(voice or "")
        check_profile(profile)
        texts = [(normalize(s, lex), profile) for s in split_sentences(text or SAMPLE_TEXT)]
    if not texts:
        raise AudiobookError(f"segment {segment}: nothing to speak (no sentence has a word)")
    root, _ = cache_root()
    with _synth_lock:
        pieces, _stats = synthesize_all(texts, root, ASSEMBLY_RATE, pacing.trim_db, jobs=1)
    gap = np.zeros(seconds_to_samples(pacing.sentence, ASSEMBLY_RATE), dtype=np.int16)
    parts: list[np.ndarray] = []
    for i, piece in enumerate(pieces):
        parts += [gap] if i else []
        parts.append(read_wav(piece.path).samples)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(ASSEMBLY_RATE)
        w.writeframes(np.concatenate(parts).astype("<i2").tobytes())
    return buf.getvalue()


def render_episode(script_path: Path, outdir: Path, name: str, lexicon: Path | None, m4b: bool,
                   on_progress: Any) -> dict[str, Any]:
    """Render an edited script (runs in the job's child process); returns a summary for the job."""
    from audiobook.package.episode import PackageSettings
    from audiobook.pipeline import RenderOptions, render
    from audiobook.publish.show import load_show

    # podcast.toml beside the script, or the studio's own in the workdir (articles/<id>/script.yaml).
    info, cover = load_show(None, [script_path.parent, outdir, script_path.parents[2]])
    formats = frozenset({"mp3", "m4b"} if m4b else {"mp3"})
    package = PackageSettings(formats=formats, show=info, cover=cover)
    opts = RenderOptions(outdir=outdir, lexicon=lexicon, package=package, name=name)
    result = render(script_path, opts, on_progress)
    return {"outputs": [p.name for p in result.outputs], "duration": result.duration,
            "loudness": result.loudness, "warnings": result.warnings}


def add_to_feed(folder: Path, base_url: str, show: dict[str, Any]) -> Path:
    """`folder/feed.xml` with every episode in `folder`; show details over `folder/podcast.toml`."""
    from audiobook.package.manifest import Show
    from audiobook.publish.feed import write_feed

    return write_feed(folder, base_url, Show.from_mapping(show, "the studio's show details"))
