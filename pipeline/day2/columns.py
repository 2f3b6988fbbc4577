"""The columns of an action card, recognised by name in French, Dutch, German and English,
and the values they hold: votes as numbers or dots, scores as 1–5 or words.

Headers are compared as ingest compares them (``normalize_name``: no case, accents, spaces
or punctuation), whole first, then word by word ("N° du défi" names the challenge).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.ingest.columns import normalize_name

FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "action": ("action", "actions", "actie", "acties", "maatregel", "maatregelen", "massnahme",
               "massnahmen", "aktion", "aktionen", "mesure", "mesures", "initiative",
               "initiatief", "todo"),
    "challenge": ("defi", "defis", "challenge", "challenges", "enjeu", "probleme", "uitdaging",
                  "uitdagingen", "herausforderung", "herausforderungen", "hmw", "question",
                  "vraag", "frage", "priorite", "priority", "prioriteit", "prioritat",
                  "prioritaet"),
    "votes": ("votes", "vote", "voix", "gommettes", "gommette", "points", "pastilles", "dots",
              "dot", "stippen", "stip", "stemmen", "punkte", "klebepunkte", "stimmen"),
    "impact": ("impact", "impacts", "effet", "effect", "wirkung", "nutzen", "impakt",
               "importance", "belang"),
    "feasibility": ("faisabilite", "feasibility", "haalbaarheid", "machbarkeit",
                    "umsetzbarkeit", "realisme", "faisable", "feasible"),
    "owner": ("porteur", "porteurs", "pilote", "responsable", "qui", "owner", "owners", "who",
              "lead", "trekker", "eigenaar", "verantwoordelijke", "wie", "verantwortlich",
              "trager", "traeger", "wer", "carriedby", "portepar", "qui porte", "acteur"),
    "when": ("quand", "echeance", "delai", "calendrier", "horizon", "when", "timing",
             "deadline", "timeline", "wanneer", "termijn", "planning", "wann", "zeitraum",
             "frist", "zeitplan"),
    "cost": ("cout", "couts", "budget", "cost", "costs", "kosten", "kost", "prix", "price",
             "aufwand"),
}  # fmt: skip
"""Day 2 fields and the normalised header names (or header words) that mean them."""

_BY_NAME = {normalize_name(name): field for field, names in FIELD_NAMES.items() for name in names}


def field_of(header: str) -> str | None:
    """The Day 2 field a header names, or ``None``: whole name first, then any of its words."""
    whole = _BY_NAME.get(normalize_name(header))
    if whole is not None:
        return whole
    for word in re.split(r"[\W_]+", header):
        found = _BY_NAME.get(normalize_name(word))
        if found is not None:
            return found
    return None


def action_header(headers: Iterable[str]) -> str | None:
    """The header among ``headers`` that names the action, if any."""
    return next((h for h in headers if field_of(h) == "action"), None)


LOW, MEDIUM, HIGH = 1.0, 3.0, 5.0
SCORE_WORDS: dict[str, float] = {
    **dict.fromkeys(("faible", "bas", "basse", "petit", "peu", "low", "weak", "small", "laag",
                     "klein", "gering", "niedrig", "schwach", "wenig"), LOW),
    **dict.fromkeys(("moyen", "moyenne", "medium", "mid", "average", "gemiddeld", "middel",
                     "matig", "mittel", "mittelmassig", "mittelmaessig"), MEDIUM),
    **dict.fromkeys(("fort", "forte", "eleve", "elevee", "haut", "haute", "grand", "grande",
                     "high", "strong", "big", "hoog", "groot", "sterk", "hoch", "stark",
                     "gross"), HIGH),
}  # fmt: skip
"""Words for a score, low 1, medium 3, high 5 ("très fort" is high)."""

_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:/\s*(\d+))?\s*$")
_DOTS = re.compile(r"^[\s●•·○◉⬤*xX+|]+$")


def parse_score(value: str) -> tuple[float | None, str | None]:
    """A score 1–5 and ``None``, or ``None`` and what is wrong with the cell: the code of its
    sentence (``pipeline.day2.words.SENTENCES``), said in the plan's language."""
    text = value.strip()
    if not text:
        return None, None
    match = _NUMBER.match(text)
    if match:
        number = float(match.group(1).replace(",", "."))
        if match.group(2):  # "4/5", "8/10": scaled to 1–5
            scale = float(match.group(2))
            if scale <= 0 or number > scale:
                return None, "not_a_score"
            number = 1 + 4 * (number / scale) if scale != 5 else number
        if 1 <= number <= 5:
            return number, None
        return None, "score_out_of_range"
    words = [normalize_name(word) for word in re.split(r"[\W_]+", text) if word]
    found = [SCORE_WORDS[word] for word in words if word in SCORE_WORDS]
    if len(set(found)) == 1:
        return found[0], None
    return None, "not_a_score_word"


def parse_votes(value: str) -> tuple[int | None, str | None]:
    """Votes as a count: "4", "4 votes", "●●●", "|||"; or ``None`` and what is wrong (a
    sentence's code, as ``parse_score``)."""
    text = value.strip()
    if not text:
        return None, None
    match = re.match(r"^\s*(\d+)\b", text)
    if match:
        return int(match.group(1)), None
    if _DOTS.match(text):
        return sum(1 for ch in text if not ch.isspace()), None
    return None, "not_votes"


INLINE_VOTES = re.compile(
    r"\s*[(\[]\s*(\d+)\s*(?:votes?|voix|gommettes?|pastilles?|dots?|stippen|stemmen|"
    r"punkte?|stimmen)\s*[)\]]\s*$",
    re.IGNORECASE,
)
"""Votes written at the end of a card: "… (3 gommettes)", "… [2 dots]"."""


def split_inline_votes(text: str) -> tuple[str, int | None]:
    """A card's text without its trailing vote count, and the count (``None`` when absent)."""
    match = INLINE_VOTES.search(text)
    if match is None or match.start() == 0:
        return text, None
    return text[: match.start()].rstrip(" -—–:"), int(match.group(1))
