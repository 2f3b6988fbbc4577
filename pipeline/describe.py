"""Describe each theme for people: keyphrases, representative notes, size and language mix.

Keyphrases use class-based TF-IDF (as BERTopic does) over spaCy lemmas without each language's
stop words, so "citoyens", "citoyen" and "citoyenne" count as one term and "les" never appears.
Representative notes are chosen by maximal marginal relevance: close to the theme's centroid,
but not near-copies of each other, so a reviewer sees the theme's range in a few notes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np

from pipeline.config import DescribeConfig
from pipeline.memo import IN_MEMORY, TextMemo
from pipeline.nlp import lemmas_many
from pipeline.schema import Note, Theme


def theme_id(index: int) -> str:
    return f"T{index + 1:02d}"


def broad_theme_id(index: int) -> str:
    """Broad themes are "B1", "B2", …: never confused with fine themes ("T01")."""
    return f"B{index + 1}"


def terms_of(lemmas: list[str]) -> list[str]:
    """Unigrams and bigrams of consecutive content lemmas."""
    return lemmas + [f"{a} {b}" for a, b in pairwise(lemmas) if a != b]


def class_tfidf(term_lists_by_class: dict[int, list[list[str]]], top: int) -> dict[int, list[str]]:
    """Top ``top`` terms per class by c-TF-IDF: tf within the class × log(1 + A / f_term)."""
    counts = {
        c: Counter(t for terms in lists for t in terms) for c, lists in term_lists_by_class.items()
    }
    total = Counter[str]()
    for counter in counts.values():
        total.update(counter)
    if not total:
        return {c: [] for c in counts}
    average_class_size = sum(total.values()) / max(len(counts), 1)
    # documents per term per class: a term used by one enthusiastic note should not dominate.
    doc_freq = {
        c: Counter(t for terms in lists for t in set(terms))
        for c, lists in term_lists_by_class.items()
    }
    result: dict[int, list[str]] = {}
    for c, counter in counts.items():
        size = sum(counter.values()) or 1
        scored = []
        for term, count in counter.items():
            weight = (count / size) * math.log(1 + average_class_size / total[term])
            # A term from a single note should not speak for a theme, unless nothing else can.
            shared = doc_freq[c][term] >= 2 or len(term_lists_by_class[c]) <= 3
            scored.append((not shared, -weight, term))
        scored.sort()
        chosen: list[str] = []
        for _, _, term in scored:
            # A bigram makes its unigrams redundant, and vice versa.
            if any(term in kept.split() or kept in term.split() for kept in chosen):
                continue
            chosen.append(term)
            if len(chosen) == top:
                break
        result[c] = chosen
    return result


def representatives(
    embeddings: np.ndarray, candidates: Sequence[int], k: int, diversity: float = 0.3
) -> list[int]:
    """Indices of up to ``k`` notes by maximal marginal relevance around the centroid."""
    if not candidates:
        return []
    vectors = embeddings[list(candidates)]
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    relevance = vectors @ centroid
    chosen = [int(relevance.argmax())]
    while len(chosen) < min(k, len(candidates)):
        redundancy = (vectors @ vectors[chosen].T).max(axis=1)
        score = (1 - diversity) * relevance - diversity * redundancy
        score[chosen] = -np.inf
        chosen.append(int(score.argmax()))
    return [candidates[i] for i in chosen]


def describe_themes(
    notes: Sequence[Note],
    labels: Sequence[int],
    embeddings: np.ndarray,
    config: DescribeConfig,
    id_of: Callable[[int], str] = theme_id,
    memo: TextMemo = IN_MEMORY,
) -> list[Theme]:
    """One Theme per cluster index in ``labels`` (aligned with ``notes`` and ``embeddings``);
    ``id_of`` names them (fine "T01" by default, broad "B1" with ``broad_theme_id``); ``memo``
    remembers each note's lemmas."""
    texts, langs = [n.text for n in notes], [n.lang for n in notes]
    term_lists = [terms_of(lemmas) for lemmas in lemmas_many(texts, langs, memo)]
    by_class: dict[int, list[list[str]]] = {}
    for label, terms in zip(labels, term_lists, strict=True):
        by_class.setdefault(label, []).append(terms)
    keyphrases = class_tfidf(by_class, config.n_keyphrases)
    themes = []
    for cluster in sorted(c for c in by_class if c != -1):
        members = [i for i, label in enumerate(labels) if label == cluster]
        # Duplicates would waste representative slots: prefer canonical notes.
        originals = [i for i in members if notes[i].duplicate_of is None] or members
        reps = representatives(embeddings, originals, config.n_representatives)
        phrases = keyphrases.get(cluster, [])
        themes.append(
            Theme(
                id=id_of(cluster),
                label=" · ".join(phrases[:3]) if phrases else f"Theme {cluster + 1}",
                note_ids=[notes[i].id for i in members],
                size=len(members),
                languages=dict(Counter(notes[i].lang for i in members).most_common()),
                keyphrases=phrases,
                representative_ids=[notes[i].id for i in reps],
            )
        )
    return themes
