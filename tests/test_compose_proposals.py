"""A challenge's first proposals as a facilitator hands them out: they name what the
question asks about, every large facet has a voice, a slip the note made is not among them
when a clean idea can take its place, and a sticky note's shorthand reads as words. Lists of
places are one clause, so a question keeps the whole list."""

from __future__ import annotations

import pytest

from pipeline.draft.compose import form_of
from pipeline.draft.compose.checks import copies_slip
from pipeline.draft.compose.drafter import (
    _as_proposal,
    _every_large_facet,
    _naming_first,
    _slips_later,
    without_label,
    workshop_labels,
)
from pipeline.draft.compose.questions import as_written, question
from pipeline.draft.compose.tagging import tag
from pipeline.schema import Sentence


def _proposal(first: str, backers: int = 2, text: str | None = None) -> Sentence:
    return Sentence(
        text=text or f"idea of {first}",
        cites=[first, *(f"{first}+{k}" for k in range(backers - 1))],
    )


@pytest.mark.parametrize(
    ("note", "language", "expected"),
    [
        (
            "Improve the walking/cycling paths that connect neighborhoods to parks, schools, "
            "and downtown for safer, healthier commutes",
            "en",
            "How might we improve the walking/cycling paths that connect neighborhoods to "
            "parks, schools, and downtown?",
        ),
        (
            "Mehr Radwege zu Schulen, Parks und Bahnhöfen bauen",
            "de",
            "Wie könnten wir mehr Radwege zu Schulen, Parks und Bahnhöfen bauen?",
        ),
        (
            "Meer fietspaden naar scholen, parken en stations aanleggen",
            "nl",
            "Hoe kunnen we meer fietspaden naar scholen, parken en stations aanleggen?",
        ),
        ("Taxes on sugar, salt and fat", "en", "How might we set up taxes on sugar, salt and fat?"),
        # Two actions are two clauses: the question asks the first.
        (
            "Reduce car traffic, build bike lanes and plant trees",
            "en",
            "How might we reduce car traffic?",
        ),
    ],
)
def test_a_list_of_nouns_stays_one_clause(note: str, language: str, expected: str) -> None:
    form = form_of(note, language)
    assert form is not None
    assert question(form, language) == expected


@pytest.mark.parametrize(
    ("note", "language", "expected"),
    [
        (
            "Formation courte + mise en pratique accompagnée",
            "fr",
            "Formation courte et mise en pratique accompagnée",
        ),
        ("Formation + coaching", "fr", "Formation et coaching"),
        # "&" stays, as a heading writes it; so do a sum and a name.
        ("Shared toolkit & templates", "en", "Shared toolkit & templates"),
        ("Moderationskoffer + Schulung dazu", "de", "Moderationskoffer und Schulung dazu"),
        ("Budget de 2 + 2 ateliers", "fr", "Budget de 2 + 2 ateliers"),
        ("Work with R&D teams", "en", "Work with R&D teams"),
    ],
)
def test_a_sticky_notes_plus_reads_as_and(note: str, language: str, expected: str) -> None:
    assert _as_proposal(note, "", language) == expected


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        (
            "CO2-Zertifikatehandel wegen seiner Auswirkungen sofort STOPPEN",
            "CO2-Zertifikatehandel wegen seiner Auswirkungen sofort stoppen",
        ),
        (
            "Prozentmäßige Förderung für ALLE errichteten PV-Anlagen",
            "Prozentmäßige Förderung für alle errichteten PV-Anlagen",
        ),
        # An acronym stays.
        (
            "Mehr Geld für die ÖBB und die EU-Programme",
            "Mehr Geld für die ÖBB und die EU-Programme",
        ),
    ],
)
def test_a_word_in_capitals_for_emphasis_is_written_as_a_word(note: str, expected: str) -> None:
    line = _as_proposal(note, "", "de")
    assert as_written(line, tag(note, "de"), "de") == expected


@pytest.mark.parametrize(
    ("text", "slip"),
    [
        ("Ein Energiekonzept für den eigen Wirkungsbereich vorlegen", True),
        ("Vorschläge zu Verbesserungen und mögl. Förderungen zeigen", True),
        ("Förderung von Geothermisch Kraftwerken", True),
        ("Ein Energiekonzept für den eigenen Wirkungsbereich vorlegen", False),
        ("Ein wenig Zeit für das bereits Erreichte", False),
        ("Konsum z.B. bei Kleidung usw. drastisch reduzieren", False),
        ("Strompreise nach Verbrauchsmenge staffeln", False),
        # A noun written lowercase inside a sentence; not a short abbreviation, a list's
        # coordinated ending or an adjective the tagger reads as a noun.
        ("Ein Schreiben, wann eine energieberatung statt findet", True),
        ("Nur mehr ein paar reisen pro Jahr erlauben", True),
        ("Keine Leuchtreklamen, -anzeiger etc. ausserhalb der Geschäftszeiten", False),
        ("Online Handel forcieren, sofern klimaneutral zugestellt", False),
        ("Bundesländer müssen das Ziel 2040 bzw. früher gesetzlich verankern", False),
    ],
)
def test_a_german_proposals_copied_slip_is_told(text: str, slip: bool) -> None:
    assert copies_slip(text, "de") is slip
    assert copies_slip(text, "en") is False  # no rules to tell one in other languages yet


def test_a_proposal_with_a_slip_makes_room_for_a_clean_one() -> None:
    texts = {
        "a": "Ein Energiekonzept für den eigen Wirkungsbereich vorlegen",
        "b": "Strompreise nach Verbrauchsmenge staffeln",
        "c": "Vorschläge zu Verbesserungen und mögl. Förderungen zeigen",
        "d": "Energieeffizienzgesetz endlich umsetzen",
        "e": "Förderungen an einen Ökologieplan knüpfen",
    }
    slipped = {i for i, t in texts.items() if copies_slip(t, "de")}
    assert slipped == {"a", "c"}
    listed = [Sentence(text=texts[i], cites=[i, f"{i}2"]) for i in "abcde"]
    assert [p.cites[0] for p in _slips_later(listed, slipped, 0)] == ["b", "d", "e", "a", "c"]
    # The question's own idea keeps its place; with no clean idea several notes back
    # further down, a slip stays where it is.
    assert [p.cites[0] for p in _slips_later(listed, slipped, 1)] == ["a", "b", "d", "c", "e"]
    alone = [*listed[:3], Sentence(text=texts["d"], cites=["d"])]
    assert [p.cites[0] for p in _slips_later(alone, slipped, 0)] == ["b", "a", "c", "d"]


def test_a_label_many_notes_open_with_is_no_part_of_a_proposal() -> None:
    texts = [f"Klimarat: Maßnahme Nummer {n} umsetzen" for n in range(6)]
    texts += [f"Radweg {n} bauen" for n in range(30)] + [
        "Rural areas: bring the meeting to the village"
    ]
    labels = workshop_labels(texts)
    assert labels == frozenset({"klimarat"})
    assert without_label(
        "Klimarat: Klimafreundliche Projekte sollen günstigere Kredite erhalten", labels
    ) == ("Klimafreundliche Projekte sollen günstigere Kredite erhalten")
    # One note's topic before a colon stays: it says what the note is about.
    rural = "Rural areas: bring the meeting to the village"
    assert without_label(rural, labels) == rural
    # Too few notes share a label for it to be one.
    assert workshop_labels(texts[3:]) == frozenset()


def test_the_first_proposal_names_what_the_question_asks_about() -> None:
    listed = [
        _proposal("tax1", 17),
        _proposal("tax2", 15),
        _proposal("ubi1", 15),
        _proposal("ubi2", 7),
    ]
    naming = frozenset({"ubi1", "ubi2"})
    assert [p.cites[0] for p in _naming_first(listed, naming)] == ["ubi1", "tax1", "tax2", "ubi2"]
    # Already first, or named only by one note's idea, or no thing named: as listed.
    assert _naming_first(listed, frozenset({"tax1"})) == listed
    lone = [*listed[:2], _proposal("ubi1", 1)]
    assert _naming_first(lone, naming) == lone
    assert _naming_first(listed, frozenset()) == listed


def test_every_large_facet_has_a_proposal_among_the_first_three() -> None:
    listed = [_proposal(f"s{k}", 6) for k in range(4)] + [_proposal("pv0", 2), _proposal("pv1", 3)]
    facet_of = {id(p): ("storage", k) for k, p in enumerate(listed[:4])}
    facet_of |= {id(listed[4]): ("solar", 0), id(listed[5]): ("solar", 1)}
    moved = _every_large_facet(listed, facet_of, {"storage": 20, "solar": 12})
    # The solar facet's own first idea comes third, not its best-backed one.
    assert [p.cites[0] for p in moved] == ["s0", "s1", "pv0", "s2", "s3", "pv1"]
    # A small facet waits its turn.
    assert _every_large_facet(listed, facet_of, {"storage": 30, "solar": 5}) == listed


def test_a_proposal_cut_for_length_does_not_end_on_a_word_waiting_for_its_noun() -> None:
    note = (
        "We should not implement a UBI until we have a well funded Swedish style social "
        "welfare system with allowances for the most vulnerable people in our society"
    )
    line = _as_proposal(note, "", "en")
    assert line.endswith("with allowances …"), line


def test_a_later_sentence_of_a_prose_note_whose_first_is_listed_comes_after_whole_ideas() -> None:
    """ "Bestehende Anlagen müssen … ausgetauscht werden" leans on "Verbot fossiler
    Heizungen im Neubau" (its note's first sentence, listed too): existing what? A list's
    items each stand alone, and a later sentence whose first is not listed is not moved."""
    from pipeline.draft.compose.drafter import _continuing
    from tests.test_split_context import _note as note

    notes = {
        n.id: n
        for n in [
            note("h-1", "Verbot fossiler Heizungen im Neubau", "h"),
            note("h-2", "Bestehende Anlagen müssen bis 2040 ausgetauscht werden", "h"),
            note("l-1", "Bürgerräte einberufen", "l"),
            note("l-2", "Ergebnisse veröffentlichen", "l"),
            note("p-2", "Anreize für Wärmedämmung setzen", "p"),
            note("x", "Strompreise nach Verbrauchsmenge staffeln"),
            note("y", "Energieeffizienzgesetz endlich umsetzen"),
        ]
    }
    in_prose = frozenset({"h-2", "p-2"})  # "l" was written as a list
    listed = [Sentence(text=notes[i].text, cites=[i, f"{i}+"]) for i in notes]
    later = _continuing(listed, notes, in_prose)
    assert later == {"h-2"}
    first_three = ["h-1", "h-2", "x", "y"]
    ordered = _slips_later([p for p in listed if p.cites[0] in first_three], later, 0)
    assert [p.cites[0] for p in ordered] == ["h-1", "x", "y", "h-2"]


@pytest.mark.parametrize(
    ("proposal", "note", "language", "leans"),
    [
        # After a measure written as a heading, without a verb: retrofit with what?
        (
            "Nachrüstung von öffentlichen Gebäuden wo möglich",
            "PV/Solar verpflichtend auf alle Wohnbau Projekte. Nachrüstung von öffentlichen "
            "Gebäuden wo möglich.",
            "de",
            True,
        ),
        # Pointing back to the sentence before.
        (
            "We'll need to revisit these laws again and again",
            "Given inflation, workers are pushed down. I think we'll need to revisit these "
            "laws again and again.",
            "en",
            True,
        ),
        # After a statement, a measure that says all it needs.
        (
            "Hohe Innovationsförderung für automatisierte Mülltrennung",
            "Mülltrennung funktioniert nicht auf dem benötigten Niveau. Hohe "
            "Innovationsförderung für automatisierte Mülltrennung.",
            "de",
            False,
        ),
        # The note's first sentence itself.
        (
            "Verbot fossiler Heizungen im Neubau",
            "Verbot fossiler Heizungen im Neubau. Bestehende Anlagen bis 2040 tauschen.",
            "de",
            False,
        ),
    ],
)
def test_a_later_sentence_leaning_on_its_first_is_told(
    proposal: str, note: str, language: str, leans: bool
) -> None:
    from pipeline.draft.compose.drafter import _leans_on_its_first

    assert _leans_on_its_first(proposal, note, language) is leans
