"""Time a whole workshop run without an LLM and print the seconds of each step.

    python benchmarks/pipeline_speed.py --notes 2000 [--flow] [--embedder use-m3+e5-small]

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
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--flow", action="store_true", help="run through the Prefect flow")
    parser.add_argument("--embedder", help="embedder to use instead of the default")
    args = parser.parse_args()

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
