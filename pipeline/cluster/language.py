"""Remove the language signal that multilingual embedders still carry, but not the topics.

Notes written in one language sit closer to each other than to the same idea in another
language, so clustering raw multilingual embeddings partly groups by language. Subtracting each
language's mean vector removes that offset. A language with few notes has a mean dominated by its
topics, so its mean is shrunk towards the overall mean (empirical-Bayes style): with ``prior``
pseudo-notes, a language of 3 notes is barely moved while one of 100 is fully centred.

A language's mean is only its language when its notes talk about what the others talk about.
When one table discusses, in its own language, a topic nobody else raises, the gap between its
mean and the others' is that topic, and subtracting it drops the topic's notes into the middle
of everyone else's (on real Polis comments, where every Chinese comment is about ride-sharing,
full centring sent 15 of 88 of them out of their theme). So each language is centred only as
far as its offset is not explained by topic, by the larger of two signs:
- ``translation_share``: the share of its notes that have a translation-like partner in another
  language, one at least as similar as their ``NEIGHBOURS``-th nearest note of their own
  language. Where topics are shared and the embedder aligns languages well (SIB-200, xSID: 80
  to 100 % of notes) the language is centred fully; the Chinese comments find 5 %.
- ``spread_ratio``: how widely its notes spread around their own mean, against the most alike
  other language. A language that covers the topics another covers spreads as it does (0.98
  to 1.0 on SIB-200 and xSID), whatever its offset; one that covers a single topic spreads
  less (the Chinese comments spread 0.69 times as widely as the English ones), and then the
  other spreads more, which is as telling. This catches a language whose offset is too large
  for any translation-like partner.
A language that passes neither is barely centred: only the overall mean is removed from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.embed.base import l2_normalise

NEIGHBOURS = 5
"""A note's cross-language partner is translation-like when it is at least as similar as the
note's fifth nearest note of its own language."""
FULL_SHARE = 0.5
"""A language is fully centred when at least this share of its notes has a translation-like
partner; below, in proportion (a share of 0.1 centres a fifth of its offset)."""
SPREAD_RAMP = (0.7, 0.9)
"""Spread ratio at which a language starts to be centred, and from which it is fully centred."""
SHARE_SAMPLE = 2000
"""The share is measured on a seeded sample of at most this many notes (n² similarities)."""


def translation_share(
    embeddings: np.ndarray, langs: Sequence[str], seed: int = 0
) -> dict[str, float]:
    """For each language, the share of its notes whose most similar note in another language
    is at least as similar as their ``NEIGHBOURS``-th nearest note in their own language (on a
    sample of ``SHARE_SAMPLE`` notes; 1.0 for a language with one sampled note, whose mean
    the prior already shrinks)."""
    langs_array = np.asarray(langs)
    rows = np.arange(len(langs_array))
    if len(rows) > SHARE_SAMPLE:
        rows = np.sort(np.random.default_rng(seed).choice(rows, SHARE_SAMPLE, replace=False))
    vectors = l2_normalise(np.asarray(embeddings[rows], dtype=np.float32))
    sample_langs = langs_array[rows]
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    same = sample_langs[:, None] == sample_langs[None, :]
    best_other = np.where(same, -np.inf, similarity).max(axis=1)
    own_sorted = -np.sort(-np.where(same, similarity, -np.inf), axis=1)
    share = {}
    for lang in np.unique(langs_array):
        mine = sample_langs == lang
        k = min(NEIGHBOURS, int(mine.sum()) - 1)
        if k < 1:
            share[str(lang)] = 1.0
            continue
        share[str(lang)] = float((best_other[mine] >= own_sorted[mine, k - 1]).mean())
    return share


def spread_ratio(embeddings: np.ndarray, langs: Sequence[str]) -> dict[str, float]:
    """For each language, how its notes' spread around their mean (mean squared distance)
    compares with the most alike other language's, as the smaller over the larger (0–1];
    1.0 where there is nothing to compare with."""
    langs_array = np.asarray(langs)
    spread, count = {}, {}
    for lang in np.unique(langs_array):
        rows = embeddings[langs_array == lang]
        count[str(lang)] = len(rows)
        spread[str(lang)] = float(((rows - rows.mean(axis=0)) ** 2).sum(axis=1).mean())
    ratio = {}
    for lang, own in spread.items():
        others = [spread[o] for o in spread if o != lang and count[o] > 1 and spread[o] > 0]
        if count[lang] < 2 or own <= 0 or not others:
            ratio[lang] = 1.0
            continue
        ratio[lang] = max(min(own, other) / max(own, other) for other in others)
    return ratio


def centring_weights(embeddings: np.ndarray, langs: Sequence[str]) -> dict[str, float]:
    """How much of each language's offset is removed (0–1): the larger of the two signs in
    the module docstring."""
    if len(set(langs)) < 2:
        return {str(lang): 1.0 for lang in set(langs)}
    share = translation_share(embeddings, langs)
    ratio = spread_ratio(embeddings, langs)
    low, high = SPREAD_RAMP
    return {
        lang: max(
            min(1.0, share[lang] / FULL_SHARE),
            min(1.0, max(0.0, (ratio[lang] - low) / (high - low))),
        )
        for lang in share
    }


def language_offsets(
    embeddings: np.ndarray, langs: Sequence[str], prior: float = 10.0
) -> dict[str, np.ndarray]:
    """The vector subtracted from each language's notes: its mean shrunk towards the overall
    mean (``prior`` pseudo-notes), weighted by how much of its offset is not topic
    (``centring_weights``), the rest being the overall mean."""
    langs_array = np.asarray(langs)
    overall = embeddings.mean(axis=0)
    weights = centring_weights(embeddings, langs)
    offsets = {}
    for lang in np.unique(langs_array):
        rows = langs_array == lang
        n = int(rows.sum())
        shrunk = (embeddings[rows].sum(axis=0) + prior * overall) / (n + prior)
        weight = weights[str(lang)]
        offsets[str(lang)] = weight * shrunk + (1.0 - weight) * overall
    return offsets


def centre_by_language(
    embeddings: np.ndarray, langs: Sequence[str], prior: float = 10.0
) -> np.ndarray:
    if len(embeddings) == 0:
        return embeddings
    langs_array = np.asarray(langs)
    centred = np.array(embeddings, dtype=np.float32, copy=True)
    for lang, offset in language_offsets(embeddings, langs, prior).items():
        centred[langs_array == lang] -= offset
    return l2_normalise(centred)
