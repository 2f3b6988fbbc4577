"""Fuzz every reader for a while and report what crashed: ``--seconds`` (or $FUZZ_SECONDS).

    python benchmarks/fuzz_readers.py --seconds 180

The test suite runs the same targets (``tests/fuzzing.py``) with a few hundred examples each;
this script keeps generating new ones until the time is up, in rounds of fresh random
examples, and prints the examples tried per target. A crash is printed with hypothesis's
minimal reproducing example; add it to ``tests/test_ingest_fuzz.py`` as an ``@example``
and fix the reader. Exits 1 when something crashed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import (
    ANY_BYTES,
    OFFICE_MUTATIONS,
    TEXT_EXTENSIONS,
    TEXTY,
    bytes_target,
    office_target,
    text_target,
)

ROUND = 200
"""Examples per round; each round draws fresh random examples."""

TARGETS: dict[str, tuple[Callable[..., None], tuple[Any, ...]]] = {
    "bytes (csv, tsv, txt, md, json, jsonl)": (
        bytes_target,
        (st.sampled_from(TEXT_EXTENSIONS), ANY_BYTES),
    ),
    "export-like text (same formats)": (text_target, (st.sampled_from(TEXT_EXTENSIONS), TEXTY)),
    "damaged xlsx and docx": (office_target, OFFICE_MUTATIONS),
}


def fuzz(seconds: float) -> int:
    """Share ``seconds`` between the targets; returns the number of crashing targets."""
    crashed = 0
    share = seconds / len(TARGETS)
    for name, (target, strategies) in TARGETS.items():
        examples = [0]
        runner = settings(
            max_examples=ROUND,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(given(st.tuples(*strategies))(_counting(target, examples)))
        started = time.monotonic()
        outcome = "no crash"
        try:
            while time.monotonic() - started < share:
                runner()
        except Exception:
            crashed += 1
            outcome = "CRASHED (traceback above)"
            traceback.print_exc()
        elapsed = time.monotonic() - started
        print(f"{name}: {examples[0]} examples in {elapsed:.0f} s, {outcome}", flush=True)
    return crashed


def _counting(target: Callable[..., None], examples: list[int]) -> Callable[[Any], None]:
    def run(args: tuple[Any, ...]) -> None:
        examples[0] += 1
        target(*args)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("FUZZ_SECONDS", "60"))
    )
    args = parser.parse_args()
    sys.exit(1 if fuzz(args.seconds) else 0)


if __name__ == "__main__":
    main()
