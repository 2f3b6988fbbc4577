"""Recurring challenges against labels: do the themes joined across workshops share a topic?

    python benchmarks/recurring.py [--seeds 0,1] [--workshops 3] [--out /tmp/recurring-bench]
        [--data ../shared/benchmarks]

For each labelled file (``polis_dev_topics.tsv``, ``polis_dev_klimarat_de.tsv``; read from the
shared benchmarks folder, never copied into the repository) and each seed, the rows are shuffled
and dealt into ``--workshops`` workshop folders (``notes.csv`` with ``uid,text`` only: the labels
stay out of the runs). The workshops are planned and run as ``ideasynth batch`` runs them
(``pipeline.batch.plan_batch`` and ``run_planned``), then the recurring step
(``load_theme_points`` and ``recurring_challenges``) groups their themes.

A theme's label is the majority label of its notes (a split note's ideas take their note's
uid). Two themes of different workshops *should match* when both have a majority holding at
least 50 % of their notes and the two majorities are equal; every other pair of themes of
different workshops should not. Scored: precision, recall and F1 of the cross-workshop pairs
that end in one group, and the similarity of should-match and should-not pairs.

Three similarities between themes, each grouped the same way (average linkage on
``1 - similarity``), the thresholds swept:

- ``centroid`` (the current measure): cosine of the mean of the notes' embeddings after the
  per-language centring over all the batch's notes;
- ``raw-centroid``: the same without the centring;
- ``note-match``: for themes A and B of different workshops, the share of A's notes whose
  nearest note (cosine, centred space) in B's workshop lies in B, and the same from B to A,
  averaged; themes of one workshop score 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch import plan_batch, run_planned  # noqa: E402
from pipeline.recurring import (  # noqa: E402
    DEFAULT_SIMILARITY,
    kept_themes,
    load_theme_points,
    recurring_challenges,
    reviewed_run,
)
from pipeline.schema import Note  # noqa: E402

FILES = ("polis_dev_topics.tsv", "polis_dev_klimarat_de.tsv")
XLANG_MARGINS = (0.1, 0.2, 0.3)
MEASURES = (
    "centroid",
    "raw-centroid",
    "note-match",
    *(f"centroid+xlang{m}" for m in XLANG_MARGINS),
)
THRESHOLDS = [round(t, 2) for t in np.arange(0.05, 0.96, 0.05)]


def make_workshops(
    path: Path, root: Path, n: int, seed: int, by_language: bool = False
) -> dict[str, str]:
    """Deal the file's rows at random into ``n`` workshop folders (or, ``by_language``, one
    folder per language, each holding that language's rows); the label of each uid."""
    import pandas as pd

    frame = pd.read_csv(path, sep="\t", keep_default_na=False, dtype={"text": str})
    frame = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    if by_language:
        parts = {f"ws-{lang}": rows.index.to_numpy() for lang, rows in frame.groupby("lang")}
    else:
        split = np.array_split(np.arange(len(frame)), n)
        parts = {f"ws{i}": rows for i, rows in enumerate(split, 1)}
    for name, rows in parts.items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        frame.iloc[rows][["uid", "text"]].to_csv(folder / "notes.csv", index=False)
    return dict(zip(frame.uid, frame.label, strict=True))


def note_uid(by_id: dict[str, Note], note_id: str) -> str | None:
    """The ``uid`` column of the row a note (or the note it was split from) came from."""
    note = by_id.get(note_id)
    while note is not None and "uid" not in note.metadata and note.parent_id:
        note = by_id.get(note.parent_id)
    return note.metadata.get("uid") if note is not None else None


def theme_units(runs: list[tuple[str, Path]], label_of: dict[str, str]):
    """Per kept theme (in ``load_theme_points``' order): workshop, majority label or None, and
    its notes' rows in one list of texts/langs covering every note of every run."""
    units = []
    texts: list[str] = []
    langs: list[str] = []
    workshop_rows: dict[str, list[int]] = {}
    embed_config = None
    for workshop, run_dir in runs:
        reviewed = reviewed_run(run_dir)
        if embed_config is None:
            from pipeline.config import EmbedConfig

            manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
            embed_config = EmbedConfig.model_validate(manifest["config"]["embed"])
        by_id = {n.id: n for n in reviewed.notes}
        row_of: dict[str, int] = {}
        for note in reviewed.notes:
            row_of[note.id] = len(texts)
            workshop_rows.setdefault(workshop, []).append(len(texts))
            texts.append(note.text)
            langs.append(note.lang)

        for theme in kept_themes(reviewed):
            rows = [row_of[i] for i in theme.note_ids if i in row_of]
            if not rows:
                continue
            labels = Counter(label_of.get(note_uid(by_id, i) or "", "?") for i in theme.note_ids)
            top, count = labels.most_common(1)[0]
            majority = top if count * 2 >= sum(labels.values()) and top != "?" else None
            units.append((workshop, majority, rows))
    return units, texts, langs, workshop_rows, embed_config


def similarities(units, texts, langs, workshop_rows, embed_config) -> dict[str, np.ndarray]:
    from pipeline.cluster import centre_by_language
    from pipeline.embed.for_run import run_embedder

    raw = np.asarray(run_embedder(embed_config).embed(texts), dtype=np.float64)
    centred = (
        np.asarray(centre_by_language(raw, langs), dtype=np.float64) if len(set(langs)) > 1 else raw
    )

    def unit(v: np.ndarray) -> np.ndarray:
        return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)

    out = {}
    for name, space in (("centroid", centred), ("raw-centroid", raw)):
        c = unit(np.stack([space[rows].mean(axis=0) for _, _, rows in units]))
        out[name] = c @ c.T
    notes = unit(centred)
    # nearest note in each workshop, for every note
    nearest: dict[str, np.ndarray] = {}
    for workshop, rows in workshop_rows.items():
        sims = notes @ notes[rows].T
        nearest[workshop] = np.asarray(rows)[sims.argmax(axis=1)]
    k = len(units)
    match = np.zeros((k, k))
    for i, (wa, _, ra) in enumerate(units):
        for j, (wb, _, rb) in enumerate(units):
            if wa != wb:
                match[i, j] = np.isin(nearest[wb][ra], rb).mean()
    out["note-match"] = (match + match.T) / 2
    np.fill_diagonal(out["note-match"], 1.0)
    # The centred centroids, where two themes' main languages differ raised by a margin:
    # same-topic themes of two languages sit near 0.41 (SIB-200), same-language ones near 0.84.
    main = [Counter(langs[r] for r in rows).most_common(1)[0][0] for _, _, rows in units]
    apart = np.array([[a != b for b in main] for a in main])
    for margin in XLANG_MARGINS:
        out[f"centroid+xlang{margin}"] = np.minimum(out["centroid"] + margin * apart, 1.0)
    return out


def groups_at(similarity: np.ndarray, threshold: float) -> np.ndarray:
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    if len(similarity) < 2:
        return np.zeros(len(similarity), dtype=int)
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform((distance + distance.T) / 2, checks=False), method="average")
    return fcluster(tree, t=1.0 - threshold, criterion="distance")


def cross_pairs(units) -> list[tuple[int, int, bool]]:
    return [
        (i, j, units[i][1] is not None and units[i][1] == units[j][1])
        for i in range(len(units))
        for j in range(i + 1, len(units))
        if units[i][0] != units[j][0]
    ]


def prf(pairs, grouped: np.ndarray) -> tuple[int, int, int]:
    tp = sum(1 for i, j, ok in pairs if ok and grouped[i] == grouped[j])
    predicted = sum(1 for i, j, _ in pairs if grouped[i] == grouped[j])
    should = sum(1 for _, _, ok in pairs if ok)
    return tp, predicted, should


def f1(tp: int, predicted: int, should: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / should if should else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def auc(should: list[float], should_not: list[float]) -> float:
    """Chance that a should-match pair scores above a should-not pair (ties count half)."""
    if not should or not should_not:
        return float("nan")
    a, b = np.array(should)[:, None], np.array(should_not)[None, :]
    return float(((a > b) + 0.5 * (a == b)).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--workshops", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("/tmp/ideasynth-recurring-bench"))
    parser.add_argument("--files", default=",".join(FILES))
    parser.add_argument(
        "--by-language",
        action="store_true",
        help="one workshop per language instead of random workshops (sib200_4lang_disjoint.tsv)",
    )
    args = parser.parse_args()
    split = "one workshop per language" if args.by_language else f"{args.workshops} workshops"
    seeds = [int(s) for s in args.seeds.split(",")]
    if not args.data.is_dir():
        sys.exit(f"{args.data}: no such folder (give the labelled files' folder with --data)")
    for name in args.files.split(","):
        # per threshold and measure: summed tp, predicted, should over seeds
        totals: dict[tuple[str, float], list[int]] = {}
        current = [0, 0, 0]
        dist: dict[str, dict[bool, list[float]]] = {m: {True: [], False: []} for m in MEASURES}
        for seed in seeds:
            started = time.perf_counter()
            root = args.out / Path(name).stem / f"seed{seed}"
            label_of = make_workshops(
                args.data / name, root / "in", args.workshops, seed, args.by_language
            )
            out_root = root / "runs"
            outcomes = [run_planned(p, out_root) for p in plan_batch(root / "in", out_root)]
            runs = [(o.workshop, Path(o.run_dir)) for o in outcomes if o.run_dir]
            points = load_theme_points(runs)
            units, texts, langs, rows, config = theme_units(runs, label_of)
            assert [(p.member.workshop) for p in points] == [u[0] for u in units]
            pairs = cross_pairs(units)
            # the recurring step itself, at its default threshold
            index = {(p.member.workshop, p.member.theme_id): i for i, p in enumerate(points)}
            grouped = np.arange(len(points)) + 10_000
            challenges, _ = recurring_challenges(points, DEFAULT_SIMILARITY)
            for g, challenge in enumerate(challenges):
                for m in challenge.themes:
                    grouped[index[(m.workshop, m.theme_id)]] = g
            current = [a + b for a, b in zip(current, prf(pairs, grouped), strict=True)]
            sims = similarities(units, texts, langs, rows, config)
            assert np.allclose(
                sims["centroid"],
                np.stack([p.centroid for p in points]) @ np.stack([p.centroid for p in points]).T,
                atol=1e-4,
            )
            for measure, matrix in sims.items():
                for i, j, ok in pairs:
                    dist[measure][ok].append(float(matrix[i, j]))
                for t in THRESHOLDS:
                    counts = prf(pairs, groups_at(matrix, t))
                    key = (measure, t)
                    totals[key] = [
                        a + b for a, b in zip(totals.get(key, [0, 0, 0]), counts, strict=True)
                    ]
            n_themes = Counter(u[0] for u in units)
            print(
                f"{name} seed {seed}: {len(texts)} notes, themes per workshop "
                f"{dict(sorted(n_themes.items()))}, {sum(ok for *_, ok in pairs)} should-match "
                f"of {len(pairs)} cross pairs, {time.perf_counter() - started:.0f} s",
                flush=True,
            )
        p, r, f = f1(*current)
        print(f"\n## {name}, seeds {args.seeds}, {split} each")
        print(
            f"recurring step as shipped (centroid, {DEFAULT_SIMILARITY}): "
            f"P {p:.2f} R {r:.2f} F1 {f:.2f}"
        )
        print("| measure | should-match median [p10, p90] | should-not median [p10, p90] | AUC |")
        print("|---|---|---|---|")
        for m in MEASURES:
            cells = []
            for ok in (True, False):
                v = np.array(dist[m][ok]) if dist[m][ok] else np.zeros(1)
                cells.append(
                    f"{np.median(v):.2f} [{np.percentile(v, 10):.2f}, {np.percentile(v, 90):.2f}]"
                )
            print(f"| {m} | {cells[0]} | {cells[1]} | {auc(dist[m][True], dist[m][False]):.2f} |")
        print("\n| measure | threshold | P | R | F1 |")
        print("|---|---|---|---|---|")
        for m in MEASURES:
            for t in THRESHOLDS:
                p, r, f = f1(*totals[(m, t)])
                print(f"| {m} | {t:.2f} | {p:.2f} | {r:.2f} | {f:.2f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
