"""Time and peak memory of the cluster step alone, on synthetic embeddings of any size.

    python benchmarks/cluster_scaling.py --notes 10000 [--notes 100000] [--dim 512]

Each size runs in a fresh process, so the peak resident memory (``ru_maxrss``) is that of one
clustering, and the time includes numba compiling UMAP as a real run's does (printed apart).
The embeddings are a mixture of ``--topics`` topics in four "languages" (each language adds its
own offset, as multilingual embedders do), unit-normalised, so HDBSCAN has themes to find and
language centring has something to remove. No model is loaded.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def synthetic(n: int, dim: int, topics: int, seed: int = 0) -> tuple[np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(topics, dim))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    offsets = rng.normal(size=(4, dim)) * 0.6 / np.sqrt(dim)
    sizes = rng.dirichlet(np.full(topics, 2.0))
    topic = rng.choice(topics, size=n, p=sizes)
    lang = rng.integers(0, 4, size=n)
    vectors = centres[topic] + rng.normal(size=(n, dim)) * (1.1 / np.sqrt(dim)) + offsets[lang]
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    return vectors, [("fr", "nl", "de", "en")[i] for i in lang]


def one_size(n: int, dim: int, topics: int) -> dict[str, object]:
    """Cluster ``n`` synthetic notes in this process; returns time, RSS and what was found."""
    from pipeline.cluster import create_clusterer
    from pipeline.config import ClusterConfig

    vectors, langs = synthetic(n, dim, topics)
    warm = time.perf_counter()
    # Compile UMAP's numba code on a tiny input first, so it can be reported apart.
    create_clusterer(ClusterConfig()).fit(*synthetic(200, dim, 4, seed=1))
    compile_s = time.perf_counter() - warm
    started = time.perf_counter()
    assignment = create_clusterer(ClusterConfig()).fit(vectors, langs)
    seconds = time.perf_counter() - started
    labels = np.asarray(assignment.labels)
    return {
        "notes": n,
        "seconds": round(seconds, 1),
        "numba_warm_up_s": round(compile_s, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "themes": int(labels.max() + 1) if (labels >= 0).any() else 0,
        "coverage": round(float((labels >= 0).mean()), 3),
        "timings": assignment.params.get("timings", {}),
        "strategy": assignment.params.get("strategy", ""),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, action="append", help="sizes (repeatable)")
    parser.add_argument("--dim", type=int, default=512)
    parser.add_argument("--topics", type=int, default=25)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = args.notes or [10_000]
    if args.one:
        print(json.dumps(one_size(sizes[0], args.dim, args.topics)))
        return
    print("| notes | seconds | + numba warm-up | peak RSS | themes | coverage | stages |")
    print("|---|---|---|---|---|---|---|")
    for n in sizes:
        out = (
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one",
                    "--notes",
                    str(n),
                    "--dim",
                    str(args.dim),
                    "--topics",
                    str(args.topics),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        r = json.loads(out)
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in r["timings"].items())
        print(
            f"| {r['notes']:,} | {r['seconds']} | {r['numba_warm_up_s']} | "
            f"{r['peak_rss_mb']:,} MB | {r['themes']} | {r['coverage']} | {stages} |"
        )


if __name__ == "__main__":
    main()
