"""Peak memory of reading a huge notes file: proof that the CSV and text readers stream.

    python benchmarks/ingest_memory.py              # 1,000,000 lines
    python benchmarks/ingest_memory.py --lines 200000

Writes a text file and a CSV file of ``--lines`` notes (about 52 bytes a line), then reads
each in a fresh Python process and reports its peak resident memory (``ru_maxrss``), once
with the default ``ingest.max_rows`` (the file is refused at the limit, with one line) and
once with the limit raised above the file (every line becomes a note). A reader that held
the file as bytes, as text and as a list of lines would need several times the file size
on top of the notes; a streaming one needs the notes it keeps, and nothing that grows with
the rest of the file.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from pipeline.config import IngestConfig
from pipeline.ingest import IngestError, ingest
path, max_rows = Path(sys.argv[1]), int(sys.argv[2])
started = time.perf_counter()
if max_rows:
    try:
        result = ingest(path, IngestConfig(max_rows=max_rows))
        outcome = f"{len(result.notes):,} notes"
    except IngestError as exc:
        outcome = str(exc).split(": ", 1)[1][:60] + "…"
else:
    outcome = "imports only"
seconds = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mb": peak_kb / 1024}))
"""

WORDS = [
    *("bancs", "arbres", "vélo", "parc", "école", "fietspad", "Bürger", "meeting"),
    *("transport", "ombre", "fontaine", "marché", "quartier", "jardin", "Spielplatz", "buurt"),
]


def write_files(folder: Path, lines: int) -> list[Path]:
    rng = random.Random(1)
    folder.mkdir(parents=True, exist_ok=True)
    text, table = folder / "huge.txt", folder / "huge.csv"
    with text.open("w", encoding="utf-8") as txt, table.open("w", encoding="utf-8") as csv:
        csv.write("Idée;Table\n")
        for number in range(lines):
            note = " ".join(rng.choice(WORDS) for _ in range(6))
            txt.write(f"- {note} {number}\n")
            csv.write(f"{note} {number};{number % 12}\n")
    return [text, table]


def measure(path: Path | None, max_rows: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path or ""), str(max_rows)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    from pipeline.config import IngestConfig

    default_limit = IngestConfig().max_rows
    with tempfile.TemporaryDirectory(prefix="ideasynth-memory-") as folder:
        files = write_files(Path(folder), args.lines)
        base = measure(None, 0)
        print(f"{args.lines:,} lines; Python with ideasynth's ingest imported: "
              f"{base['peak_mb']:.0f} MB")  # fmt: skip
        print("| file | size | ingest.max_rows | outcome | seconds | peak RSS |")
        print("|---|---|---|---|---|---|")
        for path in files:
            size = path.stat().st_size / 1024 / 1024
            for max_rows in (default_limit, args.lines + 10):
                run = measure(path, max_rows)
                print(
                    f"| {path.name} | {size:.0f} MB | {max_rows:,} | {run['outcome']} | "
                    f"{run['seconds']:.1f} | {run['peak_mb']:.0f} MB |"
                )


if __name__ == "__main__":
    main()
