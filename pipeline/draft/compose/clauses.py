"""Cutting a note to the clauses a question or a title can be made of.

A note's first clause ends before a comma, colon, semicolon, bracket, dash, "=", "?" or "!"
("Train staff in facilitation, not just project mgmt" keeps "Train staff in facilitation"),
but not inside a list of short items ("Horaires variés (midi, samedi)"), at an abbreviation's
point ("z. B.", "bzw.") or at a reason the note gives ("… , because …"). Hedges ("I think
that", "à mon avis") are left out. ``forms.form_of`` reads the clause these rules keep.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace

from pipeline.draft.compose.rules import RULES
from pipeline.draft.compose.tagging import Word, lower_first
from pipeline.draft.compose.wording import word_list

CUT = frozenset(
    {
        ",",
        ";",
        ":",
        "=",
        "(",
        ")",
        "[",
        "?",
        "!",
        "…",
        "–",
        "—",
        "→",
        "/",
        "|",
        ".",
    }
)
ABBREVIATIONS = frozenset(
    word_list(
        """
        vs z b esp etc ex ca bzw evt bv cf e g i d h u nr no max min approx incl resp usw ggf
        mr mrs dr st mme m
        """
    )
)
"""Words a full stop abbreviates ("vs.", "z.B.", "esp."): the stop ends no clause."""
BECAUSE = {
    "en": frozenset(word_list("because since")),
    "fr": frozenset(word_list("parce car")),
    "nl": frozenset(word_list("omdat want")),
    "de": frozenset(word_list("weil denn")),
}
"""A reason ends the clause: "We should lower taxes because this would help …". Each
language its own: the French "car" is an English noun ("Reduce car traffic"), the Dutch
"want" an English verb."""
SUBORDINATORS = {
    "de": frozenset(word_list("bevor sodass obwohl nachdem")),
    "nl": frozenset(word_list("voordat zodat hoewel nadat")),
}
"""German and Dutch conjunctions that only ever open a subordinate clause: it ends the
action even where the note leaves out the comma before it ("Als Wohnraum nutzen bevor
wieder wertvoller Boden zubetoniert wird")."""
QUOTE_MARKS = frozenset({'"', "«", "»", "“", "”", "„", "‘", "’", "'"})
SENTENCE_BREAKS = frozenset({".", "!", "?", ";"})
NUMBER_MARKS = frozenset({":", ".", ","})
"""Marks that, between digits written together, belong to the number ("22:00", "3,5")."""
JOIN = frozenset({"+", "&"})
ADJECTIVE_FIRST = frozenset({"en", "nl", "de"})
"""Languages whose adjectives come before their noun: a comma after one lists another."""
LEADING_JUNK = re.compile(r"^[\s\-–—•*·>\d.)]+")


def clauses(words: Sequence[Word], language: str) -> list[tuple[list[Word], str]]:
    """The note's clauses, each with the separator that ended it ("" for the last); "+" and
    "&" said as "and", bullets, list numbers and trailing courtesy words dropped."""
    rules = RULES[language]
    out: list[tuple[list[Word], str]] = []
    current: list[Word] = []
    names = _names_inside(words) if language != "de" else frozenset()

    def close(separator: str) -> None:
        nonlocal current
        lowered = [w.text.lower() for w in current]
        for hedge in HEDGES:
            if len(current) > len(hedge) and tuple(lowered[-len(hedge) :]) == hedge:
                current = current[: -len(hedge)]  # "… öffentlichen Gebäuden wo möglich"
                break
        while current and (
            current[-1].pos in {"DET", "CCONJ", "SCONJ", "PUNCT"}
            or current[-1].text.lower() in rules.courtesy
        ):
            if current[-1].pos == "DET" and len(current) > 1 and current[-2].pos == "ADP":
                break  # "für alle", "pour tous": the word is the preposition's object
            if current[-1].text in UNITS and len(current) > 1 and current[-2].pos == "NUM":
                break  # "> 70%": the number's unit, not punctuation
            current.pop()
        if current:
            out.append((current, separator))
        current = []

    closing = _closing_brackets(words)
    skip_to = -1
    for i, word in enumerate(words):
        if i <= skip_to:
            continue
        text = word.text
        if text == "(" and current and i in closing:
            # "PV-Ausbau auf befestigten Flächen (zb Parkplätze …) vorantreiben": an aside;
            # the clause goes on after it with its verb.
            skip_to = closing[i]
            if current and words[skip_to].space_after:
                current[-1] = replace(current[-1], space_after=True)
            continue
        if (
            text in NUMBER_MARKS
            and current
            and current[-1].pos == "NUM"
            and not current[-1].space_after
            and not word.space_after
            and i + 1 < len(words)
            and words[i + 1].pos == "NUM"
        ):
            current.append(word)  # "zwischen 22:00 und 6:00", "1.095 EUR": one number
            continue
        abbreviation = text == "." and bool(current) and current[-1].text.lower() in ABBREVIATIONS
        list_number = word.pos == "NUM" and i + 1 < len(words) and words[i + 1].text == ")"
        if text == "/" and current and not current[-1].space_after and not word.space_after:
            current.append(word)  # "walking/cycling": one phrase
            continue
        if text == "/" and current and not current[-1].space_after and len(current[-1].text) == 1:
            current.append(word)  # "w/ native plants", "b/c": a shortened word
            continue
        if (
            text == "/"
            and current
            and i + 1 < len(words)
            and current[-1].pos in {"NOUN", "PROPN", "ADJ", "VERB"}
            and words[i + 1].pos == current[-1].pos
        ):
            # "la production / consommation de biens": two words for one place, not a cut.
            current[-1] = replace(current[-1], space_after=False)
            current.append(replace(word, space_after=False))
            continue
        if (
            text == ","
            and language in ADJECTIVE_FIRST
            and current
            and current[-1].pos == "ADJ"
            and i + 1 < len(words)
            and words[i + 1].pos in {"ADJ", "ADV", "NOUN"}
        ):
            current.append(word)  # "healthier, locally-sourced meals": one noun phrase
            continue
        if text == "," and current and current[-1].pos in {"NOUN", "PROPN"}:
            end = _list_end(words, i)
            if end is not None:
                # "… to parks, schools, and downtown", "Radwege zu Schulen, Parks und
                # Bahnhöfen bauen": one list of places, not a cut after the first.
                current.extend(words[i : end + 1])
                skip_to = end
                if end + 1 < len(words) and words[end + 1].pos in {"ADP", "SCONJ"}:
                    close(",")  # "… and downtown for safer commutes": what it is for
                continue
        reason = _reason_at(words, i, language) if current else None
        if reason is not None:
            # "Kohlekraftwerke aufgrund der Emissionen schneller abschalten", "Interdire les
            # voitures en ville à cause de la pollution": why, not what; the action goes on
            # after it where the verb stands last.
            skip_to = reason - 1
            if not _verb_before_break(words, reason):
                close(text)  # the reason ends the clause: what follows is another
            continue
        if language == "de" and current and _opens_unmarked_relative(words, i):
            # "… eine Kontingentierung der CO²-Menge die jeder Konsument einhalten muss":
            # the comma a relative clause takes, left out; its verb is not the note's.
            close(",")
            current.append(word)
            continue
        because = current and (
            text.lower() in BECAUSE.get(language, frozenset())
            or text.lower() in SUBORDINATORS.get(language, frozenset())
        )
        if (
            because
            or (current and _opens_infinitive_clause(words, i, language))
            or (current and _opens_result_clause(words, i, language))
            or (text in CUT and not abbreviation)
            or list_number
            or (text in {"-", "x"} and current and current[-1].space_after and not _range(words, i))
        ):
            close(text)
            continue
        if text in JOIN or (language == "de" and text in {"u", "u."}):
            # "+", "&", and German note shorthand "u" / "u.": said as the conjunction.
            current.append(Word(rules.conjunction, rules.conjunction, "CCONJ"))
            continue
        if text in QUOTE_MARKS:
            # 'a citywide "Healthy Lifestyle" campaign': the words stay, the marks go.
            if current and word.space_after and not current[-1].space_after:
                current[-1] = replace(current[-1], space_after=True)
            continue
        if not current and (word.pos in {"PUNCT", "NUM"} or LEADING_JUNK.fullmatch(text)):
            continue
        if not current and out and out[-1][1] in SENTENCE_ENDS and language != "de":
            word = _as_inside(word, names, language)  # "Sure. Cars should …": "… ban cars …"
        current.append(word)
    close("")
    return out


SENTENCE_ENDS = frozenset({".", "!", "?", "…"})
UNITS = frozenset({"%", "‰", "°", "€", "$", "£"})
"""Signs the taggers read as punctuation that belong to the number before them."""
GERMAN_RELATIVE = frozenset(
    word_list("der die das den dem deren dessen welche welcher welches welchen welchem")
)


def _opens_unmarked_relative(words: Sequence[Word], i: int) -> bool:
    """Whether a German relative clause opens at ``i`` without its comma: a pronoun after a
    noun and before an article or pronoun ("… der CO²-Menge die jeder Konsument …"), where
    no noun phrase has two articles."""
    return (
        0 < i < len(words) - 1
        and words[i].text.lower() in GERMAN_RELATIVE
        and words[i - 1].pos in {"NOUN", "PROPN"}
        and words[i + 1].pos in {"DET", "PRON"}
    )


def _range(words: Sequence[Word], i: int) -> bool:
    """Whether the dash at ``i`` joins two numbers ("in the next 10 - 20 years")."""
    return 0 < i < len(words) - 1 and words[i - 1].pos == "NUM" and words[i + 1].pos == "NUM"


def _names_inside(words: Sequence[Word]) -> frozenset[str]:
    """The capitalised words a note writes inside a sentence (after a word, not after a
    stop): names ("I take Uber"), kept capitalised where they open a sentence too."""
    return frozenset(
        w.text
        for before, w in itertools.pairwise(words)
        if w.text[:1].isupper() and before.pos != "PUNCT" and before.text not in SENTENCE_ENDS
    )


def _as_inside(word: Word, names: frozenset[str], language: str) -> Word:
    """A sentence's first word as it is written inside one: "Cars" → "cars", as the note's
    first word is given to the tagger (``lower_first``); names, acronyms and English "I"
    stay."""
    if word.text in names or (language == "en" and word.text == "I"):
        return word
    lowered = lower_first(word.text)
    return word if lowered == word.text else replace(word, text=lowered)


REASON_OPENINGS = {
    "en": (("due", "to"), ("owing", "to")),
    "fr": (("à", "cause"), ("en", "raison"), ("du", "fait")),
    "de": (("wegen",), ("aufgrund",), ("auf", "grund"), ("infolge",), ("angesichts",)),
    "nl": (("vanwege",), ("wegens",), ("omwille", "van")),
}
"""The prepositions that give a reason ("aufgrund der Emissionen", "à cause de la
pollution"): a question asks what to do, not why."""
NOUN_PHRASE_KINDS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "ADP", "CCONJ"})
"""The kinds of word a reason's noun phrases are made of, with the prepositions and "and"
that join them ("auf Grund seiner … Auswirkungen auf die Umwelt und die Lebensräume")."""


def _reason_at(words: Sequence[Word], at: int, language: str) -> int | None:
    """Where the reason phrase opening at ``at`` ends (the index after it), or ``None``:
    its opening (``REASON_OPENINGS``), then a noun phrase, prepositions and "and" joining
    more of them; an adjective right after a noun is the action's again ("… ongelukken
    sneller aanleggen")."""
    lowered = [w.text.lower() for w in words[at : at + 3]]
    opening = next(
        (o for o in REASON_OPENINGS.get(language, ()) if tuple(lowered[: len(o)]) == o), None
    )
    if opening is None or (len(opening) == 1 and words[at].pos != "ADP"):
        return None  # "Den Wegen mehr Bäume geben": the paths, no reason
    end = at + len(opening)
    while end < len(words) and words[end].pos in NOUN_PHRASE_KINDS:
        if words[end].pos == "ADJ" and words[end - 1].pos in {"NOUN", "PROPN"}:
            break
        end += 1
    if not any(w.pos in {"NOUN", "PROPN"} for w in words[at + len(opening) : end]):
        return None
    return end


def _verb_before_break(words: Sequence[Word], at: int) -> bool:
    """Whether a verb comes at or after ``at`` before the next punctuation mark: the
    clause's own, where German and Dutch put it last."""
    for word in words[at:]:
        if word.pos == "PUNCT":
            return False
        if word.pos in {"VERB", "AUX"}:
            return True
    return False


LIST_CONJUNCTIONS = frozenset({"and", "or", "et", "ou", "und", "oder", "en", "of"})
"""The words that close a list before its last item (as conjunctions: English "of" is no
Dutch "or")."""
LIST_ITEM_KINDS = frozenset({"DET", "ADJ", "NOUN", "PROPN"})
"""The kinds of word a list's items are made of: "parks", "the old station"."""
MAX_LIST_ITEM_WORDS = 3
"""A longer item is a clause of its own, and the comma before it ends the question's."""


def _list_end(words: Sequence[Word], comma: int) -> int | None:
    """Where the list of nouns a comma at ``comma`` continues ends (its last item's last
    word), when what follows is items of up to ``MAX_LIST_ITEM_WORDS`` words (articles,
    adjectives, nouns), separated by commas and closed by "and"/"or" and a last item: "parks,
    schools, and downtown", "Schulen, Parks und Bahnhöfen". Else ``None``: the comma ends a
    clause."""
    k, item = comma + 1, 0
    while k < len(words):
        word = words[k]
        if word.text.lower() in LIST_CONJUNCTIONS and word.pos == "CCONJ":
            if item == 0 and words[k - 1].text != ",":
                return None
            if k + 1 < len(words) and words[k + 1].pos == "ADV":
                return k + 1  # "… and downtown", "… and more": a last item of one word
            last = k + 1
            while (
                last < len(words)
                and last - k <= MAX_LIST_ITEM_WORDS
                and words[last].pos in LIST_ITEM_KINDS
            ):
                last += 1
            if last == k + 1 or words[last - 1].pos not in {"NOUN", "PROPN"}:
                return None
            return last - 1
        if word.text == ",":
            if item == 0 or words[k - 1].pos not in {"NOUN", "PROPN"}:
                return None
            item = 0
        elif word.pos in LIST_ITEM_KINDS and item < MAX_LIST_ITEM_WORDS:
            item += 1
        else:
            return None
        k += 1
    return None


INFINITIVE_CLAUSES = {
    "de": (frozenset(word_list("um ohne statt anstatt")), "zu"),
    "nl": (frozenset(word_list("om zonder")), "te"),
}
"""German and Dutch openers of an infinitive clause and its infinitive marker: "Mehr Radwege
um den Autoverkehr zu reduzieren" proposes the bike lanes, "zu reduzieren" is why. A comma
usually sets the clause apart; notes often leave it out."""


def _opens_infinitive_clause(words: Sequence[Word], i: int, language: str) -> bool:
    """Whether ``words[i]`` opens an infinitive clause ("um … zu reduzieren", "om … te
    verminderen"): an opener whose marker and a verb follow before the clause ends ("um 22
    Uhr", "vragen om hulp" open none)."""
    openers, marker = INFINITIVE_CLAUSES.get(language, (frozenset(), ""))
    if words[i].text.lower() not in openers:
        return False
    for j in range(i + 1, len(words) - 1):
        if words[j].text in CUT or words[j].text in SENTENCE_BREAKS:
            return False
        if words[j].text.lower() == marker and j > i + 1:
            after = words[j + 1]
            return after.pos in {"VERB", "AUX"} or (
                after.text.islower() and after.text.endswith("en")
            )
    return False


RESULT_OPENER = {"en": "so"}
"""The word that opens a clause saying what an action would lead to ("… campaigns about our
flora and fauna so we feel the need to protect it"): what follows is why, not what to do."""


def _opens_result_clause(words: Sequence[Word], i: int, language: str) -> bool:
    """Whether ``words[i]`` opens a result clause: "so" before "that" or a pronoun ("so we
    feel", "so that people know"); "so many", "so far" and "do so" open none."""
    if language not in RESULT_OPENER or words[i].text.lower() != RESULT_OPENER[language]:
        return False
    if i + 1 >= len(words):
        return False
    after = words[i + 1]
    return after.text.lower() == "that" or after.pos == "PRON"


def _closing_brackets(words: Sequence[Word]) -> dict[int, int]:
    """Where each "(" that the note closes again (not nested, in the same sentence) ends."""
    found: dict[int, int] = {}
    opened = None
    for i, word in enumerate(words):
        if word.text == "(":
            opened = i if opened is None else None
        elif word.text == ")" and opened is not None:
            found[opened] = i
            opened = None
        elif word.text in SENTENCE_BREAKS:
            opened = None
    return found


HEDGES = tuple(
    tuple(hedge.split())
    for hedge in (
        "wo möglich", "wenn möglich", "falls möglich", "soweit möglich", "where possible",
        "if possible", "when possible", "si possible", "dans la mesure du possible",
        "waar mogelijk", "indien mogelijk", "zo mogelijk", "als het kan",
    )
)  # fmt: skip
"""Hedges that close a clause ("Nachrüstung von öffentlichen Gebäuden wo möglich"): a
question asks how we might do it, so "where possible" goes."""


def first_clause(words: Sequence[Word], language: str) -> list[Word]:
    found = clauses(words, language)
    return found[0][0] if found else []
