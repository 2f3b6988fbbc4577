"""Peak memory on a file of a million lines, measured in a subprocess (opt-in: slow).

The fast proof that the readers stream is in ``test_ingest_hostile.py`` (they read endless
sources); this one measures resident memory, which takes about 20 s and writes 100 MB, so it
runs only with ``IDEASYNTH_SLOW=1``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

from pipeline.config import IngestConfig

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("IDEASYNTH_SLOW"),
        reason="slow (about 20 s, 100 MB on disk): set IDEASYNTH_SLOW=1 to run it",
    ),
]


def _benchmark() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "ingest_memory.py"
    spec = importlib.util.spec_from_file_location("ingest_memory", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_memory_does_not_grow_with_the_part_of_the_file_past_the_limit(tmp_path: Path) -> None:
    bench = _benchmark()
    limit = IngestConfig().max_rows
    small = bench.write_files(tmp_path / "small", limit)  # exactly at the limit
    huge = bench.write_files(tmp_path / "huge", 1_000_000)

    for small_file, huge_file in zip(small, huge, strict=True):
        at_limit = bench.measure(small_file, limit)
        past_limit = bench.measure(huge_file, limit)

        assert str(past_limit["outcome"]).startswith("too many rows")
        # Five times the file, yet no more memory than the file that fits: nothing past the
        # limit is held, and the file is never held whole.
        assert float(past_limit["peak_mb"]) < float(at_limit["peak_mb"]) * 1.15
