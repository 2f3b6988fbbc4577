"""Theme quality side by side: ideasynth against BERTopic and KMeans, same embeddings, every file.

    python benchmarks/quality.py                       # every file in ../shared/benchmarks/
    python benchmarks/quality.py FILE.tsv [FILE.tsv …] [--config ideasynth.toml]
    python benchmarks/quality.py FILE.tsv … --sample-rows 300 --embedders use-m3
    python benchmarks/quality.py FILE.tsv … --sizes 60,150,300 [--draws 5]
    python benchmarks/quality.py FILE.tsv … --ceiling
    python benchmarks/quality.py [FILE.tsv …] --seeds 42,0,1,2,3

Every method gets the same embeddings (``pipeline.embed`` with the on-disk cache), so the
table compares clustering only. The table of every file runs it once per embedder: the
config's and the two standard ones, ``use-m3`` and ``use-m3+e5-small`` (``--embedders``
names others); the other modes use the config's embedder unless ``--embedders`` is given. Each
file's embedding seconds are printed under the table, with how many texts were not in the cache
yet (texts the cache holds cost next to nothing); with ``--cold`` each file is embedded into an
empty cache of its own, after the models have loaded, so those seconds are what a first run
on that file pays.

With no file named, the table also measures workshop-sized samples: 300 rows, drawn with
``DataFrame.sample(300, random_state=1)``, of each of ``WORKSHOP_SAMPLES`` in the folder.
``--sample-rows N`` draws N-row samples of the files named instead (0: none). A file with fewer
than three labels is named under the table: ``polis_dev_klimarat_de.tsv`` has only two
(Energie, Produktion und Konsum), so a challenge there can be pure and still join sub-topics
that do not belong together, and one group of all its rows already has purity 0.66.

Languages are detected as ``ideasynth evaluate`` does; lang_NMI is measured against the file's
true languages (its ``lang`` column; in a file without one, against the detected languages).
By default every labelled file is measured in one run and printed as one table, so a change is
judged on all of them at once. Methods:

- ideasynth: ``pipeline.cluster`` with the default (or given) config, at both levels of a
  run: the fine themes, and the challenges (broad themes) that group them;
- ideasynth, no centring: the same without per-language centring (fine level);
- BERTopic defaults: ``BERTopic().fit_transform(docs, embeddings)``, its default UMAP (seeded,
  so the row is reproducible) and HDBSCAN(min_cluster_size=10);
- BERTopic-style at its best ``min_cluster_size``: the same UMAP (5-d, cosine, 15 neighbours,
  min_dist 0, seed 42) and HDBSCAN (eom) at 5, 10, 15, 25 and 40, keeping the one that scores
  best against the labels (an oracle on that setting, as the shared README's reference row);
- KMeans, true k: an oracle on the number of themes, every note assigned.

Each row gives purity beside AMI: the share of the assigned rows that carry their group's
majority label (``pipeline.evaluate.purity``), over assigned rows only (coverage says how many
are left out). At the challenge level it says whether a challenge gathers themes that belong
together.

The seconds column is each method's clustering on the cached embeddings (ideasynth: the
cluster and hierarchy steps; BERTopic: its whole ``fit_transform``; BERTopic-style: one UMAP
and one HDBSCAN, at the best setting), after one small UMAP has compiled numba's code.

``--seeds`` runs ideasynth (both levels), BERTopic's defaults and BERTopic-style at its best
``min_cluster_size`` at each UMAP seed, prints each file's rows and means, then one table of
every file's means: a change is judged on that table, not on one file or one seed. The
workshop-sized samples are measured there too.

``--sizes`` measures at workshop size instead (50 to 500 notes, where density clustering is
known to call most notes noise): for each size it draws ``--draws`` random subsets of the file
(draw d seeds the subset and the methods' UMAP), detects the subset's languages as a run on
it would, runs ideasynth with and without language centring, BERTopic's defaults and KMeans
(told the subset's k) on each, and prints each method's mean over the draws.

``--ceiling`` asks how far any clustering of these embeddings could go, by methods that are
told what a run is not: a logistic regression told the labels (5-fold cross-validated, every
note assigned: what the vectors can separate at all), the best of ideasynth's own HDBSCAN
settings chosen by NMI_all against the labels, and KMeans and spectral clustering told the
true k, all on the language-centred vectors ideasynth clusters.

The labelled files are for measuring only; tests never read them.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.cluster import create_clusterer
from pipeline.cluster.language import centre_by_language
from pipeline.config import Config, load_config
from pipeline.embed import shared_embedder
from pipeline.embed.for_run import run_embedder
from pipeline.evaluate import (
    UNLABELLED,
    Metrics,
    challenge_labels,
    known_languages,
    read_labelled_tsv,
    score,
)
from pipeline.prepare.language import detect_in_workshop
from pipeline.prepare.normalize import normalize_text

Method = Callable[[list[str], np.ndarray, list[str], int], list[int]]
"""(texts, embeddings, detected languages, true k) → theme per row, -1 for unassigned."""

SHARED_BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
"""Where the labelled files are looked for when none is named (next to the repository)."""
STANDARD_EMBEDDERS = ("use-m3", "use-m3+e5-small")
"""The embedders the table of every file shows, beside the config's."""
WORKSHOP_SAMPLES = ("polis_dev_topics.tsv", "polis_dev_klimarat_de.tsv")
"""Files of ``SHARED_BENCHMARKS`` measured at one workshop's size too, when no file is named."""
WORKSHOP_ROWS = 300
SAMPLE_SEED = 1
"""``random_state`` of the workshop-sized samples."""
FEW_LABELS = 3
"""A file with fewer labels than this is named under the table (see the module docstring)."""
BERTOPIC_SIZES = (5, 10, 15, 25, 40)
"""``min_cluster_size`` values the BERTopic-style row tries (the shared README's four, and 5)."""


def ideasynth(config: Config, centring: bool = True) -> Method:
    def method(texts: list[str], embeddings: np.ndarray, langs: list[str], k: int) -> list[int]:
        cluster = config.cluster.model_copy(update={"language_centering": centring})
        return create_clusterer(cluster).fit(embeddings, langs).labels

    return method


def bertopic_defaults(seed: int = 42) -> Method:
    def method(texts: list[str], embeddings: np.ndarray, langs: list[str], k: int) -> list[int]:
        from bertopic import BERTopic
        from umap import UMAP

        # BERTopic's own default UMAP, seeded so that the table can be reproduced.
        umap_model = UMAP(
            n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            topics, _ = BERTopic(umap_model=umap_model).fit_transform(texts, embeddings)
        return [int(t) for t in topics]

    return method


def kmeans_true_k(texts: list[str], embeddings: np.ndarray, langs: list[str], k: int) -> list[int]:
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=10, random_state=42).fit_predict(embeddings).tolist()


def centred(embeddings: np.ndarray, langs: list[str]) -> np.ndarray:
    """The vectors ideasynth clusters: centred by language where there are several."""
    return centre_by_language(embeddings, langs) if len(set(langs)) > 1 else embeddings


def told_the_labels(embeddings: np.ndarray, langs: list[str], truth: Sequence[str]) -> list[int]:
    """Each row's label as predicted by a logistic regression trained on the other four fifths:
    what the vectors can separate when the themes are known, with every note assigned."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
    classifier = LogisticRegression(max_iter=2000)
    predicted = cross_val_predict(classifier, centred(embeddings, langs), truth, cv=folds)
    return np.unique(predicted, return_inverse=True)[1].tolist()


def best_setting(
    config: Config, embeddings: np.ndarray, langs: list[str], truth: Sequence[str]
) -> tuple[str, list[int]]:
    """ideasynth's clustering at each of its own HDBSCAN settings, on the same UMAP layout:
    (the settings, the themes) of the one that scores best against the true labels."""
    chosen = create_clusterer(config.cluster).fit(embeddings, langs)
    # Under SMALL_INPUT notes there is no grid: the run's own answer is the only one.
    best: tuple[float, str, list[int]] = (-1.0, "no grid at this size", chosen.labels)
    grid = chosen.params.get("grid", [])
    for setting in grid:
        if setting["method"] != "hdbscan":
            continue
        fixed = config.cluster.model_copy(
            update={
                "min_cluster_size": setting["min_cluster_size"],
                "min_samples": setting["min_samples"],
            }
        )
        labels = create_clusterer(fixed).fit(embeddings, langs).labels
        nmi = score(truth, labels).nmi_all
        if nmi > best[0]:
            size, samples = setting["min_cluster_size"], setting["min_samples"]
            best = (nmi, f"min_cluster_size {size}, min_samples {samples}", labels)
    return best[1], best[2]


def ceiling(frame: pd.DataFrame, config: Config) -> list[tuple[str, Metrics]]:
    """ideasynth beside methods told the labels or the true k (see the module docstring)."""
    from sklearn.cluster import KMeans, SpectralClustering

    texts, embeddings, langs = prepared(frame, config)
    truth: Sequence[str] = frame["label"].tolist()
    truth_langs, _ = known_languages(frame, langs)
    k = len(set(truth))
    vectors = centred(embeddings, langs)
    rows = []

    def measured(name: str, compute: Callable[[], Sequence[Any]]) -> None:
        started = time.perf_counter()
        labels = compute()
        metrics = score(truth, list(labels), truth_langs)
        metrics.seconds = round(time.perf_counter() - started, 1)
        rows.append((name, metrics))

    measured("ideasynth", lambda: ideasynth(config)(texts, embeddings, langs, k))
    chosen: list[str] = []

    def oracle_setting() -> list[int]:
        name, labels = best_setting(config, embeddings, langs, truth)
        chosen.append(name)
        return labels

    measured("ideasynth at its best HDBSCAN setting, chosen with the labels", oracle_setting)
    rows[-1] = (f"{rows[-1][0]} ({chosen[0]})", rows[-1][1])
    measured(
        "KMeans, true k, centred vectors",
        lambda: KMeans(n_clusters=k, n_init=10, random_state=42).fit_predict(vectors),
    )
    measured(
        "spectral clustering, true k, 15-NN graph of the centred vectors",
        lambda: SpectralClustering(
            n_clusters=k, affinity="nearest_neighbors", n_neighbors=15, random_state=42
        ).fit_predict(vectors),
    )
    measured(
        "logistic regression told the labels, 5-fold cross-validated",
        lambda: told_the_labels(embeddings, langs, truth),
    )
    return rows


def prepared(frame: pd.DataFrame, config: Config) -> tuple[list[str], np.ndarray, list[str]]:
    """(texts, cached embeddings, detected languages) of a labelled file's rows."""
    texts, embeddings, langs, _ = prepared_timed(frame, config)
    return texts, embeddings, langs


def prepared_timed(
    frame: pd.DataFrame, config: Config
) -> tuple[list[str], np.ndarray, list[str], str]:
    """``prepared``, and one line saying how long embedding took and how many texts were not
    in the cache yet (the first file an embedder sees also pays for loading it)."""
    texts = [normalize_text(t) for t in frame["text"]]
    langs = [d.lang for d in detect_in_workshop(texts, config.prepare)]
    embedder = run_embedder(config.embed)
    started = time.perf_counter()
    embeddings = embedder.embed(texts)
    seconds = time.perf_counter() - started
    line = (
        f"embedded {len(texts)} texts in {seconds:.1f} s "
        f"({embedder.last_misses} not in the cache yet)"
    )
    return texts, embeddings, langs, line


def with_embedder(config: Config, model: str) -> Config:
    return config.model_copy(update={"embed": config.embed.model_copy(update={"model": model})})


Labelled = tuple[str, pd.DataFrame]
"""(the name the tables give it, its labelled rows)."""


def workshop_sample(name: str, frame: pd.DataFrame, rows: int) -> Labelled:
    """``rows`` rows of a labelled file, drawn as ``DataFrame.sample(rows, random_state=1)``."""
    drawn = frame.sample(rows, random_state=SAMPLE_SEED).reset_index(drop=True)
    drawn.attrs[UNLABELLED] = 0
    return f"{name}, {rows} rows (random_state={SAMPLE_SEED})", drawn


def few_labels_notes(inputs: Sequence[Labelled]) -> list[str]:
    """One line for each input with fewer than ``FEW_LABELS`` labels."""
    lines = []
    for name, frame in inputs:
        labels = sorted(set(frame["label"]))
        if len(labels) < FEW_LABELS:
            largest = frame["label"].value_counts().iloc[0] / len(frame)
            lines.append(
                f"{name} has only {len(labels)} label(s) ({', '.join(labels)}): its AMI and "
                "purity say how well those labels are kept apart, not how coherent each of four "
                f"to eight challenges is (one group of all its rows has purity {largest:.3f})."
            )
    return lines


def bertopic_style_best(
    embeddings: np.ndarray, truth: Sequence[str], seed: int = 42
) -> tuple[int, list[int], float]:
    """UMAP (5-d, cosine, 15 neighbours, min_dist 0) + HDBSCAN at each of ``BERTOPIC_SIZES``:
    (the best size by NMI_all against ``truth``, its themes, seconds of one UMAP + HDBSCAN)."""
    from sklearn.cluster import HDBSCAN
    from sklearn.metrics import normalized_mutual_info_score
    from umap import UMAP

    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reduced = UMAP(
            n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
        ).fit_transform(embeddings)
    umap_seconds = time.perf_counter() - started
    best: tuple[float, int, list[int], float] = (-1.0, 0, [], 0.0)
    for size in BERTOPIC_SIZES:
        started = time.perf_counter()
        labels = HDBSCAN(min_cluster_size=size).fit_predict(reduced).tolist()
        seconds = time.perf_counter() - started
        nmi = float(normalized_mutual_info_score(truth, labels))
        if nmi > best[0]:
            best = (nmi, size, labels, umap_seconds + seconds)
    return best[1], best[2], best[3]


Row = tuple[str, str, str, str, Metrics]
"""(file, embedder, method, level, metrics): one line of the table."""


def compare(name: str, frame: pd.DataFrame, config: Config) -> tuple[list[Row], str]:
    """Every method on one file, at both levels where a method has two; and the line saying
    how long embedding took."""
    texts, embeddings, langs, embedding = prepared_timed(frame, config)
    truth: Sequence[str] = frame["label"].tolist()
    truth_langs, _ = known_languages(frame, langs)
    k = len(set(truth))
    model = config.embed.model
    rows: list[Row] = []

    def timed(compute: Callable[[], list[int]]) -> tuple[list[int], float]:
        started = time.perf_counter()
        labels = compute()
        return labels, time.perf_counter() - started

    fine, seconds = timed(lambda: ideasynth(config)(texts, embeddings, langs, k))
    challenges, grouping = timed(lambda: challenge_labels(embeddings, langs, fine, config))
    for level, labels in (("fine", fine), ("challenges", challenges)):
        metrics = score(truth, labels, truth_langs)
        metrics.seconds = round(seconds + grouping, 1)
        rows.append((name, model, "ideasynth", level, metrics))
    methods: list[tuple[str, Method]] = [
        ("ideasynth, no centring", ideasynth(config, centring=False)),
        ("BERTopic defaults", bertopic_defaults()),
    ]
    for method_name, method in methods:
        started = time.perf_counter()
        labels = method(texts, embeddings, langs, k)
        seconds = time.perf_counter() - started
        metrics = score(truth, labels, truth_langs)
        metrics.seconds = round(seconds, 1)
        rows.append((name, model, method_name, "fine", metrics))
    size, labels, seconds = bertopic_style_best(embeddings, truth)
    metrics = score(truth, labels, truth_langs)
    metrics.seconds = round(seconds, 1)
    style = f"BERTopic-style, best min_cluster_size ({size})"
    rows.append((name, model, style, "one level", metrics))
    labels, seconds = timed(lambda: kmeans_true_k(texts, embeddings, langs, k))
    metrics = score(truth, labels, truth_langs)
    metrics.seconds = round(seconds, 1)
    rows.append((name, model, "KMeans, true k", "one level", metrics))
    return rows, f"{name}, {model}: {embedding}"


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def all_files_table(rows: list[Row]) -> str:
    """One table for every file, embedder and method, then each file's cluster-step time
    ratio."""
    lines = [
        "| file | embedder | method | level | NMI_all | coverage | lang_NMI | AMI | purity | ARI "
        "| themes | seconds |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for file, model, method, level, m in rows:
        lines.append(
            f"| {file} | {model} | {method} | {level} | {m.nmi_all:.3f} | {m.coverage:.3f} | "
            f"{_figure(m.lang_nmi)} | {m.ami:.3f} | {_figure(m.purity)} | {m.ari:.3f} | "
            f"{m.themes} | {m.seconds:.1f} |"
        )
    lines.append("")
    for file, model in dict.fromkeys((r[0], r[1]) for r in rows):
        here = [r for r in rows if r[0] == file and r[1] == model]
        ours = next(r[4].seconds for r in here if r[2] == "ideasynth")
        theirs = next(r[4].seconds for r in here if r[2] == "BERTopic defaults")
        ratio = (ours or 0.0) / max(theirs or 0.0, 0.1)
        lines.append(f"{file}, {model}: ideasynth's cluster step takes {ratio:.2f}× BERTopic's fit")
    return "\n".join(lines)


def warm_up_umap() -> None:
    """Compile UMAP's numba code once, so no method's seconds include it."""
    from umap import UMAP

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        points = np.random.default_rng(0).normal(size=(60, 8))
        UMAP(n_neighbors=5, n_components=2, random_state=0).fit_transform(points)


def over_seeds(frame: pd.DataFrame, config: Config, seeds: list[int]) -> list[tuple[str, Metrics]]:
    """At each UMAP seed: ideasynth at both levels, BERTopic's defaults and BERTopic-style at
    its best ``min_cluster_size``; then the mean row of each. One seed says little (on the Polis
    files a seed moves NMI_all by up to 0.05), so changes are judged on these means."""
    texts, embeddings, langs = prepared(frame, config)
    truth: Sequence[str] = frame["label"].tolist()
    truth_langs, _ = known_languages(frame, langs)
    k = len(set(truth))
    names = ("ideasynth", "ideasynth, challenges", "BERTopic defaults", "BERTopic-style, best")
    runs: dict[str, list[Metrics]] = {name: [] for name in names}
    for seed in seeds:
        seeded = config.model_copy(
            update={"cluster": config.cluster.model_copy(update={"seed": seed})}
        )
        started = time.perf_counter()
        fine = ideasynth(seeded)(texts, embeddings, langs, k)
        challenges = challenge_labels(embeddings, langs, fine, seeded)
        ours = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        theirs = bertopic_defaults(seed)(texts, embeddings, langs, k)
        bertopic_seconds = round(time.perf_counter() - started, 1)
        _, style, style_seconds = bertopic_style_best(embeddings, truth, seed)
        for name, labels, seconds in (
            ("ideasynth", fine, ours),
            ("ideasynth, challenges", challenges, ours),
            ("BERTopic defaults", theirs, bertopic_seconds),
            ("BERTopic-style, best", style, round(style_seconds, 1)),
        ):
            metrics = score(truth, labels, truth_langs)
            metrics.seconds = seconds
            runs[name].append(metrics)
    rows: list[tuple[str, Metrics]] = []
    for name in names:
        rows += [(f"{name}, seed {seed}", m) for seed, m in zip(seeds, runs[name], strict=True)]
        rows.append((f"**{name}, mean of {len(seeds)} seeds**", _mean(runs[name])))
    return rows


def seed_means_table(means: list[tuple[str, str, list[tuple[str, Metrics]]]]) -> str:
    """One line per file, embedder and method: the means ``over_seeds`` printed, side by
    side."""
    lines = [
        "| file | embedder | method | NMI_all | coverage | lang_NMI | AMI | purity | themes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for file, model, rows in means:
        for name, m in rows:
            method = name.strip("*").split(", mean of")[0]
            lines.append(
                f"| {file} | {model} | {method} | {m.nmi_all:.3f} | {m.coverage:.3f} | "
                f"{_figure(m.lang_nmi)} | {m.ami:.3f} | {_figure(m.purity)} | {m.themes} |"
            )
    return "\n".join(lines)


def at_sizes(
    file: str, frame: pd.DataFrame, config: Config, sizes: list[int], draws: int
) -> list[tuple[str, Metrics]]:
    """Mean of each method over ``draws`` random subsets of every size in ``sizes``."""
    texts, embeddings, detected = prepared(frame, config)
    truth = np.asarray(frame["label"].tolist())
    true_langs = np.asarray(known_languages(frame, detected)[0])
    rows: list[tuple[str, Metrics]] = []
    for size in sizes:
        if size > len(texts):
            raise SystemExit(f"{file}: --sizes {size} is more than its {len(texts)} rows")
        runs: dict[str, list[Metrics]] = {}
        for draw in range(draws):
            rows_drawn = np.random.default_rng(draw).choice(len(texts), size, replace=False)
            seeded = config.model_copy(
                update={"cluster": config.cluster.model_copy(update={"seed": draw})}
            )
            methods: list[tuple[str, Method]] = [
                ("ideasynth", ideasynth(seeded)),
                ("ideasynth, no centring", ideasynth(seeded, centring=False)),
                ("BERTopic defaults", bertopic_defaults(draw)),
                ("KMeans, true k", kmeans_true_k),
            ]
            subset_truth = truth[rows_drawn].tolist()
            subset = [texts[i] for i in rows_drawn]
            # Languages detected on the subset alone, as a run on that workshop would.
            langs = [d.lang for d in detect_in_workshop(subset, config.prepare)]
            for name, method in methods:
                started = time.perf_counter()
                labels = method(subset, embeddings[rows_drawn], langs, len(set(subset_truth)))
                metrics = score(subset_truth, labels, true_langs[rows_drawn].tolist())
                metrics.seconds = time.perf_counter() - started
                runs.setdefault(name, []).append(metrics)
        for name, measured in runs.items():
            rows.append((f"{name}, {size} notes, mean of {draws} draws", _mean(measured)))
    return rows


def _mean(runs: list[Metrics]) -> Metrics:
    return runs[0].model_copy(
        update={
            field: round(float(np.mean([getattr(m, field) for m in runs])), 4)
            for field in (
                "nmi_all",
                "coverage",
                "lang_nmi",
                "ari",
                "ami",
                "purity",
                "themes",
                "seconds",
            )
            if all(getattr(m, field) is not None for m in runs)
        }
    )


def markdown_table(rows: list[tuple[str, Metrics]]) -> str:
    lines = [
        "| method | NMI_all | coverage | lang_NMI | ARI | AMI | purity | themes | seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, m in rows:
        lines.append(
            f"| {name} | {m.nmi_all:.3f} | {m.coverage:.3f} | {_figure(m.lang_nmi)} | "
            f"{m.ari:.3f} | {m.ami:.3f} | {_figure(m.purity)} | {m.themes} | {m.seconds:.1f} |"
        )
    return "\n".join(lines)


def one_mode(
    args: argparse.Namespace,
    name: str,
    frame: pd.DataFrame,
    config: Config,
    seeds: list[int],
    sizes: list[int],
) -> list[tuple[str, str, list[tuple[str, Metrics]]]]:
    """``--ceiling``, ``--sizes`` or ``--seeds`` on one input: print its table, and return its
    means over seeds (``--seeds``) for the table of every file."""
    means = []
    if args.ceiling:
        rows = ceiling(frame, config)
    elif sizes:
        rows = at_sizes(name, frame, config, sizes, args.draws)
    else:
        rows = over_seeds(frame, config, seeds)
        means.append((name, config.embed.model, [row for row in rows if "mean of" in row[0]]))
    drawn = "" if sizes and not args.ceiling else f"{rows[0][1].n} rows, "
    left_out = frame.attrs[UNLABELLED]
    if left_out:
        drawn += f"{left_out} without a label left out, "
    print(f"\n{name} ({drawn}{config.embed.model})\n")
    print(markdown_table(rows))
    return means


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        help=f"labelled TSV (lang, label, text); default every .tsv in {SHARED_BENCHMARKS}",
    )
    parser.add_argument("--config", type=Path, default=None, help="ideasynth TOML config")
    parser.add_argument(
        "--seeds",
        default="",
        help="comma-separated UMAP seeds: every method at each seed, then the means",
    )
    parser.add_argument(
        "--sizes", default="", help="comma-separated subset sizes: measure at workshop size"
    )
    parser.add_argument("--draws", type=int, default=5, help="random subsets per size")
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="beside methods told the labels or the true k: how far clustering could go",
    )
    parser.add_argument(
        "--embedders",
        default="",
        help="comma-separated embedders (default: the table of every file runs the config's, "
        f"{' and '.join(STANDARD_EMBEDDERS)}; other modes the config's)",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="embed each file into an empty cache of its own: the embedding seconds a first "
        "run pays",
    )
    parser.add_argument(
        "--sample-rows",
        type=int,
        default=None,
        help=f"also measure an N-row sample (random_state={SAMPLE_SEED}) of each file named "
        f"(default with no file named: {WORKSHOP_ROWS} rows of {', '.join(WORKSHOP_SAMPLES)}; "
        "0: none; never with --sizes)",
    )
    args = parser.parse_args()
    config = load_config(args.config)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    table = not (args.ceiling or sizes or seeds)
    files = args.files or sorted(SHARED_BENCHMARKS.glob("*.tsv"))
    if not files:
        raise SystemExit(f"no labelled files given and none in {SHARED_BENCHMARKS}")
    if args.embedders:
        embedders = [e.strip() for e in args.embedders.split(",") if e.strip()]
    elif table:
        embedders = list(dict.fromkeys([config.embed.model, *STANDARD_EMBEDDERS]))
    else:
        embedders = [config.embed.model]
    if args.sample_rows is not None:
        sample_rows, sampled = args.sample_rows, {path.name for path in files}
    else:
        sample_rows, sampled = (0, set()) if args.files else (WORKSHOP_ROWS, set(WORKSHOP_SAMPLES))
    inputs: list[Labelled] = []
    for path in files:
        frame = read_labelled_tsv(path, config.ingest.encoding)
        inputs.append((path.name, frame))
        if sample_rows and not sizes and path.name in sampled and len(frame) > sample_rows:
            inputs.append(workshop_sample(path.name, frame, sample_rows))
    warm_up_umap()
    if args.cold:
        for model in embedders:  # loading a model is not embedding: load each one first
            shared_embedder(model).embed(["warm-up"])
    every: list[Row] = []
    embedding_lines: list[str] = []
    means: list[tuple[str, str, list[tuple[str, Metrics]]]] = []
    for name, frame in inputs:
        for model in embedders:
            chosen = with_embedder(config, model)
            cold = Path(tempfile.mkdtemp(prefix="quality-cold-")) if args.cold else None
            try:
                if cold is not None:
                    chosen.embed.cache_dir = cold
                if table:
                    rows_of_file, embedding = compare(name, frame, chosen)
                    every += rows_of_file
                    embedding_lines.append(embedding)
                else:
                    means += one_mode(args, name, frame, chosen, seeds, sizes)
            finally:
                if cold is not None:
                    shutil.rmtree(cold, ignore_errors=True)
    if every:
        print(f"\n{len(inputs)} inputs, {', '.join(embedders)}, seed {config.cluster.seed}\n")
        print(all_files_table(every))
        print("\n" + "\n".join(embedding_lines))
    if means:
        print(f"\nMeans over seeds {args.seeds}, {', '.join(embedders)}, every file\n")
        print(seed_means_table(means))
    if notes := few_labels_notes(inputs):
        print("\n" + "\n".join(notes))


if __name__ == "__main__":
    main()
