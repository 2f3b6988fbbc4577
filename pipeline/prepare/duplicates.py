"""Exact and near-duplicate notes, found without comparing every pair.

The same idea is often written twice (two tables, a note typed up from two photos). Such
notes are kept and clustered, but marked, so the report can count an idea once and a
reviewer sees the repetition.

Near duplicates: character 3-gram Jaccard ≥ threshold between notes whose lengths are within
30 %. Comparing all pairs is quadratic, and an exact prefix-filtered join degrades badly on
notes that share a workshop's vocabulary (measured: 66 s for 100k notes at 0.9, 9 min at
0.7). So candidates come from MinHash LSH (signatures computed with numpy, banded so that a
pair at the threshold is missed with probability < 1e-4), and every candidate is verified
with the exact Jaccard: no false positives, and the result is deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pipeline.prepare.normalize import comparison_key

MAX_LENGTH_DIFFERENCE = 0.3
"""Notes whose comparison keys differ in length by more than 30 % are never near duplicates."""
MAX_MISS_PROBABILITY = 1e-4
"""LSH banding is chosen so that a pair exactly at the threshold is missed at most this often
(pairs above it even less)."""
ESTIMATE_MARGIN = 4.0
"""Candidates whose MinHash estimate is this many standard errors below the threshold are
dropped before the exact check (a true pair is dropped with probability < 1e-4)."""
_SEED = 20240601
_U64 = np.uint64


@dataclass(frozen=True)
class Duplicate:
    of: int
    """Index of the canonical note (the first occurrence; never itself a duplicate)."""
    kind: str
    """"exact" or "near"."""


def trigrams(key: str) -> frozenset[str]:
    """Character 3-grams of a comparison key, padded so that short notes have a few."""
    padded = f" {key} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if inter else 0.0


def find_duplicates(texts: Sequence[str], threshold: float) -> list[Duplicate | None]:
    """For each text, the earlier text it duplicates, or None when it is canonical.

    Exact duplicates share a comparison key (casefolded, no accents, no punctuation). Among
    the first occurrences of each key, a text is a near duplicate of the earliest canonical
    text with trigram Jaccard ≥ ``threshold`` and a length within 30 %. Duplicates always
    point to a canonical text (no chains); exact copies of a near duplicate point to its
    canonical text too, as near duplicates.
    """
    keys = [comparison_key(text) for text in texts]
    first_of: dict[str, int] = {}
    out: list[Duplicate | None] = [None] * len(texts)
    reps: list[int] = []
    for i, key in enumerate(keys):
        if key in first_of:
            out[i] = Duplicate(first_of[key], "exact")
        else:
            first_of[key] = i
            reps.append(i)

    reps = [i for i in reps if keys[i]]
    near = near_duplicates([keys[i] for i in reps], threshold)
    canonical_of: dict[int, int] = {}
    for position, match in enumerate(near):
        if match is not None:
            canonical_of[reps[position]] = reps[match]
            out[reps[position]] = Duplicate(reps[match], "near")
    for i, duplicate in enumerate(out):
        if duplicate is not None and duplicate.kind == "exact" and duplicate.of in canonical_of:
            out[i] = Duplicate(canonical_of[duplicate.of], "near")
    return out


def near_duplicates(keys: Sequence[str], threshold: float) -> list[int | None]:
    """Greedy leader clustering in input order: each key joins the earliest earlier
    canonical key it is similar to, or becomes canonical. Only canonical keys are indexed,
    so a thousand copies of one idea cost a thousand look-ups, not a million comparisons."""
    if not keys:
        return []
    num_hashes, rows = _lsh_plan(threshold)
    signatures = _signatures(keys, num_hashes)
    bands = _band_keys(signatures, rows)
    floor = threshold - ESTIMATE_MARGIN * math.sqrt(threshold * (1 - threshold) / num_hashes)
    grams: dict[int, frozenset[str]] = {}

    def grams_of(index: int) -> frozenset[str]:
        found = grams.get(index)
        if found is None:
            found = grams[index] = trigrams(keys[index])
        return found

    tables: list[dict[int, list[int]]] = [{} for _ in range(len(bands[0]))]
    out: list[int | None] = [None] * len(keys)
    for j, band_row in enumerate(bands):
        candidates: set[int] = set()
        for table, band_key in zip(tables, band_row, strict=True):
            bucket = table.get(band_key)
            if bucket:
                candidates.update(bucket)
        ordered = sorted(candidates)
        if len(ordered) > 8:  # cheap vectorised estimate first
            agreement = (signatures[ordered] == signatures[j]).mean(axis=1)
            ordered = [i for i, keep in zip(ordered, agreement >= floor, strict=True) if keep]
        length = len(keys[j])
        for i in ordered:
            other = len(keys[i])
            if min(length, other) < (1 - MAX_LENGTH_DIFFERENCE) * max(length, other):
                continue
            if jaccard(grams_of(j), grams_of(i)) >= threshold:
                out[j] = i
                break
        if out[j] is None:
            for table, band_key in zip(tables, band_row, strict=True):
                table.setdefault(band_key, []).append(j)
    return out


def _lsh_plan(threshold: float) -> tuple[int, int]:
    """(hash functions, rows per band): the most selective banding that still finds pairs at
    the threshold. Lower thresholds need more hash functions to stay selective."""
    num_hashes = 64 if threshold >= 0.85 else 128 if threshold >= 0.75 else 256
    for rows in range(num_hashes // 2, 0, -1):
        if (1 - threshold**rows) ** (num_hashes // rows) <= MAX_MISS_PROBABILITY:
            return num_hashes, rows
    return num_hashes, 1


def _mix(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """splitmix64 finaliser: spreads structured integers over all 64 bits (wrapping math)."""
    x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


def _signatures(keys: Sequence[str], num_hashes: int) -> NDArray[np.uint64]:
    """MinHash signatures (len(keys) × num_hashes) of the padded keys' 3-grams.

    A 3-gram is encoded exactly as three 21-bit code points in one integer, so no string
    hashing (which Python salts per process) is involved.
    """
    padded = [f" {key} " for key in keys]
    lengths = np.fromiter((len(p) for p in padded), dtype=np.int64, count=len(padded))
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(_U64)
    counts = lengths - 2  # each padded key has at least 3 characters
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    gram_starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    positions = np.repeat(starts - gram_starts, counts) + np.arange(counts.sum())
    grams = (codes[positions] << _U64(42)) | (codes[positions + 1] << _U64(21))
    grams = _mix(grams | codes[positions + 2])

    rng = np.random.default_rng(_SEED)
    multipliers = rng.integers(1, 2**63, size=num_hashes, dtype=np.uint64) | _U64(1)
    offsets = rng.integers(0, 2**63, size=num_hashes, dtype=np.uint64)
    signatures = np.empty((num_hashes, len(keys)), dtype=_U64)
    with np.errstate(over="ignore"):
        for h in range(num_hashes):
            signatures[h] = np.minimum.reduceat(grams * multipliers[h] + offsets[h], gram_starts)
    return np.ascontiguousarray(signatures.T)


def _band_keys(signatures: NDArray[np.uint64], rows: int) -> list[list[int]]:
    """One 64-bit key per note and band, as Python ints for dict look-ups."""
    count, num_hashes = signatures.shape
    bands = num_hashes // rows
    keys = np.empty((bands, count), dtype=_U64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            key = np.full(count, _U64(band), dtype=_U64)
            for column in range(band * rows, (band + 1) * rows):
                key = _mix(key * _U64(0x9E3779B97F4A7C15) + signatures[:, column])
            keys[band] = key
    result: list[list[int]] = keys.T.tolist()
    return result
