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
``reassign_noise``), in the language-centred space the themes were found in; on the map it
sits beside its most similar old note.

New notes that fit no theme are never a reason to cluster everything afresh: that would
reshape the themes the analysts reviewed for the sake of a few notes. They may found new
themes among themselves (``new_themes_among``): as many of them as a theme needs members, as
coherent as the least coherent existing theme, each more alike to its group than to any
existing theme's members. The others stay unassigned rather than be forced into a theme they
do not fit. Changes accumulate: after enough small re-runs the next one clusters afresh, so
themes never drift far from what clustering all notes would give.
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
    mean_pairwise_similarity,
    place_beside,
    reassign_noise,
)
from pipeline.config import ClusterConfig
from pipeline.i18n import N_, RecordedMessages, words
from pipeline.schema import UNASSIGNED, Assignment, PriorAssignment

NOT_CLUSTERING_SETTINGS = frozenset({"broad_themes", "incremental", "incremental_max_new"})
"""``[cluster]`` settings that do not change the fine themes: changing them keeps the themes."""

NOT_CARRIED_PARAMS = frozenset({"timings", "incremental", "clustered_afresh_because"})
"""The previous run's clustering parameters that describe that run only, not its themes."""

MIN_NEW_THEME = 5
"""Members a new theme needs when the previous run does not say how many its themes needed
(the smallest ``min_cluster_size`` the grid tries)."""

GROUPED_MAX = 4_000
"""At most this many unplaced new notes are grouped into new themes (average linkage holds
their n² / 2 distances: 64 MB); above, a seeded sample is."""

LEAST_TYPICAL = 0.1
"""A new note joins a theme when it is at least as close to its centroid as the theme's least
typical tenth of members (the quantile the first run reassigns noise with)."""


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
    joined = founded = 0
    if len(new_rows) and (labels >= 0).any():
        tight = float(coherence(data, labels).min())
        candidates = np.zeros(n, dtype=bool)
        candidates[new_rows] = True
        labels, confidence = reassign_noise(data, labels, quantile=LEAST_TYPICAL, only=candidates)
        probabilities[new_rows] = confidence[new_rows]
        joined = int((labels[new_rows] >= 0).sum())
        rest = new_rows[labels[new_rows] == -1]
        groups = new_themes_among(data, labels, rest, members_needed(prior), tight, config.seed)
        for members in groups:
            labels[members] = labels.max() + 1
        if groups:
            # The other unplaced notes may join a new theme as they may join an old one.
            offered = np.concatenate([*groups, rest])
            within, confidence = reassign_noise(
                data[offered], labels[offered], quantile=LEAST_TYPICAL, only=labels[offered] == -1
            )
            labels[offered] = within
            probabilities[offered] = np.where(within >= 0, confidence, 0.0)
            for members in groups:
                own = alike_to_others(data[members])
                probabilities[members] = np.clip((own - tight) / max(1.0 - tight, 1e-6), 0.05, 1.0)
            founded = int(np.isin(labels[new_rows], labels[np.concatenate(groups)]).sum())
    if len(new_rows):
        coords[new_rows] = _beside(coords, data, old_rows, new_rows, config.seed)
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
            "new_joined_a_theme": joined + founded,
            "new_unassigned": len(new_rows) - joined - founded,
            "new_formed_a_theme": founded,
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


def members_needed(prior: PriorAssignment) -> int:
    """How many notes a new theme needs: as many as the previous run's themes needed."""
    return int(prior.clustering.get("min_cluster_size") or MIN_NEW_THEME)


def alike_to_others(members: np.ndarray) -> np.ndarray:
    """Each member's mean cosine to the *other* members (rows of unit length). Unlike the
    cosine to their mean (``typicality``), it does not grow with the number of members, so a
    note's likeness to a group of ten compares with its likeness to a theme of forty."""
    if len(members) < 2:
        return np.ones(len(members))
    total = members.sum(axis=0, dtype=np.float64)
    dot = (members @ total.astype(members.dtype)).astype(np.float64)
    square = np.einsum("ij,ij->i", members, members).astype(np.float64)
    return np.asarray((dot - square) / (len(members) - 1))


def coherence(data: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each theme's mean pairwise cosine (in label order): how alike its notes are, whatever
    their number."""
    themes = sorted(set(labels.tolist()) - {-1})
    return np.array([mean_pairwise_similarity(data[labels == c]) for c in themes])


def new_themes_among(
    data: np.ndarray, labels: np.ndarray, rows: np.ndarray, needed: int, tight: float, seed: int
) -> list[np.ndarray]:
    """Groups of ``rows`` (new notes that fit no theme) that found themes of their own.

    The notes are grouped by average linkage for as long as two groups' notes are on average
    at least ``tight`` alike (cosine): as coherent as the least coherent existing theme
    (``coherence``), which the previous run's clustering found worth a theme. In each group
    of at least ``needed`` notes (as many as the previous run's themes needed), a note that
    is more alike to the members of an existing theme than to its group's
    (``alike_to_others``) is a leftover of that theme and leaves the group, until none is; a
    group still that large and that coherent is a new theme. Leftovers of several topics are
    not alike and stay apart, as do notes too loose for any theme: they stay unassigned. At
    most ``GROUPED_MAX`` notes (a seeded sample) are grouped; the others may then join the
    new themes as any new note joins a theme."""
    if len(rows) < max(needed, 2):
        return []
    from scipy.cluster.hierarchy import fcluster, linkage

    grouped = rows
    if len(rows) > GROUPED_MAX:
        rng = np.random.default_rng(seed)
        grouped = np.sort(rng.choice(rows, GROUPED_MAX, replace=False))
    vectors = data[grouped].astype(np.float64)
    tree = linkage(vectors, method="average", metric="cosine")
    group_of = fcluster(tree, t=1.0 - tight, criterion="distance")
    themes = sorted(set(labels.tolist()) - {-1})
    sums = np.stack([data[labels == c].sum(axis=0) for c in themes])
    sizes = np.array([int((labels == c).sum()) for c in themes])
    nearest_theme = ((vectors @ sums.T.astype(np.float64)) / sizes).max(axis=1)
    found = []
    for g in np.unique(group_of):
        members = np.flatnonzero(group_of == g)
        while len(members) >= needed:
            fits = alike_to_others(vectors[members]) > nearest_theme[members]
            if fits.all():
                if mean_pairwise_similarity(vectors[members]) >= tight:
                    found.append(grouped[members])
                break
            members = members[fits]
    return found


def themes_origin(
    clustering: dict[str, Any], lang: str = "en", drafts_kept: int = 0, headings_kept: int = 0
) -> str | None:
    """One sentence for people on where a run's themes came from, when it was a re-run:
    kept from the previous run (and what happened to the new notes), or clustered afresh and
    why, in ``lang``; then how many drafts the re-run kept, their notes unchanged
    (``drafts_kept``, the manifest's ``drafts_kept_from_previous_run``), and how many kept
    their title and question, a few notes changed (``headings_kept``, the manifest's
    ``headings_kept_from_previous_run``), so that nobody wonders why those units read as
    before. ``None`` for a first run."""
    said = [s for s in (_origin(clustering, lang),) if s]
    w = words(lang)
    if drafts_kept:
        said.append(
            w.ngettext(
                "%(num)d draft kept from the previous run: its notes did not change.",
                "%(num)d drafts kept from the previous run: their notes did not change.",
                drafts_kept,
            )
        )
    if headings_kept:
        said.append(
            w.ngettext(
                "%(num)d title and question kept from the previous run, the proposals drafted "
                "again: at most a quarter of its notes changed.",
                "%(num)d titles and questions kept from the previous run, the proposals "
                "drafted again: at most a quarter of their notes changed.",
                headings_kept,
            )
        )
    return " ".join(said) or None


def _origin(clustering: dict[str, Any], lang: str) -> str | None:
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


# Why a re-run clustered afresh, in the English the run records (``why_not_incremental``;
# the last one, new notes that might be a new topic, was recorded by runs before 2026-12-05,
# whose reports can still be rendered), and the message each one is in the catalogue.
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
