"""Master stage: integrated loudness to a target (ITU-R BS.1770-4) under a true-peak ceiling.

The episode stays 16-bit PCM; every pass converts one chunk at a time, so memory stays near the PCM itself.
Mastering is planned before any sample changes (`plan.py`): a loudness pass (`meter.py`) and a true-peak
pass (`truepeak.py`) on one thread per core (numpy's FFTs and reductions release the GIL), over the whole
or run by run with each run's measurements cached (`parts.py`), then the gain is solved on them. The plan
is applied block by block while the encoder consumes the blocks. Metering the output again as it streams
was dropped: it competed with the encoder for the CPU.
"""

from audiobook.audio.master.chunks import CHUNK, as_float
from audiobook.audio.master.meter import LoudnessMeter, integrated_loudness, loudness_from_powers, measure
from audiobook.audio.master.plan import Loudness, MasterPlan, grid_cell, plan_master
from audiobook.audio.master.truepeak import cell_peaks, true_peak_db

__all__ = [
    "CHUNK",
    "Loudness",
    "LoudnessMeter",
    "MasterPlan",
    "as_float",
    "cell_peaks",
    "grid_cell",
    "integrated_loudness",
    "loudness_from_powers",
    "measure",
    "plan_master",
    "true_peak_db",
]
