"""Clustering on synthetic embeddings whose true groups are known."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score

from pipeline.cluster import centre_by_language, create_clusterer
from pipeline.cluster.base import relabel_by_size
from pipeline.cluster.language import centring_weights, translation_share
from pipeline.cluster.umap_hdbscan import (
    default_min_cluster_size,
    dissolve_incoherent,
    reassign_noise,
)
from pipeline.config import ClusterConfig
from pipeline.registry import UnknownBackendError


def blobs(n_topics=4, per_topic=40, dim=32, langs=("fr", "nl"), language_shift=0.0, seed=0):
    """Topic blobs; each note also gets an offset for its language, as multilingual models do."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(n_topics, dim))
    lang_offsets = {lang: rng.normal(size=dim) * language_shift for lang in langs}
    rows, topic_of, lang_of = [], [], []
    for t in range(n_topics):
        for i in range(per_topic):
            lang = langs[i % len(langs)]
            rows.append(topics[t] + lang_offsets[lang] + rng.normal(scale=0.35, size=dim))
            topic_of.append(t)
            lang_of.append(lang)
    x = np.asarray(rows, dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True), np.array(topic_of), lang_of


def test_finds_the_topics_and_is_deterministic():
    x, topics, langs = blobs()
    clusterer = create_clusterer(ClusterConfig())
    first = clusterer.fit(x, langs)
    second = clusterer.fit(x, langs)
    assert first.labels == second.labels
    labels = np.array(first.labels)
    assert normalized_mutual_info_score(topics, labels) > 0.9
    assert len(first.coords_2d) == len(x)
    grid_sizes = {c["min_cluster_size"] for c in first.params["grid"]}
    assert first.params["min_cluster_size"] in grid_sizes
    assert default_min_cluster_size(len(x)) in grid_sizes


def test_configured_settings_are_used_as_given():
    x, _, langs = blobs()
    result = create_clusterer(ClusterConfig(min_cluster_size=9, min_samples=4)).fit(x, langs)
    assert (result.params["min_cluster_size"], result.params["min_samples"]) == (9, 4)
    assert result.params["selection"] == "fixed"


def test_selection_prefers_the_clustering_that_separates_topics():
    """A grid that includes a too-coarse setting must not pick it."""
    x, topics, langs = blobs(n_topics=6, per_topic=25)
    result = create_clusterer(ClusterConfig()).fit(x, langs)
    assert result.params["themes"] == 6
    assert normalized_mutual_info_score(topics, result.labels) > 0.9


def test_language_centering_removes_language_offset():
    x, topics, langs = blobs(language_shift=1.0)
    centred = centre_by_language(x, langs)
    lang_array = np.array(langs)
    gap_before = np.linalg.norm(x[lang_array == "fr"].mean(0) - x[lang_array == "nl"].mean(0))
    gap_after = np.linalg.norm(
        centred[lang_array == "fr"].mean(0) - centred[lang_array == "nl"].mean(0)
    )
    assert gap_after < gap_before / 3
    with_centering = create_clusterer(ClusterConfig()).fit(x, langs)
    assert normalized_mutual_info_score(topics, with_centering.labels) > 0.9
    assert normalized_mutual_info_score(lang_array, with_centering.labels) < 0.1


def one_language_topic(shift: float = 0.5, seed: int = 0):
    """Four topics shared by fr and nl notes, and a fifth that only de notes discuss (as when
    one table works in its own language on its own topic); every language has its offset."""
    rng = np.random.default_rng(seed)
    dim = 32
    topics = rng.normal(size=(5, dim))
    offsets = {lang: rng.normal(size=dim) * shift for lang in ("fr", "nl", "de")}
    rows, topic_of, lang_of = [], [], []
    for t in range(5):
        for i in range(30 if t == 4 else 40):
            lang = "de" if t == 4 else ("fr", "nl")[i % 2]
            rows.append(topics[t] + offsets[lang] + rng.normal(scale=0.35, size=dim))
            topic_of.append(t)
            lang_of.append(lang)
    x = np.asarray(rows, dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True), np.array(topic_of), lang_of


def test_a_topic_only_one_language_discusses_is_not_centred_away():
    x, topics, langs = one_language_topic()
    weights = centring_weights(x, langs)
    assert min(weights["fr"], weights["nl"]) > 0.9  # shared topics: the offset is language
    assert weights["de"] < 0.2  # one topic of its own: its offset is that topic
    # Only the overall mean is removed from the German notes: their topic stays apart.
    centred = centre_by_language(x, langs)
    de = np.array(langs) == "de"
    inside = float((centred[de] @ centred[de].mean(axis=0)).mean())
    outside = float((centred[~de] @ centred[de].mean(axis=0)).mean())
    assert inside > outside + 0.5
    result = create_clusterer(ClusterConfig()).fit(x, langs)
    assert normalized_mutual_info_score(topics, result.labels) > 0.9


def test_a_large_language_offset_on_shared_topics_is_still_centred():
    """No note has a translation-like partner before centring, but both languages spread
    over the same topics: their offset is language, and it goes."""
    x, _, langs = blobs(language_shift=1.0)
    assert translation_share(x, langs) == {"fr": 0.0, "nl": 0.0}
    assert centring_weights(x, langs) == {"fr": 1.0, "nl": 1.0}


def test_small_language_is_barely_moved():
    x, _, langs = blobs(per_topic=30)
    langs = list(langs)
    langs[0] = "de"  # one German note among many
    centred = centre_by_language(x, langs, prior=10.0)
    plain = centre_by_language(x, ["fr"] * len(x), prior=10.0)
    # The lone German note is shifted by (roughly) the overall mean, like everyone in one language.
    assert float(centred[0] @ plain[0]) > 0.95


def test_noise_is_kept_as_unassigned_not_dropped():
    x, _, langs = blobs(n_topics=3, per_topic=30)
    rng = np.random.default_rng(3)
    outliers = rng.normal(size=(6, x.shape[1])).astype(np.float32)
    outliers /= np.linalg.norm(outliers, axis=1, keepdims=True)
    data = np.vstack([x, outliers])
    result = create_clusterer(ClusterConfig()).fit(data, list(langs) + ["fr"] * 6)
    assert len(result.labels) == len(data)
    assert sum(1 for label in result.labels[-6:] if label == -1) >= 4


def test_a_theme_of_unrelated_leftovers_is_dissolved_and_real_themes_kept():
    x, topics, _ = blobs(n_topics=3, per_topic=20)
    rng = np.random.default_rng(5)
    leftovers = rng.normal(size=(6, x.shape[1])).astype(np.float32)
    leftovers /= np.linalg.norm(leftovers, axis=1, keepdims=True)
    data = np.vstack([x, leftovers])
    labels = np.concatenate([topics, [3] * 6])  # the leftovers called a theme
    kept = dissolve_incoherent(data, labels)
    assert (kept[-6:] == -1).all()
    assert (kept[:-6] == topics).all()


def test_tiny_inputs_get_themes_rather_than_mostly_noise():
    x, topics, langs = blobs(n_topics=2, per_topic=12)
    result = create_clusterer(ClusterConfig()).fit(x, langs)
    assert sum(label == -1 for label in result.labels) <= 2
    assert normalized_mutual_info_score(topics, result.labels) > 0.9
    assert result.params["method_chosen"] in ("hdbscan", "average-linkage")


@pytest.mark.parametrize(("per_topic", "linkage_tried"), [(14, True), (20, False)])
def test_workshops_under_a_hundred_notes_also_try_average_linkage(per_topic, linkage_tried):
    x, topics, langs = blobs(n_topics=6, per_topic=per_topic)  # 84 or 120 notes
    result = create_clusterer(ClusterConfig()).fit(x, langs)
    methods = {candidate["method"] for candidate in result.params["grid"]}
    assert methods == ({"hdbscan", "average-linkage"} if linkage_tried else {"hdbscan"})
    assert normalized_mutual_info_score(topics, result.labels) > 0.9


def test_average_linkage_leaves_far_off_notes_unassigned():
    """Linkage groups every note; like HDBSCAN's themes, its groups then give far-off members
    back to noise, so three notes unlike any other do not end up in a theme."""
    x, _, langs = blobs(n_topics=3, per_topic=12)
    rng = np.random.default_rng(3)
    outliers = rng.normal(size=(3, x.shape[1])).astype(np.float32)
    outliers /= np.linalg.norm(outliers, axis=1, keepdims=True)
    data = np.vstack([x, outliers])
    result = create_clusterer(ClusterConfig()).fit(data, langs + ["fr"] * 3)
    linkage = [c for c in result.params["grid"] if c["method"] == "average-linkage"]
    assert linkage and all(c["coverage"] <= len(x) / len(data) + 1e-3 for c in linkage)
    assert result.labels[-3:] == [-1, -1, -1]


def test_groups_too_small_for_a_theme_are_unassigned():
    from pipeline.cluster.umap_hdbscan import MIN_GROUP, without_small_groups

    labels = np.array([0, 0, 0, 1, 1, -1, 2, 2, 2, 2])
    kept = without_small_groups(labels)
    assert kept.tolist() == [0, 0, 0, -1, -1, -1, 2, 2, 2, 2]
    assert MIN_GROUP == 3
    assert without_small_groups(np.array([-1, -1])).tolist() == [-1, -1]


def test_reassign_noise_takes_only_confident_points():
    members = np.array([[1.0, 0.0], [0.99, 0.14], [0.99, -0.14]], dtype=np.float32)
    members /= np.linalg.norm(members, axis=1, keepdims=True)
    near = np.array([[0.995, 0.1]], dtype=np.float32)
    far = np.array([[0.0, 1.0]], dtype=np.float32)
    data = np.vstack([members, near / np.linalg.norm(near), far])
    labels, confidence = reassign_noise(data, np.array([0, 0, 0, -1, -1]))
    assert labels.tolist() == [0, 0, 0, 0, -1]
    assert confidence[3] > 0 and confidence[4] == 0


def test_a_note_as_typical_as_the_members_joins_their_theme():
    # Four members, each the theme's direction plus a private offset; a late note drawn the
    # same way is exactly as typical as each of them. Against a centroid that includes
    # them, every member looked closer than it (0.79 against 0.63) and it stayed out.
    from pipeline.cluster.umap_hdbscan import typicality

    basis = np.eye(6)
    members = basis[0] + basis[1:5]
    late = basis[0] + basis[5]
    data = np.vstack([members, late]) / np.sqrt(2)
    labels, confidence = reassign_noise(data, np.array([0, 0, 0, 0, -1]))
    assert labels.tolist() == [0, 0, 0, 0, 0]
    assert confidence[4] > 0
    typical = typicality(data[:4])
    assert np.allclose(typical, 3 / np.sqrt(24))  # each against the other three: 0.61
    assert typicality(data[:1]).tolist() == [1.0]  # one note: nothing to compare with


def test_relabel_by_size_orders_themes():
    assert relabel_by_size(np.array([2, 2, -1, 0, 1, 1, 1])).tolist() == [1, 1, -1, 2, 0, 0, 0]


@pytest.mark.parametrize("n", [0, 1, 5])
def test_tiny_inputs(n):
    x, _, langs = blobs(n_topics=1, per_topic=max(n, 1))
    result = create_clusterer(ClusterConfig()).fit(x[:n], langs[:n])
    assert len(result.labels) == n
    assert all(label == 0 for label in result.labels)


def test_unknown_method():
    with pytest.raises(UnknownBackendError, match="umap-hdbscan"):
        create_clusterer(ClusterConfig(method="spectral"))


def test_cosine_knn_matches_brute_force_and_puts_each_point_first():
    from pipeline.cluster import neighbours

    x, _, _ = blobs(per_topic=30)
    original = neighbours.BLOCK_BYTES
    neighbours.BLOCK_BYTES = 4 * len(x) * 7  # blocks of 7 rows: the block edges are exercised
    try:
        indices, distances = neighbours.cosine_knn(x, 6)
    finally:
        neighbours.BLOCK_BYTES = original
    similarity = x @ x.T
    np.fill_diagonal(similarity, np.inf)
    expected = np.argsort(-similarity, axis=1, kind="stable")[:, :6]
    assert (indices[:, 0] == np.arange(len(x))).all()
    assert (np.sort(indices, axis=1) == np.sort(expected, axis=1)).all()
    assert (np.diff(distances, axis=1) >= -1e-6).all()
    assert distances[:, 0] == pytest.approx(0.0)


def test_nearest_rows_finds_the_most_similar_row():
    from pipeline.cluster.neighbours import nearest_rows

    x, _, _ = blobs(per_topic=20)
    assert (nearest_rows(x[:40], x) == np.arange(40)).all()


def test_precomputed_neighbours_and_principal_plane_map_at_larger_sizes(monkeypatch):
    """The path taken from 4,096 notes, tried on a small input by lowering the threshold."""
    from pipeline.cluster import umap_hdbscan

    monkeypatch.setattr(umap_hdbscan, "PRECOMPUTED_KNN_MIN", 50)
    x, topics, langs = blobs()
    first = create_clusterer(ClusterConfig()).fit(x, langs)
    assert "neighbours" in first.params["timings"]
    assert normalized_mutual_info_score(topics, first.labels) > 0.9
    assert first.labels == create_clusterer(ClusterConfig()).fit(x, langs).labels
    assert len(first.coords_2d) == len(x)


def test_large_inputs_are_fitted_on_a_sample_and_extended_to_every_note(monkeypatch):
    """Above FIT_SAMPLE_MAX notes, themes come from a seeded sample; every note still gets a
    theme (or unassigned), a confidence and a map position, deterministically."""
    from pipeline.cluster import umap_hdbscan

    monkeypatch.setattr(umap_hdbscan, "FIT_SAMPLE_MAX", 120)
    x, topics, langs = blobs(per_topic=80)
    first = create_clusterer(ClusterConfig()).fit(x, langs)
    assert first.params["fitted_on_sample"] == 120
    assert len(first.labels) == len(first.probabilities) == len(first.coords_2d) == len(x)
    assert normalized_mutual_info_score(topics, first.labels) > 0.9
    assert first.labels == create_clusterer(ClusterConfig()).fit(x, langs).labels
    assigned = np.array(first.labels) >= 0
    assert (np.array(first.probabilities)[assigned] > 0).all()


def test_consensus_keeps_what_most_runs_agree_on():
    from pipeline.cluster.consensus import co_association, consensus_labels

    # Notes 0-3 are always together, 4-7 always together; note 8 swaps sides every run,
    # and run 3 splits 4-7 in two, which the majority overrules.
    runs = [
        np.array([0, 0, 0, 0, 1, 1, 1, 1, 0]),
        np.array([0, 0, 0, 0, 1, 1, 1, 1, 1]),
        np.array([1, 1, 1, 1, 0, 0, 2, 2, -1]),
    ]
    together = co_association(runs)
    assert together[0, 1] == 1.0
    assert together[4, 6] == pytest.approx(2 / 3)
    assert together[8, 8] == pytest.approx(2 / 3)  # noise in one run
    labels, agreement = consensus_labels(runs, min_size=3)
    assert len(set(labels[:4].tolist())) == 1
    assert len(set(labels[4:8].tolist())) == 1
    assert labels[0] != labels[4]
    assert labels[8] == -1  # with no side for long enough
    assert agreement[0] == pytest.approx(1.0)
    assert 0.5 < agreement[4] < 1.0
    # A theme smaller than min_size is noise.
    small, _ = consensus_labels(runs, min_size=5)
    assert (small == -1).all()


@pytest.mark.parametrize("per_topic", [40, 12])  # 160 notes, or 48 where linkage competes
def test_consensus_over_seeds_is_deterministic_and_recorded(per_topic):
    x, topics, langs = blobs(per_topic=per_topic)
    config = ClusterConfig(consensus_runs=3)
    first = create_clusterer(config).fit(x, langs)
    assert first.params["consensus"] == {"runs": 3, "seeds": [42, 1042, 2042]}
    assert normalized_mutual_info_score(topics, first.labels) > 0.9
    assert first.labels == create_clusterer(config).fit(x, langs).labels
    assert all(0.0 <= p <= 1.0 for p in first.probabilities)
