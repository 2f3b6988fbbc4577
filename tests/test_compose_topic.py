"""When a unit's notes share no proposal but most of them name one thing, the question asks
about that thing ("How might we rethink the electoral system?"), in the notes' words and
with the article they write; the notes' own questions become its alternatives."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.draft.compose import ComposingDrafter
from pipeline.draft.compose.questions import written_phrase
from pipeline.draft.compose.tagging import tag
from pipeline.draft.compose.topics import shared_topic, topic_question
from pipeline.embed import create_embedder
from tests.test_compose_support import _basis, _challenge_of, _theme, _unit

TAXES = [
    "We should lower taxes for small businesses in the town centre",
    "Raise taxes on the richest households to pay for the schools",
    "Property taxes are far too high for pensioners in this county",
    "Taxes on fuel hurt people in rural areas who must drive",
    "Churches should stop being exempt from taxes",
    "Replace the sales tax on food with a tax on sugar",
    "Nobody understands how local taxes are spent, publish the budget",
    "Give a tax credit to families who care for an elderly parent",
    "Landlords avoid taxes by registering their flats as holiday homes",
    "Most of my neighbours would accept higher taxes for better buses",
    "Tourist taxes could pay for cleaning the beaches in summer",
    "Simplify the tax forms so that people can file without an adviser",
    "Carbon taxes should be returned to every resident as a dividend",
    "Inheritance taxes hit farmers who want to pass on their land",
    "Online shops pay fewer taxes than the bookshop on our high street",
    "Dog owners already pay taxes, so give them a park to run in",
    "Explain on the town website what the waste tax pays for",
    "Open the library on Sundays",
    "Plant more trees along the river",
]


def _tagged(texts: list[str], language: str) -> list[tuple[str, list]]:
    return [(f"n{i}", tag(text, language)) for i, text in enumerate(texts)]


@pytest.mark.parametrize(
    ("language", "texts", "expected"),
    [
        ("en", TAXES, "How might we rethink our approach to taxes?"),
        (
            "en",
            [
                "Our electoral system is broken beyond repair",
                "Reform the electoral system before the next vote",
                "The electoral system favours the two big parties",
                "Proportional representation would fix the electoral system",
                "Nobody trusts the electoral system any more",
                "Let citizens draw the new districts",
            ],
            "How might we rethink the electoral system?",
        ),
        (
            "fr",
            [
                "Baisser les impôts des classes moyennes",
                "Les impôts locaux sont trop élevés pour les retraités",
                "Supprimer les impôts sur les petites successions",
                "Publier comment les impôts de la commune sont dépensés",
                "Les impôts doivent financer les écoles d'abord",
                "Ouvrir la médiathèque le dimanche",
            ],
            "Comment pourrions-nous repenser les impôts ?",
        ),
        (
            "de",
            [
                "Windräder auf der Donauinsel aufstellen",
                "Keine Windräder im Wienerwald, sie verschandeln die Landschaft",
                "Mehr Windräder in Niederösterreich bauen",
                "Windräder nahe an Siedlungen erlauben",
                "Bürger an den Windrädern ihrer Gemeinde beteiligen",
                "Mehr Radwege in der Stadt",
            ],
            "Wie könnten wir beim Thema Windräder neue Wege gehen?",
        ),
        (
            "de",
            [
                "Das Wahlsystem ist ungerecht gegenüber kleinen Parteien",
                "Das Wahlsystem bis zur nächsten Wahl reformieren",
                "Das Wahlsystem versteht niemand mehr",
                "Junge Menschen finden das Wahlsystem zu kompliziert",
                "Das Wahlsystem sollte Vorzugsstimmen stärker zählen",
                "Mehr Radwege in der Stadt",
            ],
            "Wie könnten wir beim Thema Wahlsystem neue Wege gehen?",
        ),
    ],
)
def test_the_topic_most_notes_name_is_asked_about_in_their_words(
    language: str, texts: list[str], expected: str
) -> None:
    topic = shared_topic(_tagged(texts, language), language)
    assert topic is not None
    assert topic_question(topic, language) == expected
    # Its citations are the notes that name it, not the ones that do not.
    assert f"n{len(texts) - 1}" not in topic.note_ids
    assert len(topic.note_ids) >= 5


@pytest.mark.parametrize(
    ("language", "texts", "expected"),
    [
        (
            "fr",
            [f"Les habitants de la rue {n} se plaignent du bruit la nuit" for n in range(6)],
            "Comment pourrions-nous remédier au bruit ?",
        ),
        (
            "en",
            [f"The noise at night in street {n} is awful" for n in range(6)],
            "How might we address the noise?",
        ),
        (
            "de",
            [f"Der Lärm in der Straße {n} ist furchtbar" for n in range(6)],
            "Wie könnten wir beim Thema Lärm neue Wege gehen?",
        ),
        (
            "nl",
            [f"Het lawaai in straat {n} is vreselijk" for n in range(6)],
            "Hoe kunnen we het lawaai aanpakken?",
        ),
    ],
)
def test_a_topic_that_names_a_problem_is_dealt_with_not_rethought(
    language: str, texts: list[str], expected: str
) -> None:
    """The residents name the noise in every note: it is what the notes are about (not the
    residents, nor the street a preposition adds), and a problem is addressed."""
    topic = shared_topic(_tagged(texts, language), language)
    assert topic is not None
    assert topic_question(topic, language) == expected


ENERGY = [
    "Energieberater in den Gemeinden, die auf Haushalte zugehen",
    "Ein Energieeffizienzgesetz endlich beschließen",
    "Energiegemeinschaften für jedes Dorf gründen",
    "Die Energiewende braucht mehr Tempo",
    "Energie sparen muss sich lohnen",
    "Energiesparlampen für alle Schulen",
    "Den Energieverbrauch der Ämter veröffentlichen",
    "Fahrradwege sicherer machen",
    "Mehr Grünflächen in der Stadt",
]


@pytest.mark.parametrize(
    ("language", "texts", "expected", "title"),
    [
        ("de", ENERGY, "Wie könnten wir beim Thema Energie neue Wege gehen?", "Energie"),
        (
            "nl",
            [
                "Een energieloket in elke gemeente",
                "Energiecoaches die bij mensen thuis langskomen",
                "De energierekening van sociale huurders verlagen",
                "Energiegemeenschappen in de wijken oprichten",
                "Energie besparen moet lonen",
                "Energiebesparing in scholen belonen",
                "Meer bankjes in het park",
            ],
            "Hoe kunnen we rond het thema energie nieuwe wegen inslaan?",
            "Energie",
        ),
    ],
)
def test_a_field_named_inside_compounds_is_the_topic(
    language: str, texts: list[str], expected: str, title: str
) -> None:
    """German and Dutch notes name a field inside their compounds ("Energieberater",
    "Energiewende"), and the field alone in few of them: the notes naming it in a compound
    count, and the question asks about the field, not about the field as a thing ("… das
    Klima neu denken?")."""
    topic = shared_topic(_tagged(texts, language), language)
    assert topic is not None
    assert topic.domain
    assert topic.text == title
    assert topic_question(topic, language) == expected
    assert f"n{len(texts) - 1}" not in topic.note_ids
    assert len(topic.note_ids) >= 5


def test_a_compound_is_cut_only_into_words_the_notes_write() -> None:
    """ "Handel" holds no "Hand"; "Radweg" is not counted as "Rad" (too short a part), and a
    part nobody writes on its own ("Energie" here) names nothing."""
    handel = [
        "Der Onlinehandel zerstört die Innenstadt",
        "Der Internethandel braucht Regeln",
        "Handel mit gebrauchter Kleidung fördern",
        "Eine Hand wäscht die andere im Gemeinderat",
        "Handelsketten sollen Lebensmittel spenden",
        "Mehr Bäume pflanzen",
    ]
    topic = shared_topic(_tagged(handel, "de"), "de")
    assert topic is None or topic.text.casefold() != "hand", topic
    only_compounds = [t for t in ENERGY if "Energie " not in t]
    topic = shared_topic(_tagged(only_compounds, "de"), "de")
    assert topic is None or topic.text.casefold() != "energie", topic


def test_no_topic_where_no_noun_is_shared_a_label_or_the_workshop_subject() -> None:
    sticky = [
        "Translate the invitations",
        "Childcare during evening meetings",
        "Say what happened to the ideas",
        "Train staff in facilitation",
        "Pay participants from precarious backgrounds",
        "Publish the algorithm register",
        "Meet in the villages too",
        "A budget guaranteed by law",
    ]
    assert shared_topic(_tagged(sticky, "en"), "en") is None
    # A label the notes are addressed to is no topic ("Klimarat: …").
    labelled = [
        "Klimarat: Radwege ausbauen",
        "Klimarat: Öffis billiger machen",
        "Klimarat: Dächer mit Photovoltaik nutzen",
        "Klimarat: Fleisch höher besteuern",
        "Klimarat: Heizungen tauschen",
    ]
    assert shared_topic(_tagged(labelled, "de"), "de") is None
    # The subject of the whole workshop names no one theme of it.
    assert shared_topic(_tagged(TAXES, "en"), "en", frozenset({"taxes", "tax"})) is None
    # One word needs a third of the notes: here 4 of 14 name "CO2" alone.
    few = [*(f"CO2 senken bei {x}" for x in ("Autos", "Flügen", "Heizungen", "Zement"))]
    others = [f"Mehr {x}" for x in ("Radwege", "Bäume", "Bänke", "Busse", "Brunnen")]
    others += [f"Weniger {x}" for x in ("Lärm", "Müll", "Beton", "Werbung", "Licht")]
    assert shared_topic(_tagged([*few, *others], "de"), "de") is None


def test_a_unit_that_shares_a_thing_but_no_proposal_is_asked_about_the_thing() -> None:
    embedder = create_embedder("use-m3")
    theme, notes = _theme(TAXES, "en")
    vectors = dict(zip(notes, np.asarray(embedder.embed(TAXES)), strict=True))
    draft = ComposingDrafter(vectors, embedder.embed).draft(theme, notes, "en")
    assert draft.challenge.text == "How might we rethink our approach to taxes?", draft.challenge
    assert draft.title.text == "Taxes", draft.title
    assert set(draft.challenge.cites) <= {f"n{i}" for i in range(len(TAXES) - 2)}
    # The notes' own questions are one click away, and the reviewer is told why.
    assert draft.challenge_alternatives, draft
    assert any("tax" in q.text for q in draft.challenge_alternatives)
    assert any("asks about the title" in flag for flag in draft.flags), draft.flags
    # Every idea about the thing answers the question: none is left out as a corner; a
    # stray idea one note makes far from it is ("Open the library on Sundays").
    assert len(draft.proposal) >= 3, draft.proposal
    assert not any("library" in p.text or "trees" in p.text for p in draft.proposal)

    # In a French run of these English notes the question is asked in English, flagged to
    # translate, and about the thing as in an English run: not one side's "lower taxes".
    draft = ComposingDrafter(vectors, embedder.embed).draft(theme, notes, "fr")
    assert draft.challenge.text == "How might we rethink our approach to taxes?", draft.challenge
    assert any("traduisez-le" in flag for flag in draft.flags), draft.flags

    # When most notes make one proposal, theirs is the question.
    lower = [
        "Lower taxes for small businesses",
        "We must lower taxes for shops in the centre",
        "Lower the taxes small businesses pay",
        "Small businesses need lower taxes",
        "Please lower taxes for the small shops",
        "Lower local taxes so small businesses survive",
        "Lower business taxes for small firms",
        "Taxes for small businesses should be lower",
        "Raise taxes on the richest households",
        "Publish how taxes are spent",
    ]
    theme, notes = _theme(lower, "en")
    vectors = dict(zip(notes, np.asarray(embedder.embed(lower)), strict=True))
    draft = ComposingDrafter(vectors, embedder.embed).draft(theme, notes, "en")
    assert "rethink" not in draft.challenge.text, draft.challenge
    assert "lower" in draft.challenge.text, draft.challenge


def test_the_topic_is_what_notes_name_first_not_whom_or_a_verb_taken_for_a_noun() -> None:
    """Every note names the taxes, a county and the pensioners: the pensioners are whom a
    question is for, the county where; "augmentent" tagged as a noun is no topic."""
    english = [f"Taxes in county {n} are far too high for pensioners" for n in range(6)]
    topic = shared_topic(_tagged(english, "en"), "en")
    assert topic is not None and topic.text == "Taxes"
    # Five words say too little to hand out: the room's approach to the thing is asked.
    assert topic_question(topic, "en") == "How might we rethink our approach to taxes?"
    french = [f"Les impôts de la ville {n} augmentent" for n in range(6)]
    topic = shared_topic(_tagged(french, "fr"), "fr")
    assert topic is not None
    assert topic_question(topic, "fr") == "Comment pourrions-nous repenser les impôts ?"


INCOME = [
    "A UBI would free people to care for their parents",
    "We should not introduce a UBI before the welfare system is fixed",
    "The UBI must be funded by taxing tax avoiders",
    "A universal basic income would end the stigma of benefits",
    "Set the universal basic income at the level of the pension",
    "Fund a universal basic income from a carbon dividend",
    "Raise the minimum wage to fifteen dollars",
    "Small shops cannot pay higher wages",
    "Robots will take the jobs anyway",
    "Public services matter more than cash",
    "Abolish benefit abatement for people moving into work",
    "Let parents work part time without losing support",
]


def test_a_note_naming_a_topic_by_its_acronym_names_the_topic() -> None:
    """Three notes say "UBI", three "universal basic income": six of twelve name it (neither
    alone reaches a quarter of them with one word's share), and the question asks about it
    in the words written out, without "the": the notes propose one ("a universal basic
    income") more often than they speak of the one that exists."""
    assert shared_topic(_tagged(INCOME[3:], "en"), "en") is None  # three of nine: too few
    topic = shared_topic(_tagged(INCOME, "en"), "en")
    assert topic is not None
    assert topic_question(topic, "en") == "How might we rethink universal basic income?"
    assert {"n0", "n1", "n2", "n3", "n4", "n5"} <= set(topic.note_ids)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (
            [
                *(f"A Universal Basic Income should replace benefit number {n}" for n in range(2)),
                *(f"A universal basic income should replace benefit number {n}" for n in range(4)),
            ],
            "How might we rethink universal basic income?",
        ),
        (  # written as a name by most notes that write it inside a sentence
            [f"I hope Bowling Green keeps its parks, number {n}" for n in range(5)],
            "How might we rethink Bowling Green?",
        ),
    ],
)
def test_a_topic_written_in_capitals_keeps_them_only_as_a_name(
    texts: list[str], expected: str
) -> None:
    topic = shared_topic(_tagged(texts, "en"), "en")
    assert topic is not None
    assert topic_question(topic, "en") == expected


def test_a_name_keeps_its_capitals() -> None:
    words = [w for w in tag("We love New York City", "en") if w.pos == "PROPN"]
    assert written_phrase(words) == "New York City"


FOOTBALL = [
    "The deleterious impact of football on young brains is well documented",
    "The deleterious impact of football on players is hidden by the league",
    "The deleterious impact of football is exaggerated by the media",
    "Football is part of our culture",
    "I played football in high school and I am fine",
    "Football brings families together on Sundays",
    "Concussions in football are a real problem for teenagers",
    "Football is the only sport many kids in our town can afford",
    "My son loves football more than anything",
    "The police should patrol outside the stadium after every match",
    "Boxing should be banned too",
]


def test_the_thing_most_notes_name_is_asked_before_a_heading_that_takes_a_side() -> None:
    """The notes debate football; its heading by meaning, "Deleterious impact of football",
    is some notes' word for it, and "… address the deleterious impact of football?" would
    take their side. Every note names football: the room is asked about it, neutrally."""
    embedder = create_embedder("use-m3")
    theme, notes = _theme(FOOTBALL, "en")
    vectors = dict(zip(notes, np.asarray(embedder.embed(FOOTBALL)), strict=True))
    draft = ComposingDrafter(vectors, embedder.embed).draft(theme, notes, "en")
    assert draft.challenge.text == "How might we rethink our approach to football?"
    assert draft.title.text == "Football"


def test_a_challenge_whose_notes_name_one_thing_asks_about_it() -> None:
    """Each facet asks one note's question (a facet under ten notes asks no topic), but most
    of the challenge's notes name wind turbines: the challenge asks about them."""
    wind = [
        "Windräder auf der Donauinsel aufstellen",
        "Keine Windräder im Wienerwald, sie verschandeln die Landschaft",
        "Mehr Windräder in Niederösterreich bauen",
        "Windräder nahe an Siedlungen erlauben",
        "Bürger an den Windrädern ihrer Gemeinde beteiligen",
        "Windräder auf den Hügeln um Wien errichten",
    ]
    more = [
        "Kleine Windräder auf Hochhäusern montieren",
        "Alte Windräder schneller durch neue ersetzen",
        "Windräder nur auf dem offenen Meer bauen",
        "Genehmigungen für Windräder vereinfachen",
        "Mehr Radwege in der Stadt",
    ]
    challenge, facets, notes, _ = _challenge_of([("T1", wind, "de"), ("T2", more, "de")])
    *directions, topic = _basis(12)
    vectors = {f"n{i}": _unit(0.5 * topic + 0.87 * d) for i, d in enumerate(directions)}
    drafter = ComposingDrafter(vectors)
    assert all(
        "beim Thema Windräder" not in drafter.draft(f, notes, "de").challenge.text for f in facets
    )
    draft = drafter.draft_challenge(challenge, facets, notes, "de")
    assert draft.challenge.text == "Wie könnten wir beim Thema Windräder neue Wege gehen?"
    # In a French run of these German notes too, in German (to translate, flagged).
    draft = drafter.draft_challenge(challenge, facets, notes, "fr")
    assert draft.challenge.text == "Wie könnten wir beim Thema Windräder neue Wege gehen?"
    assert any("traduisez-le" in flag for flag in draft.flags), draft.flags
