"""Exact and near duplicates among active notes."""

from __future__ import annotations

import random
import time

from pipeline.prepare.duplicates import Duplicate, find_duplicates, jaccard, trigrams


def test_exact_duplicates_ignore_case_accents_punctuation_and_spaces() -> None:
    texts = [
        "Inscrire le droit à être consulté dans un décret régional",
        "inscrire le droit a etre consulte dans un decret regional.",
        "Inscrire  le droit à être consulté, dans un décret régional !",
    ]
    assert find_duplicates(texts, 0.9) == [None, Duplicate(0, "exact"), Duplicate(0, "exact")]


def test_near_duplicates_point_to_the_first_occurrence() -> None:
    texts = [
        "Opaque algorithms deciding who gets support",
        "Something else entirely about bike lanes",
        "opaque algorithms deciding who gets suport",
        "Opaque algorithm deciding who gets support",
    ]
    assert find_duplicates(texts, 0.85) == [
        None,
        None,
        Duplicate(0, "near"),
        Duplicate(0, "near"),
    ]


def test_similar_but_different_notes_are_not_near_duplicates() -> None:
    texts = [
        "Plus de bancs dans le parc",
        "Plus de bancs dans les parcs",  # Jaccard 0.76: another wording, kept apart at 0.9
        "Moins de bancs dans le parc",  # opposite meaning
    ]
    assert jaccard(trigrams(texts[0].lower()), trigrams(texts[1].lower())) < 0.9
    assert find_duplicates(texts, 0.9) == [None, None, None]


def test_lengths_more_than_30_percent_apart_are_never_near_duplicates() -> None:
    short = "participation citoyenne"
    long = "participation citoyenne participation citoyenne"  # same trigram set
    assert jaccard(trigrams(short), trigrams(long)) > 0.9
    assert find_duplicates([short, long], 0.9) == [None, None]


def test_duplicates_never_chain() -> None:
    texts = [
        "Public register of all algorithms",
        "Public register of all algorithm",  # near 0
        "public register of all algorithm",  # exact copy of 1, so near 0
    ]
    assert find_duplicates(texts, 0.85) == [None, Duplicate(0, "near"), Duplicate(0, "near")]


def test_threshold_one_means_only_same_trigrams() -> None:
    texts = ["meer groen in de stad", "meer groen in de stad!", "meer groen in de staad"]
    assert find_duplicates(texts, 1.0) == [None, Duplicate(0, "exact"), None]


def test_five_thousand_notes_are_fast_and_deterministic() -> None:
    rng = random.Random(7)
    words = ["budget", "charte", "burgers", "Beteiligung", "feedback", "agents", "formation"]
    words += ["netwerk", "decreet", "school", "meeting", "citizens", "réunion", "Schulen"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 9))) for _ in range(5_000)]
    start = time.perf_counter()
    first = find_duplicates(texts, 0.9)
    assert time.perf_counter() - start < 10
    assert find_duplicates(texts, 0.9) == first
    assert sum(d is not None for d in first) > 0
