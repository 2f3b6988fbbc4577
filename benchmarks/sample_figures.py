"""The figures docs/quality.md gives for the bundled sample workshop, from one run.

    python benchmarks/sample_figures.py [--embedder use-m3+e5-small] [--seed 0]

Runs ``data/sample`` as ``ideasynth run`` would (its own ``ideasynth.toml``, extractive
drafts), without Prefect, on a temporary cache, then prints:

* themes and broad themes, and NMI_all / coverage / lang_NMI against the intended themes;
* the challenges (broad themes) against the intended themes: their AMI, their weighted purity
  (the share of the assigned notes that carry their challenge's majority theme), and for each
  challenge its notes, purity and the intended themes its facets come from (a facet comes from
  its majority theme);
* the facilitator categories against the categories the intended themes map onto: the share
  of notes that get one and the share of those that are right, at the configured
  ``min_confidence`` and at 0.5, and how many themes get their notes' intended category;
* grounding: each extractive sentence's similarity to its own cited notes, and to as many
  notes of another theme (seeded), with the share below ``draft.grounding_threshold``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import Config, config_for_input  # noqa: E402
from pipeline.embed.for_run import run_embedder  # noqa: E402
from pipeline.evaluate import intended_labels  # noqa: E402
from pipeline.run import run_workshop  # noqa: E402
from pipeline.schema import UNASSIGNED, NoteStatus, RunResult  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
INTENDED_CATEGORY = {
    "reaching_underrepresented": "Inclusion",
    "training_agents": "Compétences",
    "community_of_practice": "Compétences",
    "feedback_participants": "Confiance",
    "charter_civic_washing": "Confiance",
    "legal_framework": "Règles et risques",
    "ai_risks": "Règles et risques",
}
"""The sample's seven intended themes, mapped onto its four priority categories."""


def category_figures(result: RunResult, labels: dict[str, str]) -> None:
    notes = [n for n in result.notes if n.id in labels and n.category is not None]
    for floor in (None, 0.5):
        given = [
            n
            for n in notes
            if n.category != "none" and (floor is None or (n.category_confidence or 0) >= floor)
        ]
        right = sum(1 for n in given if n.category == INTENDED_CATEGORY[labels[n.id]])
        at = "configured min_confidence" if floor is None else f"confidence >= {floor}"
        print(
            f"  categories at {at}: {len(given) / len(notes):.0%} of {len(notes)} notes get one,"
            f" {right / max(len(given), 1):.0%} of those right"
        )
    outcome: Counter[str] = Counter()
    for theme in result.themes:
        intended = Counter(
            INTENDED_CATEGORY[labels[i]] for i in theme.note_ids if i in labels
        ).most_common(1)
        if theme.category == "none":
            outcome["none"] += 1
        elif intended and theme.category == intended[0][0]:
            outcome["right"] += 1
        else:
            outcome["another"] += 1
    print(
        f"  themes: {outcome['right']} of {len(result.themes)} get their notes' intended"
        f" category, {outcome['none']} 'none', {outcome['another']} another"
    )


def challenge_figures(evaluation: dict[str, Any]) -> None:
    challenges = evaluation.get("challenges")
    if not isinstance(challenges, dict):
        print("  challenges: not scored (no broad themes)")
        return
    per_challenge = challenges["per_challenge"]
    under = sum(1 for c in per_challenge if c["purity"] < 0.6)
    print(
        f"  challenges: {challenges['themes']}, AMI {challenges['ami']:.3f} (fine"
        f" {evaluation['ami']:.3f}), purity {challenges['purity']:.3f} over the assigned notes"
        f" (coverage {challenges['coverage']:.3f}; fine purity {evaluation['purity']:.3f});"
        f" {under} of {len(per_challenge)} under 0.6; at most"
        f" {challenges['max_intended_themes']} intended themes in one challenge"
    )
    for c in per_challenge:
        print(
            f"    {c['id']}: {c['notes']} notes, {c['facets']} facets, purity {c['purity']:.2f}"
            f" ({'/'.join(c['majority'])}); facets from {len(c['intended_themes'])}:"
            f" {', '.join(c['intended_themes'])}"
        )


def grounding_figures(result: RunResult, config: Config) -> None:
    threshold = config.draft.grounding_threshold
    by_id = {n.id: n for n in result.notes}
    theme_of = {n.id: n.theme_id for n in result.notes}
    members: dict[str, list[str]] = {}
    for note in result.notes:
        if note.status is NoteStatus.ACTIVE and note.theme_id not in (None, UNASSIGNED):
            members.setdefault(note.theme_id, []).append(note.id)
    sentences = [s for d in result.drafts for s in [d.title, d.challenge, *d.proposal] if s.cites]
    embed = run_embedder(config.embed).embed
    rng = random.Random(0)
    own, other = [], []
    for sentence in sentences:
        cited = [c for c in sentence.cites if c in by_id]
        home = theme_of.get(cited[0]) if cited else None
        elsewhere = [t for t in members if t != home]
        if not cited or not elsewhere:
            continue
        pool = members[rng.choice(elsewhere)]
        strangers = rng.sample(pool, min(len(cited), len(pool)))
        vectors = embed([sentence.text] + [by_id[i].text for i in cited + strangers])
        scores = vectors[1:] @ vectors[0]
        own.append(float(scores[: len(cited)].max()))
        other.append(float(scores[len(cited) :].max()))
    own_a, other_a = np.array(own), np.array(other)
    print(
        f"  grounding, {len(own)} sentences: own notes p10 {np.percentile(own_a, 10):.2f}"
        f" median {np.median(own_a):.2f}; another theme's notes median"
        f" {np.median(other_a):.2f} p90 {np.percentile(other_a, 90):.2f} max {other_a.max():.2f};"
        f" {(own_a < threshold).mean():.0%} of sentences below {threshold:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", help="embedder to use instead of the sample's config")
    parser.add_argument("--seed", type=int, help="UMAP seed instead of the sample's config")
    args = parser.parse_args()
    config = config_for_input(SAMPLE)
    config.embed.model = args.embedder or config.embed.model
    if args.seed is not None:
        config.cluster.seed = args.seed
    with tempfile.TemporaryDirectory() as tmp:
        config.embed.cache_dir = Path(tmp) / "cache"
        result, _ = run_workshop(SAMPLE, config, Path(tmp) / "runs")
        evaluation = result.manifest.evaluation or {}
        print(
            f"{config.embed.model}: {result.manifest.counts.ideas} ideas,"
            f" {len(result.themes)} themes, {len(result.broad_themes)} broad;"
            f" NMI_all {evaluation.get('nmi_all')}, coverage {evaluation.get('coverage')},"
            f" lang_NMI {evaluation.get('lang_nmi')}"
        )
        challenge_figures(evaluation)
        assert config.labels is not None
        labels = intended_labels(result.notes, config.labels)
        category_figures(result, labels)
        grounding_figures(result, config)


if __name__ == "__main__":
    main()
