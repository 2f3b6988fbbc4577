"""Re-runs that keep their themes: late notes join the previous run's themes.

Why: a facilitator who adds the last table's sticky notes at 23:00 wants the twenty themes
the analysts already started on, with the new notes in them, not a fresh clustering in which
themes split, merge and move because UMAP saw slightly different data. Reclustering is also
what makes a re-run cost as much as a cold run: UMAP and the grid of HDBSCAN settings are
most of a run's time once the embeddings are cached.

So when a workshop's notes are the previous run's plus or minus a few (at most
``cluster.incremental_max_new`` of them since the last full clustering), with the same
embedder and clustering settings, the previous assignment is kept note for note; removed
notes simply leave; each new note joins the theme whose centroid it is closest to when it is
at least as close as that theme's least typical members (the rule that reassigns noise,
``reassign_noise``), and otherwise stays unassigned; on the map it sits beside its most
similar old note. If as many new notes fit no theme as a theme needs members, and they are
closer to their own centroid than to any theme's, they may be a new topic, and the notes are
clustered afresh. Changes accumulate: after enough small re-runs the next one clusters
afresh, so themes never drift far from what clustering all notes would give.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.cluster.base import relabel_by_size
from pipeline.cluster.language import centre_by_language
from pipeline.cluster.neighbours import nearest_rows
from pipeline.cluster.umap_hdbscan import (
    SMALL_INPUT,
    centroids_of,
    place_beside,
    reassign_noise,
)
from pipeline.config import ClusterConfig
from pipeline.embed.base import l2_normalise
from pipeline.i18n import N_, RecordedMessages, words
from pipeline.schema import UNASSIGNED, Assignment, PriorAssignment

NOT_CLUSTERING_SETTINGS = frozenset({"broad_themes", "incremental", "incremental_max_new"})
"""``[cluster]`` settings that do not change the fine themes: changing them keeps the themes."""

NOT_CARRIED_PARAMS = frozenset({"timings", "incremental", "clustered_afresh_because"})
"""The previous run's clustering parameters that describe that run only, not its themes."""

MIN_NEW_THEME = 5
"""Unplaced new notes that call for clustering afresh when the previous run does not say how
many members its themes needed (the smallest ``min_cluster_size`` the grid tries)."""


def clustering_settings(config: ClusterConfig) -> dict[str, Any]:
    settings = config.model_dump(mode="json")
    return {k: v for k, v in settings.items() if k not in NOT_CLUSTERING_SETTINGS}


def why_not_incremental(
    prior: PriorAssignment | None,
    note_ids: Sequence[str],
    embed_model: str,
    config: ClusterConfig,
) -> str | None:
    """Why the previous themes cannot be kept (one line), or ``None`` when they can."""
    if not config.incremental:
        return "incremental re-runs are off"
    if prior is None:
        return "no previous run"
    if prior.embed_model != embed_model:
        return f"the embedder changed ({prior.embed_model} → {embed_model})"
    current = clustering_settings(config)
    # A setting newer than the previous run counts as unchanged at its default, so that
    # upgrading ideasynth keeps a workshop's themes (and the analysts' work on them).
    defaults = clustering_settings(ClusterConfig())
    previous = {k: prior.cluster_settings.get(k, defaults[k]) for k in current}
    unknown = set(prior.cluster_settings) - set(current) - NOT_CLUSTERING_SETTINGS
    if previous != current or unknown:
        return "the clustering settings changed"
    if len(note_ids) < SMALL_INPUT or not any(t != UNASSIGNED for t in prior.theme_ids):
        return "too few notes or themes to keep"
    full_notes, changed = changes_since_full(prior, note_ids)
    if changed > config.incremental_max_new * max(full_notes, 1):
        return (
            f"{changed} notes added or removed since the last full clustering of "
            f"{full_notes} (more than {config.incremental_max_new:.0%})"
        )
    return None


def changes_since_full(prior: PriorAssignment, note_ids: Sequence[str]) -> tuple[int, int]:
    """(notes at the last full clustering, notes added or removed since then)."""
    before = set(prior.note_ids)
    now = set(note_ids)
    changed_now = len(now - before) + len(before - now)
    chain = prior.clustering.get("incremental") or {}
    full_notes = int(chain.get("full_run_notes", len(prior.note_ids)))
    return full_notes, int(chain.get("changed_since_full", 0)) + changed_now


def extend_prior(
    prior: PriorAssignment,
    note_ids: Sequence[str],
    embeddings: np.ndarray,
    langs: Sequence[str],
    config: ClusterConfig,
) -> Assignment:
    """The previous run's themes over today's notes (see the module docstring); call only
    when ``why_not_incremental`` returned ``None``."""
    data = embeddings
    if config.language_centering and len(set(langs)) > 1:
        data = centre_by_language(embeddings, langs)
    before = {note_id: i for i, note_id in enumerate(prior.note_ids)}
    theme_index = {t: k for k, t in enumerate(sorted(set(prior.theme_ids) - {UNASSIGNED}))}
    n = len(note_ids)
    labels = np.full(n, -1)
    probabilities = np.zeros(n)
    coords = np.zeros((n, 2))
    old_rows = np.array([i for i, note_id in enumerate(note_ids) if note_id in before], dtype=int)
    new_rows = np.array(
        [i for i, note_id in enumerate(note_ids) if note_id not in before], dtype=int
    )
    for i in old_rows:
        j = before[note_ids[i]]
        labels[i] = theme_index.get(prior.theme_ids[j], -1)
        probabilities[i] = prior.probabilities[j]
        coords[i] = prior.coords_2d[j]
    joined = 0
    if len(new_rows):
        candidates = np.zeros(n, dtype=bool)
        candidates[new_rows] = True
        labels, confidence = reassign_noise(data, labels, only=candidates)
        probabilities[new_rows] = confidence[new_rows]
        joined = int((labels[new_rows] >= 0).sum())
        coords[new_rows] = _beside(coords, data, old_rows, new_rows, config.seed)
    unplaced = new_rows[labels[new_rows] == -1] if len(new_rows) else new_rows
    alike = form_their_own_group(data, labels, unplaced)
    full_notes, changed = changes_since_full(prior, note_ids)
    labels = relabel_by_size(labels)
    params = {
        **{k: v for k, v in prior.clustering.items() if k not in NOT_CARRIED_PARAMS},
        "n": n,
        "noise": int((labels == -1).sum()),
        "themes": int(labels.max() + 1) if (labels >= 0).any() else 0,
        "incremental": {
            "previous_run": prior.run_dir,
            "kept": len(old_rows),
            "new": len(new_rows),
            "removed": len(set(prior.note_ids) - set(note_ids)),
            "new_joined_a_theme": joined,
            "new_unassigned": len(new_rows) - joined,
            "new_unassigned_alike": bool(alike),
            "full_run_notes": full_notes,
            "changed_since_full": changed,
        },
    }
    return Assignment(
        labels=labels.tolist(),
        probabilities=probabilities.round(4).tolist(),
        coords_2d=[(float(x), float(y)) for x, y in coords],
        params=params,
    )


def form_their_own_group(data: np.ndarray, labels: np.ndarray, rows: np.ndarray) -> bool:
    """Whether ``rows`` (unassigned) look like one topic of their own: each is, typically,
    closer to their common centroid than to the nearest theme's. Leftovers of several themes
    fail this (their common centroid is a blend of topics), a new topic passes it."""
    themes = sorted(set(labels.tolist()) - {-1})
    if len(rows) < 2 or not themes:
        return False
    own = l2_normalise(data[rows].mean(axis=0, keepdims=True))[0]
    nearest_theme = (data[rows] @ centroids_of(data, labels, themes).T).max(axis=1)
    return bool(np.median(data[rows] @ own) > np.median(nearest_theme))


def unplaced_new_notes(kept: Assignment, prior: PriorAssignment) -> str | None:
    """Why ``kept`` should be clustered afresh after all, or ``None``: when as many new notes
    fit no theme as a theme needs members, and they form a group of their own
    (``form_their_own_group``), they may be a topic the previous run did not have, and only
    clustering can make them a theme. Leftovers of the existing topics (as a large workshop's
    late notes have) do not count."""
    incremental = kept.params["incremental"]
    unplaced = int(incremental["new_unassigned"])
    needed = int(prior.clustering.get("min_cluster_size") or MIN_NEW_THEME)
    if unplaced >= needed and incremental["new_unassigned_alike"]:
        return (
            f"{unplaced} new notes fit no theme and form a group of their own (a theme "
            f"needs {needed}): maybe a new topic"
        )
    return None


def themes_origin(clustering: dict[str, Any], lang: str = "en") -> str | None:
    """One sentence for people on where a run's themes came from, when it was a re-run:
    kept from the previous run (and what happened to the new notes), or clustered afresh and
    why, in ``lang``. ``None`` for a first run."""
    w = words(lang)
    kept = clustering.get("incremental")
    if kept:
        return w.gettext(
            "Themes kept from the previous run (%(run)s): %(new)s new notes (%(joined)s "
            "joined a theme, %(unassigned)s unassigned), %(removed)s removed. "
            "Run with --recluster to cluster all notes afresh.",
            run=Path(kept["previous_run"]).name,
            new=kept["new"],
            joined=kept["new_joined_a_theme"],
            unassigned=kept["new_unassigned"],
            removed=kept["removed"],
        )
    reason = clustering.get("clustered_afresh_because")
    if reason and reason != "no previous run":
        return w.gettext("Themes clustered afresh: %(reason)s.", reason=_said(reason, lang))
    return None


# Why a re-run clustered afresh, in the English the run records (``why_not_incremental``,
# ``unplaced_new_notes``), and the message each one is in the catalogue.
_REASONS = RecordedMessages(
    [
        (r"incremental re-runs are off", N_("incremental re-runs are off")),
        (
            r"the embedder changed \((?P<old>.*) → (?P<new>.*)\)",
            N_("the embedder changed (%(old)s → %(new)s)"),
        ),
        (r"the clustering settings changed", N_("the clustering settings changed")),
        (r"too few notes or themes to keep", N_("too few notes or themes to keep")),
        (
            r"(?P<changed>\d+) notes added or removed since the last full clustering of "
            r"(?P<full>\d+) \(more than (?P<share>\d+)%\)",
            N_(
                "%(changed)s notes added or removed since the last full clustering of "
                "%(full)s (more than %(share)s%%)"
            ),
        ),
        (
            r"(?P<unplaced>\d+) new notes fit no theme and form a group of their own \(a theme "
            r"needs (?P<needed>\d+)\): maybe a new topic",
            N_(
                "%(unplaced)s new notes fit no theme and form a group of their own (a theme "
                "needs %(needed)s): maybe a new topic"
            ),
        ),
    ]
)


def _said(reason: str, lang: str) -> str:
    """Why a re-run clustered afresh, in ``lang`` where the catalogue knows the reason."""
    return _REASONS.said(reason, lang)


def _beside(
    coords: np.ndarray, data: np.ndarray, old_rows: np.ndarray, new_rows: np.ndarray, seed: int
) -> np.ndarray:
    """Map positions for ``new_rows``: their most similar old note's, slightly offset."""
    if len(old_rows) == 0:
        return np.zeros((len(new_rows), 2))
    nearest = nearest_rows(data[new_rows], data[old_rows])
    return place_beside(coords[old_rows], nearest, np.random.default_rng(seed))
