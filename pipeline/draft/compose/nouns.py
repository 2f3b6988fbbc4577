"""The nouns a drafted title or question is built around: a phrase's head noun, its gender
(French and German, from the word's ending and lists of exceptions), German compounds, and
whether a German adjective is declined as the noun after it needs ("Förderung von Elektrisch
Bussen" is a slip a draft must not copy). The rules that add an article or a verb to a note's
words ask these.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from pipeline.draft.compose import grammar
from pipeline.draft.compose.tagging import Word, german_invariable
from pipeline.draft.compose.wording import word_list

GERMAN_INDECLINABLE = frozenset(word_list("lila rosa extra prima super orange beige online"))
"""Adjectives German leaves uninflected before a noun ("ein extra Raum")."""

GERMAN_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")


def german_indeclinable(adjective: Word) -> bool:
    """Whether German leaves the adjective as it is before any noun: one of
    ``GERMAN_INDECLINABLE``, or one the tagger's lexicon knows so (``german_invariable``:
    "Wiener", "Grazer"), whose "-er" is no ending ("ein Wiener Modell", "den Wiener
    Prater")."""
    text = adjective.text
    return text.lower() in GERMAN_INDECLINABLE or (
        adjective.lemma.lower() == text.lower() and german_invariable(text)
    )


def german_declined(adjective: Word, ending: str, *, lower: bool = False) -> str:
    """A German adjective before its noun, with the ending ``ending`` in place of the one
    the note gave it: the ending the article a question adds calls for. As an object
    after "den", "einen" or "keinen", a masculine noun's adjectives take "-en" ("Ländlicher
    Raum" → "den ländlichen Raum", "Der öffentliche Verkehr" → "den öffentlichen Verkehr");
    after "ein" a neuter's take "-es" ("Neue Gesetz" → "ein neues Gesetz"); a feminine's
    keep "-e". ``lower`` lowers a word that opened the note ("Ländlicher").

    The ending to replace is what the adjective has beyond its lemma ("ländlich-er",
    "sauber-er"); where the lemma is no start of it ("teurer", "höhere") or is the word
    itself, a final "-er" or "-e" is the ending, a word already ending in ``ending`` or in
    another ending is kept as written, and one without ending takes it ("digital" →
    "digitales", a note's slip). Adjectives German never declines stay as written:
    ``german_indeclinable`` ("lila", "extra", "Wiener")."""
    text = adjective.text
    lemma = adjective.lemma.lower()
    if german_indeclinable(adjective):
        return text.lower() if lower and text.lower() in GERMAN_INDECLINABLE else text
    text = text.lower() if lower else text
    if text.lower().startswith(lemma) and text[len(lemma) :].lower() in GERMAN_ADJECTIVE_ENDINGS:
        return text[: len(lemma)] + ending  # "ländlich-er", "verpflichtend-e"
    for written in ("er", "e"):  # "teur-er", "hoh-e"
        if text.endswith(written):
            return text[: -len(written)] + ending
    return text if text.endswith((ending, "en", "es", "em")) else text + ending


def german_slip(words: Sequence[Word]) -> bool:
    """An adjective before its noun without an ending ("Förderung von Geothermisch
    Kraftwerken", "für den eigen Wirkungsbereich") or a noun written lowercase
    (``_lowercase_noun``): a slip of the note that a question or title would copy."""
    for det, before, word in zip(words, words[1:], words[2:], strict=False):
        if (
            det.pos == "DET"
            and before.pos == "ADV"  # the tagger's reading of an adjective left bare
            and before.text.isalpha()
            and before.text.islower()
            and before.text not in UNINFLECTED_BEFORE_NOUN
            and word.pos == "NOUN"
        ):
            return True
    for before, word in itertools.pairwise(words):
        text = before.text.lower()
        if word.pos != "NOUN" or text in GERMAN_INDECLINABLE or not text.isalpha():
            continue
        if before.pos == "ADJ" and not text.endswith(("e", "en", "er", "es", "em")):
            return True
        if before.pos in {"NOUN", "PROPN"} and len(text) > 5 and text.endswith(ADJECTIVE_SUFFIXES):
            return True  # "Geothermisch Kraftwerken": capitalised, read as a name
        if before.pos == "NOUN" and text.endswith(PROCESS_SUFFIXES) and word.text[:1].isupper():
            return True  # "Förderung Geothermie": the genitive's article is missing
    return any(_lowercase_noun(before, word) for before, word in itertools.pairwise(words))


def _lowercase_noun(before: Word, word: Word) -> bool:
    """A German noun written lowercase inside a sentence ("wann Bei Ihnen eine
    energieberatung statt findet", "ein paar reisen pro Jahr"): German capitalises every
    noun, and a handout that copies the note's lowercase reads as the facilitator's slip.
    Short words, a coordinated ending ("Leuchtreklamen, -anzeiger") and words with an
    adjective's ending the tagger may read as nouns ("klimaneutral") are left alone."""
    text = word.text
    return (
        word.pos == "NOUN"
        and text.isalpha()
        and text.islower()
        and len(text) >= LOWERCASE_NOUN_LETTERS
        and before.text not in {"-", "–"}
        and not text.rstrip("emnrs").endswith((*ADJECTIVE_SUFFIXES, "al", "iv"))
    )


LOWERCASE_NOUN_LETTERS = 5
"""Shorter lowercase words the tagger calls nouns are too often abbreviations ("bzw",
"ca", "usw") to count as slips."""


UNINFLECTED_BEFORE_NOUN = frozenset(
    word_list("wenig bisschen paar mehr weniger bereits schon so sehr zu noch nur auch ganz gar")
)
"""Words a German determiner takes before a noun without an ending: "ein wenig Zeit", "das
bereits Erreichte"."""


PROCESS_SUFFIXES = ("ung", "heit", "keit", "tion")
"""Endings of German nouns whose object follows as a genitive ("Förderung der
Geothermie"); a bare noun right after one is note shorthand."""


ADJECTIVE_SUFFIXES = ("isch", "lich", "bar", "sam", "haft")
"""Endings only German adjectives have, uninflected."""


def german_compounds(phrase: list[Word]) -> list[Word]:
    """German nouns joined by a hyphen are capitalised after it: "E-fahrzeuge" as a note
    writes it is "E-Fahrzeuge" in a heading, and "Fleisch-produkte" is "Fleisch-Produkte"
    in a question."""
    out = []
    for word in phrase:
        head, dash, tail = word.text.rpartition("-")
        if word.pos == "NOUN" and dash and head and tail[:1].islower() and tail.isalpha():
            word = replace(word, text=f"{head}-{tail[:1].upper()}{tail[1:]}")
        out.append(word)
    return out


def first_noun(words: Sequence[Word]) -> Word | None:
    return next((w for w in words if w.pos in {"NOUN", "PROPN"}), None)


def head_noun(words: Sequence[Word]) -> Word | None:
    """The head of the leading noun phrase: its last noun in Dutch, German and English
    ("brown-bag sessions"), whose number and gender the article must agree with."""
    head = None
    for word in words:
        if word.pos in {"NOUN", "PROPN"}:
            head = word
        elif head is not None and word.text == "/":
            continue  # "Score/Approval voting systems": one phrase, headed by "systems"
        elif head is not None or word.pos not in {"DET", "ADJ", "NUM"}:
            break
    return head


def starts_with_vowel(text: str) -> bool:
    return text[:1].lower() in "aeiouyhàâéèêëîïôöûüœæ"


_FRENCH_FEMININE = (
    "tion",
    "sion",
    "té",
    "ure",
    "ance",
    "ence",
    "ette",
    "ise",
    "ie",
    "ée",
    "ique",
    "ité",
    "ade",
    "ude",
    "esse",
    "elle",
    "ève",
    "aine",
    "eine",
    "oire",
    "ine",
    "harte",
    "iste",
    "rde",
)


def french_noun(words: Sequence[Word]) -> tuple[str, bool]:
    """(gender, plural) of the noun phrase's head: its first word when that is a noun or
    read as an adjective, else its first noun; a gender the tagger does not say is
    Grammalecte's where it is installed ("une plateforme"), and what neither says is guessed
    from the word (a plural ends in -s or -x and differs from its lemma; -tion, -té, … are
    feminine)."""
    head = words[1] if words[0].pos == "DET" and len(words) > 1 else words[0]
    if head.pos not in {"NOUN", "ADJ", "PROPN"}:
        head = first_noun(words) or head
    text = head.text.lower()
    plural = head.number == "pl" or (text.endswith(("s", "x")) and head.lemma != text)
    if head.number == "sg" and not (text.endswith(("s", "x")) and head.lemma != text):
        plural = False
    singular = head.lemma if plural and head.lemma else text
    gender = head.gender or grammar.french_gender(singular)
    gender = gender or ("f" if singular.endswith(_FRENCH_FEMININE) else "m")
    return gender, plural


_GERMAN_FEMININE = (
    "ung",
    "heit",
    "keit",
    "schaft",
    "ion",
    "tät",
    "ik",
    "ie",
    "ei",
    "ur",
    "anz",
    "enz",
    "pflicht",
    "charta",
    "stelle",
    "plattform",
    "liste",
    "seite",
    "frist",
    "runde",
    "gruppe",
    "satzung",
    "woche",
    "karte",
    "sprechstunde",
    "beteiligung",
    "schulung",
    "fortbildung",
    "bahn",
    "steuer",
    "abgabe",
    "quote",
    "grenze",
    "straße",
    "spur",
    "wärme",
    "pumpe",
    "anlage",
    "fläche",
    "zone",
    "maut",
    "kontrolle",
    "pflanze",
)
_GERMAN_NEUTER = (
    "chen",
    "lein",
    "um",
    "ment",
    "tum",
    "register",
    "netzwerk",
    "netz",
    "budget",
    "recht",
    "gesetz",
    "verfahren",
    "angebot",
    "portal",
    "forum",
    "gremium",
    "amt",
    "büro",
    "programm",
    "konzept",
    "modell",
    "projekt",
    "format",
    "training",
    "coaching",
    "handbuch",
    "tool",
    "verbot",
    "gebot",
    "werk",
    "haus",
    "mittel",
    "ticket",
    "system",
    "paket",
    "zeug",
    "dach",
    "gebäude",
    "geld",
    "ziel",
    "label",
    "siegel",
)
_GERMAN_MASCULINE = (
    "ismus",
    "ling",
    "rat",
    "kreis",
    "pool",
    "austausch",
    "einbau",
    "ausweis",
    "anreiz",
    "einsatz",
    "rahmen",
    "dialog",
    "newsletter",
    "leitfaden",
    "fonds",
    "raum",
    "tag",
    "termin",
    "prozess",
    "standard",
    "beirat",
    "bericht",
    "plan",
    "zugang",
    "ansatz",
    "koffer",
    "mittagstisch",
    "ausbau",
    "verkehr",
    "schutz",
    "markt",
    "preis",
    "bus",
    "zug",
    "weg",
    "platz",
    "park",
    "strom",
    "speicher",
    "anteil",
    "beitrag",
    "ausstieg",
    "umstieg",
    "verzicht",
    "zuschuss",
    "bonus",
    "tarif",
    "takt",
    "müll",
)


def german_gender(noun: str) -> str:
    lower = noun.lower()
    for suffixes, gender in (
        (_GERMAN_MASCULINE, "m"),
        (_GERMAN_NEUTER, "n"),
        (_GERMAN_FEMININE, "f"),
    ):
        if lower.endswith(suffixes):
            return gender
    return ""
