"""Every embedder that installs offline, on quality and speed: same files, same clustering.

    python benchmarks/embedders.py FILE.tsv [FILE.tsv …] [--embedder SPEC …]

For each embedder, each labelled file is embedded from scratch (no cache, so notes/second is
the embedder's own speed, after loading the model once), then clustered with ideasynth's
default settings and scored with ``pipeline.evaluate`` (NMI_all, coverage, lang_NMI, ARI,
themes). Languages are detected as ``ideasynth evaluate`` does. An embedder that is not
installed is reported as such and skipped. The labelled files are for measuring only.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.cluster import create_clusterer
from pipeline.config import Config
from pipeline.embed import EmbedderError, create_embedder
from pipeline.evaluate import Metrics, known_languages, read_labelled_tsv, score
from pipeline.prepare.language import detect_in_workshop
from pipeline.prepare.normalize import normalize_text

EMBEDDERS = (
    "use-m3+e5-small",
    "use-m3",
    "e5-small",
    "sentence-transformers:all-MiniLM-L6-v2",
)
"""Every embedder that installs from the package index with its weights inside (the default,
both multilingual models joined, first)."""


@dataclass
class Row:
    embedder: str
    file: str
    metrics: Metrics | None
    notes_per_second: float
    load_seconds: float
    problem: str = ""


def measure(spec: str, paths: list[Path]) -> list[Row]:
    embedder = create_embedder(spec)
    started = time.perf_counter()
    try:
        embedder.embed(["warm-up: load the model"])
    except EmbedderError as exc:
        return [Row(spec, p.name, None, 0.0, 0.0, str(exc)) for p in paths]
    load_seconds = time.perf_counter() - started
    config = Config()
    rows = []
    for path in paths:
        frame = read_labelled_tsv(path)
        texts = [normalize_text(t) for t in frame["text"]]
        langs = [d.lang for d in detect_in_workshop(texts, config.prepare)]
        started = time.perf_counter()
        vectors = embedder.embed(texts)
        speed = len(texts) / (time.perf_counter() - started)
        labels = create_clusterer(config.cluster).fit(vectors, langs).labels
        metrics = score(frame["label"].tolist(), labels, known_languages(frame, langs)[0])
        rows.append(Row(spec, path.name, metrics, speed, load_seconds))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="labelled TSV (lang, label, text)")
    parser.add_argument("--embedder", action="append", help="embedder spec (repeatable)")
    args = parser.parse_args()
    print("| embedder | file | NMI_all | coverage | lang_NMI | ARI | themes | notes/s | load s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for spec in args.embedder or EMBEDDERS:
        for r in measure(spec, args.files):
            if r.metrics is None:
                print(f"| {r.embedder} | {r.file} | not available: {r.problem} |||||||")
                continue
            m = r.metrics
            lang = "n/a" if m.lang_nmi is None else f"{m.lang_nmi:.3f}"
            print(
                f"| {r.embedder} | {r.file} | {m.nmi_all:.3f} | {m.coverage:.3f} | {lang} | "
                f"{m.ari:.3f} | {m.themes} | {r.notes_per_second:.0f} | {r.load_seconds:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
