"""A render job's child process: `python -m audiobook.studio.worker REQUEST.json`.

Runs in its own process group so the studio can stop it, and every synthesis worker under it, at once.
Writes one JSON object per line on stdout: {"progress": 0..1}, then {"done": summary} or {"error": line}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SYNTH_SHARE = 0.85  # synthesis is most of a render; assembling, mastering and encoding the rest


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    import signal

    from audiobook.console import interrupt

    # The studio stops a job with SIGTERM to its group: raised here as KeyboardInterrupt, so the render
    # unwinds and removes its staged partial files (SIGTERM's default would leave them behind).
    signal.signal(signal.SIGTERM, interrupt)
    from audiobook.errors import AudiobookError
    from audiobook.studio.stages import render_episode

    req = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    _emit({"progress": 0.02})

    def progress(done: int, total: int) -> None:
        _emit({"progress": round(0.02 + SYNTH_SHARE * done / max(total, 1), 4)})

    try:
        summary = render_episode(Path(req["script"]), Path(req["outdir"]), req["name"],
                                 Path(req["lexicon"]) if req.get("lexicon") else None, bool(req.get("m4b")),
                                 progress)
    except AudiobookError as e:
        _emit({"error": str(e)})
        return 1
    except OSError as e:
        _emit({"error": f"{e.filename or 'file'}: {e.strerror or e}"})
        return 1
    except KeyboardInterrupt:
        return 130
    _emit({"progress": 1.0})
    _emit({"done": summary})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
