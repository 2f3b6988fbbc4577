"""Splitting a theme when resampling finds the same two halves again (pipeline.cluster.split)."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from pipeline.cluster import create_clusterer
from pipeline.cluster.split import (
    LARGEST_CUTS,
    LARGEST_SHARE,
    ROOM_FACETS,
    ROOM_SIZE_FROM,
    SMALL_LARGEST_FROM,
    SMALL_LARGEST_SHARE,
    binary_ari,
    split_largest,
    split_stability,
    split_stable_themes,
    split_to_room_size,
)
from pipeline.config import ClusterConfig


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def close_topics(per_topic=60, dim=48, apart=0.9, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """Two topics that share most of their direction (a "money" theme about taxes and about
    wages): far closer to each other than to anything else, yet two groups."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=dim)
    sides = rng.normal(size=(2, dim)) * apart
    rows = [
        common + sides[t] + rng.normal(scale=0.35, size=dim)
        for t in (0, 1)
        for _ in range(per_topic)
    ]
    return unit(np.asarray(rows)), np.repeat([0, 1], per_topic)


def one_topic(n=120, dim=48, seed=0) -> np.ndarray:
    """One broad topic: notes spread evenly around one direction, with no two groups in it."""
    rng = np.random.default_rng(seed)
    return unit(rng.normal(size=dim) * 2.0 + rng.normal(size=(n, dim)) * 0.35 * np.sqrt(2))


def test_binary_ari_is_the_adjusted_rand_index():
    rng = np.random.default_rng(1)
    for _ in range(20):
        a, b = rng.integers(0, 2, 50), rng.integers(0, 2, 50)
        assert binary_ari(a, b) == pytest.approx(adjusted_rand_score(a, b))
    same = rng.integers(0, 2, 30)
    assert binary_ari(same, 1 - same) == pytest.approx(1.0)


def test_a_theme_of_two_close_topics_is_split_and_one_broad_topic_is_not():
    two, truth = close_topics()
    broad = one_topic()
    rng = np.random.default_rng(0)
    assert split_stability(two, rng) > 0.9
    assert split_stability(broad, rng) < 0.5
    data = np.vstack([two, broad])
    labels = np.array([0] * len(two) + [1] * len(broad))
    split, count = split_stable_themes(data, labels, ["en"] * len(data), min_size=10, seed=42)
    assert count == 1
    assert normalized_mutual_info_score(truth, split[: len(two)]) > 0.9
    assert (split[len(two) :] == 1).all()  # the broad topic keeps its theme and number


def test_unassigned_notes_stay_so_and_small_halves_are_not_made():
    two, _ = close_topics(per_topic=30)
    labels = np.zeros(len(two), dtype=int)
    labels[::7] = -1
    split, count = split_stable_themes(two, labels, ["en"] * len(two), min_size=10, seed=42)
    assert count == 1
    assert (split[labels == -1] == -1).all()
    assert set(split.tolist()) == {-1, 0, 1}
    # Halves of 30 notes are too small for themes of at least 40.
    kept, none = split_stable_themes(two, labels, ["en"] * len(two), min_size=40, seed=42)
    assert none == 0 and (kept == labels).all()


def test_nested_topics_part_over_two_rounds():
    """Taxes against income support, then basic income against minimum wage: a split whose
    halves are themselves stable is split again."""
    rng = np.random.default_rng(3)
    common, money, support = (rng.normal(size=48) for _ in range(3))
    own = rng.normal(size=(3, 48)) * 0.7
    centres = [common + money, common + support + own[1], common + support + own[2]]

    def notes(centres_: list[np.ndarray]) -> np.ndarray:
        return unit(
            np.asarray([c + rng.normal(scale=0.35, size=48) for c in centres_ for _ in range(50)])
        )

    truth = np.repeat([0, 1, 2], 50)
    nested = notes(centres)
    split, count = split_stable_themes(
        nested, np.zeros(150, dtype=int), ["en"] * 150, min_size=12, seed=42
    )
    assert count == 2
    assert normalized_mutual_info_score(truth, split) > 0.9


def test_the_clusterer_splits_joined_topics_and_says_so():
    """End to end: two close topics beside two distant ones. Whether UMAP + HDBSCAN keeps the
    close ones apart or not, the run ends with them apart; the setting turns splitting off."""
    two, truth_two = close_topics(per_topic=60, seed=5)
    rng = np.random.default_rng(6)
    far = [unit(rng.normal(size=48) * 2.0 + rng.normal(size=(60, 48)) * 0.5) for _ in range(2)]
    data = np.vstack([two, *far]).astype(np.float32)
    truth = np.concatenate([truth_two, [2] * 60, [3] * 60])
    langs = ["en"] * len(data)
    fitted = create_clusterer(ClusterConfig()).fit(data, langs)
    assert normalized_mutual_info_score(truth, fitted.labels) > 0.85
    assert "stable_splits" in fitted.params and "split" in fitted.params["timings"]
    again = create_clusterer(ClusterConfig()).fit(data, langs)
    assert again.labels == fitted.labels
    off = create_clusterer(ClusterConfig(split_stable_themes=False)).fit(data, langs)
    assert "stable_splits" not in off.params


def nested_topics(seed=0, per_leaf=30, dim=48) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, broad topic, leaf): two far-apart topics, each made of three sub-topics that sit
    close together, as long answers on two broad questions are."""
    rng = np.random.default_rng(seed)
    rows, broad, leaf = [], [], []
    for b in (0, 1):
        centre = rng.normal(size=dim) * 3.0
        for s in range(3):
            sub = centre + rng.normal(size=dim) * 1.0
            for _ in range(per_leaf):
                rows.append(sub + rng.normal(scale=0.35, size=dim))
                broad.append(b)
                leaf.append(3 * b + s)
    return unit(np.asarray(rows)), np.asarray(broad), np.asarray(leaf)


def test_a_room_sized_input_with_two_themes_gets_six_facets_that_keep_their_topics():
    rows, broad, leaf = nested_topics()
    langs = ["fr"] * len(rows)
    labels, cuts = split_to_room_size(rows, broad.copy(), langs, seed=42)
    assert len(set(labels.tolist())) == ROOM_FACETS and cuts == ROOM_FACETS - 2
    # every facet stays within one broad topic, and the facets find the sub-topics
    for facet in set(labels.tolist()):
        assert len(set(broad[labels == facet].tolist())) == 1
    assert normalized_mutual_info_score(leaf, labels) > 0.8


def test_the_room_size_cut_leaves_small_inputs_unassigned_notes_and_language_borders_alone():
    rows, broad, _ = nested_topics()
    few = np.arange(ROOM_SIZE_FROM - 1)
    kept, cuts = split_to_room_size(rows[few], broad[few], ["fr"] * len(few), seed=42)
    assert cuts == 0 and (kept == broad[few]).all()
    # unassigned notes are never given a facet
    labels = broad.copy()
    labels[::7] = -1
    cut, _ = split_to_room_size(rows, labels, ["fr"] * len(rows), seed=42)
    assert (cut[labels == -1] == -1).all() and (cut[labels >= 0] >= 0).all()
    # a theme whose only border is its languages is not cut to reach the room's size
    one = one_topic(n=200)
    langs = ["fr", "nl"] * 100
    shifted = unit(one + np.where(np.array(langs)[:, None] == "fr", 1.0, -1.0) * 0.6 * one[0])
    labels, cuts = split_to_room_size(shifted, np.zeros(200, dtype=int), langs, seed=42)
    assert cuts == 0 and (labels == 0).all()


def test_a_theme_holding_most_of_a_workshop_is_cut_until_no_theme_holds_a_third():
    big, topic = close_topics(per_topic=60)  # one theme of 120 notes: two close topics
    rng = np.random.default_rng(5)
    axes = rng.normal(size=(2, big.shape[1])) * 3
    others = unit(np.repeat(axes, 20, axis=0) + rng.normal(size=(40, big.shape[1])))
    rows = np.vstack([big, others])
    labels = np.concatenate([np.zeros(120, dtype=int), np.repeat([1, 2], 20)])
    assert len(rows) >= ROOM_SIZE_FROM
    cut, cuts = split_largest(rows, labels, ["de"] * len(rows), seed=42)
    sizes = np.bincount(cut[cut >= 0])
    assert 1 <= cuts <= LARGEST_CUTS and sizes.max() <= LARGEST_SHARE * len(rows)
    # the first cut parts the two topics: no theme cut from the big one mixes them
    for theme in set(cut[:120].tolist()):
        assert len(set(topic[cut[:120] == theme].tolist())) == 1
    # the small themes are left alone
    assert len(set(cut[120:140].tolist())) == 1 and len(set(cut[140:].tolist())) == 1


def test_a_small_workshop_is_cut_only_where_one_theme_holds_most_of_it():
    """Under ``ROOM_SIZE_FROM`` ideas, a theme is cut while it holds more than half of the
    notes (a 79-comment consultation had one theme of 72), not a third; under
    ``SMALL_LARGEST_FROM`` never."""
    big, topic = close_topics(per_topic=30)  # one theme of 60 notes: two close topics
    rng = np.random.default_rng(5)
    other = unit(rng.normal(size=big.shape[1]) * 3 + rng.normal(size=(20, big.shape[1])))
    rows = np.vstack([big, other])
    labels = np.concatenate([np.zeros(60, dtype=int), np.ones(20, dtype=int)])
    cut, cuts = split_largest(rows, labels, ["de"] * 80, seed=42)
    assert cuts >= 1 and np.bincount(cut).max() <= SMALL_LARGEST_SHARE * 80
    for theme in set(cut[:60].tolist()):  # the cut parts the two topics
        assert len(set(topic[cut[:60] == theme].tolist())) == 1
    # two themes of 30 and one of 20: none holds most of it, though each holds over a third
    parted = np.concatenate([topic, np.full(20, 2)])
    kept, cuts = split_largest(rows, parted, ["de"] * 80, seed=42)
    assert cuts == 0 and (kept == parted).all()
    few = SMALL_LARGEST_FROM - 1
    kept, cuts = split_largest(rows[:few], np.zeros(few, dtype=int), ["de"] * few, seed=42)
    assert cuts == 0 and (kept == 0).all()


def test_the_largest_theme_cut_leaves_unassigned_notes_and_languages_alone():
    rows, broad, _ = nested_topics()
    labels = broad.copy()
    labels[::7] = -1
    cut, _ = split_largest(rows, labels, ["fr"] * len(rows), seed=42)
    assert (cut[labels == -1] == -1).all() and (cut[labels >= 0] >= 0).all()
    one = one_topic(n=200)
    langs = ["fr", "nl"] * 100
    shifted = unit(one + np.where(np.array(langs)[:, None] == "fr", 1.0, -1.0) * 0.6 * one[0])
    labels, cuts = split_largest(shifted, np.zeros(200, dtype=int), langs, seed=42)
    assert cuts == 0 and (labels == 0).all()
