"""Day 2 actions that recur across the workshops of a batch (``recurring.html``).

Each workshop's plan is taken as its review left it (rejected actions out); actions of
different workshops that say the same thing, by the same rule that merges cards within a
plan (average cosine similarity of at least ``MERGE_SIMILARITY``), form one recurring
action, listed when two or more workshops have it: most widespread first, then most voted.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipeline.config import EmbedConfig
from pipeline.day2.plan import MERGE_SIMILARITY
from pipeline.day2.review_app import load_snapshot
from pipeline.day2.step import reviewed_plan
from pipeline.report.writer import MANIFEST_JSON
from pipeline.review.rundir import read_json
from pipeline.schema import RecurringAction, RecurringActionMember, WorkshopOutcome


def recurring_actions(
    outcomes: Sequence[WorkshopOutcome], similarity: float = MERGE_SIMILARITY
) -> list[RecurringAction]:
    members: list[RecurringActionMember] = []
    embed_settings: object = None
    for outcome in outcomes:
        if not outcome.day2_dir or not outcome.run_dir:
            continue
        out = Path(outcome.day2_dir)
        snapshot = load_snapshot(out)
        if snapshot is None:
            continue
        plan, _ = reviewed_plan(out, snapshot)
        titles = {c.id: c.title for c in plan.challenges}
        for action in plan.actions:
            if action.status == "rejected":
                continue
            members.append(
                RecurringActionMember(
                    workshop=outcome.workshop,
                    text=action.text,
                    challenge=titles.get(action.challenge_id or "", ""),
                    votes=action.votes or 0,
                )
            )
        if embed_settings is None:
            manifest = read_json(Path(outcome.run_dir) / MANIFEST_JSON)
            embed_settings = manifest.get("config", {}).get("embed") if manifest else None
    if len({m.workshop for m in members}) < 2:
        return []
    from pipeline.embed.for_run import run_embedder

    config = EmbedConfig.model_validate(embed_settings or {})
    vectors = np.asarray(run_embedder(config).embed([m.text for m in members]), dtype=float)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    groups = _groups(vectors @ vectors.T, [m.workshop for m in members], similarity)
    found: list[RecurringAction] = []
    for group in groups:
        workshops = sorted({members[i].workshop for i in group})
        if len(workshops) < 2:
            continue
        chosen = [members[i] for i in group]
        chosen.sort(key=lambda m: (-m.votes, m.workshop))
        found.append(
            RecurringAction(
                id="",
                text=chosen[0].text,
                n_workshops=len(workshops),
                votes=sum(m.votes for m in chosen),
                workshops=workshops,
                members=chosen,
            )
        )
    found.sort(key=lambda r: (-r.n_workshops, -r.votes, r.text))
    return [r.model_copy(update={"id": f"RA{i}"}) for i, r in enumerate(found, 1)]


def _groups(sims: np.ndarray, workshops: list[str], similarity: float) -> list[list[int]]:
    """Average linkage over actions of different workshops (one workshop's own actions were
    already merged in its plan, so two of them never join here), updated in place
    (Lance-Williams), so a batch of many workshops stays fast."""
    n = len(workshops)
    link = sims.astype(float).copy()
    names = sorted(set(workshops))
    has = np.zeros((n, len(names)), dtype=bool)
    for i, name in enumerate(workshops):
        has[i, names.index(name)] = True
    alive = np.ones(n, dtype=bool)
    members = [[i] for i in range(n)]
    while True:
        clash = (has.astype(int) @ has.T.astype(int)) > 0
        masked = np.where(clash | ~alive[:, None] | ~alive[None, :], -np.inf, link)
        np.fill_diagonal(masked, -np.inf)
        a, b = np.unravel_index(int(np.argmax(masked)), masked.shape)
        if masked[a, b] < similarity:
            break
        size_a, size_b = len(members[a]), len(members[b])
        link[a, :] = (size_a * link[a, :] + size_b * link[b, :]) / (size_a + size_b)
        link[:, a] = link[a, :]
        members[a] += members[b]
        has[a] |= has[b]
        alive[b] = False
    return [sorted(members[i]) for i in range(n) if alive[i]]
