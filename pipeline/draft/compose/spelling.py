"""Words a note misspells, told by how often each language writes them.

A proposal, a question or a title copies a note's words, and a slip copied into the handout
reads as the facilitator's ("Kein Aufstellen von Windrädern …, wo Natur zerstört werden
müssste", "Transparance sur les critères du scoring", "Opleiding faciliteren voor
ambetnaren"). The rules do not correct it: a correction can be wrong ("econy" is one letter
from "ebony"), and the note says what it says. They put a clean idea or question first where
there is one.

A word is misspelt when the language almost never writes it (``wordfreq``'s Zipf frequency
under ``RARE``) while a word one edit away (a letter left out, added, changed or two
swapped) is common (``COMMON`` or more, and ``GAP`` above it). Rare words nobody misspells
stay: a long compound ("Wasserpumpspeicherkraftwerke") or a name has no common word one
letter away. On the 774 real German proposals of the dev file this finds 24 words, all slips
or note shorthand ("Ungenutzen", "sotppen", "Inititative", "Immob"); on 630 Polis comments
in English, 3. Words are looked up casefolded, as the lists keep them ("große" as "grosse").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

RARE = 1.0
"""A word written less often than this (Zipf: 1 is once in 100 million words) may be a slip."""
COMMON = 2.5
"""A word one edit away this common is what the note meant. Lower, inflected forms and
compounds the lists know less well are taken for slips ("Klimaschutzgesetze",
"reparierbare", "Patentrechtes" at 2.0)."""
GAP = 2.0
"""And that much more common than the word written (a word the list does not hold counts
as 0)."""
MIN_LETTERS = 5
"""Shorter words are one edit from too many others."""

LETTERS = {
    "fr": "abcdefghijklmnopqrstuvwxyzàâçéèêëîïôûùüÿœ",
    "nl": "abcdefghijklmnopqrstuvwxyzëïéè",
    "de": "abcdefghijklmnopqrstuvwxyzäöüß",
    "en": "abcdefghijklmnopqrstuvwxyz",
}
"""The letters an edit may put in, per language the drafter has rules for."""


def misspells(text: str, language: str) -> bool:
    """Whether ``text`` has a word its language writes otherwise (``misspelt``)."""
    return any(misspelt(word, language) for word in text.split())


def frequency(word: str, language: str) -> float:
    """How often ``language`` writes ``word`` (lower-case), as a Zipf frequency; 0 under
    ``COMMON``, or for a language without a list here."""
    return _word_lists(language).common.get(word.casefold(), 0.0) if language in LETTERS else 0.0


@lru_cache(maxsize=65536)
def misspelt(word: str, language: str) -> bool:
    """Whether ``word`` (as written, punctuation around it allowed) is a slip for a common
    word one edit away. Words with inner capitals ("eCars", "CO2-Preis") or a hyphen, and
    acronyms are never counted: they are names and coinages more often than slips; a digit
    only in place of one letter inside a lower-case word ("pan3l")."""
    letters = LETTERS.get(language)
    bare = word.strip(".,;:!?()[]{}\"'«»“”„‘’…")
    if letters is None or len(bare) < MIN_LETTERS:
        return False
    if not bare.isalpha():
        return _digit_for_letter(bare, language)
    if any(c.isupper() for c in bare[1:]):
        return False
    lowered = bare.casefold()  # as wordfreq keeps its words: "große" as "grosse"
    lists = _word_lists(language)
    if lowered in lists.common:
        return False
    if any(
        lists.common.get(lowered[:k] + lowered[k + 1 :], 0.0) >= COMMON
        for k in range(len(lowered) - 2)
        if lowered[k] == lowered[k + 1] == lowered[k + 2]
    ):
        return True  # "innnerhalb": a key held down, however often the web writes it so
    # The common words one edit away first (a dictionary lookup each); whether the word
    # itself is written at all, only where there is one.
    meant = max((lists.common.get(v, 0.0) for v in _one_edit(lowered, letters)), default=0.0)
    return meant >= COMMON and meant >= GAP and not lists.written(lowered)


def _digit_for_letter(word: str, language: str) -> bool:
    """Whether ``word``, lower-case letters but for one digit inside ("pan3l"), is a common
    word with a letter in the digit's place: a slip of the keyboard row, not a code like
    "co2e" (too short), "covid19" (the digit last) or "B2B" (capitals)."""
    word = word[:1].lower() + word[1:]  # "Pan3l discussions" opening a proposal
    digits = [k for k, c in enumerate(word) if c.isdigit()]
    if len(digits) != 1 or not 0 < digits[0] < len(word) - 1 or not word.islower():
        return False
    at = digits[0]
    if not (word[:at] + word[at + 1 :]).isalpha():
        return False
    common = _word_lists(language).common
    return any(common.get(word[:at] + c + word[at + 1 :], 0.0) >= COMMON for c in LETTERS[language])


@dataclass(frozen=True)
class _WordLists:
    common: dict[str, float]
    """The words written at least ``COMMON`` often, with their Zipf frequency."""
    known: np.ndarray
    """The hashes of every word the list holds (down to ``RARE``), sorted."""

    def written(self, word: str) -> bool:
        """Whether the language writes ``word`` at least ``RARE`` often."""
        key = hash(word)
        at = int(np.searchsorted(self.known, key))
        return at < len(self.known) and int(self.known[at]) == key


@lru_cache(maxsize=len(LETTERS))
def _word_lists(language: str) -> _WordLists:
    """wordfreq's large list for ``language`` (630,000 German words, down to a Zipf of 1),
    kept small: the common words as a dictionary, the others as sorted hashes (8 bytes a
    word; held as wordfreq holds it, the German list takes 76 MB)."""
    import wordfreq

    buckets = wordfreq.read_cBpack(str(wordfreq.DATA_PATH / f"large_{language}.msgpack.gz"))
    common: dict[str, float] = {}
    for centibels, words in enumerate(buckets):  # bucket k: -k centibels, per word of text
        zipf = 9 - centibels / 100
        if zipf < COMMON:
            break
        common.update(dict.fromkeys(words, zipf))
    # (Hashed in C, without a Python loop over 630,000 words.)
    hashes = np.fromiter(map(hash, itertools.chain.from_iterable(buckets)), dtype=np.int64)
    known = np.sort(hashes)
    return _WordLists(common=common, known=known)


def _one_edit(word: str, letters: str) -> set[str]:
    """Every word one letter left out, swapped with the next, changed or added away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    left_out = [a + b[1:] for a, b in splits if b]
    swapped = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    changed = [a + c + b[1:] for a, b in splits if b for c in letters]
    added = [a + c + b for a, b in splits for c in letters]
    return {*left_out, *swapped, *changed, *added} - {word}
