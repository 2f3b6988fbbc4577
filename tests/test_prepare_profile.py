"""Notes that only describe their writer are rejected with a reason; ideas in the first
person, and a writer's context followed by an idea, are kept."""

from __future__ import annotations

import pytest

from pipeline.config import PrepareConfig
from pipeline.prepare import prepare
from pipeline.prepare.profile import is_profile_statement
from pipeline.prepare.reject import PROFILE_REASON, reject_reason
from pipeline.schema import NoteStatus, RawNote


@pytest.mark.parametrize(
    "text",
    [
        # age bands
        "I am over 65 years old.",
        "I'm between 18 and 24 years of age",
        "I am 40 years old or younger",
        "J'ai entre 25 et 40 ans",
        "J’ai plus de 60 ans.",
        "Ik ben ouder dan 50 jaar",
        "Ik ben tussen 30 en 45 jaar oud.",
        "Ich bin unter 25 Jahre alt",
        "Ich bin zwischen 40 und 60 Jahre alt.",
        # attributes
        "My household income is below $40,000 per year",
        "My yearly income is above 60k but less than 90k",
        "My gender is female.",
        "Mon revenu est inférieur à 2 000 € par mois",
        "Mijn leeftijd: 34",
        "Mein Einkommen liegt unter 3.000 Euro",
        "My ethnicity is Mixed (White and Asian).",
        # residence in general terms
        "I live in a suburb (outside the ring road)",
        "J'habite à la campagne",
        "Ik woon in een dorp.",
        "Ich wohne auf dem Land",
        # occupation and household
        "I am retired",
        "I'm a student.",
        "I am self-employed",
        "Je suis retraitée",
        "Ik ben zelfstandige",
        "Ich bin Rentnerin.",
        # household, work and vote
        "I own two housing units",
        "I have dependants",
        "I work as a nurse",
        "I voted to stay.",
        "I am eligible to vote in Canada.",
        "Je suis inscrite sur les listes électorales à Lille",
        "Ik ben stemgerechtigd in Gent",
        "Ich bin wahlberechtigt.",
        "I consider myself lower middle class",
        "I can speak two languages",
        "I am 40 years old or older but less than 60",
        "J'ai trois enfants",
        "Ik werk bij een school",
        "Ich arbeite als Lehrerin",
        # decades, identities, a family's origin
        "I am in my forties or fifties.",
        "I'm in my early 30s",
        "I identify as working class.",
        "I identify as an atheist, agnostic, nonbeliever, skeptic or humanist.",
        "I identify neither as a woman nor a man.",
        "Je m'identifie comme femme",
        "My parents came from a different country.",
        "Meine Eltern kamen aus der Türkei",
        # knowledge of a named thing
        "I can explain the D'Hondt method.",
        "I understand how ranked-choice ballots work",
        "Je peux expliquer la méthode de Condorcet",
        "Ik kan de methode-D'Hondt uitleggen",
        "Ich kann erklären, was ein Wahlkreis ist",
    ],
)
def test_profile_statements(text: str) -> None:
    assert is_profile_statement(text)
    assert reject_reason(text, PrepareConfig()) == PROFILE_REASON


@pytest.mark.parametrize(
    "text",
    [
        # first-person views and proposals
        "I am worried about the speed of cars near the school",
        "I am for a citizens' assembly on the budget",
        "Je suis pour un budget participatif",
        "Ik ben tegen betaald parkeren in het centrum",
        "Ich bin dafür, dass Busse nachts fahren",
        "I think we should lower taxes for people over 65",
        # the writer's context, then what they ask for
        "I live in a village and there is no bus after 8 pm",
        "J'habite à la campagne, il n'y a pas de bus le soir",
        "Ik woon in een dorp maar de bibliotheek is dicht",
        "Ich wohne auf dem Land, wo kein Bus fährt",
        "I am retired and would like to volunteer as a mentor",
        "My income is low, so the bus pass must be cheaper",
        "I work for the council and we need more staff",
        "I voted for the bus lane because it was safe",
        "Ich bin wahlberechtigt, aber niemand sagt mir, wo das Wahllokal ist",
        "I have no car so buses matter",
        "I can explain why the consultation failed: nobody came back to us",
        "I identify as a cyclist and we need safer crossings",
        "I identify as a renter but rents are too high",
        "My parents came here in 1970, and the town must keep its language classes",
        "I am in my forties and cannot afford a home",
        # numbers that are not an age
        "I am 5 minutes from the station but there is no parking",
        "We need 30 more benches in the park",
        # long notes are never only a profile
        "I am over 65 years old and I have lived in this town all my life and I "
        "still cannot find the council's agenda anywhere online",
    ],
)
def test_ideas_are_kept(text: str) -> None:
    assert not is_profile_statement(text)
    assert reject_reason(text, PrepareConfig()) is None


def _raw(texts: list[str]) -> list[RawNote]:
    return [
        RawNote(id=f"n{i}", text=text, source="notes.csv", location=f"row {i + 2}")
        for i, text in enumerate(texts)
    ]


def test_prepare_keeps_profiles_as_rejected_notes_with_their_reason() -> None:
    texts = ["I am under 30 years of age", "Open the library on Sundays", "I live in a town"]
    notes = prepare(_raw(texts), PrepareConfig())
    assert [n.status for n in notes] == [
        NoteStatus.REJECTED,
        NoteStatus.ACTIVE,
        NoteStatus.REJECTED,
    ]
    assert notes[0].reject_reason == PROFILE_REASON
    assert notes[0].original_text == texts[0]


def test_profiles_can_be_kept() -> None:
    texts = ["I am under 30 years of age", "Open the library on Sundays"]
    notes = prepare(_raw(texts), PrepareConfig(reject_profiles=False))
    assert [n.status for n in notes] == [NoteStatus.ACTIVE, NoteStatus.ACTIVE]
