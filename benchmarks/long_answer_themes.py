"""Do long consultation answers give a room-sized set of themes? Answers built from a labelled
file, run as a workshop.

    python benchmarks/long_answer_themes.py [FILE.tsv] [--answers 120] [--per-answer 5]
                                            [--embedder NAME]

A consultation answer holds several ideas on the question's topic. This joins
``--per-answer`` texts of one label of a labelled file (default: the shared
``polis_dev_topics.tsv``; each text used once, seeded) into one answer, writes ``--answers`` of
them as a notes file and runs it as ``ideasynth run`` would (default config, the compose
drafter, an empty cache). Every idea split out of an answer carries the answer's label, so the
ideas can be scored: the script prints the ideas, the facets and challenges with their AMI and
purity against the labels, and how many ideas each level leaves unassigned.

Why a built set: the real long answers that collapsed into two themes are not shared, and a
labelled file of long answers is not either. The built answers are as long as real ones (about
500 characters) and keep one topic each, so a run that follows its ideas finds about the
file's topics at the challenge level, with facets under them.

The labelled files are for measuring only; tests never read them.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import Config  # noqa: E402
from pipeline.evaluate import purity, read_labelled_tsv  # noqa: E402
from pipeline.run import run_workshop  # noqa: E402
from pipeline.schema import UNASSIGNED, NoteStatus  # noqa: E402

DEFAULT_FILE = ROOT.parent / "shared" / "benchmarks" / "polis_dev_topics.tsv"


def build_answers(
    path: Path, answers: int, per_answer: int, seed: int = 0
) -> list[tuple[str, str]]:
    """(label, answer text) pairs: ``per_answer`` texts of one label joined, each text once;
    labels take turns in proportion to how many texts they hold."""
    frame = read_labelled_tsv(path, None)
    rng = np.random.default_rng(seed)
    pools: dict[str, list[str]] = defaultdict(list)
    for label, text in zip(frame["label"], frame["text"], strict=True):
        pools[str(label)].append(" ".join(str(text).split()).rstrip(".!? ") + ".")
    for pool in pools.values():
        rng.shuffle(pool)
    out: list[tuple[str, str]] = []
    while len(out) < answers:
        open_labels = [label for label, pool in pools.items() if len(pool) >= per_answer]
        if not open_labels:
            break
        weights = np.array([len(pools[label]) for label in open_labels], dtype=float)
        label = open_labels[int(rng.choice(len(open_labels), p=weights / weights.sum()))]
        out.append((label, " ".join(pools[label].pop() for _ in range(per_answer))))
    return out


def main() -> None:
    from sklearn.metrics import adjusted_mutual_info_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--answers", type=int, default=120)
    parser.add_argument("--per-answer", type=int, default=5)
    parser.add_argument("--embedder", help="embedder instead of the default")
    args = parser.parse_args()
    answers = build_answers(args.file, args.answers, args.per_answer)
    config = Config()
    if args.embedder:
        config.embed.model = args.embedder
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "consultation"
        folder.mkdir()
        with (folder / "answers.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text"])
            writer.writerows((f"a{i}", text) for i, (_, text) in enumerate(answers))
        config.embed.cache_dir = Path(tmp) / "cache"
        started = time.perf_counter()
        result, _ = run_workshop(folder, config, Path(tmp) / "runs")
        seconds = time.perf_counter() - started
    label_of_answer = {" ".join(text.split()): label for label, text in answers}
    by_id = {n.id: n for n in result.notes}
    ideas = [n for n in result.notes if n.status is NoteStatus.ACTIVE]

    def answer_label(note_id: str) -> str:
        note = by_id[note_id]
        while note.parent_id is not None:
            note = by_id[note.parent_id]
        return label_of_answer.get(" ".join(note.original_text.split()), "?")

    truth = [answer_label(n.id) for n in ideas]
    parent = {t.id: t.parent_id for t in result.themes}
    fine_ids = sorted({t.id for t in result.themes})
    broad_ids = sorted({t.id for t in result.broad_themes})
    fine = [fine_ids.index(n.theme_id) if n.theme_id in fine_ids else -1 for n in ideas]
    broad = [
        broad_ids.index(parent[n.theme_id]) if parent.get(n.theme_id) in broad_ids else -1
        for n in ideas
    ]
    chars = np.median([len(text) for _, text in answers])
    print(
        f"{args.file.name}: {len(answers)} answers (median {chars:.0f} characters, "
        f"{len(set(truth))} labels) -> {len(ideas)} ideas; embedder {config.embed.model}; "
        f"run {seconds:.0f} s"
    )
    for name, groups in (("facets", fine), ("challenges", broad)):
        assigned = [i for i, g in enumerate(groups) if g >= 0]
        ami = adjusted_mutual_info_score(truth, groups)
        share = purity([truth[i] for i in assigned], [groups[i] for i in assigned])
        print(
            f"  {name}: {len(set(groups) - {-1})}, AMI {ami:.3f} (unassigned as one group), "
            f"purity {share or 0:.3f}, unassigned {sum(g < 0 for g in groups)} of {len(groups)}"
        )
    unassigned = sum(1 for n in ideas if n.theme_id in (None, UNASSIGNED))
    print(f"  ideas unassigned: {unassigned}")


if __name__ == "__main__":
    main()
