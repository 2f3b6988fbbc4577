"""Splitting notes that hold several ideas, and not splitting those that hold one."""

from __future__ import annotations

import pytest

from pipeline.prepare.split import (
    group_sentences,
    split_bullets,
    split_inline_numbering,
    split_note,
    split_notes,
    split_semicolons,
)


@pytest.mark.parametrize("bullet", ["-", "*", "•", "–"])
def test_bullet_lines_are_ideas(bullet: str) -> None:
    items = ["crèche sur place", "horaires variés (midi, samedi)", "transport remboursé"]
    text = "\n".join(f"{bullet} {item}" for item in items)
    assert split_note(text, "fr") == [
        "crèche sur place",
        "horaires variés (midi, samedi)",
        "transport remboursé",
    ]


@pytest.mark.parametrize("marker", ["{n}.", "{n})", "({n})"])
def test_numbered_lines_are_ideas(marker: str) -> None:
    lines = ["een participatiedecreet", "een eigen budget per dienst", "termijnen voor inspraak"]
    text = "\n".join(f"{marker.format(n=n)} {line}" for n, line in enumerate(lines, start=1))
    assert split_note(text, "nl") == lines


def test_lettered_lines_are_ideas() -> None:
    assert split_note("a) meer groen\nb) minder auto's", "nl") == ["meer groen", "minder auto's"]


def test_a_heading_before_the_bullets_is_not_an_idea_and_wrapped_lines_continue() -> None:
    text = "Mobilité :\n- plus de bus le soir\n- des pistes cyclables sûres\npartout en ville"
    assert split_bullets(text) == [
        "plus de bus le soir",
        "des pistes cyclables sûres partout en ville",
    ]


def test_a_full_first_line_before_the_bullets_is_an_idea_of_its_own() -> None:
    text = (
        "Il faut rendre compte aux habitants\n- un mail après un mois\n- une soirée après six mois"
    )
    assert split_bullets(text) == [
        "Il faut rendre compte aux habitants",
        "un mail après un mois",
        "une soirée après six mois",
    ]


def test_one_word_bullets_do_not_split() -> None:
    assert split_note("- vélos\n- bus\n- tram", "fr") is None


def test_inline_numbering_splits() -> None:
    text = "1) thank-you email 2) summary of what we heard 3) what happens next and when"
    assert split_note(text, "en") == [
        "thank-you email",
        "summary of what we heard",
        "what happens next and when",
    ]
    assert split_inline_numbering("Deux idées : 1) plus de bancs 2) moins de voitures") == [
        "plus de bancs",
        "moins de voitures",
    ]


def test_inline_numbering_whose_first_marker_was_stripped_upstream() -> None:
    text = "een participatiedecreet 2) een eigen budget per dienst 3) wettelijke termijnen"
    assert split_note(text, "nl") == [
        "een participatiedecreet",
        "een eigen budget per dienst",
        "wettelijke termijnen",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Die 1. Lesung im Landtag und die 2. Lesung im Ausschuss",  # ordinals, not a list
        "Zie punt 3) en 4) van het decreet",  # does not count up from 1
        "Voir le point 2) ci-dessus",
        "Budget participatif garanti par la loi (ex. 1 % du budget)",
    ],
)
def test_numbers_that_are_not_a_list_do_not_split(text: str) -> None:
    assert split_note(text, "fr") is None


def test_semicolons_split_when_every_part_has_two_words() -> None:
    text = "algorithmes opaques ; biais contre certains publics ; pas de recours humain"
    assert split_note(text, "fr") == [
        "algorithmes opaques",
        "biais contre certains publics",
        "pas de recours humain",
    ]


def test_semicolons_do_not_split_when_a_part_is_a_single_word() -> None:
    assert split_semicolons("Transparence; surtout sur les critères du scoring") is None
    assert split_note("Moins de voitures ; vélo", "fr") is None


def test_inline_round_bullets_split() -> None:
    assert split_note("• plus de bancs • moins de voitures", "fr") == [
        "plus de bancs",
        "moins de voitures",
    ]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We need a charter. It must be public.", "en"),
        ("Nous avons besoin d'une charte claire. Elle doit être publique et signée.", "fr"),
        ("Eerlijk zeggen waar burgers invloed hebben. Anders haken ze af.", "nl"),
        ("Keine Scheinbeteiligung! Wenn alles schon entschieden ist, gar nicht erst fragen.", "de"),
    ],
)
def test_short_two_sentence_notes_are_one_idea(text: str, lang: str) -> None:
    assert split_note(text, lang) is None


def test_long_notes_split_on_sentences_keeping_explanations_with_their_idea() -> None:
    text = (
        "We need a public charter that explains how citizen input is used in decisions. "
        "It must be signed by the mayor. "
        "Second, the city should open a permanent office where residents can drop ideas. "
        "Finally, every project should publish a short report on what was done with the ideas."
    )
    assert split_note(text, "en") == [
        "We need a public charter that explains how citizen input is used in decisions. "
        "It must be signed by the mayor.",
        "Second, the city should open a permanent office where residents can drop ideas.",
        "Finally, every project should publish a short report on what was done with the ideas.",
    ]


def test_long_french_note_splits_with_the_model_sentences() -> None:
    text = (
        "Il faut une charte claire sur l'usage des avis citoyens dans les décisions. "
        "Elle doit être publique. "
        "Il faut aussi former les agents à l'écoute active des habitants. "
        "Enfin, publier un compte-rendu après chaque réunion publique."
    )
    parts = split_note(text, "fr")
    assert parts is not None and len(parts) == 3
    assert parts[0].endswith("Elle doit être publique.")


def test_short_sentences_are_merged_not_split_off() -> None:
    sentences = ["Mobilité.", "Plus de bus le soir dans les villages.", "Vite !", "Et des vélos."]
    text = " ".join(sentences)
    assert group_sentences(sentences, text, "fr") is None  # one real idea remains


def test_split_notes_batches_and_keeps_order() -> None:
    texts = ["- idée une ici\n- idée deux ici", "Une seule idée", "a; b"]
    assert split_notes(texts, ["fr", "fr", "fr"]) == [["idée une ici", "idée deux ici"], None, None]
