"""End-to-end time, peak memory and time per step at 1k, 10k and 100k notes, without an LLM.

    python benchmarks/scale.py                      # 1,000 and 10,000 notes
    python benchmarks/scale.py --sizes 100000 --cold-only   # the cold run alone
    python benchmarks/scale.py --batch 20           # a 20-workshop batch, two of them broken
    python benchmarks/scale.py --sizes 10000 --embedder use-m3   # another embedder

For each size it writes a synthetic workshop (notes joined from two or three sample notes of
one intended theme, so duplicate detection keeps them apart and every text is new to the
cache), then, each in a fresh process through the Prefect flow:

* a **cold** run on an empty embedding cache;
* a **re-run** after 5 % new notes were appended (the cache holds the other 95 %);
* the same re-run again, **unchanged**: nothing new to embed, detect or cluster, so its time
  is the floor of any re-run in a fresh process (imports, Prefect, model-free steps, writing);
* the embedder's **raw** throughput: the same model on 1,000 of these notes, no pipeline.

It prints wall time (process start to exit, imports and Prefect's temporary server
included), peak resident memory of the process and its children (polled every 0.2 s), the
manifest's time per step, and the pipeline's notes per second beside the embedder's.

``--one-process`` also runs the cold run and the re-run one after the other in a single
process, as a batch worker or a Python session does: the re-run then finds Prefect's server
started and the models loaded. Each run is timed from the flow call to its return.

With ``PREFECT_API_URL`` set (``prefect server start`` elsewhere), every run talks to that
server instead of starting a temporary one, as a deployment's runs do.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
EMBEDDER_ENV = "IDEASYNTH_SCALE_EMBEDDER"
"""How ``--embedder`` reaches the child processes."""
sys.path.insert(0, str(ROOT))


def sample_by_theme() -> dict[str, list[str]]:
    by_theme: dict[str, list[str]] = {}
    with open(ROOT / "data/sample/_intended_themes.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["theme"] and "\n" not in row["text"]:
                by_theme.setdefault(row["theme"], []).append(row["text"].rstrip(".!"))
    return by_theme


def synthetic_notes(n: int, seed: int, exclude: set[str] | None = None) -> list[str]:
    """``n`` distinct notes, each two or three sample notes of one theme joined."""
    by_theme = sample_by_theme()
    themes = sorted(by_theme)
    rng = random.Random(seed)
    seen = set(exclude or ())
    notes: list[str] = []
    while len(notes) < n:
        pieces = rng.sample(by_theme[rng.choice(themes)], rng.choice((2, 3)))
        text = " — ".join(p[:1].lower() + p[1:] if i else p for i, p in enumerate(pieces))
        if text not in seen:
            seen.add(text)
            notes.append(text)
    return notes


def write_notes(path: Path, notes: list[str], seed: int) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Note", "Table"])
        writer.writerows((text, f"Table {rng.randint(1, 9)}") for text in notes)


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``command``; return (wall seconds, peak RSS in MB of it and its children, stdout)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        parent = psutil.Process(proc.pid)
        peak = 0
        while proc.poll() is None:
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.2)
        wall = time.perf_counter() - started
        out.seek(0)
        text = out.read()
        err.seek(0)
        problem = err.read()[-3000:]
    if proc.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(command)} failed with {proc.returncode}:\n{problem}")
    return wall, peak / 2**20, text


def child_run(workshop: Path, out: Path) -> None:
    """One run through the flow, in this process; prints the manifest's figures as JSON."""
    from flows.synthesize import synthesize_workshop
    from pipeline.config import Config

    config = Config()
    config.ingest.max_rows = 10_000_000
    if spec := os.environ.get(EMBEDDER_ENV):  # else the run chooses, by size
        config.embed.model = spec
    result, _ = synthesize_workshop(workshop, config, out)
    manifest = result.manifest
    figures = {
        "ideas": manifest.counts.ideas,
        "themes": len(result.themes),
        **manifest.timings,
        # Kept the previous run's themes, or clustered afresh (and why).
        "themes_kept": manifest.clustering.get("incremental"),
        "clustered_afresh_because": manifest.clustering.get("clustered_afresh_because"),
        "embedder": manifest.config["embed"]["model"],
        "embedder_choice": manifest.embedder_choice,
    }
    print("RESULT " + json.dumps(figures))


def child_both(workshop: Path, out: Path) -> None:
    """Cold run, 5 % new notes, re-run, in this one process; prints both durations."""
    from flows.synthesize import synthesize_workshop
    from pipeline.config import Config

    config = Config()
    config.ingest.max_rows = 10_000_000
    if spec := os.environ.get(EMBEDDER_ENV):  # else the run chooses, by size
        config.embed.model = spec
    seconds = []
    for appended in (False, True):
        if appended:
            with open(workshop / "notes.csv", encoding="utf-8") as handle:
                notes = [row["Note"] for row in csv.DictReader(handle)]
            new = synthetic_notes(max(1, len(notes) // 20), len(notes) + 1, set(notes))
            write_notes(workshop / "notes.csv", notes + new, seed=len(notes))
        started = time.perf_counter()
        result, _ = synthesize_workshop(workshop, config, out)
        seconds.append(time.perf_counter() - started)
    kept = result.manifest.clustering.get("incremental") is not None
    print("RESULT " + json.dumps({"cold": seconds[0], "rerun": seconds[1], "kept": kept}))


def child_raw(workshop: Path, limit: int) -> None:
    """The embedder alone on ``limit`` notes, after loading it; prints notes per second."""
    from pipeline.config import EmbedConfig
    from pipeline.embed import create_embedder
    from pipeline.embed.choice import choose_embedder

    with open(workshop / "notes.csv", encoding="utf-8") as handle:
        texts = [row["Note"] for row in csv.DictReader(handle)]
    # The embedder the pipeline runs: --embedder, or the default's choice for this many notes.
    spec = os.environ.get(EMBEDDER_ENV) or choose_embedder(EmbedConfig(), len(texts)).spec
    embedder = create_embedder(spec)
    texts = texts[:limit]
    embedder.embed(texts[:8])  # load the model outside the timing
    started = time.perf_counter()
    for start in range(0, len(texts), 64):
        embedder.embed(texts[start : start + 64])
    print("RESULT " + json.dumps({"notes_per_s": len(texts) / (time.perf_counter() - started)}))


def _result(text: str) -> dict[str, Any]:
    for line in text.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[7:]))
    raise SystemExit("no result line from the child process")


def bench_size(
    n: int, tmp: Path, raw_notes: int, cold_only: bool = False, one_process: bool = False
) -> dict[str, Any]:
    workshop = tmp / f"w{n}"
    workshop.mkdir()
    notes = synthetic_notes(n, seed=n)
    write_notes(workshop / "notes.csv", notes, seed=n)
    env = {
        **os.environ,
        "IDEASYNTH_CACHE_DIR": str(tmp / f"cache{n}"),
        "PREFECT_HOME": str(tmp / f"prefect{n}"),
        "PREFECT_LOGGING_LEVEL": "ERROR",
    }
    me = [sys.executable, __file__]
    row: dict[str, Any] = {"notes": n}
    wall, peak, text = measured([*me, "--child-run", str(workshop), str(tmp / "runs")], env)
    row["cold"] = {"seconds": wall, "peak_mb": peak, **_result(text)}
    if cold_only:
        return row
    new = synthetic_notes(max(1, n // 20), seed=n + 1, exclude=set(notes))
    write_notes(workshop / "notes.csv", notes + new, seed=n)
    wall, peak, text = measured([*me, "--child-run", str(workshop), str(tmp / "runs")], env)
    row["rerun_5pct"] = {"seconds": wall, "peak_mb": peak, **_result(text)}
    wall, peak, text = measured([*me, "--child-run", str(workshop), str(tmp / "runs")], env)
    row["rerun_unchanged"] = {"seconds": wall, "peak_mb": peak, **_result(text)}
    wall, peak, text = measured([*me, "--child-raw", str(workshop), str(raw_notes)], env)
    row["raw_notes_per_s"] = _result(text)["notes_per_s"]
    if one_process:  # the same workshop again, on fresh caches, in one process
        write_notes(workshop / "notes.csv", notes, seed=n)
        env["IDEASYNTH_CACHE_DIR"] = str(tmp / f"cache{n}-one")
        env["PREFECT_HOME"] = str(tmp / f"prefect{n}-one")  # Prefect's prepare cache too
        command = [*me, "--child-both", str(workshop), str(tmp / "runs-one")]
        wall, peak, text = measured(command, env)
        row["one_process"] = {"peak_mb": peak, **_result(text)}
    return row


def report(row: dict[str, Any]) -> None:
    cold, rerun = row["cold"], row.get("rerun_5pct")
    pipeline_rate = cold["ideas"] / cold["seconds"]
    print(f"\n{row['notes']:,} notes ({cold['ideas']:,} ideas, {cold['themes']} themes)")
    print(f"  cold end to end   {cold['seconds']:8.1f} s   peak RSS {cold['peak_mb']:,.0f} MB")
    print(f"  embedder {cold.get('embedder')} ({cold.get('embedder_choice')})")
    steps = [
        k
        for k, v in cold.items()
        if k not in ("seconds", "peak_mb", "ideas", "themes") and isinstance(v, int | float)
    ]
    for step in steps:
        again = f"   (re-run {rerun.get(step, 0):6.1f} s)" if rerun else ""
        print(f"    {step:<12} {cold[step]:8.1f} s{again}")
    if rerun is None:
        print(f"  notes/s: pipeline {pipeline_rate:.1f}")
        return
    if rerun.get("themes_kept"):
        kept = rerun["themes_kept"]
        unplaced = kept["new_unassigned"]
        print(f"  re-run kept the themes: {kept['new']} new notes, {unplaced} unplaced")
    else:
        print(f"  re-run clustered afresh: {rerun.get('clustered_afresh_because')}")
    share = rerun["seconds"] / cold["seconds"]
    print(f"  5 %-new re-run    {rerun['seconds']:8.1f} s   = {share:.0%} of the cold run")
    if unchanged := row.get("rerun_unchanged"):
        floor = unchanged["seconds"] / cold["seconds"]
        print(f"  unchanged re-run  {unchanged['seconds']:8.1f} s   = {floor:.0%} of the cold run")
    ratio = pipeline_rate / row["raw_notes_per_s"]
    print(
        f"  notes/s: pipeline {pipeline_rate:.1f}, embedder alone {row['raw_notes_per_s']:.1f}"
        f" ({ratio:.0%})"
    )
    if one := row.get("one_process"):
        kept = "themes kept" if one["kept"] else "clustered afresh"
        print(
            f"  in one process: cold {one['cold']:.1f} s, 5 %-new re-run {one['rerun']:.1f} s"
            f" = {one['rerun'] / one['cold']:.0%} ({kept})"
        )


def bench_batch(count: int, notes_each: int, tmp: Path) -> None:
    """A batch of ``count`` workshops, two of them broken, through ``ideasynth batch``."""
    root = tmp / "batch"
    root.mkdir()
    for i in range(count):
        folder = root / f"workshop-{i:02d}"
        folder.mkdir()
        if i == 3:
            (folder / "notes.csv").write_bytes(os.urandom(4096))  # not text
        elif i == 11:
            write_notes(folder / "notes.csv", synthetic_notes(notes_each, seed=i), seed=i)
            (folder / "ideasynth.toml").write_text("[cluster]\nseeds = 3\n")  # a typo
        else:
            write_notes(folder / "notes.csv", synthetic_notes(notes_each, seed=i), seed=i)
    env = {**os.environ, "PREFECT_HOME": str(tmp / "prefect-batch")}
    env["IDEASYNTH_CACHE_DIR"] = str(tmp / "cache-batch")
    command = [str(Path(sys.executable).with_name("ideasynth")), "batch", str(root)]
    command += ["--out", str(tmp / "batch-out")]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    print(done.stdout[-4000:], done.stderr[-2000:], sep="\n")
    print(f"exit code {done.returncode}, {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--raw-notes", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=0, help="workshops in a batch run instead")
    parser.add_argument("--batch-notes", type=int, default=60)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--cold-only", action="store_true", help="only the cold run (no re-run, no raw rate)"
    )
    parser.add_argument("--embedder", help="embedder to use instead of the default")
    parser.add_argument(
        "--one-process", action="store_true", help="also cold run and re-run in one process"
    )
    parser.add_argument("--child-run", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-raw", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--child-both", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_run:
        child_run(*args.child_run)
        return
    if args.child_raw:
        child_raw(Path(args.child_raw[0]), int(args.child_raw[1]))
        return
    if args.child_both:
        child_both(*args.child_both)
        return
    if args.embedder:
        os.environ[EMBEDDER_ENV] = args.embedder
    with tempfile.TemporaryDirectory(prefix="ideasynth-scale-") as name:
        tmp = Path(name)
        if args.batch:
            bench_batch(args.batch, args.batch_notes, tmp)
            return
        rows = []
        for n in args.sizes:
            row = bench_size(n, tmp, min(args.raw_notes, n), args.cold_only, args.one_process)
            report(row)
            rows.append(row)
            if args.json:
                args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
