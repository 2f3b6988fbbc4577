"""Describe each theme for people: keyphrases, representative notes, size and language mix.

Keyphrases use class-based TF-IDF (as BERTopic does) over spaCy lemmas without each language's
stop words, so "citoyens", "citoyen" and "citoyenne" count as one term and "les" never appears.
A word and its translations in the room's other languages ("mois", "maanden", "months") then
count as one keyphrase, found by their word vectors (``fold_translations``).
Representative notes are chosen by maximal marginal relevance: close to the theme's centroid,
but not near-copies of each other, so a reviewer sees the theme's range in a few notes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Protocol

import numpy as np

from pipeline.config import DescribeConfig
from pipeline.embed.base import l2_normalise
from pipeline.i18n import words
from pipeline.memo import IN_MEMORY, TextMemo
from pipeline.nlp import lemmas_many
from pipeline.schema import Note, Theme, languages_of


def theme_id(index: int) -> str:
    return f"T{index + 1:02d}"


def broad_theme_id(index: int) -> str:
    """Broad themes are "B1", "B2", …: never confused with fine themes ("T01")."""
    return f"B{index + 1}"


def terms_of(lemmas: list[str]) -> list[str]:
    """Unigrams and bigrams of consecutive content lemmas."""
    return lemmas + [f"{a} {b}" for a, b in pairwise(lemmas) if a != b]


TermVectors = Callable[[Sequence[str]], np.ndarray]
"""Vectors for candidate keyphrases, in a space where a word and its translation are close."""

TERM_MODEL = "use-m3"
"""The embedder whose word vectors find translations, whatever embeds the notes: pure numpy,
always installed, and its words and their translations sit close (e5-small's do not:
mois/maanden 0.34)."""

TRANSLATION_SIMILARITY = 0.85
"""Two candidate keyphrases of one theme that come mostly from notes in different languages
are one concept when their USE-multilingual vectors are at least this similar. Measured on
49 word pairs from workshop vocabulary: translations score 0.85 to 0.99 (mois/months 0.88,
vélo/fiets 0.88, atelier/workshop 0.90, algorithme/algorithm 0.99), while related words
that are not translations stay below (opaque/transparent 0.80, réunion/meet 0.73,
mois/semaine 0.66). Some true translations fall short too (vergadering 0.84, donnée/data
0.72): a pair left apart costs a slot, a wrong pair would hide a word."""

FOLD_CANDIDATES = 3
"""Per theme, this many times ``n_keyphrases`` of the best candidates are compared for
translations, so the work stays small however many distinct words the notes hold."""


@dataclass
class Keyphrase:
    """A candidate keyphrase of one theme, with what its c-TF-IDF weight is made of and where
    it comes from; counts are summed over the translations folded into it."""

    term: str
    count: int
    """Uses in the theme's notes."""
    total: int
    """Uses in all notes, the theme's and the others' (unassigned included)."""
    theme_terms: int
    """Uses of any term in the theme's notes."""
    average_terms: float
    """Uses of any term per theme, on average (the A of c-TF-IDF)."""
    notes: int
    """Notes of the theme that use it."""
    shared: bool
    """Used by at least two notes (or the theme is too small to ask that)."""
    language: str = ""
    """The language of most of those notes (``with_languages``)."""
    notes_by_language: dict[str, int] = field(default_factory=dict)
    """Those notes counted by language: "participation" is French as well as English even
    where English notes use it more."""
    translations: list[str] = field(default_factory=list)
    """Other languages' words for it, folded into this one (``fold_translations``)."""

    @property
    def weight(self) -> float:
        """c-TF-IDF: tf within the theme × log(1 + A / uses in all notes)."""
        return (self.count / max(self.theme_terms, 1)) * math.log(
            1 + self.average_terms / self.total
        )

    def rank(self) -> tuple[bool, float, str]:
        # A term from a single note should not speak for a theme, unless nothing else can.
        return (not self.shared, -self.weight, self.term)


def scored_terms(term_lists_by_class: dict[int, list[list[str]]]) -> dict[int, list[Keyphrase]]:
    """Every term of every class, best first, by c-TF-IDF (``Keyphrase.weight``), with no
    language yet (``with_languages``)."""
    counts = {
        c: Counter(t for terms in lists for t in terms) for c, lists in term_lists_by_class.items()
    }
    total = Counter[str]()
    for counter in counts.values():
        total.update(counter)
    average_class_size = sum(total.values()) / max(len(counts), 1)
    result: dict[int, list[Keyphrase]] = {}
    for c, counter in counts.items():
        lists = term_lists_by_class[c]
        # documents per term: a term used by one enthusiastic note should not dominate.
        users = Counter(t for terms in lists for t in set(terms))
        size = sum(counter.values())
        scored = []
        for term, count in counter.items():
            notes = users[term]
            scored.append(
                Keyphrase(
                    term=term,
                    count=count,
                    total=total[term],
                    theme_terms=size,
                    average_terms=average_class_size,
                    notes=notes,
                    shared=notes >= 2 or len(lists) <= 3,
                )
            )
        result[c] = sorted(scored, key=Keyphrase.rank)
    return result


def with_languages(
    candidates: list[Keyphrase], term_lists: list[list[str]], langs: list[str]
) -> list[Keyphrase]:
    """``candidates`` of one theme, each with the language of most of the theme's notes that
    use it (``term_lists`` and ``langs``: one per note). Looked up for these few only: over
    every distinct word of 100,000 notes it would cost a counter per word and theme."""
    wanted = {k.term for k in candidates}
    users: dict[str, Counter[str]] = {}
    for terms, lang in zip(term_lists, langs, strict=True):
        for term in wanted.intersection(terms):
            users.setdefault(term, Counter())[lang] += 1
    return [
        replace(
            k,
            language=min(users[k.term], key=lambda lang: (-users[k.term][lang], lang)),
            notes_by_language=dict(users[k.term]),
        )
        for k in candidates
    ]


def fold_translations(
    candidates: list[Keyphrase], vectors: dict[str, np.ndarray], prefer: str | None = None
) -> list[Keyphrase]:
    """One keyphrase per concept: a candidate joins the best-ranked earlier one that it
    translates (cosine of their unit ``vectors`` ≥ ``TRANSLATION_SIMILARITY``, a different
    language, no word in common, and none of that language in the group yet). The group
    then counts as one term: its uses, here and in all notes, are summed before weighing.
    It is named by the word that the notes in the ``prefer`` language (the drafts' language)
    use most, else by its best-ranked word: in a room where English notes write
    "participation" more often than French ones, French drafts still say "participation",
    not the "participatif" that only French notes use.

    In a room that writes in four languages, "mois", "maanden" and "months" would otherwise
    take three of a theme's eight keyphrases, each with a third of the weight the concept
    has. Words of one language are never folded: near-synonyms and antonyms of a language
    sit as close as translations do."""
    groups: list[list[Keyphrase]] = []
    for candidate in candidates:
        best, best_similarity = None, TRANSLATION_SIMILARITY
        words = set(candidate.term.split())
        for group in groups:
            if any(member.language == candidate.language for member in group):
                continue
            if words & set(group[0].term.split()):  # "audit indépendant" is not "audit"
                continue
            similarity = float(vectors[group[0].term] @ vectors[candidate.term])
            if similarity >= best_similarity:
                best, best_similarity = group, similarity
        if best is None:
            groups.append([candidate])
        else:
            best.append(candidate)
    folded = []
    for group in groups:
        name = _named_in(group, prefer)
        notes = sum(k.notes for k in group)
        by_language: Counter[str] = Counter()
        for member in group:
            by_language.update(member.notes_by_language)
        folded.append(
            replace(
                name,
                count=sum(k.count for k in group),
                total=sum(k.total for k in group),
                notes=notes,
                shared=any(k.shared for k in group) or notes >= 2,
                notes_by_language=dict(by_language),
                translations=[k.term for k in group if k is not name],
            )
        )
    return sorted(folded, key=Keyphrase.rank)


def _named_in(group: list[Keyphrase], prefer: str | None) -> Keyphrase:
    """The member of a translation group that notes in ``prefer`` use most (the first, best
    ranked, on a tie), or the first when none of them does."""
    uses = [k.notes_by_language.get(prefer, 0) if prefer else 0 for k in group]
    return group[uses.index(max(uses))] if max(uses) > 0 else group[0]


def _words(keyphrase: Keyphrase) -> set[str]:
    return {word for term in (keyphrase.term, *keyphrase.translations) for word in term.split()}


LONE_KEYPHRASES = 3
"""A theme lists a word that only one of its notes uses only while it has fewer keyphrases
than this: one note's words said nothing of the theme ("aufwändig · bagger", alphabetical
among equals, filled a German theme's last chips)."""


def pick(scored: list[Keyphrase], top: int) -> list[Keyphrase]:
    """The first ``top`` of ``scored`` (best first, those several notes use first) that do
    not repeat one another; those one note uses only up to ``LONE_KEYPHRASES``."""
    chosen: list[Keyphrase] = []
    for candidate in scored:
        if not candidate.shared and len(chosen) >= LONE_KEYPHRASES:
            break  # (``Keyphrase.rank``: the rest are one note's too)
        words = set(candidate.term.split())
        # A bigram makes its unigrams redundant, and vice versa, and two bigrams that share a
        # word ("communauté pratique", "communauté commune") repeat it; so does a word of a
        # kept one's translations ("algorithm decide" after "algorithme / algorithm").
        if any(words & _words(kept) for kept in chosen):
            continue
        chosen.append(candidate)
        if len(chosen) == top:
            break
    return chosen


def class_tfidf(term_lists_by_class: dict[int, list[list[str]]], top: int) -> dict[int, list[str]]:
    """Top ``top`` terms per class by c-TF-IDF (``scored_terms``), without translations
    folded."""
    return {c: [k.term for k in pick(s, top)] for c, s in scored_terms(term_lists_by_class).items()}


def theme_keyphrases(
    term_lists: Sequence[list[str]],
    langs: Sequence[str],
    labels: Sequence[int],
    top: int,
    term_vectors: TermVectors | None = None,
    prefer: str | None = None,
) -> dict[int, list[Keyphrase]]:
    """Each theme's ``top`` keyphrases, with translations folded when ``term_vectors`` is
    given (named in the ``prefer`` language where they can be); ``term_lists``, ``langs``
    and ``labels`` are aligned, one per note."""
    by_class: dict[int, list[list[str]]] = {}
    langs_by_class: dict[int, list[str]] = {}
    for label, terms, lang in zip(labels, term_lists, langs, strict=True):
        by_class.setdefault(label, []).append(terms)
        langs_by_class.setdefault(label, []).append(lang)
    scored = scored_terms(by_class)
    scored.pop(-1, None)  # unassigned notes weigh in the counts above but need no keyphrases
    if term_vectors is not None and scored:
        scored = {
            c: with_languages(s[: FOLD_CANDIDATES * top], by_class[c], langs_by_class[c])
            for c, s in scored.items()
        }
        terms = sorted({k.term for s in scored.values() for k in s})
        vectors = dict(zip(terms, l2_normalise(term_vectors(terms)), strict=True)) if terms else {}
        scored = {c: fold_translations(s, vectors, prefer) for c, s in scored.items()}
    return {c: pick(s, top) for c, s in scored.items()}


class WithKeyphrases(Protocol):
    """A Theme, or the review's ThemeState."""

    keyphrases: list[str]
    keyphrase_translations: dict[str, list[str]]


def shown_keyphrases(theme: WithKeyphrases) -> list[str]:
    """A theme's keyphrases as people read them, each followed by the translations folded into
    it ("mois / maanden / months")."""
    translations = theme.keyphrase_translations
    return [" / ".join([k, *translations.get(k, [])]) for k in theme.keyphrases]


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
    term_vectors: TermVectors | None = None,
    language: str | None = None,
) -> list[Theme]:
    """One Theme per cluster index in ``labels`` (aligned with ``notes`` and ``embeddings``);
    ``id_of`` names them (fine "T01" by default, broad "B1" with ``broad_theme_id``); ``memo``
    remembers each note's lemmas; with ``term_vectors`` a keyphrase's translations are
    folded into it (``fold_translations``), and it takes its word in ``language``, the
    drafts' language, where it has one."""
    texts, langs = [n.text for n in notes], [n.lang for n in notes]
    term_lists = [terms_of(lemmas) for lemmas in lemmas_many(texts, langs, memo)]
    keyphrases = theme_keyphrases(
        term_lists, langs, labels, config.n_keyphrases, term_vectors, language
    )
    themes = []
    for cluster in sorted(keyphrases):
        members = [i for i, label in enumerate(labels) if label == cluster]
        # Duplicates would waste representative slots: prefer canonical notes.
        originals = [i for i in members if notes[i].duplicate_of is None] or members
        reps = representatives(embeddings, originals, config.n_representatives)
        phrases = [k.term for k in keyphrases[cluster]]
        themes.append(
            Theme(
                id=id_of(cluster),
                label=" · ".join(phrases[:3])
                if phrases
                else words(language or "en").gettext("Theme %(n)s", n=cluster + 1),
                note_ids=[notes[i].id for i in members],
                size=len(members),
                notes_behind=len({notes[i].parent_id or notes[i].id for i in members}),
                languages=languages_of(notes[i] for i in members),
                keyphrases=phrases,
                keyphrase_translations={
                    k.term: k.translations for k in keyphrases[cluster] if k.translations
                },
                representative_ids=[notes[i].id for i in reps],
            )
        )
    return themes
