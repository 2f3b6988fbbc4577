"""Time a whole workshop run without an LLM and print the seconds of each step.

    python benchmarks/pipeline_speed.py --notes 2000 [--flow] [--embedder use-m3+e5-small]
    python benchmarks/pipeline_speed.py --reruns [--notes 10000]

``--reruns`` times what a facilitator waits for, each run an ``ideasynth run`` in a fresh
process, wall clock from start to exit (imports, Prefect's temporary server, the summary):

* the bundled sample, run once to fill an empty cache, then re-run unchanged (``warm``);
* ``--notes`` synthetic notes (as ``scale.py`` makes them: two or three sample notes of one
  theme joined): a cold run on an empty cache, then a re-run after 5 % new notes were
  appended, and the re-run's share of the cold run.

The notes are synthetic but realistic: each is two notes of the same intended theme from the
bundled sample joined together, so every text is new to the embedding cache (a cold run) and
the theme of each is known, which also gives an NMI figure. A second, warm run on the same
notes, clustered afresh (``--recluster``), shows what the embedding cache saves; a third
keeps the themes of the second, as a re-run with unchanged notes does by default. Uses a
temporary cache and output folder.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pipeline.config import Config  # noqa: E402
from pipeline.run import run_workshop  # noqa: E402


def synthetic_workshop(folder: Path, n: int, seed: int = 0) -> Path:
    """Write ``n`` notes to ``folder/notes.csv`` and their themes to ``folder/_themes.csv``."""
    by_theme: dict[str, list[str]] = {}
    with open(ROOT / "data/sample/_intended_themes.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["theme"] and "\n" not in row["text"]:
                by_theme.setdefault(row["theme"], []).append(row["text"])
    rng = random.Random(seed)
    themes = sorted(by_theme)
    rows, seen = [], set()
    while len(rows) < n:
        theme = rng.choice(themes)
        a, b = rng.sample(by_theme[theme], 2)
        text = f"{a.rstrip('.!')} — {b[:1].lower()}{b[1:]}"
        if text not in seen:
            seen.add(text)
            rows.append((text, theme, f"Table {rng.randint(1, 5)}"))
    notes = folder / "notes.csv"
    with open(notes, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Note", "Table"])
        writer.writerows((text, table) for text, _, table in rows)
    with open(folder / "_themes.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "text", "theme"])
        writer.writerows(("notes.csv", text, theme) for text, theme, _ in rows)
    return folder


def timed_cli_run(workshop: Path, out: Path, cache: Path, *extra: str) -> float:
    """``ideasynth run`` in a fresh process, as a facilitator types it; its wall seconds."""
    env = {**os.environ, "IDEASYNTH_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pipeline.cli", "run", str(workshop), "--out", str(out)]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "--quiet", *extra], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 3):
        sys.exit(f"ideasynth run failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds


def append_new_notes(workshop: Path, share: float, seed: int) -> int:
    """Append ``share`` of the workshop's note count as notes it does not have yet."""
    from scale import synthetic_notes

    notes = workshop / "notes.csv"
    with open(notes, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    fresh = synthetic_notes(round(len(rows) * share), seed, exclude={row[0] for row in rows})
    with open(notes, "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows((text, "Table 9") for text in fresh)
    return len(fresh)


def step_times(out: Path) -> str:
    """The newest run's time per step, from its manifest."""
    import json

    latest = max(out.glob("*/*/manifest.json"), key=lambda p: p.stat().st_mtime)
    timings = json.loads(latest.read_text(encoding="utf-8"))["timings"]
    return ", ".join(f"{step} {seconds:.1f}" for step, seconds in timings.items())


def reruns(notes: int, repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        # A Prefect home of its own: Prefect's task cache (ingest, prepare) from earlier runs
        # of the same synthetic notes would make the cold run warm.
        os.environ["PREFECT_HOME"] = str(base / "prefect")
        if repeats:
            sample_reruns(base, repeats)
        if not notes:
            return
        from scale import synthetic_notes, write_notes  # as many distinct notes as asked

        workshop = base / f"synthetic-{notes}"
        workshop.mkdir()
        write_notes(workshop / "notes.csv", synthetic_notes(notes, seed=0), seed=0)
        cache = base / "cache-synthetic"
        cold = timed_cli_run(workshop, base / "runs", cache)
        print(f"{notes} notes, cold run on an empty cache: {cold:.1f} s")
        print(f"  steps (s): {step_times(base / 'runs')}")
        added = append_new_notes(workshop, 0.05, seed=1)
        rerun = timed_cli_run(workshop, base / "runs", cache)
        print(
            f"{notes} notes + {added} new (5 %), fresh-process re-run: {rerun:.1f} s "
            f"= {100 * rerun / cold:.0f} % of the cold run (target 30 %)"
        )
        print(f"  steps (s): {step_times(base / 'runs')}")


def sample_reruns(base: Path, repeats: int) -> None:
    """The bundled sample: a first run on an empty cache, then ``repeats`` unchanged ones."""
    sample = base / "sample"
    shutil.copytree(ROOT / "data" / "sample", sample)
    cache = base / "cache-sample"
    first = timed_cli_run(sample, base / "runs", cache)
    warm = [timed_cli_run(sample, base / "runs", cache) for _ in range(repeats)]
    print(f"sample, first run on an empty cache: {first:.1f} s")
    print(
        "sample, warm unchanged re-run: "
        + ", ".join(f"{s:.1f} s" for s in warm)
        + f" (median {sorted(warm)[len(warm) // 2]:.1f} s; target 12 s)"
    )
    print(f"  steps (s): {step_times(base / 'runs')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--flow", action="store_true", help="run through the Prefect flow")
    parser.add_argument("--embedder", help="embedder to use instead of the default")
    parser.add_argument(
        "--reruns", action="store_true", help="fresh-process re-runs (see above) instead"
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="--reruns: warm sample re-runs (0: none)"
    )
    args = parser.parse_args()
    if args.reruns:
        reruns(args.notes, args.repeats)
        return

    with tempfile.TemporaryDirectory() as tmp:
        workshop = Path(tmp) / "workshop"
        workshop.mkdir()
        synthetic_workshop(workshop, args.notes)
        config = Config(labels=workshop / "_themes.csv")
        config.embed.cache_dir = Path(tmp) / "cache"
        config.embed.model = args.embedder or config.embed.model
        if args.flow:
            from flows.synthesize import synthesize_workshop

            def run(config: Config) -> tuple:
                return synthesize_workshop(workshop, config, Path(tmp) / "runs")
        else:

            def run(config: Config) -> tuple:
                return run_workshop(workshop, config, Path(tmp) / "runs")

        afresh = config.model_copy(deep=True)
        afresh.cluster.incremental = False
        runs = [("cold", config), ("warm, clustered afresh", afresh), ("warm, themes kept", config)]
        for label, settings in runs:
            started = time.perf_counter()
            result, _ = run(settings)
            total = time.perf_counter() - started
            manifest = result.manifest
            print(f"\n{label} run, {manifest.counts.ideas} ideas, {len(result.themes)} themes")
            for step, seconds in manifest.timings.items():
                print(f"  {step:<10} {seconds:7.2f} s")
            print(f"  {'total':<10} {total:7.2f} s   ({manifest.counts.ideas / total:.0f} notes/s)")
            if manifest.evaluation:
                e = manifest.evaluation
                print(
                    f"  NMI_all {e['nmi_all']:.3f}  coverage {e['coverage']:.3f}  "
                    f"lang_NMI {e['lang_nmi']:.3f}"
                )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\npeak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
