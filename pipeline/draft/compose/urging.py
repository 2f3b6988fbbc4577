"""A note that urges an action no question can be built from, still a proposal.

A question is built from a clause the room can take up as "we" ("How might we ban boxing?"),
so a note whose subject is someone else ("Der Kahlenberg … sollen Windräder erhalten", "Each
one who wants a turbine must put one on their roof"), who says where they stand ("Ich bin
dafür, mehr Windräder aufzustellen, solange …") or who forbids with a noun ("Kein Aufstellen
von Windrädern auf Bergen") gives none. Such notes are most of a debate's proposals: on 300
German citizen proposals a theme on wind turbines had two ideas to offer and seven notes that
urge one of these ways. They are listed as proposals, in their own words, and never become the
question.

Only the words a tagger gives are read: an obligation verb (``OBLIGATION``) in a sentence that
asks nothing and does not speak to or of one person ("You need to say this out loud …", "I
must say …"), a stance opening the sentence (``FOR``), or a prohibition opening it
(``NONE_OF``) before a noun.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.draft.compose.tagging import Word, join

OBLIGATION = {
    "en": frozenset({"must", "shall", "should", "need", "needs", "ought"}),
    "fr": frozenset({"devoir", "falloir"}),
    "de": frozenset({"müssen", "sollen"}),
    "nl": frozenset({"moeten"}),
}
"""The verbs that say something is to be done: their lemmas, and in English the words
themselves, whose lemma is also a past ("the strategic voting needed to vote …")."""

ONE_PERSON = {
    "en": frozenset({"i", "you", "me"}),
    "fr": frozenset({"je", "j'", "j’", "tu", "moi"}),
    "de": frozenset({"ich", "du", "mich", "mir"}),
    "nl": frozenset({"ik", "jij", "je", "mij"}),
}
"""Subjects of an obligation that concerns one person, not the room's decision ("I must
admit …", "You need to say this out loud …")."""

FOR = {
    "en": (("i", "am", "for"), ("i", "am", "in", "favour"), ("i", "am", "in", "favor")),
    "fr": (("je", "suis", "pour"), ("je", "suis", "favorable")),
    "de": (("ich", "bin", "dafür"), ("ich", "bin", "für")),
    "nl": (("ik", "ben", "voor"), ("ik", "ben", "ervoor")),
}
"""Openings that say the writer is for a measure, which follows."""

NONE_OF = {
    "en": frozenset({"no"}),
    "fr": frozenset(),
    "de": frozenset({"kein", "keine", "keinen"}),
    "nl": frozenset({"geen"}),
}
"""Words that forbid what the noun after them names when they open a sentence ("Kein
Aufstellen von Windrädern auf Bergen", "No new taxes"). French "Pas de …" and "Plus de …"
also mean "more of" or are replies, and are not read."""

SENTENCE_BREAKS = frozenset({".", "!", "?", ";"})
CONTINUING = frozenset({",", ":", "of"})
"""What follows a stance before the measure ("Ich bin dafür, …", "I am in favour of …")."""


def urging(words: Sequence[Word], language: str) -> list[Word] | None:
    """The first sentence of ``words`` (a note, tagged) that urges an action, as the rules
    above read it, or ``None``: a language without rules, a question, a statement."""
    if language not in OBLIGATION:
        return None
    for sentence in _sentences(words):
        if _urges(sentence, language):
            return sentence
    return None


def _sentences(words: Sequence[Word]) -> list[list[Word]]:
    found: list[list[Word]] = [[]]
    for word in words:
        found[-1].append(word)
        if word.text in SENTENCE_BREAKS:
            found.append([])
    return [s for s in found if any(w.pos not in {"PUNCT", "X"} for w in s)]


def _urges(sentence: list[Word], language: str) -> bool:
    if sentence[-1].text == "?":
        return False
    said = [w.text.casefold() for w in sentence if w.pos != "PUNCT"]
    if any(tuple(said[: len(opening)]) == opening for opening in FOR[language]):
        return len(said) > max(len(o) for o in FOR[language])
    if _forbids(sentence, language):
        return True
    for k, word in enumerate(sentence):
        if (
            word.pos in {"AUX", "VERB"}
            and (word.text if language == "en" else word.lemma).casefold() in OBLIGATION[language]
            and (k + 1 < len(sentence) and sentence[k + 1].pos != "PUNCT")  # "… we need:"
        ):
            around = {w.text.casefold() for w in sentence[max(0, k - 2) : k + 2]}
            return not around & ONE_PERSON[language]
    return False


def without_stance(sentence: Sequence[Word], language: str) -> str | None:
    """The measure a sentence that opens with a stance (``FOR``) is for, as a proposal
    line says it: "mehr Windräder aufstellen, solange …" for "Ich bin dafür, mehr Windräder
    aufzustellen, solange …", "a land value tax" for "I am in favour of a land value tax";
    ``None`` for any other sentence, and for a measure said in a clause whose verb stands
    last ("Ich bin dafür, dass die Stadt mehr Radwege baut")."""
    if language not in FOR:
        return None
    said = [w for w in sentence if w.pos != "PUNCT" or w.text not in {'"', "«", "»", "„", "“"}]
    folded = [w.text.casefold() for w in said]
    opening = next(
        (
            len(o)
            for o in sorted(FOR[language], key=len, reverse=True)
            if tuple(folded[: len(o)]) == o
        ),
        0,
    )
    rest = said[opening:]
    while rest and rest[0].text.casefold() in CONTINUING:
        rest = rest[1:]
    if not opening or not rest or rest[0].pos == "SCONJ":
        return None
    out: list[Word] = []
    for k, word in enumerate(rest):
        following = rest[k + 1] if k + 1 < len(rest) else None
        if (
            language == "de"
            and word.text.casefold() == "zu"
            and following is not None
            and following.pos == "VERB"
            and following.verb_form == "inf"
        ):
            continue  # "mehr Radwege zu bauen": the measure is "mehr Radwege bauen"
        if (
            language == "de"
            and word.pos == "VERB"
            and word.verb_form == "inf"
            and "zu" in word.text
            and word.text.replace("zu", "", 1) == word.lemma
        ):
            word = Word(word.lemma, word.lemma, word.pos, "inf", space_after=word.space_after)
        out.append(word)
    return join(out).rstrip(" .!;")


REFUSING = frozenset(
    {
        "ban", "stop", "prevent", "oppose", "reject", "abolish", "scrap", "repeal", "abandon",
        "interdire", "refuser", "empêcher", "arrêter", "abolir", "supprimer", "renoncer",
        "verbieten", "verhindern", "stoppen", "ablehnen", "abschaffen", "verzichten",
        "aufgeben", "verbieden", "tegenhouden", "weigeren", "afschaffen", "opgeven",
    }
)  # fmt: skip
"""Verbs (lemmas) that refuse what they name: banned, stopped, prevented, given up."""


def refuses_what_it_names(words: Sequence[Word], language: str) -> bool:
    """Whether a note (tagged) refuses what it names: a refusing verb (``REFUSING``) or a
    sentence that opens with a prohibition ("Kein Aufstellen von Windrädern auf Bergen").
    Under a question about a thing, such a note is the other side of its debate."""
    if any(w.pos in {"VERB", "AUX"} and w.lemma.casefold() in REFUSING for w in words):
        return True
    return any(_forbids(sentence, language) for sentence in _sentences(words))


def _forbids(sentence: Sequence[Word], language: str) -> bool:
    """Whether ``sentence`` opens with a prohibition (``NONE_OF``) before a noun."""
    opening = next((k for k, w in enumerate(sentence) if w.pos != "PUNCT"), None)
    return (
        opening is not None
        and sentence[opening].text.casefold() in NONE_OF.get(language, frozenset())
        and opening + 1 < len(sentence)
        and sentence[opening + 1].pos in {"NOUN", "ADJ"}
    )
