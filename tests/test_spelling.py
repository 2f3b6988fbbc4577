"""A slip a note makes is told from a rare word, in the four languages the drafter writes, so
that a clean proposal, question or title comes first."""

from __future__ import annotations

import pytest

from pipeline.draft.compose.checks import copies_slip
from pipeline.draft.compose.spelling import misspells, misspelt


@pytest.mark.parametrize(
    ("word", "language"),
    [
        ("müssste", "de"),
        ("Ungenutzen", "de"),
        ("Inititative", "de"),
        ("Transparance", "fr"),
        ("ambetnaren", "nl"),
        ("idealogues", "en"),
        ("sotppen,", "de"),  # with the punctuation around it
        ("innnerhalb", "de"),  # a key held down, though the web writes it so too
        ("neeed", "en"),
    ],
)
def test_a_slip_for_a_common_word_is_told(word: str, language: str) -> None:
    assert misspelt(word, language)


@pytest.mark.parametrize(
    ("word", "language"),
    [
        # Rare but no slip: a long compound, a name, an inflected form, a coinage.
        ("Wasserpumpspeicherkraftwerke", "de"),
        ("Salzwasserstromspeicher", "de"),
        ("Kahlenberg", "de"),
        ("Klimaschutzgesetze", "de"),
        ("reparierbare", "de"),
        ("eCars", "de"),
        ("CO2-Preis", "de"),
        ("RGPD", "fr"),
        ("participatiebudget", "nl"),
        ("range", "en"),
        ("prioritize", "en"),
        ("müsste", "de"),
        # Three letters in a row where German compounds meet.
        ("Schifffahrt", "de"),
        ("Brennnessel", "de"),
        ("Kontrolllampe", "de"),
        # Too short to tell, or a language without rules.
        ("teh", "en"),
        ("müssste", "zh"),
    ],
)
def test_a_rare_or_right_word_is_no_slip(word: str, language: str) -> None:
    assert not misspelt(word, language)


def test_a_proposal_copying_a_misspelt_word_is_a_slip_in_every_language() -> None:
    assert copies_slip("Kein Aufstellen von Windrädern, wo Natur zerstört werden müssste", "de")
    assert copies_slip("Transparance sur les critères du scoring", "fr")
    assert copies_slip("Opleiding faciliteren voor ambetnaren", "nl")
    assert not copies_slip("Transparence sur les critères du scoring", "fr")
    assert not misspells("Wasserpumpspeicherkraftwerke in Windkraftanlage installieren", "de")


@pytest.mark.parametrize("seed", range(12))
def test_a_question_and_its_proposals_do_not_copy_a_misspelt_word(seed: int) -> None:
    """Two notes say one idea, one with a slip ("facilitaton"): the question, its
    alternatives and the proposal are said by the note that spells it right, whichever of
    the two the vectors put nearer the centre (before, the slip led at 6 of 12 seeds)."""
    from pipeline.draft.compose import ComposingDrafter
    from tests.test_compose_urging import _theme, _vectors

    texts = [
        "Train all staff in facilitaton skills",
        "Train all staff in facilitation skills",
        "Share a toolbox of templates between departments",
        "Share a toolbox of templates across departments",
        "Hold a peer review after each project",
        "Hold a peer review after every project",
    ]
    theme, notes = _theme(texts, "en")
    draft = ComposingDrafter(_vectors([0, 0, 1, 1, 2, 2], seed=seed)).draft(theme, notes, "en")
    said = [draft.challenge, *draft.challenge_alternatives, *draft.proposal]
    assert not any("facilitaton" in s.text for s in said), [s.text for s in said]


@pytest.mark.parametrize(
    ("word", "slip"),
    [
        ("pan3l", True),  # "panel" with a digit for its "e"
        ("Pan3l", True),  # opening a proposal
        ("covid19", False),  # the digit last: a name
        ("co2e", False),  # too short to tell
        ("B2B", False),  # capitals: a code
        ("pa55word", False),  # two digits
    ],
)
def test_a_digit_in_place_of_a_letter_is_a_slip(word: str, slip: bool) -> None:
    assert misspelt(word, "en") is slip


@pytest.mark.parametrize("word", ["große", "Straße", "heißt", "schließen", "abreißen"])
def test_a_german_word_with_sharp_s_is_no_slip(word: str) -> None:
    """The word lists keep "große" as "grosse": looked up as written, every such word was a
    slip, and "Den Kreis schließen" was left out of the German sample's proposals."""
    assert not misspelt(word, "de")


def test_a_slip_with_sharp_s_is_still_told() -> None:
    assert misspelt("Naßnahmen", "de")
