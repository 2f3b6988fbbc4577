"""The fixed wording of extractive drafts, per output language.

Kept apart from the drafting logic so translators can review it in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrases:
    challenge: str
    """Must contain ``{quote}``; starts with the language's "How might we"."""
    summary: str
    """Uses ``{n}``, ``{languages}``, ``{keyphrases}``."""
    proposals: str
    """Uses ``{quotes}``."""
    open_quote: str
    close_quote: str
    separator: str


PHRASES: dict[str, Phrases] = {
    "fr": Phrases(
        challenge="Comment pourrions-nous répondre à ce besoin : {quote} ?",
        summary="{n} idées ({languages}) portent sur : {keyphrases}.",
        proposals="Pistes proposées : {quotes}.",
        open_quote="« ",
        close_quote=" »",
        separator=" ; ",
    ),
    "nl": Phrases(
        challenge="Hoe kunnen we inspelen op deze behoefte: {quote}?",
        summary="{n} ideeën ({languages}) gaan over: {keyphrases}.",
        proposals="Voorgestelde pistes: {quotes}.",
        open_quote="‘",
        close_quote="’",
        separator="; ",
    ),
    "de": Phrases(
        challenge="Wie könnten wir auf dieses Anliegen eingehen: {quote}?",
        summary="{n} Ideen ({languages}) betreffen: {keyphrases}.",
        proposals="Vorgeschlagene Ansätze: {quotes}.",
        open_quote="„",
        close_quote="“",
        separator="; ",
    ),
    "en": Phrases(
        challenge="How might we respond to this need: {quote}?",
        summary="{n} ideas ({languages}) are about: {keyphrases}.",
        proposals="Proposed directions: {quotes}.",
        open_quote="“",
        close_quote="”",
        separator="; ",
    ),
}

CHALLENGE_OPENINGS = {
    "fr": "Comment pourrions-nous",
    "nl": "Hoe kunnen we",
    "de": "Wie könnten wir",
    "en": "How might we",
}
