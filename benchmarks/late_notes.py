"""Late notes on the sample workshop: do held-out notes join the theme of their topic?

    python benchmarks/late_notes.py [--share 0.1] [--seeds 0,1,2] [--embedder use-m3+e5-small]

For each seed, holds out ``--share`` of the notes of each intended theme of ``data/sample``
(``_intended_themes.csv``; at least one per theme), clusters the rest as a first run would, then
adds the held-out notes as a re-run does (``pipeline.cluster.incremental``: the first run's
themes are kept; a late note joins the nearest theme when it is as close as that theme's least
typical members, else may found a new theme with other late notes, else stays unassigned).

A held-out note joins the *right* theme when it lands in a fine theme whose notes are mostly of
its intended theme (the sample's seven topics are spread over 15 to 20 fine themes, so a topic
can have several). A theme's topic is the majority of its labelled notes kept from the first
run (late notes do not vote for the theme they join); a new theme of late notes only takes
theirs. Unassigned counts as not right. The script also says, for the first run, whether the
charter / civic-washing topic has a theme of its own (a fine theme where it is the majority),
prints both levels' NMI_all and AMI against the intended themes, and a ceiling: the share of
the first run's own assigned notes that sit in a theme of their topic. A late note placed as
well as the first run placed its own notes is right that often.

Ingest, prepare and embed run as ``ideasynth run`` would (the sample's own ``ideasynth.toml``,
the embedding cache); drafting is not needed and not run.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.cluster import create_clusterer  # noqa: E402
from pipeline.cluster.incremental import clustering_settings, extend_prior  # noqa: E402
from pipeline.config import config_for_input  # noqa: E402
from pipeline.embed.for_run import embedder_name, run_memo  # noqa: E402
from pipeline.evaluate import challenge_labels, intended_labels, score  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.prepare import prepare  # noqa: E402
from pipeline.run import embed_ideas  # noqa: E402
from pipeline.schema import UNASSIGNED, NoteStatus, PriorAssignment  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
LABELS = SAMPLE / "_intended_themes.csv"
CHARTER = "charter_civic_washing"


def held_out_rows(truth: list[str | None], share: float, seed: int) -> np.ndarray:
    """Indices of ``share`` of each intended theme's labelled notes (at least one each)."""
    rng = np.random.default_rng(seed)
    rows = []
    for theme in sorted({t for t in truth if t}):
        members = np.flatnonzero(np.array([t == theme for t in truth]))
        rows += rng.choice(members, max(1, round(share * len(members))), replace=False).tolist()
    return np.sort(np.array(rows, dtype=int))


def has_own_theme(labels: np.ndarray, truth: list[str | None], theme: str) -> bool:
    """Whether some fine theme has ``theme``'s notes as its majority."""
    for c in set(labels.tolist()) - {-1}:
        members = [t for lab, t in zip(labels, truth, strict=True) if lab == c and t]
        if members and Counter(members).most_common(1)[0][0] == theme:
            return True
    return False


def theme_topics(
    labels: np.ndarray, truth: list[str | None], kept: np.ndarray, held: np.ndarray
) -> dict[int, str]:
    """Each theme's topic: the majority intended theme of its labelled notes kept from the
    first run, or, for a theme of late notes only, of its late notes."""
    topics = {}
    for c in set(labels.tolist()) - {-1}:
        voters = [truth[k] for k in kept if labels[k] == c and truth[k]]
        voters = voters or [truth[i] for i in held if labels[i] == c and truth[i]]
        if voters:
            topics[c] = Counter(voters).most_common(1)[0][0]
    return topics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.1, help="share held out per theme")
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated hold-out seeds")
    parser.add_argument("--embedder", help="embedder to use instead of the sample's config")
    args = parser.parse_args()
    config = config_for_input(SAMPLE)
    config.embed.model = args.embedder or config.embed.model
    ingested = ingest(SAMPLE, config.ingest)
    notes = prepare(ingested.notes, config.prepare, run_memo(config.embed))
    active = [n for n in notes if n.status == NoteStatus.ACTIVE]
    embeddings = embed_ideas(active, notes, config.embed).placing  # as a run places them
    langs = [n.lang for n in active]
    by_id = intended_labels(notes, LABELS)
    truth: list[str | None] = [by_id.get(n.id) for n in active]
    labelled = np.array([t is not None for t in truth])
    ids = [n.id for n in active]
    print(f"sample: {len(active)} ideas, {int(labelled.sum())} with an intended theme")
    right_total = held_total = unassigned_total = 0
    for seed in [int(s) for s in args.seeds.split(",") if s.strip()]:
        held = held_out_rows(truth, args.share, seed)
        kept = np.setdiff1d(np.arange(len(active)), held)
        first = create_clusterer(config.cluster).fit(embeddings[kept], [langs[i] for i in kept])
        first_labels = np.array(first.labels)
        kept_truth = [truth[i] for i in kept]
        challenges = challenge_labels(
            embeddings[kept], [langs[i] for i in kept], first.labels, config
        )
        scored = [j for j, t in enumerate(kept_truth) if t]
        fine_m = score([kept_truth[j] for j in scored], first_labels[scored].tolist())
        chal_m = score([kept_truth[j] for j in scored], [challenges[j] for j in scored])
        prior = PriorAssignment(
            run_dir="first-run",
            note_ids=[ids[i] for i in kept],
            theme_ids=[f"T{lab:02d}" if lab >= 0 else UNASSIGNED for lab in first.labels],
            probabilities=first.probabilities,
            coords_2d=first.coords_2d,
            embed_model=embedder_name(config.embed),
            cluster_settings=clustering_settings(config.cluster),
            clustering=first.params,
        )
        rerun = extend_prior(prior, ids, embeddings, langs, config.cluster)
        after = np.array(rerun.labels)
        topic_of = theme_topics(after, truth, kept, held)
        right = sum(1 for i in held if after[i] >= 0 and topic_of.get(int(after[i])) == truth[i])
        unassigned = int((after[held] == -1).sum())
        founded = int(rerun.params["incremental"]["new_formed_a_theme"])
        assigned = [k for k in kept if after[k] >= 0 and truth[k]]
        ceiling = sum(topic_of.get(int(after[k])) == truth[k] for k in assigned) / len(assigned)
        right_total += right
        held_total += len(held)
        unassigned_total += unassigned
        print(
            f"seed {seed}: first run {fine_m.themes} themes (NMI_all {fine_m.nmi_all:.3f}, "
            f"AMI {fine_m.ami:.3f}), {chal_m.themes} challenges (NMI_all {chal_m.nmi_all:.3f}, "
            f"AMI {chal_m.ami:.3f}); charter has a theme of its own: "
            f"{'yes' if has_own_theme(first_labels, kept_truth, CHARTER) else 'no'}; "
            f"{right} of {len(held)} held-out notes join a theme of their topic, "
            f"{unassigned} stay unassigned, {len(held) - right - unassigned} join another "
            f"topic's theme ({founded} in a new theme); ceiling: {ceiling:.0%} of the first "
            f"run's assigned notes are in a theme of their topic"
        )
    print(
        f"all seeds: {right_total} of {held_total} ({right_total / held_total:.0%}), "
        f"{unassigned_total} unassigned"
    )


if __name__ == "__main__":
    main()
