"""A note that urges an action no question can be built from is still a proposal.

Real taggers; the vectors are made for each case so that which notes are close is known.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from pipeline.draft.compose import ComposingDrafter, form_of
from pipeline.draft.compose.drafter import _balanced, listing_order
from pipeline.draft.compose.tagging import join, tag
from pipeline.draft.compose.urging import urging, without_stance
from pipeline.schema import Sentence
from tests.test_compose_support import DIMENSIONS, _theme, _unit


@pytest.mark.parametrize(
    ("text", "lang", "urged"),
    [
        (
            "Der Kahlenberg und andere Anhöhen sollen Windräder erhalten.",
            "de",
            "Der Kahlenberg und andere Anhöhen sollen Windräder erhalten.",
        ),
        (
            "Das ist gut. Die Politik muss Regeln setzen.",
            "de",
            "Die Politik muss Regeln setzen.",
        ),
        (
            "Kein Aufstellen von Windrädern auf Bergen",
            "de",
            "Kein Aufstellen von Windrädern auf Bergen",
        ),
        (
            "Ich bin dafür, mehr Windräder aufzustellen, solange sie weit weg stehen.",
            "de",
            "Ich bin dafür, mehr Windräder aufzustellen, solange sie weit weg stehen.",
        ),
        (
            "Football as it stands now needs reform from independent authorities",
            "en",
            "football as it stands now needs reform from independent authorities",
        ),
        ("No new taxes!", "en", "no new taxes!"),
        (
            "La Région devrait publier ses algorithmes",
            "fr",
            "la Région devrait publier ses algorithmes",
        ),
        (
            "Burgers zouden meer inspraak moeten krijgen",
            "nl",
            "burgers zouden meer inspraak moeten krijgen",
        ),
        ("Geen mooie foto's als er niks gebeurt", "nl", "geen mooie foto's als er niks gebeurt"),
    ],
)
def test_a_note_urging_an_action_is_read_as_one(text: str, lang: str, urged: str) -> None:
    words = urging(tag(text, lang), lang)
    assert words is not None
    assert join(words) == urged


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Windräder verschandeln die Landschaft.", "de"),  # a statement
        ("Should we ban boxing?", "en"),  # a question
        ("You need to say this out loud and think about it.", "en"),  # to the reader
        ("I must say it is great", "en"),  # of the writer
        ("It is simpler than the strategic voting needed to vote effectively", "en"),  # a past
        ("It is how we secure the things we need: schools, roads", "en"),  # no action follows
        ("No one cares", "en"),  # "no" before no noun
        ("Ich muss sagen, dass es gut ist", "de"),
        ("Es würde mich interessieren, wie das technisch möglich ist.", "de"),
        ("Les taxes sont trop élevées", "fr"),
        ("xyz", "zh"),  # a language without rules
    ],
)
def test_a_note_that_urges_nothing_is_not_read_as_urging(text: str, lang: str) -> None:
    assert urging(tag(text, lang), lang) is None


@pytest.mark.parametrize(
    ("text", "lang", "measure"),
    [
        (
            "Ich bin dafür, mehr Windräder aufzustellen, solange sie weit weg stehen.",
            "de",
            "mehr Windräder aufstellen, solange sie weit weg stehen",
        ),
        ("Ich bin dafür, mehr Radwege zu bauen", "de", "mehr Radwege bauen"),
        ("Ich bin für eine Vermögenssteuer", "de", "eine Vermögenssteuer"),
        ("I am in favour of a land value tax", "en", "a land value tax"),
        ("Je suis pour la gratuité des transports", "fr", "la gratuité des transports"),
        ("Ik ben voor meer groen in de stad", "nl", "meer groen in de stad"),
        # A measure whose verb stands last, and no stance: as they are.
        ("Ich bin dafür, dass die Stadt mehr Radwege baut", "de", None),
        ("Die Politik muss Regeln setzen", "de", None),
        ("Ich bin", "de", None),
    ],
)
def test_a_stance_gives_way_to_the_measure_it_is_for(
    text: str, lang: str, measure: str | None
) -> None:
    assert without_stance(tag(text, lang), lang) == measure


def _vectors(groups: Sequence[int], seed: int = 0) -> dict[str, np.ndarray]:
    """Notes of one group say one idea (nearly the same vector); groups lie apart."""
    rng = np.random.default_rng(seed)
    centres = {g: _unit(rng.normal(size=DIMENSIONS)) for g in set(groups)}
    return {
        f"n{i}": _unit(centres[g] + 0.01 * rng.normal(size=DIMENSIONS))
        for i, g in enumerate(groups)
    }


DEBATE = [
    # Two measures a question can be built from, each said twice.
    "Im Wiener Prater müssen Windräder aufgestellt werden",
    "Im Prater Windräder aufstellen",
    "Die Donauinsel mit Windrädern zur Energieerzeugung verwenden",
    "Donauinsel für Windräder verwenden",
    # Notes that urge a way without a "we" question: one said twice, one three times, more
    # than any measure.
    "Ich bin dafür, mehr Windräder aufzustellen, solange sie weit von Häusern stehen.",
    "Windräder sollten auf die Anhöhen rund um Wien, wo Wind weht.",
    "Kein Aufstellen von Windrädern auf Bergen, wo Natur zerstört wird",
    "Keine Windräder auf den Bergen",
    "Keine Windräder in den Bergen!",
    # Statements.
    "Windräder verschandeln die Landschaft und töten Vögel.",
    "Windräder sind laut.",
]


def test_urged_ways_fill_a_debates_proposals_after_its_measures() -> None:
    theme, notes = _theme(DEBATE, "de")
    urged = {notes[f"n{i}"].text for i in (4, 5, 6, 7, 8)}
    assert all(form_of(text, "de") is None for text in urged)  # the case as the rules read it
    vectors = _vectors([0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4])
    draft = ComposingDrafter(vectors).draft(theme, notes, "de")

    texts = [p.text for p in draft.proposal]
    assert len(texts) >= 3
    urging_ids = {f"n{i}" for i in (4, 5, 6, 7, 8)}
    said = [k for k, p in enumerate(draft.proposal) if p.cites[0] in urging_ids]
    assert said, texts  # the urged ways are offered
    measures = [k for k in range(len(texts)) if k not in said]
    assert measures and max(measures) < min(said)  # after the measures
    assert not any(flag.startswith("nur") for flag in draft.flags), draft.flags
    assert not any(t.startswith("Ich bin") for t in texts), texts  # the measure, no stance
    # No question is built from a note that only urges (the notes' topic may be asked).
    for asked in [draft.challenge, *draft.challenge_alternatives]:
        assert not {"Bergen", "Anhöhen", "Häusern"} & set(asked.text.rstrip("?").split())


WIND_DEBATE = [
    # Three measures for wind turbines, each said by two notes.
    "Im Wiener Prater müssen Windräder aufgestellt werden",
    "Im Prater Windräder aufstellen",
    "Die Donauinsel mit Windrädern zur Energieerzeugung verwenden",
    "Donauinsel für Windräder verwenden",
    "Mehr Windräder auf dem Kahlenberg bauen",
    "Windräder auf dem Kahlenberg bauen",
    # The other side, said twice.
    "Keine Windräder auf den Bergen",
    "Keine Windräder in den Bergen!",
    # Statements.
    "Windräder verschandeln die Landschaft.",
    "Windräder sind laut.",
    "Windräder brauchen viel Platz.",
    "Windräder drehen sich nicht immer.",
]


def test_a_debate_shows_both_sides_among_its_first_proposals() -> None:
    """Under a question about a thing, the first three proposals are not all for it when
    several notes refuse it: the best backed refusal comes third."""
    theme, notes = _theme(WIND_DEBATE, "de")
    vectors = _vectors([0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7])
    draft = ComposingDrafter(vectors).draft(theme, notes, "de")
    assert draft.challenge.text == "Wie könnten wir beim Thema Windräder neue Wege gehen?"
    first = [p.cites[0] for p in draft.proposal[:3]]
    assert len(draft.proposal) >= 4
    assert first[2] in {"n6", "n7"}, [p.text for p in draft.proposal]
    assert not {"n6", "n7"} & set(first[:2])  # the measures several notes back lead


def test_both_sides_are_kept_as_they_are_listed() -> None:
    def said(cites: list[str]) -> Sentence:
        return Sentence(text=" ".join(cites), cites=cites)

    naming = frozenset({"a", "b", "c", "d", "e"})
    for_only = [said(["a", "x"]), said(["b", "y"]), said(["c", "z"]), said(["d", "w"])]
    # Both sides shown already, one side only, a refusal one note makes: as listed.
    assert _balanced(for_only, naming, {"c"}) == for_only
    assert _balanced(for_only, naming, set()) == for_only
    one_note = [*for_only[:3], said(["d"])]
    assert _balanced(one_note, naming, {"d"}) == one_note
    # A refusal several notes back comes third, the others keep their order.
    moved = _balanced(for_only, naming, {"d"})
    assert [p.cites[0] for p in moved] == ["a", "b", "d", "c"]
    # And a proposal for the thing, under three refusals.
    assert [p.cites[0] for p in _balanced(for_only, naming, {"a", "b", "c"})] == [
        "a",
        "b",
        "d",
        "c",
    ]
    # A proposal that does not name the thing takes no side.
    assert _balanced(for_only, frozenset({"a", "b"}), {"d"}) == for_only


def test_an_idea_several_notes_back_comes_before_one_notes_measure() -> None:
    """Ranked as measures first, a measure one note makes ("Guaranteed minimum income",
    one note) came before ideas several notes only urge."""
    ideas = {
        "one note's measure": listing_order(1, True, 0.9),
        "urged by eight": listing_order(8, False, 0.1),
        "measure of three": listing_order(3, True, 0.2),
        "measure of three, more central": listing_order(3, True, 0.5),
        "urged by one": listing_order(1, False, 0.9),
    }
    assert sorted(ideas, key=ideas.__getitem__) == [
        "measure of three, more central",
        "measure of three",
        "urged by eight",
        "one note's measure",
        "urged by one",
    ]


def test_a_note_urging_in_its_second_sentence_is_said_by_that_sentence() -> None:
    """ "Given inflation, …" is the note's remark; what it urges is its second sentence, and
    that is the proposal, not the remark."""
    texts = [
        "Given inflation, unless workers fight they are continually being pushed down. "
        "I think we'll need to revisit these laws again and again to make sure the economy "
        "is working for poor families.",
        "UBI has clear benefits, but like most major policy decisions it also has risks. "
        "This does not mean we should not go ahead with it, but that we need to plan to "
        "manage any risks that arise.",
        "Raise the minimum wage to fifteen dollars",
        "The minimum wage should be raised to fifteen dollars",
    ]
    theme, notes = _theme(texts, "en")
    assert all(form_of(t, "en") is None for t in texts[:2])  # urged, not measures
    drafter = ComposingDrafter(_vectors([0, 1, 2, 2]))
    draft = drafter.draft(theme, notes, "en")
    said = {p.cites[0]: p.text for p in draft.proposal}
    assert said["n0"].startswith("We'll need to revisit these laws"), said
    assert said["n1"].startswith("This does not mean we should not go ahead"), said
    # Both lean on the sentence before them ("these laws", "This"): among the first three
    # they come after ideas that stand alone (``_slips_later``), as a split idea would.
    assert {"n0", "n1"} <= drafter._slipped
    assert not {"n2", "n3"} & drafter._slipped
