"""Broad themes over fine ones: agglomeration of theme centroids, natural cut, run step."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.cluster.hierarchy import cut_tree, linkage

from pipeline.cluster.hierarchy import (
    CHALLENGE_RANGE,
    LARGEST_CHALLENGE_SHARE,
    broad_groups,
    broad_labels,
    capped_ward,
    challenge_count,
    theme_centroids,
)
from pipeline.config import ClusterConfig, Config, DescribeConfig
from pipeline.describe import describe_themes
from pipeline.run import group_themes
from pipeline.schema import Note


def grouped_centroids(groups: int = 4, per_group: int = 3, dim: int = 16, seed: int = 0):
    """``groups`` well-separated directions, each with ``per_group`` nearby fine themes."""
    rng = np.random.default_rng(seed)
    axes = rng.normal(size=(groups, dim))
    rows = [
        axes[g] + rng.normal(scale=0.15, size=dim) for g in range(groups) for _ in range(per_group)
    ]
    x = np.asarray(rows)
    return x / np.linalg.norm(x, axis=1, keepdims=True), np.repeat(np.arange(groups), per_group)


def same_partition(a, b) -> bool:
    pairs = set(zip(a, b, strict=True))
    return len(pairs) == len(set(a)) == len(set(b))


def test_theme_centroids_are_unit_means_and_ignore_unassigned():
    x = np.array([[1.0, 0.0], [3.0, 0.0], [0.0, 2.0], [5.0, 5.0]])
    centroids = theme_centroids(x, [0, 0, 1, -1])
    assert np.allclose(centroids, [[1.0, 0.0], [0.0, 1.0]])
    assert theme_centroids(x, [-1, -1, -1, -1]).shape == (0, 2)


def notes_around(centroids: np.ndarray, per_theme: int = 12, scale: float = 0.05, seed: int = 0):
    """Notes scattered around each fine theme's centroid: (embeddings, fine labels)."""
    rng = np.random.default_rng(seed)
    rows = [c + rng.normal(scale=scale, size=len(c)) for c in centroids for _ in range(per_theme)]
    x = np.asarray(rows)
    return x / np.linalg.norm(x, axis=1, keepdims=True), np.repeat(
        np.arange(len(centroids)), per_theme
    )


def test_challenge_count_finds_the_groups_within_four_to_eight():
    # 15 fine themes in 5 well-separated groups: the notes fit 5 challenges best.
    centroids, truth = grouped_centroids(groups=5, per_group=3)
    x, labels = notes_around(centroids)
    groups = broad_groups(centroids, embeddings=x, labels=labels.tolist())
    assert groups is not None and same_partition(groups, truth.tolist())


def test_challenge_count_stays_in_range_and_keeps_distinct_fine_themes_apart():
    # 14 unrelated fine themes: no merge is natural, so the level keeps the most it may (8, a room).
    rng = np.random.default_rng(2)
    centroids = rng.normal(size=(14, 32))
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    x, labels = notes_around(centroids)
    groups = broad_groups(centroids, embeddings=x, labels=labels.tolist())
    assert groups is not None and len(set(groups)) == CHALLENGE_RANGE[1]
    # Four fine themes or fewer: one challenge each.
    x4, labels4 = notes_around(centroids[:3])
    assert sorted(broad_groups(centroids[:3], embeddings=x4, labels=labels4.tolist()) or []) == [
        0,
        1,
        2,
    ]


def test_challenge_count_ignores_unassigned_notes():
    centroids, truth = grouped_centroids(groups=4, per_group=3)
    x, labels = notes_around(centroids)
    labels[::7] = -1
    tree_groups = broad_groups(centroids, embeddings=x, labels=labels.tolist())
    assert tree_groups is not None and same_partition(tree_groups, truth.tolist())


def test_requested_broad_themes_recover_the_groups():
    centroids, truth = grouped_centroids()
    groups = broad_groups(centroids, 4)
    assert groups is not None and len(set(groups)) == 4
    assert same_partition(groups, truth.tolist())


def test_without_notes_the_count_is_chosen_on_the_centroids():
    centroids, _ = grouped_centroids(groups=5, per_group=3)
    groups = broad_groups(centroids)
    assert groups is not None and 4 <= len(set(groups)) <= 10


def test_broad_groups_are_numbered_by_size_and_clamped_to_the_fine_count():
    centroids, _ = grouped_centroids(groups=2, per_group=2)
    groups = broad_groups(centroids, 2, sizes=[1, 1, 50, 50])
    assert groups == [1, 1, 0, 0]
    assert sorted(broad_groups(centroids, 10) or []) == [0, 1, 2, 3]
    assert broad_groups(np.zeros((0, 4)), 3) is None


def test_broad_labels_follow_fine_labels():
    assert broad_labels([0, 1, -1, 2], [1, 0, 1]) == [1, 0, -1, 1]


WORDS = {
    0: "bike lanes cycling safety",
    1: "bicycle parking cycling",
    2: "trees parks green shade",
    3: "community gardens green",
    4: "citizen meetings information",
    5: "public minutes information",
    6: "budget money spending",
    7: "participatory budget spending",
}


@pytest.mark.parametrize("requested", [4, 2])
def test_group_themes_gives_broad_themes_that_are_unions_of_fine_ones(requested: int):
    centroids, _ = grouped_centroids(groups=4, per_group=2, dim=24, seed=3)
    rng = np.random.default_rng(1)
    notes, labels, rows = [], [], []
    for fine in range(8):
        for i in range(5):
            notes.append(
                Note(
                    id=f"n{fine}-{i}",
                    text=f"{WORDS[fine]} {i}",
                    original_text="",
                    source="s.csv",
                    location=f"row {i}",
                    lang=("en", "fr")[i % 2],
                )
            )
            labels.append(fine)
            rows.append(centroids[fine] + rng.normal(scale=0.02, size=24))
    notes.append(Note(id="noise", text="lonely", original_text="", source="s.csv", location="x"))
    labels.append(-1)
    rows.append(rng.normal(size=24))
    embeddings = np.asarray(rows, dtype=np.float32)
    embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
    describe = DescribeConfig()
    themes = describe_themes(notes, labels, embeddings, describe)

    cluster = ClusterConfig(broad_themes=requested)
    fine, broad = group_themes(notes, labels, embeddings, themes, cluster, describe)

    assert [b.id for b in broad] == [f"B{i + 1}" for i in range(requested)]
    assert {t.parent_id for t in fine} == {b.id for b in broad}  # every fine theme has one parent
    for b in broad:
        members = [nid for t in fine if t.parent_id == b.id for nid in t.note_ids]
        assert sorted(b.note_ids) == sorted(members)
        assert b.size == len(members) and b.keyphrases and b.representative_ids
    assert "noise" not in {nid for b in broad for nid in b.note_ids}
    # Same fine themes otherwise: the hierarchy moves no note.
    assert [t.note_ids for t in fine] == [t.note_ids for t in themes]


def test_few_fine_themes_give_one_challenge_each():
    notes = [
        Note(id=f"n{i}", text="x", original_text="", source="s", location="l") for i in range(4)
    ]
    embeddings = np.eye(4, dtype=np.float32)
    themes = describe_themes(notes, [0, 0, 1, 1], embeddings, DescribeConfig())
    fine, broad = group_themes(
        notes, [0, 0, 1, 1], embeddings, themes, ClusterConfig(), DescribeConfig()
    )
    assert [b.id for b in broad] == ["B1", "B2"]
    assert [t.parent_id for t in fine] == ["B1", "B2"]


def test_broad_themes_config_must_be_positive():
    assert Config.model_validate({"cluster": {"broad_themes": 4}}).cluster.broad_themes == 4
    with pytest.raises(ValueError):
        Config.model_validate({"cluster": {"broad_themes": 0}})


def test_a_room_gets_four_to_eight_challenges():
    assert CHALLENGE_RANGE == (4, 8)
    rng = np.random.default_rng(5)
    for k in (5, 9, 12, 20, 30):
        centroids = rng.normal(size=(k, 32))
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        x, labels = notes_around(centroids)
        groups = broad_groups(centroids, embeddings=x, labels=labels.tolist())
        assert groups is not None and 4 <= len(set(groups)) <= min(8, k)


def test_no_challenge_holds_most_of_the_room_while_a_cut_in_range_avoids_it():
    # Five close fine themes and three apart: the silhouette prefers the five as one
    # challenge, 60 of 96 notes; a cut that parts them keeps every challenge under the share.
    rng = np.random.default_rng(4)
    axis = rng.normal(size=24)
    close = [axis + rng.normal(scale=0.25, size=24) for _ in range(5)]
    apart = list(rng.normal(size=(3, 24)) * 1.5)
    centroids = np.asarray(close + apart)
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    x, labels = notes_around(centroids)
    tree = linkage(centroids, method="ward")
    _, scores = challenge_count(tree, len(centroids), x, labels.tolist())
    best = max(scores, key=lambda c: scores[c])
    shares = {
        c: np.bincount(cut_tree(tree, n_clusters=c).ravel()[labels]).max() / len(labels)
        for c in scores
    }
    assert shares[best] > LARGEST_CHALLENGE_SHARE  # the silhouette alone would take it
    groups = broad_groups(centroids, embeddings=x, labels=labels.tolist())
    assert groups is not None
    share = np.bincount(np.asarray(groups)[labels]).max() / len(labels)
    assert share <= LARGEST_CHALLENGE_SHARE
    assert CHALLENGE_RANGE[0] <= len(set(groups)) <= CHALLENGE_RANGE[1]


def test_capped_ward_is_wards_linkage_while_the_cap_never_binds():
    rng = np.random.default_rng(7)
    centroids = rng.normal(size=(12, 16))
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    ours = capped_ward(centroids, [10] * 12, share=1.0)
    for count in range(1, 12):
        assert same_partition(
            cut_tree(ours, n_clusters=count).ravel().tolist(),
            cut_tree(linkage(centroids, method="ward"), n_clusters=count).ravel().tolist(),
        )


def test_three_large_close_facets_are_not_one_challenge_while_others_can_merge():
    # Three large facets close together (78, 41 and 30 notes) and seven small ones: plain
    # Ward joins the three at every cut from 4 to 8; capped, no challenge passes the share.
    rng = np.random.default_rng(3)
    axis = rng.normal(size=24)
    large = [axis + rng.normal(scale=0.3, size=24) for _ in range(3)]
    small = list(rng.normal(size=(7, 24)))
    centroids = np.asarray(large + small)
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    sizes = [78, 41, 30, 31, 20, 14, 14, 13, 12, 30]
    plain = cut_tree(linkage(centroids, method="ward"), n_clusters=8).ravel()
    assert len(set(plain[:3].tolist())) == 1  # what the cap is for
    groups = broad_groups(centroids, 8, sizes)
    assert groups is not None
    totals = np.bincount(groups, weights=sizes)
    assert totals.max() <= LARGEST_CHALLENGE_SHARE * sum(sizes)


def test_a_capped_tree_cuts_into_every_number_of_challenges_asked_for():
    # A merge the cap held back may cost less than earlier ones; the tree stays cuttable.
    rng = np.random.default_rng(1)
    for _ in range(40):
        k = int(rng.integers(5, 20))
        centroids = rng.normal(size=(k, 8))
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        sizes = rng.integers(1, 80, size=k).tolist()
        tree = capped_ward(centroids, sizes, LARGEST_CHALLENGE_SHARE)
        for count in range(1, k + 1):
            assert len(set(cut_tree(tree, n_clusters=count).ravel().tolist())) == count
