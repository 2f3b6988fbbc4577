"""Re-runs that keep their themes: late notes join the previous run's themes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.cluster import create_clusterer
from pipeline.cluster.incremental import (
    LEAST_TYPICAL,
    coherence,
    extend_prior,
    new_themes_among,
    themes_origin,
    why_not_incremental,
)
from pipeline.cluster.umap_hdbscan import mean_pairwise_similarity, reassign_noise
from pipeline.config import ClusterConfig
from pipeline.describe import theme_id
from pipeline.schema import UNASSIGNED, PriorAssignment
from tests.test_cluster import blobs

MODEL = "use-m3+e5-small"


def prior_of(
    x: np.ndarray, langs: list[str], config: ClusterConfig, **clustering
) -> PriorAssignment:
    fitted = create_clusterer(config).fit(x, langs)
    return PriorAssignment(
        run_dir="runs/w/1",
        note_ids=[f"n{i}" for i in range(len(x))],
        theme_ids=[theme_id(label) if label >= 0 else UNASSIGNED for label in fitted.labels],
        probabilities=fitted.probabilities,
        coords_2d=fitted.coords_2d,
        embed_model=MODEL,
        cluster_settings=config.model_dump(mode="json"),
        clustering=fitted.params,
    )


@pytest.fixture(scope="module")
def topics():
    x, truth, langs = blobs(n_topics=4, per_topic=40, seed=3)
    return x, truth, langs


def test_late_notes_join_their_topic_and_old_notes_stay_put(topics):
    x, truth, langs = topics
    config = ClusterConfig()
    late = np.flatnonzero(np.arange(len(x)) % 40 >= 37)  # 3 late notes per topic
    early = np.setdiff1d(np.arange(len(x)), late)
    prior = prior_of(x[early], [langs[i] for i in early], config)
    stray = np.random.default_rng(9).normal(size=(1, x.shape[1])).astype(np.float32)
    stray /= np.linalg.norm(stray)
    rows = np.concatenate([early, late])
    ids = [f"n{i}" for i in range(len(early))] + [f"late{i}" for i in late] + ["stray"]
    data = np.vstack([x[rows], stray])
    all_langs = [langs[i] for i in rows] + ["fr"]
    assert why_not_incremental(prior, ids, MODEL, config) is None
    kept = extend_prior(prior, ids, data, all_langs, config)

    labels = np.asarray(kept.labels)
    old = labels[: len(early)]
    before = np.asarray(prior.theme_ids)
    # The same partition of the old notes (labels are renumbered by size, ids come back
    # through the re-run matching), the same places on the map and the same confidence.
    for t in set(before.tolist()):
        assert len(set(old[before == t].tolist())) == 1
    assert len(set(old.tolist())) == len(set(before.tolist()))
    assert kept.coords_2d[: len(early)] == prior.coords_2d
    assert kept.probabilities[: len(early)] == pytest.approx(prior.probabilities, abs=1e-4)
    # Each late note joins the theme of its topic (or stays unassigned), never a wrong one.
    theme_of_topic = {int(truth[early][j]): int(old[j]) for j in range(len(early)) if old[j] >= 0}
    late_labels = labels[len(early) : -1]
    assert (late_labels >= 0).sum() >= len(late) * 0.75
    for i, label in zip(late, late_labels, strict=True):
        assert label in (-1, theme_of_topic[int(truth[i])])
    assert labels[-1] == -1  # the stray note belongs nowhere
    # Late notes sit on the map beside their most similar old note.
    spread = np.asarray(prior.coords_2d).std(axis=0)
    for k, i in enumerate(late):
        near = int(np.argmax(x[early] @ x[i]))
        gap = np.abs(np.asarray(kept.coords_2d[len(early) + k]) - prior.coords_2d[near])
        assert (gap < spread * 0.2).all()
    assert kept.params["incremental"] == {
        "previous_run": "runs/w/1",
        "kept": len(early),
        "new": len(late) + 1,
        "removed": 0,
        "new_joined_a_theme": int((labels[len(early) :] >= 0).sum()),
        "new_unassigned": int((labels[len(early) :] == -1).sum()),
        "new_formed_a_theme": 0,
        "full_run_notes": len(early),
        "changed_since_full": len(late) + 1,
    }
    assert kept.params["min_cluster_size"] == prior.clustering["min_cluster_size"]


def test_removed_notes_leave_and_the_rest_is_kept(topics):
    x, _, langs = topics
    config = ClusterConfig()
    prior = prior_of(x, langs, config)
    ids = prior.note_ids[5:]
    kept = extend_prior(prior, ids, x[5:], langs[5:], config)
    assert len(kept.labels) == len(x) - 5
    assert kept.params["incremental"]["removed"] == 5
    assert kept.coords_2d == prior.coords_2d[5:]


def test_when_the_themes_are_clustered_afresh(topics):
    x, _, langs = topics
    config = ClusterConfig()
    prior = prior_of(x, langs, config)
    ids = prior.note_ids
    assert why_not_incremental(prior, ids, MODEL, config) is None
    assert why_not_incremental(None, ids, MODEL, config) == "no previous run"
    off = config.model_copy(update={"incremental": False})
    assert why_not_incremental(prior, ids, MODEL, off) == "incremental re-runs are off"
    assert "embedder changed" in why_not_incremental(prior, ids, "use-m3", config)
    seeded = config.model_copy(update={"seed": 7})
    assert why_not_incremental(prior, ids, MODEL, seeded) == "the clustering settings changed"
    # The number of broad themes only regroups the fine themes: they are kept.
    four = config.model_copy(update={"broad_themes": 4})
    assert why_not_incremental(prior, ids, MODEL, four) is None
    # A run made before a setting existed ran without it: upgrading keeps its themes, while
    # a setting this version does not know means they were made some other way.
    older = prior.model_copy(
        update={
            "cluster_settings": {
                k: v for k, v in prior.cluster_settings.items() if k != "split_stable_themes"
            }
        }
    )
    assert why_not_incremental(older, ids, MODEL, config) is None
    unknown = prior.model_copy(
        update={"cluster_settings": {**prior.cluster_settings, "future_setting": 1}}
    )
    assert why_not_incremental(unknown, ids, MODEL, config) == "the clustering settings changed"
    more = ids + [f"new{i}" for i in range(17)]  # 17 of 160 is over 10 %
    assert "17 notes added or removed" in why_not_incremental(prior, more, MODEL, config)
    # Changes add up over a chain of re-runs: the fourth small one clusters afresh.
    chained = prior.model_copy(
        update={"clustering": {"incremental": {"full_run_notes": 160, "changed_since_full": 12}}}
    )
    assert why_not_incremental(chained, [*ids, "a", "b", "c"], MODEL, config) is None
    assert why_not_incremental(chained, [*ids, "a", "b", "c", "d", "e"], MODEL, config)


def test_a_real_rerun_keeps_the_themes_and_places_the_late_notes(tmp_path: Path):
    """The pipeline twice on the sample workshop, the second time with a late table's notes."""
    import shutil

    from pipeline.config import config_for_input
    from pipeline.run import run_workshop

    workshop = tmp_path / "atelier"
    shutil.copytree(Path(__file__).parents[1] / "data" / "sample", workshop)
    config = config_for_input(workshop)
    first, _ = run_workshop(workshop, config, tmp_path / "runs")
    (workshop / "late_table.csv").write_text(
        "Note\n"
        "Organiser un budget participatif pour les jeunes du quartier\n"
        "Laat inwoners zelf beslissen over een deel van het wijkbudget\n"
        "Une remarque sur la machine à café du hall\n",
        encoding="utf-8",
    )
    second, second_dir = run_workshop(workshop, config, tmp_path / "runs")

    before = {n.id: n.theme_id for n in first.notes}
    assert all(before[n.id] == n.theme_id for n in second.notes if n.id in before)
    assert sorted(t.id for t in second.themes) == sorted(t.id for t in first.themes)
    manifest = json.loads((second_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["clustering"]["incremental"]["new"] == 3
    late = [n for n in second.notes if n.id not in before and n.status == "active"]
    assert len(late) == 3
    assert (
        second.manifest.counts.reconciles if hasattr(second.manifest.counts, "reconciles") else True
    )
    assert manifest["reconciles"] is True
    for report in ("report.html", "report.md"):
        text = (second_dir / report).read_text(encoding="utf-8")
        # The sample is a French workshop: its reports say it in French.
        assert "Thèmes repris du traitement précédent" in text and "3 nouvelles notes" in text

    again = config.model_copy(
        update={"cluster": config.cluster.model_copy(update={"incremental": False})}
    )
    third, third_dir = run_workshop(workshop, again, tmp_path / "runs")
    report = (third_dir / "report.md").read_text(encoding="utf-8")
    assert "Thèmes regroupés à nouveau\u00a0: la reprise des thèmes est désactivée." in report
    assert third.manifest.clustering["clustered_afresh_because"] == "incremental re-runs are off"
    assert "incremental" not in third.manifest.clustering

    # The same model name from another package version: its vectors are another space.
    name = third.manifest.embedder
    assert name and name.startswith("use-m3@")
    manifest_path = third_dir / "manifest.json"
    recorded = json.loads(manifest_path.read_text(encoding="utf-8"))
    recorded["embedder"] = "use-m3@0.0.1"
    manifest_path.write_text(json.dumps(recorded), encoding="utf-8")
    fourth, _ = run_workshop(workshop, config, tmp_path / "runs")
    assert fourth.manifest.clustering["clustered_afresh_because"] == (
        f"the embedder changed (use-m3@0.0.1 → {name})"
    )


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_a_new_topic_becomes_a_new_theme_and_the_old_themes_are_kept():
    x, _, langs = blobs(n_topics=4, per_topic=60, seed=5)
    config = ClusterConfig()
    prior = prior_of(x, langs, config)
    needed = int(prior.clustering["min_cluster_size"])
    rng = np.random.default_rng(11)
    fresh = unit(rng.normal(size=x.shape[1]) + rng.normal(scale=0.35, size=(needed, x.shape[1])))
    ids = [*prior.note_ids, *(f"new{i}" for i in range(needed))]
    data, all_langs = np.vstack([x, fresh]), [*langs, *(["fr"] * needed)]
    assert why_not_incremental(prior, ids, MODEL, config) is None
    kept = extend_prior(prior, ids, data, all_langs, config)
    labels = np.asarray(kept.labels)
    # The old notes keep their themes note for note; the new topic's notes are one new theme.
    before = np.asarray(prior.theme_ids)
    for t in set(before.tolist()):
        assert len(set(labels[: len(x)][before == t].tolist())) == 1
    assert len(set(labels[len(x) :].tolist())) == 1
    assert labels[-1] >= 0 and labels[-1] not in set(labels[: len(x)].tolist())
    assert kept.params["themes"] == len(set(before.tolist()) - {UNASSIGNED}) + 1
    assert kept.params["incremental"]["new_formed_a_theme"] == needed
    assert kept.params["incremental"]["new_joined_a_theme"] == needed
    assert kept.params["incremental"]["new_unassigned"] == 0
    assert all(0.05 <= p <= 1.0 for p in kept.probabilities[len(x) :])
    # One note fewer than a theme needs: no theme of their own, and no old theme takes them.
    fewer = extend_prior(prior, ids[:-1], data[:-1], all_langs[:-1], config)
    assert (np.asarray(fewer.labels)[len(x) :] == -1).all()
    assert fewer.params["incremental"]["new_formed_a_theme"] == 0
    assert fewer.params["incremental"]["new_unassigned"] == needed - 1
    # As many unplaced notes that are loose variants of the existing topics (one topic after
    # another) are leftovers, not a topic of their own: they stay unassigned.
    loose = unit(x[np.arange(needed) % 4 * 60] + rng.normal(scale=0.2, size=(needed, x.shape[1])))
    odd = extend_prior(prior, ids, np.vstack([x, loose]), all_langs, config)
    assert odd.params["incremental"]["new_formed_a_theme"] == 0
    assert odd.params["incremental"]["new_unassigned"] > 0  # some really were left out
    assert odd.params["themes"] == kept.params["themes"] - 1


def test_only_notes_that_hold_together_found_a_theme():
    x, truth, _ = blobs(n_topics=4, per_topic=40, seed=8)
    rng = np.random.default_rng(2)
    fresh = rng.normal(size=x.shape[1]) + rng.normal(scale=0.35, size=(12, x.shape[1]))
    # Leftovers: weaker copies of notes of every existing topic, three of each.
    leftovers = x[np.arange(12) % 4 * 40] + rng.normal(scale=0.6, size=(12, x.shape[1]))
    # A loose group: around one direction, but as spread as no existing theme is.
    loose = rng.normal(size=x.shape[1]) + rng.normal(scale=1.5, size=(12, x.shape[1]))
    data = unit(np.vstack([x, fresh, leftovers, loose]))
    labels = np.concatenate([truth, np.full(36, -1)])
    tight = float(coherence(data, labels).min())
    topic, leftover, wide = np.arange(160, 172), np.arange(172, 184), np.arange(184, 196)

    def one_group_of(group: list[np.ndarray], of: np.ndarray) -> bool:
        # A note at the topic's edge may be cut off (it can join the new theme afterwards,
        # as any late note joins a theme), but no note of another group gets in.
        return (
            len(group) == 1
            and set(group[0].tolist()) <= set(of.tolist())
            and len(group[0]) >= len(of) - 2
        )

    assert [g.tolist() for g in new_themes_among(data, labels, topic, 8, 0.0, 0)] == [
        topic.tolist()
    ]
    assert one_group_of(new_themes_among(data, labels, topic, 8, tight, 0), topic)
    assert new_themes_among(data, labels, topic, 13, tight, 0) == []  # too few
    assert new_themes_among(data, labels, leftover, 8, tight, 0) == []
    assert new_themes_among(data, labels, wide, 8, tight, 0) == []
    # Among leftovers and loose notes, the new topic's notes are found, and only they.
    mixed = np.concatenate([leftover, topic, wide])
    assert one_group_of(new_themes_among(data, labels, mixed, 8, tight, 0), topic)
    # Two new topics at once, each as coherent as the existing themes, are two new themes.
    other = unit(rng.normal(size=x.shape[1]) + rng.normal(scale=0.3, size=(10, x.shape[1])))
    assert mean_pairwise_similarity(other) >= tight
    both = np.vstack([data, other])
    rows = np.concatenate([topic, np.arange(len(data), len(both))])
    found = new_themes_among(both, np.concatenate([labels, np.full(10, -1)]), rows, 8, tight, 0)
    assert len(found) == 2
    assert {frozenset(g.tolist()) <= frozenset(topic.tolist()) for g in found} == {True, False}
    assert all(len(g) >= 8 for g in found)


def test_a_halo_around_a_tight_theme_is_its_leftovers_not_a_new_theme():
    # A tight theme, a loose one (which sets the bar of coherence low) and a third; late notes
    # around the tight theme's topic, looser than it: too far from its centroid to join it,
    # coherent enough for the bar, but more alike to its members than to each other.
    rng = np.random.default_rng(4)
    dim = 32
    centres = rng.normal(size=(3, dim))
    themes = [
        centres[k] + rng.normal(scale=s, size=(40, dim)) for k, s in enumerate((0.2, 0.6, 0.35))
    ]
    halo = centres[0] + rng.normal(scale=0.45, size=(12, dim))
    data = unit(np.vstack([*themes, halo]))
    labels = np.concatenate([np.repeat([0, 1, 2], 40), np.full(12, -1)])
    rows = np.arange(120, 132)
    tight = float(coherence(data, labels).min())
    assert mean_pairwise_similarity(data[rows]) >= tight
    joined, _ = reassign_noise(data, labels, quantile=LEAST_TYPICAL, only=labels == -1)
    assert (joined[rows] == -1).all()  # none is close enough to join the tight theme
    assert new_themes_among(data, labels, rows, 8, tight, 0) == []


def test_the_origin_of_the_themes_is_said_in_one_sentence():
    kept = {
        "incremental": {
            "previous_run": "runs/atelier/20261201T220000Z",
            "new": 12,
            "new_joined_a_theme": 9,
            "new_unassigned": 3,
            "removed": 1,
        }
    }
    assert themes_origin(kept) == (
        "Themes kept from the previous run (20261201T220000Z): 12 new notes (9 joined a theme, "
        "3 unassigned), 1 removed. Run with --recluster to cluster all notes afresh."
    )
    assert themes_origin({"clustered_afresh_because": "the embedder changed (a → b)"}) == (
        "Themes clustered afresh: the embedder changed (a → b)."
    )
    assert themes_origin({"clustered_afresh_because": "no previous run"}) is None
    assert themes_origin({}) is None
