"""A theme's title: the noun phrase of its notes that best says what the theme is about.

Candidates are the noun phrases written in the theme's notes in the output language, as the
participants wrote them ("contrôle humain des décisions automatisées"), never assembled from
lemmas. Each is scored by the theme's keyphrases it contains (c-TF-IDF, so words that set
the theme apart count most) and by how many of the theme's notes use its head word; a
phrase of two to five words is preferred to one word or a long one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.draft.compose.questions import refuses
from pipeline.draft.compose.tagging import Word, join
from pipeline.ground import fold
from pipeline.schema import Theme

MAX_TITLE_WORDS = 7
CONTENT = frozenset({"NOUN", "PROPN", "ADJ"})


def _words(text: str) -> list[str]:
    """Folded as the words they are compared with ("année" → "annee")."""
    return [fold(word) for word in text.split()]


GENERIC_HEADS = frozenset(
    _words(
        """
    fois chose choses gens truc jour jours mois an ans année semaine heure personne
    keer ding dingen mensen dag dagen maand maanden jaar week uur
    mal ding dinge leute tag tage monat monate jahr woche stunde
    time times thing things people day days month months year week hour lot way
    """
    )
)
"""Nouns that name no theme ("fois par mois", "things"): a phrase led by one is no title."""


@dataclass(frozen=True)
class Title:
    text: str
    note_ids: list[str]
    """The notes the phrase comes from or whose words it uses (the title's citations)."""


def keyphrase_weights(theme: Theme) -> dict[str, float]:
    """Folded word → weight: 1 for the theme's first keyphrase, 1/2 for the second, …; a
    keyphrase's translations weigh as it does."""
    weights: dict[str, float] = {}
    for rank, keyphrase in enumerate(theme.keyphrases):
        for phrase in [keyphrase, *theme.keyphrase_translations.get(keyphrase, [])]:
            for word in phrase.split():
                key = fold(word)
                weights[key] = max(weights.get(key, 0.0), 1.0 / (1 + rank))
    return weights


PRENOMINAL = frozenset({"en", "nl", "de"})
"""Languages whose adjectives come before the noun."""
GERMAN_DEFINITE = frozenset({"der", "die", "das", "den", "dem", "des"})
"""After these, a German adjective takes its weak ending ("die üblichen Verdächtigen"), which
reads wrong without them."""


def noun_phrases(words: Sequence[Word], language: str) -> list[list[Word]]:
    """Maximal runs like "(ADJ) NOUN (ADJ) (ADP (DET) (ADJ) NOUN (ADJ))*" in a note."""
    out: list[list[Word]] = []
    i = 0
    while i < len(words):
        start = i
        while i < len(words) and words[i].pos == "ADJ":
            i += 1
        if i >= len(words) or words[i].pos not in {"NOUN", "PROPN"}:
            i = start + 1
            continue
        phrase = list(words[start:i])
        if (
            language == "de"
            and i > start
            and start > 0
            and words[start - 1].text.lower() in GERMAN_DEFINITE
        ):
            # "die üblichen Verdächtigen": a weak adjective needs its article.
            phrase.insert(0, words[start - 1])
        while i < len(words) and words[i].pos in {"NOUN", "PROPN", "ADJ"}:
            phrase.append(words[i])
            i += 1
        while i + 1 < len(words) and words[i].pos == "ADP":
            j = i + 1
            if words[j].pos == "DET":
                j += 1
            k = j
            while k < len(words) and words[k].pos == "ADJ":
                k += 1
            if k >= len(words) or words[k].pos not in {"NOUN", "PROPN"}:
                break
            k += 1
            while k < len(words) and words[k].pos in {"ADJ", "NOUN", "PROPN"}:
                k += 1
            if len(phrase) + (k - i) > MAX_TITLE_WORDS:
                break
            phrase.extend(words[i:k])
            i = k
        while language in PRENOMINAL and len(phrase) > 1 and phrase[-1].pos == "ADJ":
            # "Opaque algorithms deciding …", "Recht op inspraak wettelijk (verankeren)": an
            # adjective after the noun is the start of what the note says about it.
            phrase.pop()
        if len(phrase) <= MAX_TITLE_WORDS:
            out.append(phrase)
    return out


def title_candidates(
    theme: Theme,
    tagged: Sequence[tuple[str, list[Word]]],
    language: str,
    centrality: dict[str, float],
    *,
    by_meaning: bool = False,
) -> list[tuple[float, Title]]:
    """Noun phrases of ``tagged`` (note id, words) notes in the output language, best first
    by the theme's keyphrases they hold, with their score. Phrases holding none come last;
    ``by_meaning`` (the caller ranks them by embedding) leaves out such lone words."""
    weights = keyphrase_weights(theme)
    heads: dict[str, set[str]] = {}
    for note_id, words in tagged:
        for word in words:
            if word.pos in {"NOUN", "PROPN"}:
                heads.setdefault(fold(word.lemma or word.text), set()).add(note_id)
    found: dict[str, tuple[float, Title]] = {}
    for note_id, words in tagged:
        if refuses(words, language):
            continue  # "Un chatbot à la place d'un humain : non !" is no "Chatbot à la place …"
        for phrase in noun_phrases(words, language):
            head = next((w for w in phrase if w.pos in {"NOUN", "PROPN"}), None)
            if (
                head is None
                or fold(head.lemma) in GENERIC_HEADS
                or fold(head.text) in GENERIC_HEADS
            ):
                continue
            content = [w for w in phrase if w.pos in CONTENT]
            keys = {fold(w.lemma) for w in content} | {fold(w.text) for w in content}
            score = sum(weights.get(k, 0.0) for k in {fold(w.lemma) for w in content})
            score += sum(
                weights.get(fold(w.text), 0.0) for w in content if fold(w.lemma) not in weights
            )
            if score == 0 and by_meaning and len(content) < 2:
                continue  # by meaning: a phrase, not a lone word that names no keyphrase
            users = set().union(*(heads.get(k, set()) for k in keys)) or {note_id}
            score += 0.5 * len(users) / max(len(tagged), 1)
            score += 0.05 * centrality.get(note_id, 0.0)
            n_words = sum(1 for w in phrase if any(c.isalpha() for c in w.text))
            if n_words == 1:
                score *= 0.6
            elif n_words > 5:
                score -= 0.15 * (n_words - 5)
            text = join(phrase)
            text = text[:1].upper() + text[1:]
            if text not in found or score > found[text][0]:
                cites = [note_id, *sorted(users - {note_id})][:5]
                found[text] = (score, Title(text=text, note_ids=cites))
    return sorted(found.values(), key=lambda item: (-item[0], item[1].text))
