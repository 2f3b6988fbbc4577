"""Time Day 2 as a facilitator waits for it: ``ideasynth day2`` in a fresh process, wall
clock from start to exit (imports, reading, attaching, the four files, the charts).

    python benchmarks/day2_speed.py [--runs 3]

It runs the bundled Day 1 sample once (``ideasynth run data/sample``) to get a run folder,
then ``ideasynth day2 data/sample/day2 --from RUN_DIR``: once on a cache that holds the
Day 1 notes' vectors (the first Day 2 of a workshop, embedding the cards), then ``--runs``
times more (re-runs, everything cached). Uses a temporary cache and output folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IDEASYNTH = Path(sys.executable).with_name("ideasynth")


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ideasynth-day2-") as tmp:
        env = {**os.environ, "IDEASYNTH_CACHE_DIR": str(Path(tmp) / "cache")}
        seconds, done = _timed(
            [str(IDEASYNTH), "run", str(ROOT / "data" / "sample"), "--out", tmp, "-q"], env
        )
        if done.returncode not in (0, 3):
            sys.exit(f"the Day 1 run failed: {done.stderr.strip()}")
        run_dir = done.stdout.strip().splitlines()[-1].split("Report: ")[-1]
        run_dir = str(Path(run_dir).parent)
        print(f"Day 1 sample run: {seconds:.1f} s ({run_dir})")
        day2 = [str(IDEASYNTH), "day2", str(ROOT / "data" / "sample" / "day2"), "--from", run_dir]
        first, done = _timed(day2, env)
        if done.returncode not in (0, 3):
            sys.exit(f"day2 failed: {done.stderr.strip()}")
        print(f"day2, first (cards embedded): {first:.1f} s")
        again = []
        for _ in range(options.runs):
            seconds, done = _timed(day2, env)
            again.append(seconds)
        print(
            f"day2, re-run (warm, {options.runs} runs): median {statistics.median(again):.1f} s, "
            f"max {max(again):.1f} s"
        )
        print(done.stdout.strip().splitlines()[0])


if __name__ == "__main__":
    main()
