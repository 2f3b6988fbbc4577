"""A full stop ends a sentence, or only shortens a word: the drafter and the idea splitter
agree, in fr, nl, de and en (real taggers, no stubs)."""

from __future__ import annotations

import pytest

from pipeline.draft.compose import form_of, question
from pipeline.draft.compose.drafter import _as_proposal
from pipeline.draft.compose.tagging import tag
from pipeline.draft.compose.titles import noun_phrases
from pipeline.prepare.abbreviations import rejoin, shortens, split_sentences
from pipeline.prepare.split import split_note

ONE_SENTENCE = [
    ("de", "Anpassung Baustandards bzw. Verfahren vereinfachen"),
    ("de", "Bessere Busverbindungen z. B. nachts und am Wochenende"),
    ("de", "Jugendliche u. a. über Vereine direkt ansprechen"),
    ("de", "Weitergabe an Tafeln usw. gesetzlich verpflichten"),
    ("de", "Preise inkl. Steuern anzeigen"),
    ("de", "Kosten von ca. 5 Mio. Euro einplanen"),
    ("de", "Förderung ggf. erhöhen und evtl. verlängern"),
    ("de", "Wohnungen im ländl. Raum sanieren"),
    ("de", "Leerstandserhebungen für 2. und 3. Wohnsitze durchführen"),
    ("de", "Am 1. Mai einen Aktionstag machen"),
    ("fr", "Des bancs, p. ex. près des arrêts de bus"),
    ("fr", "Des jardins partagés cf. le projet de Namur"),
    ("fr", "Un budget d'env. 2000 euros par quartier"),
    ("fr", "Pistes cyclables, parkings vélo etc. Dans tous les quartiers"),
    ("nl", "Meer groen, bijv. Bomen op het plein"),
    ("nl", "Inspraak o.a. Via wijkraden organiseren"),
    ("nl", "Fietsen, bussen enz. Beter verbinden"),
    ("en", "Safer crossings e.g. Near the schools"),
    ("en", "One contact person i.e. Someone who answers"),
    ("en", "Lower fares resp. Free travel for students"),
]


@pytest.mark.parametrize(("language", "text"), ONE_SENTENCE)
def test_an_abbreviation_ends_no_sentence(language: str, text: str) -> None:
    assert split_sentences(text, language) == [text]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Mehr Radwege bauen. Busse öfter fahren lassen.", 2),
        ("fr", "Il y a trop de voitures. Nous devons agir.", 2),
        ("en", "Say no. Then build the bike lanes.", 2),
        ("nl", "Meer bomen planten. Het plein vergroenen!", 2),
    ],
)
def test_a_sentence_end_still_ends_a_sentence(language: str, text: str, expected: int) -> None:
    assert len(split_sentences(text, language)) == expected


def test_sentences_cut_at_an_abbreviation_are_joined_again() -> None:
    cut = ["Anpassung Baustandards bzw.", "Verfahren vereinfachen.", "Danach prüfen."]
    assert rejoin(cut, "de") == [
        "Anpassung Baustandards bzw. Verfahren vereinfachen.",
        "Danach prüfen.",
    ]


def test_sentences_cut_where_no_sentence_ends_are_joined_again() -> None:
    # A splitter cut "celle ci" (written without its hyphen) and after a closing bracket.
    cut = ["Si le vote blanc gagne, celle", "ci doit être recommencée.", "Les listes changent."]
    assert rejoin(cut, "fr") == [
        "Si le vote blanc gagne, celle ci doit être recommencée.",
        "Les listes changent.",
    ]
    cut = ["Il a du sens (bien sûr !)", "il s'agit de savoir où il mène."]
    assert len(rejoin(cut, "fr")) == 2  # a stop before the bracket: a sentence may end there


def test_what_a_full_stop_shortens() -> None:
    assert shortens("bzw", "de") and shortens("ländl", "de") and shortens("2", "de", "Mai")
    assert shortens("usw", "de", "verpflichten")  # a lowercase word follows
    assert not shortens("Radwege", "de", "Busse") and not shortens("wichtig", "de", "Wir")
    assert not shortens("no", "en", "Then") and shortens("no", "en", "5")


def test_a_proposal_keeps_the_stop_of_its_last_abbreviation() -> None:
    assert _as_proposal("Energie sparen: Föhn, Heizdecke etc.", "", "de").endswith("etc.")
    assert _as_proposal("Mehr Radwege bauen.", "", "de") == "Mehr Radwege bauen"


@pytest.mark.parametrize(
    ("language", "note", "proposal"),
    [
        (
            "de",
            "Anpassung Baustandards bzw. Verfahren für Sanierungen vereinfachen. Das spart Zeit.",
            "Anpassung Baustandards bzw. Verfahren für Sanierungen vereinfachen",
        ),
        (
            "de",
            "Lebensmittel: Weitergabe an Tafeln usw.verpflichten",
            "Lebensmittel: Weitergabe an Tafeln usw.verpflichten",
        ),
        (
            "de",
            "Wohnungen im ländl. Raum fördern. Ortskerne beleben.",
            "Wohnungen im ländl. Raum fördern",
        ),
        # A dash inside an aside is the aside's, not where the proposal's words end.
        (
            "de",
            "Energieeffizienzklassen überdenken (zb Backofen - Temperatur nicht konstant)",
            "Energieeffizienzklassen überdenken (zb Backofen - Temperatur nicht konstant)",
        ),
        ("de", "Plastik recyclen - Vorsatz: Naturzerstörung", "Plastik recyclen"),
    ],
)
def test_a_proposal_is_not_cut_at_an_abbreviation(language: str, note: str, proposal: str) -> None:
    assert _as_proposal(note, "", language) == proposal


@pytest.mark.parametrize(
    ("language", "note", "expected"),
    [
        (
            "de",
            "Jugendliche u.a über Vereine direkt ansprechen",
            "Wie könnten wir Jugendliche u.a über Vereine direkt ansprechen?",
        ),
        ("de", "Weitergabe an Tafeln usw.verpflichten", None),
        (
            "de",
            "Anpassung Baustandards bzw. Verfahren vereinfachen",
            "Wie könnten wir Anpassung Baustandards bzw. Verfahren vereinfachen?",
        ),
    ],
)
def test_a_question_keeps_the_abbreviation_and_what_follows(
    language: str, note: str, expected: str | None
) -> None:
    form = form_of(note, language)
    asked = question(form, language) if form is not None else None
    if expected is None:
        assert asked is None or not asked.rstrip("?").endswith(("bzw", "usw", "u.a"))
    else:
        assert asked == expected


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("de", "Bessere Busverbindungen z. B. nachts"),
        ("de", "Wohnungen im ländl. Raum fördern"),
        ("de", "Anpassung Baustandards bzw. Verfahren"),
        ("nl", "Betere fietspaden bijv. langs de kanalen"),
        ("fr", "Des pistes cyclables p. ex. le long du canal"),
        ("en", "Better bike lanes e.g. along the canal"),
    ],
)
def test_no_title_ends_on_a_cut_word(language: str, note: str) -> None:
    for phrase in noun_phrases(tag(note, language), language):
        last = phrase[-1].text
        assert len(last) > 2 or last.isdigit() or last.isupper(), [w.text for w in phrase]
        assert last.rstrip(".") not in {"bzw", "z", "B", "usw", "bijv", "p", "ex", "e", "g"}


def test_the_idea_splitter_does_not_cut_at_an_abbreviation() -> None:
    note = (
        "Wir brauchen bessere Busverbindungen im ländl. Raum, z. B. nachts und am Wochenende. "
        "Außerdem sollten Radwege bzw. Radschnellwege zwischen den Dörfern gebaut werden. "
        "Drittens braucht es mehr Carsharing-Angebote in den Gemeinden."
    )
    parts = split_note(note, "de") or [note]
    assert not any(p.rstrip().endswith(("bzw.", "z.", "ländl.")) for p in parts), parts
    assert any("Radwege bzw. Radschnellwege" in p for p in parts), parts


@pytest.mark.parametrize(
    ("language", "note", "written"),
    [
        ("en", "see nashvilleguru.com for example", "nashvilleguru.com"),
        ("de", "Preis 3.5 Euro", "3.5"),
    ],
)
def test_a_word_glued_by_a_stop_stays_one_word_as_written(
    language: str, note: str, written: str
) -> None:
    words = tag(note, language)
    assert written in [w.text for w in words]
    assert " ".join(w.text for w in words) == note


def test_a_stop_before_a_capital_without_a_space_still_ends_a_sentence() -> None:
    assert [w.text for w in tag("Mehr Radwege.Mehr Busse", "de")][2] == "."
