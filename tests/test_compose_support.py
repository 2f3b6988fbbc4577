"""The composing drafter speaks for the theme: the question, the title and the proposals are
chosen by how many of the theme's notes back them, in the run's embedding space.

Real taggers; the vectors are made for each case so that which notes are close is known.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from pipeline.draft.compose import ComposingDrafter, form_of, grammar, question
from pipeline.draft.compose.drafter import (
    FEW_IN_LANGUAGE,
    NO_TITLE,
    UNRULED_NAMED,
    _generic_word,
    question_language,
    repeats,
)
from pipeline.draft.compose.questions import as_titled
from pipeline.draft.compose.tagging import join, tag
from pipeline.draft.compose.titles import noun_phrases, title_candidates
from pipeline.i18n import words
from pipeline.schema import Note, Theme

DIMENSIONS = 16


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector)


def _theme(texts: Sequence[str], lang: str) -> tuple[Theme, dict[str, Note]]:
    notes = {
        f"n{i}": Note(
            id=f"n{i}", text=t, original_text=t, source="s.csv", location=str(i), lang=lang
        )
        for i, t in enumerate(texts)
    }
    theme = Theme(
        id="T01",
        label="",
        note_ids=list(notes),
        size=len(notes),
        languages={lang: len(notes)},
        keyphrases=[],
        representative_ids=[],
    )
    return theme, notes


def _vectors(groups: Sequence[int], seed: int = 0) -> dict[str, np.ndarray]:
    """Note i lies near the centre of its group ``groups[i]``; groups lie near one topic."""
    rng = np.random.default_rng(seed)
    topic = rng.normal(size=DIMENSIONS)
    centres = {g: _unit(topic + 0.9 * rng.normal(size=DIMENSIONS)) for g in set(groups)}
    return {
        f"n{i}": _unit(centres[g] + 0.15 * rng.normal(size=DIMENSIONS))
        for i, g in enumerate(groups)
    }


WIND = [
    "Windkraft in den Bundesländern ausbauen",
    "Mehr Windräder auf den Anhöhen bauen",
    "Den Ausbau der Windkraft beschleunigen",
    "Genehmigungen für Windparks vereinfachen",
    "Windparks mit Bürgerbeteiligung finanzieren",
]


def test_a_lone_contrarian_note_never_carries_the_question() -> None:
    texts = [*WIND, "Auf die Energiewende verzichten"]
    theme, notes = _theme(texts, "de")
    for seed in range(5):
        # Five distinct proposals, and the contrarian note at their centre: the closest to
        # every other note, so only its stance can keep it from leading.
        vectors = _vectors([0, 1, 2, 3, 4, 5], seed)
        vectors["n5"] = _unit(sum(vectors[f"n{i}"] for i in range(5)))
        draft = ComposingDrafter(vectors).draft(theme, notes, "de")
        assert "verzichten" not in draft.challenge.text, draft.challenge.text


def test_proposals_are_ranked_by_the_notes_that_back_them() -> None:
    texts = [
        "Genehmigungen für Windparks vereinfachen",
        "Windkraft in den Bundesländern ausbauen",
        "Windräder auf allen Anhöhen bauen",
        "Mehr Windräder in Niederösterreich errichten",
        "Windparks mit Bürgerbeteiligung finanzieren",
    ]
    theme, notes = _theme(texts, "de")
    # n1, n2 and n3 say close things; n0 and n4 stand alone.
    draft = ComposingDrafter(_vectors([0, 1, 1, 1, 2], seed=3)).draft(theme, notes, "de")
    counts = [len(p.cites) for p in draft.proposal]
    assert counts == sorted(counts, reverse=True) or counts[0] >= 0.75 * max(counts)
    first = draft.proposal[0]
    assert set(first.cites) & {"n1", "n2", "n3"} and len(first.cites) >= 2
    alone = [p for p in draft.proposal if p.cites[0] in {"n0", "n4"}]
    assert all(len(p.cites) <= len(first.cites) for p in alone)
    # Each says how many of its notes make it; the others are close to it.
    for proposal in draft.proposal:
        assert proposal.said_by is not None and 1 <= proposal.said_by <= len(proposal.cites)
    assert all(p.said_by == 1 for p in alone)


def test_title_question_and_alternatives() -> None:
    theme, notes = _theme(WIND, "de")
    rng = np.random.default_rng(1)
    drafter = ComposingDrafter(
        _vectors([0, 1, 2, 3, 4]), lambda texts: rng.normal(size=(len(texts), DIMENSIONS))
    )
    draft = drafter.draft(theme, notes, "de")
    assert draft.challenge.text.startswith("Wie könnten wir")
    assert len(draft.challenge_alternatives) == 2
    assert all(a.text != draft.challenge.text for a in draft.challenge_alternatives)
    assert all(a.cites for a in [*draft.challenge_alternatives, *draft.title_alternatives])
    assert all(a.text != draft.title.text for a in draft.title_alternatives)


def test_a_failure_inside_the_drafter_gives_a_flagged_draft() -> None:
    theme, notes = _theme(WIND, "de")

    def broken(texts: list[str]) -> np.ndarray:
        raise RuntimeError("the embedder went away")

    draft = ComposingDrafter(_vectors([0] * 5), broken).draft(theme, notes, "de")
    assert draft.flags and "konnte nicht geschrieben werden" in draft.flags[0]  # in German
    assert "RuntimeError" in draft.flags[0]
    assert draft.challenge.cites and set(draft.cited_ids()) <= set(notes)


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("de", 'Produktion Erneuerbarer Energie muss "öffentliches Interesse" werden'),
        ("de", "Autobahnen mit Photovoltaik überbauen und auch Lärmschutzwände dafür verwenden"),
        ("de", "Windräder dort, wo effizient"),
        ("nl", "Zonnepanelen daar waar het kan"),
        ("en", "Put benches there"),
        ("de", "Auf die Energiewende verzichten"),
    ],
)
def test_no_question_drops_a_subject_stacks_verbs_or_points_nowhere(
    language: str, note: str
) -> None:
    form = form_of(note, language)
    asked = question(form, language) if form is not None else ""
    assert "werden?" not in asked
    assert "verwenden einführen" not in asked
    for deictic in (" dort", " daar", " there"):
        assert deictic not in asked


@pytest.mark.parametrize(
    ("language", "note", "asked"),
    [
        (
            "fr",
            "Aller vers les jeunes là où ils sont : lycées, clubs de sport, réseaux sociaux",
            "Comment pourrions-nous aller vers les jeunes là où ils sont ?",
        ),
        (
            "nl",
            "Jongeren opzoeken daar waar ze zijn",
            "Hoe kunnen we jongeren opzoeken daar waar ze zijn?",
        ),
    ],
)
def test_a_place_the_note_says_is_no_pointing_elsewhere(
    language: str, note: str, asked: str
) -> None:
    """ "là où ils sont" says which place "là" means: the note is asked, where "Windräder
    dort, wo effizient" and "Put benches there" are not."""
    form = form_of(note, language)
    assert form is not None and question(form, language) == asked


@pytest.mark.parametrize(
    ("language", "note", "stands"),
    [
        ("en", "Similar taxes should be considered for other issues such as pollution", False),
        ("de", "Solche Maßnahmen auch in den Bezirken fördern", False),
        ("fr", "Des mesures similaires dans les communes", False),
        ("nl", "Vergelijkbare regels invoeren voor bedrijven", False),
        ("en", "Consider taxes on issues such as pollution", True),
        ("fr", "Des mesures similaires à celles de Grenoble", True),
    ],
)
def test_a_thing_like_one_named_elsewhere_is_neither_asked_nor_proposed(
    language: str, note: str, stands: bool
) -> None:
    """ "Similar taxes should be considered …" was proposed under "How might we rethink
    tax?": similar to what? Naming it ("such as", "similaires à") keeps the note."""
    assert (form_of(note, language) is not None) is stands


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("de", 'Mehrheitsmeinung von A (?): "Das Klima kann der Mensch nicht ändern"'),
        ("en", 'Majority opinion of the council: "no more cars"'),
        ("nl", "Mening van de buurt: te veel verkeer"),
    ],
)
def test_a_reported_view_is_no_proposal(language: str, note: str) -> None:
    """ "Wie könnten wir eine Mehrheitsmeinung von A einführen?" was proposed."""
    assert form_of(note, language) is None


def test_a_thing_named_with_a_view_word_that_is_not_its_head_stays_a_proposal() -> None:
    form = form_of("Public opinion survey on every project", "en")
    assert form is not None and "opinion survey" in question(form, "en")
    form = form_of("Human review of every automated refusal", "en")  # not a "view"
    assert form is not None and "review" in question(form, "en")


@pytest.mark.parametrize(
    ("note", "title", "not_title"),
    [
        (
            "Ausbau der erneuerbaren Energien beschleunigen",
            "Ausbau der erneuerbaren Energien",  # a noun keeps its genitive attribute
            "der erneuerbaren Energien",
        ),
        (
            "Errichtung einer Speicherinfrastruktur für erneuerbare Energien in Form von Salz",
            "Errichtung einer Speicherinfrastruktur für erneuerbare Energien",
            "Errichtung",
        ),
        (
            # A phrase is not cut from its genitive: "… an umgehende Umsetzung" says nothing.
            "Steuererleichterungen für energieintensive Unternehmen an umgehende Umsetzung "
            "eines Ökologieplans knüpfen",
            "Steuererleichterungen für energieintensive Unternehmen",
            "Steuererleichterungen für energieintensive Unternehmen an umgehende Umsetzung",
        ),
        (
            "Mehr lokal produzierte Lebensmittel in Kantinen",
            "lokal produzierte Lebensmittel in Kantinen",
            "produzierte Lebensmittel in Kantinen",
        ),
        ("Auch hohe Preise für Flugtickets", "hohe Preise für Flugtickets", None),
        ("Steuern klimaschädlicher Produkte erhöhen", None, "Klimaschädlicher Produkte"),
        ("Anbindung des ländlichen Raums durch Bürgerbusse", None, "Raums durch Bürgerbusse"),
        ("Alte Autos durch E-Autos ersetzen", "Alte Autos", "Alte Autos durch E-Autos"),
        (
            "Konzerne zu recyclingfähigen Verpackungen verpflichten",
            "recyclingfähige Verpackungen",
            "Konzerne zu recyclingfähigen Verpackungen",
        ),
        ("Windparks mit Bürgerbeteiligung sind gut", "Windparks mit Bürgerbeteiligung", None),
        ("Dem produzierten Strom grünen Wasserstoff beimischen", None, "Dem produzierten Strom"),
        ("Europa produzierte CO2 seit Jahrzehnten", None, "Produzierte CO2"),
        # A plain adjective after a noun opens the next phrase: not "Die klimafreundlichen
        # Produkte" of another note for "… klimafeindliche Produkte verteuern".
        ("Mit Steuern klimafeindliche Produkte verteuern", "klimafeindliche Produkte", None),
        ("Ein Verbot fossiler Heizungen im Neubau", "fossile Heizungen im Neubau", None),
        # "auf" with the accusative before the final verb is the verb's ("umstellen auf");
        # with the dative it stays with its noun.
        (
            "Die Energieerzeugung auf erneuerbare Energien umstellen",
            "erneuerbare Energien",
            "Energieerzeugung auf erneuerbare Energien",
        ),
        (
            "Photovoltaik auf öffentlichen Dächern installieren",
            "Photovoltaik auf öffentlichen Dächern",
            None,
        ),
        ("Gesetzlicher Rahmen für Bürgerräte", "Gesetzlicher Rahmen für Bürgerräte", None),
        # What the verb takes "mit" is named in the nominative, without the dative's "-n".
        ("Alle Schulhöfe mit Bäumen zur Beschattung begrünen", "Bäume zur Beschattung", None),
        ("Dörfer mit Bürgerbussen verbinden", "Bürgerbusse", "Bürgerbussen"),
        ("Ämter mit Solaranlagen ausstatten", "Solaranlagen", "Solaranlage"),
        # Two nouns side by side are two phrases; someone's thing needs its owner.
        (
            "Verpflichtend auf allen neuen Schulen Gründächer anlegen",
            "Gründächer",
            "Neue Schulen Gründächer",
        ),
        ("Vereine müssen ihre Räume am Abend öffnen", None, "Räume am Abend"),
        ("CO2 Budget pro Person", "CO2 Budget pro Person", None),
    ],
)
def test_a_german_title_is_a_noun_phrase_in_the_nominative(
    note: str, title: str | None, not_title: str | None
) -> None:
    phrases = [join(p) for p in noun_phrases(tag(note, "de"), "de")]
    if title is not None:
        assert title in phrases, phrases
    if not_title is not None:
        assert all(p.casefold() != not_title.casefold() for p in phrases), phrases


@pytest.mark.parametrize(
    ("note", "heading"),
    [
        ("Die klimafreundlichen Produkte sind zu teuer", "Klimafreundliche Produkte"),
        ("Die Wiener Donauinsel muss mit Windrädern genutzt werden", "Wiener Donauinsel"),
        (
            "Das ungebremste Bevölkerungswachstum ist das Problem",
            "Ungebremstes Bevölkerungswachstum",
        ),
        ("Der öffentliche Verkehr muss billiger werden", "Öffentlicher Verkehr"),
        ("Die hohe Steuer auf Arbeit ist unfair", "Hohe Steuer auf Arbeit"),
    ],
)
def test_a_german_heading_names_its_thing_without_the_notes_article(
    note: str, heading: str
) -> None:
    """A note's subject with its article ("Die klimafreundlichen Produkte") heads as a
    thing: no article, the adjective in the ending it takes alone."""
    theme = Theme(
        id="T01",
        label="",
        note_ids=["n1"],
        size=1,
        languages={"de": 1},
        keyphrases=[],
        representative_ids=[],
    )
    titles = [t.text for _, t in title_candidates(theme, [("n1", tag(note, "de"))], "de", {})]
    assert heading in titles, titles
    assert not any(t.split()[0].lower() in {"die", "das", "der"} for t in titles), titles


NEEDS_GRAMMALECTE = pytest.mark.skipif(
    not grammar.available(), reason="Grammalecte (python3-grammalecte) is not installed"
)


@NEEDS_GRAMMALECTE
def test_grammalecte_finds_agreement_errors_not_typography() -> None:
    assert grammar.french_grammar_errors(
        "Comment pourrions-nous baisser les impôts sur le revenus ?"
    )
    assert (
        grammar.french_grammar_errors("Comment pourrions-nous baisser les impôts sur le revenu ?")
        == []
    )
    # a word the dictionary does not know, but not a name or an acronym
    assert grammar.french_misspelt("Comment pourrions-nous arreter les subventions ?") == [
        "arreter"
    ]
    assert grammar.french_misspelt("Comment pourrions-nous mettre en place le RIC ?") == []


@NEEDS_GRAMMALECTE
def test_the_article_the_rules_add_agrees_with_a_noun_the_tagger_leaves_ungendered() -> None:
    """ "plateforme" opening a note is read as an adjective with no gender, and its ending
    says masculine: the question said "… mettre en place un plateforme en ligne …"."""
    assert grammar.french_gender("plateforme") == "f"
    assert grammar.french_gender("programme") == "m"
    assert grammar.french_gender("xqzt") == ""
    for note, article in [
        ("Plateforme en ligne avec le statut de chaque contribution", "une plateforme"),
        ("Programme de formation pour les agents", "un programme"),
    ]:
        form = form_of(note, "fr")
        assert form is not None
        asked = question(form, "fr")
        assert f"mettre en place {article}" in asked, asked
        assert grammar.french_grammar_errors(asked) == [], asked


@NEEDS_GRAMMALECTE
@pytest.mark.parametrize(
    ("texts", "slip"),
    [
        (
            [
                "Baisser les impôts sur le revenus des familles",
                "Réduire la fiscalité des familles modestes",
                "Alléger les taxes locales pour les jeunes ménages",
            ],
            "revenus",
        ),
        (
            [
                "Arreter de subventionner les énergies fossiles",
                "Supprimer les aides aux énergies fossiles",
                "Réorienter les subventions vers les renouvelables",
            ],
            "rreter",
        ),
    ],
)
def test_a_french_question_does_not_copy_a_notes_slip(texts: list[str], slip: str) -> None:
    """Neither a grammar error ("sur le revenus") nor a misspelt word ("arreter")."""
    theme, notes = _theme(texts, "fr")
    vectors = _vectors([0, 1, 2], seed=2)
    vectors["n0"] = _unit(sum(vectors.values()))  # the slip is the most central note
    draft = ComposingDrafter(vectors).draft(theme, notes, "fr")
    assert slip not in draft.challenge.text, draft.challenge.text
    assert grammar.french_grammar_errors(draft.challenge.text) == []
    assert grammar.french_misspelt(draft.challenge.text) == []


@NEEDS_GRAMMALECTE
def test_a_french_title_does_not_copy_a_notes_slip() -> None:
    """A title with a slip ("Impôts sur le revenus") is an alternative only after titles
    without one, even when the question is about it."""
    texts = [
        "Baisser les impôts sur le revenus",
        "Impôts sur le revenus trop lourds",
        "La fiscalité des familles est trop lourde",
    ]
    theme, notes = _theme(texts, "fr")
    draft = ComposingDrafter(_vectors([0, 0, 1], seed=2)).draft(theme, notes, "fr")
    assert grammar.french_grammar_errors(draft.title.text) == [], draft.title.text
    assert "Impôts sur le revenus" in [t.text for t in draft.title_alternatives]


@pytest.mark.parametrize(
    ("language", "note", "expected"),
    [
        ("de", "Klare Regel für alle", "Wie könnten wir eine klare Regel für alle einführen?"),
        (
            "de",
            "Verbot fossiler Heizungen im Neubau",
            "Wie könnten wir ein Verbot fossiler Heizungen im Neubau einführen?",
        ),
        (
            "de",
            "Mehr Windräder auf den Anhöhen bauen",
            "Wie könnten wir mehr Windräder auf den Anhöhen bauen?",
        ),
        (
            "fr",
            "Des transports gratuits pour tous",
            "Comment pourrions-nous mettre en place des transports gratuits pour tous ?",
        ),
        (
            "en",
            "Want to attract more bands to the city",
            "How might we attract more bands to the city?",
        ),
        # A noun another noun names is a known one: the definite article of its gender.
        (
            "de",
            "Qualität des Trinkwassers verbessern",
            "Wie könnten wir die Qualität des Trinkwassers verbessern?",
        ),
        # "How might we" already says "could": no "pouvoir", "können", "be able to".
        (
            "fr",
            "Pouvoir contester une décision prise sans concertation",
            "Comment pourrions-nous contester une décision prise sans concertation ?",
        ),
        ("de", "Online abstimmen können", "Wie könnten wir online abstimmen?"),
        ("en", "Be able to vote online", "How might we vote online?"),
        # Who needs it stays, however capitalised; a body's name is "we".
        (
            "en",
            "Threatened Plants need legal protection",
            "How might we provide legal protection for threatened plants?",
        ),
        ("en", "The Land Bank needs more staff", "How might we provide more staff?"),
    ],
)
def test_the_words_the_rules_add_agree(language: str, note: str, expected: str) -> None:
    form = form_of(note, language)
    assert form is not None and question(form, language) == expected


@pytest.mark.parametrize(
    ("language", "note", "title", "not_title"),
    [
        (
            "fr",
            "De l'idée à la décision : rendre des comptes",
            "de l'idée à la décision",
            "idée à la décision",
        ),
        (
            "fr",
            "Traçabilité : de l'idée à la décision",
            "de l'idée à la décision",
            "idée à la décision",
        ),
        (
            "fr",
            "Toujours les mêmes retraités aux réunions publiques",
            None,
            "mêmes retraités aux réunions publiques",
        ),
        (
            "fr",
            "Pour les chefs de projet une formation",
            "chefs de projet",
            "pour les chefs de projet",
        ),
        (
            # "to …" after the object of "bring" is the verb's, not the noun's.
            "en",
            "Bring the council meeting to the neighbourhoods",
            "council meeting",
            "council meeting to the neighbourhoods",
        ),
    ],
)
def test_a_title_is_a_whole_phrase_not_a_fragment_or_a_complaint(
    language: str, note: str, title: str | None, not_title: str
) -> None:
    from pipeline.draft.compose.titles import title_candidates

    words = tag(note, language)
    phrases = [join(p) for p in noun_phrases(words, language)]
    if title is not None:
        assert title in phrases, phrases
    theme, _ = _theme([note], language)
    found = [t.text.casefold() for _, t in title_candidates(theme, [("n0", words)], language, {})]
    assert not_title.casefold() not in found, found


@pytest.mark.parametrize(
    ("language", "note", "not_title", "title"),
    [
        # Every note of a workshop is an idea: the word alone names no theme ...
        ("fr", "Expliquer pourquoi une idée n'a pas été retenue", "idée", None),
        ("de", "Jede Idee braucht eine Antwort", "idee", "antwort"),
        ("en", "Tell people what happened to their ideas", "ideas", None),
        # ... though with what it goes to, it does.
        ("fr", "Traçabilité : de l'idée à la décision", None, "de l'idée à la décision"),
        # A manner names nothing.
        ("de", "Klimaschutz muss in systemischer Weise gedacht werden", "systemischer weise", None),
    ],
)
def test_an_idea_or_a_manner_alone_is_no_title(
    language: str, note: str, not_title: str | None, title: str | None
) -> None:
    words = tag(note, language)
    theme, _ = _theme([note], language)
    found = [t.text.casefold() for _, t in title_candidates(theme, [("n0", words)], language, {})]
    if not_title is not None:
        assert not_title not in found, found
    if title is not None:
        assert title in found, found


def test_when_no_note_can_be_asked_the_question_asks_about_a_title_naming_a_problem() -> None:
    texts = [
        "Lärmbelastung in der Nacht ist in unserer Straße unerträglich.",
        "Die Lärmbelastung in der Nacht hat sich verdoppelt.",
        "Wegen der Lärmbelastung in der Nacht schlafen die Kinder schlecht.",
    ]
    theme, notes = _theme(texts, "de")
    theme = theme.model_copy(update={"keyphrases": ["lärmbelastung", "nacht"]})
    draft = ComposingDrafter().draft(theme, notes, "de")
    assert draft.title.text == "Lärmbelastung in der Nacht"
    assert draft.challenge.text == "Wie könnten wir Lärmbelastung in der Nacht angehen?"
    assert any("fragt nach dem Titel" in flag for flag in draft.flags), draft.flags
    assert set(draft.challenge.cites) <= set(notes)

    # A title that names no problem is not asked about with a verb the rules would guess
    # ("Windparks mit Bürgerbeteiligung einführen"): the question waits for a person.
    texts = [
        "Windparks mit Bürgerbeteiligung sind eine gute Sache.",
        "Windparks mit Bürgerbeteiligung haben in Bayern funktioniert.",
        "Bei Windparks mit Bürgerbeteiligung bleibt das Geld in der Region.",
    ]
    theme, notes = _theme(texts, "de")
    theme = theme.model_copy(update={"keyphrases": ["windparks", "bürgerbeteiligung"]})
    draft = ComposingDrafter().draft(theme, notes, "de")
    assert draft.title.text == "Windparks mit Bürgerbeteiligung"
    assert draft.challenge.text.startswith("(")  # the placeholder, flagged
    assert not any("fragt nach dem Titel" in flag for flag in draft.flags), draft.flags


def _challenge_of(
    facets: Sequence[tuple[str, Sequence[str], str]],
) -> tuple[Theme, list[Theme], dict[str, Note], dict[str, np.ndarray]]:
    """A challenge B1 of facets (id, texts, language), each facet a group of close notes."""
    notes: dict[str, Note] = {}
    groups: list[int] = []
    parts = []
    for g, (facet_id, texts, lang) in enumerate(facets):
        ids = []
        for text in texts:
            note_id = f"n{len(notes)}"
            notes[note_id] = Note(
                id=note_id,
                text=text,
                original_text=text,
                source="s.csv",
                location=note_id,
                lang=lang,
            )
            ids.append(note_id)
            groups.append(g)
        parts.append(
            Theme(
                id=facet_id,
                label="",
                note_ids=ids,
                size=len(ids),
                languages={lang: len(ids)},
                keyphrases=[],
                representative_ids=[],
                parent_id="B1",
            )
        )
    every = list(notes)
    challenge = Theme(
        id="B1",
        label="",
        note_ids=every,
        size=len(every),
        languages={},
        keyphrases=[],
        representative_ids=[],
    )
    return challenge, parts, notes, _vectors(groups)


INVITATIONS = [
    "Traduire les invitations dans les langues parlées dans les quartiers",
    "Invitations traduites en arabe et en turc",
    "Traduire les invitations en plusieurs langues",
    "Des invitations en langage clair",
    "Des interprètes aux réunions publiques",
]
FACILITATION = [
    "Former les chefs de projet à la facilitation",
    "Une formation à la facilitation pour les agents",
    "Du coaching par des facilitateurs expérimentés",
]


def test_a_challenge_speaks_with_its_largest_facet_and_offers_the_others() -> None:
    """Heading, question and first proposal come from one facet, the largest; the other
    facet's question is an alternative, and the proposals come from both."""
    challenge, facets, notes, vectors = _challenge_of(
        [("T2", FACILITATION, "fr"), ("T1", INVITATIONS, "fr")]
    )
    drafter = ComposingDrafter(vectors)
    draft = drafter.draft_challenge(challenge, facets, notes, "fr")
    largest = drafter.draft(facets[1], notes, "fr")
    other = drafter.draft(facets[0], notes, "fr")
    assert (draft.title.text, draft.challenge.text) == (largest.title.text, largest.challenge.text)
    assert "invitations" in draft.challenge.text
    assert other.challenge.text in [a.text for a in draft.challenge_alternatives]
    assert other.title.text in [a.text for a in draft.title_alternatives]
    assert draft.challenge.cites[0] in draft.proposal[0].cites  # the idea it asks, first
    cited = {i for p in draft.proposal for i in p.cites}
    assert cited & set(facets[0].note_ids) and cited & set(facets[1].note_ids)
    assert draft.cited_ids() <= set(challenge.note_ids) and draft.theme_id == "B1"


@pytest.mark.parametrize(
    ("proposal", "said", "language", "repeated"),
    [
        (
            "Former les agents à l'animation de réunions participatives",
            "Comment pourrions-nous former les agents à l'animation de réunions participatives ?",
            "fr",
            True,
        ),
        (
            "Wir müssen die Ausbeutungslogik des Kapitalismus hinter uns lassen",
            "Wie könnten wir die Ausbeutungslogik des Kapitalismus hinter uns lassen?",
            "de",
            True,
        ),
        (
            "Tell people what happened to their input",
            "How might we tell people what happened to their input?",
            "en",
            True,
        ),
        # A proposal that says more than the question is no repeat.
        (
            "Droit de recours si la consultation prévue n'a pas eu lieu",
            "Comment pourrions-nous instaurer un droit de recours ?",
            "fr",
            False,
        ),
        (
            "Écoute active : formation obligatoire",
            "Comment pourrions-nous former les agents ?",
            "fr",
            False,
        ),
        # No rules, no judgement.
        ("增加公車班次", "增加公車班次？", "zh", False),
    ],
)
def test_a_proposal_that_says_the_question_again_is_told(
    proposal: str, said: str, language: str, repeated: bool
) -> None:
    assert repeats(proposal, [said], language) is repeated


def test_the_questions_own_idea_comes_after_the_answers_when_it_repeats_the_question() -> None:
    """ "Former les agents à l'animation …" first under "… former les agents à l'animation
    … ?" reads as a repeat: it comes after three answers in the room's language, the next
    several notes back taking its place; with no such idea, or where an idea it would let
    up is in another language or copies a slip, it stays first."""
    from pipeline.draft.compose.drafter import _repeat_after_answers
    from pipeline.schema import Draft, Sentence

    texts = [
        "Former les agents à l'animation de réunions participatives",
        "Écoute active : formation obligatoire pour les agents",
        "Mentorat entre services pour les nouveaux agents",
        "Actief luisteren leren aan het loket",
        "Un café après la réunion",
        "Formation à la facilitation pour les chefs de projet",
    ]
    theme, notes = _theme(texts, "fr")
    notes["n3"] = notes["n3"].model_copy(update={"lang": "nl"})
    proposals = [
        Sentence(text=t, cites=[f"n{i}"] if i == 4 else [f"n{i}", "n9"])
        for i, t in enumerate(texts)
    ]
    draft = Draft(
        theme_id=theme.id,
        language="fr",
        drafter="compose",
        title=Sentence(text="Animation de réunions participatives", cites=["n0"]),
        challenge=Sentence(
            text="Comment pourrions-nous former les agents à l'animation de réunions "
            "participatives ?",
            cites=["n0"],
        ),
        proposal=proposals,
    )

    def order(d: Draft) -> list[str]:
        return [p.cites[0] for p in d.proposal]

    # The next French idea several notes back (not the Dutch one, not one note's café).
    assert order(_repeat_after_answers(draft, notes, set())) == ["n1", "n2", "n5", "n0", "n3", "n4"]
    # Only from the notes given (a challenge's leading facet): none there, so it stays.
    within = {"n0", "n1", "n2", "n3", "n4"}
    assert _repeat_after_answers(draft, notes, set(), within).proposal == proposals
    # A slip in an idea it would let up, or another language there, keeps it first.
    assert _repeat_after_answers(draft, notes, {"n2"}).proposal == proposals
    dutch = draft.model_copy(update={"proposal": [proposals[0], proposals[3], *proposals[1:3]]})
    assert _repeat_after_answers(dutch, notes, set()).proposal[0] is proposals[0]
    # Not the question's idea first (an analyst's list, an answer ranked first): as it is.
    answered = draft.model_copy(update={"proposal": proposals[1:]})
    assert _repeat_after_answers(answered, notes, set()) == answered


def test_the_ideas_closest_to_the_question_come_after_its_own() -> None:
    """After the question's idea, the backed ideas closest to it come first, before one
    more notes back but far from it; an idea of one note stays last. (The question's idea
    says the question again, but no third answer several notes back could take its place.)"""
    texts = [
        *["Traduire les invitations en arabe"] * 5,
        *["Former les agents à la facilitation"] * 4,
        *["Des invitations en langage clair"] * 2,
        "Un café après la réunion",
    ]
    theme, notes = _theme(texts, "fr")
    rng = np.random.default_rng(4)
    asked, far, alone = (_unit(rng.normal(size=DIMENSIONS)) for _ in range(3))
    side = rng.normal(size=DIMENSIONS)
    side = _unit(side - (side @ asked) * asked)
    near = _unit(0.6 * asked + 0.8 * side)  # cosine 0.6 to the question's idea
    base = [*[asked] * 5, *[far] * 4, *[near] * 2, alone]
    vectors = {f"n{i}": _unit(v + 0.05 * rng.normal(size=DIMENSIONS)) for i, v in enumerate(base)}
    draft = ComposingDrafter(vectors).draft(theme, notes, "fr")
    assert "invitations en arabe" in draft.challenge.text
    assert [(p.text, len(p.cites)) for p in draft.proposal] == [
        ("Traduire les invitations en arabe", 5),
        ("Des invitations en langage clair", 2),
        ("Former les agents à la facilitation", 4),
        ("Un café après la réunion", 1),
    ]


def _said_in(said: Sequence[tuple[str, str]], run: str) -> tuple[Theme, dict[str, Note]]:
    """A theme of a ``run``-language workshop whose notes (text, language) are in the
    languages given."""
    theme, notes = _theme([text for text, _ in said], run)
    for i, (_, lang) in enumerate(said):
        notes[f"n{i}"] = notes[f"n{i}"].model_copy(update={"lang": lang})
    return theme, notes


def _mixed_theme(
    ideas: Sequence[tuple[str, int, str, np.ndarray]],
) -> tuple[Theme, dict[str, Note], dict[str, np.ndarray]]:
    """A French-run theme of ideas (text, how many notes, language, direction), each note a
    copy of its idea's text near its direction."""
    texts = [text for text, count, _, _ in ideas for _ in range(count)]
    langs = [lang for _, count, lang, _ in ideas for _ in range(count)]
    theme, notes = _theme(texts, "fr")
    for (note_id, note), lang in zip(list(notes.items()), langs, strict=True):
        notes[note_id] = note.model_copy(update={"lang": lang})
    rng = np.random.default_rng(7)
    base = [vector for _, count, _, vector in ideas for _ in range(count)]
    vectors = {f"n{i}": _unit(v + 0.01 * rng.normal(size=DIMENSIONS)) for i, v in enumerate(base)}
    return theme, notes, vectors


def _basis(n: int) -> list[np.ndarray]:
    q, _ = np.linalg.qr(np.random.default_rng(3).normal(size=(DIMENSIONS, n)))
    return [q[:, k] for k in range(n)]


def test_the_answers_the_output_language_says_come_before_closer_ones_in_another() -> None:
    """After the question's idea, the answers the workshop's language says come before one
    in another language a little closer to the question (0.50 against 0.46); that one says
    a French answer again (their cosine 0.44), so it comes after every other idea, even
    one a single note makes."""
    a, b, c, d, e = _basis(5)
    theme, notes, vectors = _mixed_theme(
        [
            ("Traduire les invitations en arabe", 5, "fr", a),
            ("Interpreters at every public meeting", 4, "en", 0.5 * a + 0.7 * b + 0.51 * c),
            ("Einladungen in einfacher Sprache", 3, "de", 0.3 * a + 0.954 * d),
            ("Des interprètes aux réunions publiques", 2, "fr", 0.46 * a + 0.7 * b - 0.546 * c),
            ("Un café après la réunion", 1, "fr", e),
        ]
    )
    draft = ComposingDrafter(vectors).draft(theme, notes, "fr")
    assert "invitations en arabe" in draft.challenge.text
    assert [p.text for p in draft.proposal] == [
        "Traduire les invitations en arabe",
        "Des interprètes aux réunions publiques",
        "Einladungen in einfacher Sprache (de)",
        "Un café après la réunion",
        "Interpreters at every public meeting (en)",
    ]


def test_the_question_s_own_idea_translated_is_no_answer_to_it() -> None:
    """ "Follow-up meeting 6 months later" under "… organiser une réunion de restitution ?":
    the idea the workshop's language says first, said again in English, comes after the
    other answers, not second."""
    a, b, c, d = _basis(4)
    theme, notes, vectors = _mixed_theme(
        [
            ("Réunion de restitution quelques mois après", 5, "fr", a),
            ("Follow-up meeting 6 months later", 4, "en", 0.52 * a + 0.854 * b),
            ("Ergebnisse per Newsletter verschicken", 3, "de", 0.3 * a + 0.954 * c),
            ("Délais de retour annoncés dès le début", 2, "fr", 0.1 * a + 0.995 * d),
        ]
    )
    texts = [p.text for p in ComposingDrafter(vectors).draft(theme, notes, "fr").proposal]
    assert texts == [
        "Réunion de restitution quelques mois après",
        "Délais de retour annoncés dès le début",
        "Ergebnisse per Newsletter verschicken (de)",
        "Follow-up meeting 6 months later (en)",
    ]


def test_a_challenges_proposals_answer_its_question_before_other_facets_ideas() -> None:
    """The leading facet's ideas that several notes back come before another facet's idea,
    even one more notes back: they answer the question the challenge asks. A lone note's
    idea comes after ideas that several notes share, whichever facet they are from."""
    lead = [
        "Traduire les invitations en arabe",
        "Traduire les invitations en arabe",
        "Des interprètes aux réunions publiques",
        "Des interprètes aux réunions publiques",
        "Des interprètes aux réunions publiques",
        "Des invitations en langage clair",
        "Des invitations en langage clair",
        "Envoyer les invitations plus tôt",
    ]
    other = ["Former les chefs de projet à la facilitation"] * 3
    challenge, facets, notes, _ = _challenge_of([("T1", lead, "fr"), ("T2", other, "fr")])
    rng = np.random.default_rng(1)
    topic = rng.normal(size=DIMENSIONS)
    ideas = [_unit(topic + 0.8 * rng.normal(size=DIMENSIONS)) for _ in range(5)]
    idea_of = [0, 0, 1, 1, 1, 2, 2, 3, 4, 4, 4]
    vectors = {
        f"n{i}": _unit(ideas[k] + 0.05 * rng.normal(size=DIMENSIONS)) for i, k in enumerate(idea_of)
    }
    drafter = ComposingDrafter(vectors)
    draft = drafter.draft_challenge(challenge, facets, notes, "fr")
    assert "interprètes" in draft.challenge.text  # the leading facet asks
    texts = [p.text for p in draft.proposal]
    facilitation = texts.index("Former les chefs de projet à la facilitation")
    assert facilitation == 3, texts  # after the three ideas of the question's facet
    assert len(draft.proposal[facilitation].cites) > len(draft.proposal[1].cites)
    assert texts[-1] == "Envoyer les invitations plus tôt"  # one note's idea, last


def test_a_smaller_facet_leads_when_more_notes_back_its_question() -> None:
    """ "… remédier aux algorithmes opaques ?" over "… réaliser un audit indépendant des
    algos avant mise en service ?": a challenge asks the question the most notes back, even
    from a facet under half the size of its largest, whose own question one note makes."""
    scattered = [
        "Réaliser un audit indépendant des algorithmes avant mise en service",
        "Former les agents aux limites de l'intelligence artificielle",
        "Un droit de savoir quand un algorithme décide",
        "Un comité d'habitants pour contrôler les outils numériques",
        "Garder un humain pour chaque refus automatique",
        "Tester les chatbots avec des personnes âgées",
        "Publier le code source des logiciels de la Région",
        "Interdire la notation automatique des demandes",
        "Expliquer chaque décision automatique en langage clair",
    ]
    registry = ["Publier un registre des algorithmes utilisés par la Région"] * 4
    challenge, facets, notes, _ = _challenge_of([("T1", scattered, "fr"), ("T2", registry, "fr")])
    directions = _basis(11)
    topic = directions[10]
    base = [
        *(0.6 * topic + 0.8 * d for d in directions[:9]),
        *[0.6 * topic + 0.8 * directions[9]] * 4,
    ]
    rng = np.random.default_rng(5)
    vectors = {f"n{i}": _unit(v + 0.01 * rng.normal(size=DIMENSIONS)) for i, v in enumerate(base)}
    drafter = ComposingDrafter(vectors)
    own = drafter.draft(facets[0], notes, "fr")
    draft = drafter.draft_challenge(challenge, facets, notes, "fr")
    assert "registre des algorithmes" in draft.challenge.text
    assert own.challenge.text in [a.text for a in draft.challenge_alternatives]
    assert len(draft.proposal[0].cites) >= 4


def test_a_challenge_asks_about_the_problem_its_other_facets_measures_answer() -> None:
    """A facet whose question names a problem several notes name ("Stop à la concertation
    de façade"), at least half the size of the largest, asks the challenge's question: the
    measures of the other facets answer it, listed by the notes behind each."""
    measures = [
        *["Instaurer un droit de recours si la consultation n'a pas eu lieu"] * 3,
        *["Obliger la Région à motiver ses décisions après consultation"] * 2,
        *["Publier une charte contre la participation alibi"] * 2,
    ]
    problem = [
        *["Stop à la concertation de façade"] * 2,
        "Des réunions d'information trop tôt le matin",
        "Un café après chaque atelier",
    ]
    challenge, facets, notes, _ = _challenge_of([("T1", measures, "fr"), ("T2", problem, "fr")])
    a, b, c, d, e, f, topic = _basis(7)
    base = [
        *[0.6 * topic + 0.8 * a] * 3,
        *[0.6 * topic + 0.8 * b] * 2,
        *[0.6 * topic + 0.8 * c] * 2,
        *[0.7 * topic + 0.71 * d] * 2,
        0.3 * topic + 0.95 * e,
        0.3 * topic + 0.95 * f,
    ]
    rng = np.random.default_rng(2)
    vectors = {f"n{i}": _unit(v + 0.01 * rng.normal(size=DIMENSIONS)) for i, v in enumerate(base)}
    drafter = ComposingDrafter(vectors)
    measured = drafter.draft(facets[0], notes, "fr")
    draft = drafter.draft_challenge(challenge, facets, notes, "fr")
    assert draft.challenge.text == "Comment pourrions-nous remédier à la concertation de façade ?"
    assert measured.challenge.text in [q.text for q in draft.challenge_alternatives]
    assert [p.text for p in draft.proposal[:3]] == [
        "Instaurer un droit de recours si la consultation n'a pas eu lieu",
        "Obliger la Région à motiver ses décisions après consultation",
        "Publier une charte contre la participation alibi",
    ]


def test_a_challenge_is_asked_by_a_facet_that_speaks_the_output_language() -> None:
    german = [
        "Einladungen in die Sprachen der Viertel übersetzen",
        "Einladungen auf Arabisch und Türkisch",
        "Einladungen in mehreren Sprachen verschicken",
        "Dolmetscher bei öffentlichen Versammlungen",
        "Einladungen in einfacher Sprache",
    ]
    challenge, facets, notes, vectors = _challenge_of(
        [("T1", german, "de"), ("T2", FACILITATION, "fr")]
    )
    draft = ComposingDrafter(vectors).draft_challenge(challenge, facets, notes, "fr")
    assert draft.challenge.text.startswith("Comment pourrions-nous")
    assert notes[draft.challenge.cites[0]].lang == "fr"


def test_draft_all_drafts_challenges_from_their_facets_and_one_facet_as_a_theme() -> None:
    from pipeline.config import DraftConfig
    from pipeline.draft import draft_all

    challenge, facets, notes, vectors = _challenge_of(
        [("T2", FACILITATION, "fr"), ("T1", INVITATIONS, "fr")]
    )
    lone = challenge.model_copy(update={"id": "B2"})
    facet_alone = facets[0].model_copy(update={"id": "T9", "parent_id": "B2"})
    lone = lone.model_copy(update={"note_ids": facet_alone.note_ids})
    drafts = draft_all(
        [challenge, lone, *facets, facet_alone], list(notes.values()), "fr", DraftConfig(), vectors
    )[0]
    by_id = {d.theme_id: d for d in drafts}
    drafter = ComposingDrafter(vectors)
    assert by_id["B1"] == drafter.draft_challenge(challenge, facets, notes, "fr")
    assert by_id["B2"] == drafter.draft(lone, notes, "fr")  # one facet: its notes, as a theme
    assert by_id["B1"].challenge.text == by_id["T1"].challenge.text


@pytest.mark.parametrize(
    ("note", "title"),
    [
        (
            "Calendrier partagé des concertations pour éviter de sur-solliciter les habitants",
            "calendrier partagé des concertations",
        ),
        ("Budget participatif garanti par la loi", "budget participatif garanti par la loi"),
        ("Invitations traduites en arabe et en turc", "invitations traduites en arabe"),
        # The noun of a phrase after the head keeps its participle too, and the
        # participle what says where, within the eight words a title may have.
        (
            "Traduire les invitations dans les langues parlées dans les quartiers",
            "invitations dans les langues parlées dans les quartiers",
        ),
    ],
)
def test_a_french_title_keeps_the_participle_that_qualifies_its_noun(note: str, title: str) -> None:
    """ "Calendrier" alone, or "Invitations", names less than the note does; "Invitations
    dans les langues" is cut before what says which languages, and "… dans les langues
    parlées" before where."""
    assert title in [join(p) for p in noun_phrases(tag(note, "fr"), "fr")]


@pytest.mark.parametrize(
    ("language", "note", "title", "not_title"),
    [
        ("nl", "Terugkommoment na 6 maanden", "terugkommoment na 6 maanden", None),
        ("en", "Follow-up meeting after 6 months", "follow-up meeting after 6 months", None),
        # A participle inflected before its noun is part of the phrase.
        (
            "nl",
            "Geautomatiseerde beslissingen laten nakijken",
            "geautomatiseerde beslissingen",
            None,
        ),
        # A noun whose complement the phrase cannot take is left out with it.
        (
            "en",
            "Special events in the heart of downtown",
            "special events",
            "special events in the heart",
        ),
        # "om … te" opens the verb's clause: its noun is no part of the phrase before it.
        ("nl", "AI om inspraakreacties samen te vatten", None, "AI om inspraakreacties"),
        # A locution that does not fit ("avant mise en service") is left out whole, not cut.
        (
            "fr",
            "Audit indépendant des algos avant mise en service",
            "audit indépendant des algos",
            "audit indépendant des algos avant mise",
        ),
        # A phrase of "of" that fits stays with its noun when the next one does not.
        (
            "en",
            "It comes to the deleterious impact of football on the human body",
            "deleterious impact of football",
            "deleterious impact",
        ),
    ],
)
def test_a_title_keeps_a_number_and_leaves_an_infinitive_clause(
    language: str, note: str, title: str | None, not_title: str | None
) -> None:
    phrases = [join(p) for p in noun_phrases(tag(note, language), language)]
    assert title is None or title in phrases, phrases
    assert not_title is None or not_title not in phrases, phrases


@pytest.mark.parametrize(
    ("note", "title", "not_title"),
    [
        ("Former les agents aux limites de l'IA", "limites de l'IA", "agents aux limites de l'IA"),
        ("Associer les habitants aux décisions", None, "habitants aux décisions"),
        ("Créer un accès aux services publics", "accès aux services publics", None),
    ],
)
def test_a_french_verbs_to_phrase_is_not_its_objects(
    note: str, title: str | None, not_title: str | None
) -> None:
    """ "Agents aux limites de l'IA" is a verb's object and the verb's "à …" without the
    verb; "accès aux services" keeps its "à"."""
    phrases = [join(p) for p in noun_phrases(tag(note, "fr"), "fr")]
    assert title is None or title in phrases, phrases
    assert not_title is None or not_title not in phrases, phrases


def test_a_title_cut_by_its_length_ends_before_a_noun_missing_its_complement() -> None:
    phrases = [
        join(p)
        for p in noun_phrases(
            tag("Speicherinfrastruktur für erneuerbare Energien in Form von Salzspeichern", "de"),
            "de",
        )
    ]
    assert "Speicherinfrastruktur für erneuerbare Energien" in phrases, phrases
    assert not any(p.endswith("in Form") for p in phrases), phrases


@pytest.mark.parametrize(
    ("texts", "lang", "heading"),
    [
        (
            [
                "Former les agents aux limites de l'IA, ils font trop confiance à l'outil",
                "Sensibiliser les managers aussi",
                "Les outils d'IA se trompent souvent",
                "Retour aux agents qui ont animé",
            ],
            "fr",
            "Limites de l'IA",  # not "Outils d'IA", a phrase of another note
        ),
        (
            [
                "Konzerne zu recyclingfähigen Verpackungen verpflichten",
                "Mehr Verbraucherschutz bei nachhaltigen Produkten",
                "Strengere Regeln gegen geplante Obsoleszenz",
                "Pfand auf alle Verpackungen",
            ],
            "de",
            "Recyclingfähige Verpackungen",
        ),
    ],
)
def test_the_heading_names_what_the_question_asks_about(
    texts: list[str], lang: str, heading: str
) -> None:
    """The heading is the question's own note's phrase, by the run's real embedder."""
    from pipeline.embed import create_embedder

    theme, notes = _theme(texts, lang)
    embedder = create_embedder("use-m3")  # titles are chosen by meaning with an embedder
    vectors = dict(zip(notes, embedder.embed(texts), strict=True))
    draft = ComposingDrafter(vectors, embedder.embed).draft(theme, notes, lang)
    assert draft.title.text == heading
    assert draft.title.cites[0] == draft.challenge.cites[0]


def test_a_challenge_asks_the_best_backed_question_of_its_larger_facets() -> None:
    """The largest facet's question is one note's idea; a facet over half its size asks
    what four notes say: that facet leads."""
    scattered = [
        "Créer un fonds pour les associations de quartier",
        "Ouvrir les écoles le week-end",
        "Installer des bancs sur la place",
        "Publier les comptes de la commune",
        "Organiser un marché de producteurs",
        "Planter des arbres fruitiers au parc",
    ]
    shared = [
        "Traduire les invitations dans les langues des quartiers",
        "Traduire les invitations en plusieurs langues",
        "Des invitations traduites dans les langues parlées",
        "Traduire toutes les invitations",
    ]
    challenge, facets, notes, _ = _challenge_of([("T1", scattered, "fr"), ("T2", shared, "fr")])
    rng = np.random.default_rng(3)
    topic = rng.normal(size=DIMENSIONS)
    vectors = {
        **{i: _unit(topic + 1.5 * rng.normal(size=DIMENSIONS)) for i in facets[0].note_ids},
        **{
            i: _unit(topic + 0.4 * rng.normal(size=DIMENSIONS) + 3 * _unit(np.ones(DIMENSIONS)))
            for i in facets[1].note_ids
        },
    }
    drafter = ComposingDrafter(vectors)
    draft = drafter.draft_challenge(challenge, facets, notes, "fr")
    assert draft.challenge.text == drafter.draft(facets[1], notes, "fr").challenge.text
    assert "invitations" in draft.challenge.text


def test_a_heading_is_not_taken_from_what_the_question_subordinates() -> None:
    """ "… définir des critères minimum avant d'appeler une démarche participative ?" is
    not about "Démarche participative"."""
    from pipeline.embed import create_embedder

    texts = [
        "Définir des critères minimum avant d'appeler une démarche participative",
        "Trop de démarches dites participatives ne le sont pas",
        "On appelle participation ce qui n'est qu'une information",
    ]
    theme, notes = _theme(texts, "fr")
    embedder = create_embedder("use-m3")
    vectors = dict(zip(notes, embedder.embed(texts), strict=True))
    draft = ComposingDrafter(vectors, embedder.embed).draft(theme, notes, "fr")
    assert "critères minimum" in draft.challenge.text
    assert draft.title.text != "Démarche participative"


def test_a_question_no_other_note_backs_is_flagged_in_a_large_unit() -> None:
    observations = [  # nine complaints that share no subject a question could ask about
        "Le bruit la nuit empêche de dormir",
        "Les trottoirs sont trop étroits",
        "Il n'y a plus de boulangerie",
        "Les bus passent rarement le dimanche",
        "La place est sale le lundi matin",
        "Les loyers augmentent chaque année",
        "Les jeunes n'ont aucun local",
        "Le parc ferme trop tôt en été",
        "Personne ne répare les lampadaires",
    ]
    texts = [*observations, "Installer des bancs sur la place du marché"]
    theme, notes = _theme(texts, "fr")
    rng = np.random.default_rng(5)
    centre = _unit(rng.normal(size=DIMENSIONS))
    vectors = {f"n{i}": _unit(centre + 0.1 * rng.normal(size=DIMENSIONS)) for i in range(9)}
    vectors["n9"] = _unit(rng.normal(size=DIMENSIONS))  # close to none of them
    draft = ComposingDrafter(vectors).draft(theme, notes, "fr")
    assert draft.challenge.cites[0] == "n9"
    assert any("aucune autre note ne dit ce que demande la question" in f for f in draft.flags)

    backed = [f"Installer des bancs sur la place numéro {n}" for n in range(10)]
    theme, notes = _theme(backed, "fr")
    draft = ComposingDrafter(_vectors([0] * 10)).draft(theme, notes, "fr")
    assert not any("aucune autre note" in f for f in draft.flags)


def test_a_german_notes_uninflected_adjective_is_a_slip_titles_and_questions_avoid() -> None:
    from pipeline.draft.compose.nouns import german_slip
    from pipeline.draft.compose.titles import title_candidates

    assert german_slip(tag("Förderung von Elektrisch Bussen", "de"))
    assert not german_slip(tag("Förderung von elektrischen Bussen", "de"))
    assert not german_slip(tag("Ein extra Raum für Jugendliche", "de"))
    assert german_slip(tag("Erhöhte Förderung Erdwärme", "de"))
    assert not german_slip(tag("Erhöhte Förderung der Erdwärme", "de"))
    notes = ["Förderung von Elektrisch Bussen", "Förderung von elektrischen Bussen"]
    theme, _ = _theme(notes, "de")
    tagged = [(f"n{i}", tag(n, "de")) for i, n in enumerate(notes)]
    found = [t.text for _, t in title_candidates(theme, tagged, "de", {})]
    assert found.index("Förderung von elektrischen Bussen") < found.index(
        "Förderung von Elektrisch Bussen"
    ), found


def test_a_time_of_day_does_not_cut_a_clause() -> None:
    from pipeline.draft.compose.clauses import clauses

    found = clauses(tag("Ruhezeiten zwischen 22:00 und 6:00 einhalten", "de"), "de")
    assert [join(c) for c, _ in found] == ["Ruhezeiten zwischen 22:00 und 6:00 einhalten"]


def test_an_english_genitive_keeps_what_it_owns() -> None:
    phrases = [join(p) for p in noun_phrases(tag("Introduce a kids' basic income", "en"), "en")]
    assert "kids' basic income" in phrases, phrases


def test_a_german_heading_capitalises_a_compound_after_its_hyphen() -> None:
    from pipeline.draft.compose.titles import title_candidates

    words = tag("E-fahrzeuge in Fahrschulen", "de")
    theme, _ = _theme(["E-fahrzeuge in Fahrschulen"], "de")
    found = [t.text for _, t in title_candidates(theme, [("n0", words)], "de", {})]
    assert "E-Fahrzeuge in Fahrschulen" in found, found


def test_a_theme_no_note_of_the_output_language_names_takes_another_languages_phrase() -> None:
    english = [
        "Special events downtown every summer",
        "More special events for families",
        "Street festivals and special events",
        "Special events in the parks",
    ]
    theme, notes = _theme(english, "en")
    theme = theme.model_copy(update={"keyphrases": ["events"]})
    draft = ComposingDrafter().draft(theme, notes, "fr")
    assert len(draft.title.text.split()) > 1, draft.title.text  # a phrase, not "Events"
    assert "events" in draft.title.text.casefold()
    assert any("fr" in flag for flag in draft.flags)  # no French note names it: flagged


@pytest.mark.parametrize(
    ("language", "note", "heading", "expected"),
    [
        (
            "fr",
            "Droit de recours si la consultation prévue n'a pas eu lieu",
            "Droit de recours",
            "Comment pourrions-nous instaurer un droit de recours ?",
        ),
        (
            "en",
            "Policy makers should consider all location-related costs when attempting to "
            "address housing affordability",
            "Location-related costs",
            "How might we get policy makers to consider all location-related costs?",
        ),
        # What says which thing is meant stays: a relative clause, a preposition's phrase.
        (
            "en",
            "Provide more protection corridors that run from the sea to the mountains",
            "Protection corridors",
            None,
        ),
        (
            "de",
            "Eine eigene Forschungsstelle zu den Themen Klimaschutz und Klimawandelanpassung",
            "Eigene Forschungsstelle",
            None,
        ),
        # A question that says no more than its heading is left as it is.
        ("fr", "Créer un droit de recours", "Droit de recours", None),
    ],
)
def test_a_question_drops_the_condition_its_heading_does_not_name(
    language: str, note: str, heading: str, expected: str | None
) -> None:
    form = form_of(note, language)
    assert form is not None
    titled = as_titled(form, tag(heading, language), language)
    assert (question(titled, language) if titled is not None else None) == expected


def test_the_question_asks_what_its_heading_names_and_offers_the_notes_own() -> None:
    texts = [
        "Droit de recours si la consultation prévue n'a pas eu lieu",
        "Un droit de recours",
        "Le droit de recours des habitants",
        "Budget participatif dans chaque quartier",
        "Un médiateur pour les habitants",
    ]
    theme, notes = _theme(texts, "fr")
    full = (
        "Comment pourrions-nous instaurer un droit de recours si la consultation "
        "prévue n'a pas eu lieu ?"
    )
    asked = "Comment pourrions-nous instaurer un droit de recours ?"
    for seed in range(1, 4):
        vectors = _vectors([0, 0, 0, 1, 2], seed)
        vectors["n0"] = _unit(vectors["n1"] + vectors["n2"])  # the note all others back
        draft = ComposingDrafter(vectors).draft(theme, notes, "fr")
        assert draft.title.text == "Droit de recours"
        assert draft.challenge.text == asked
        assert draft.challenge.cites[0] == "n0"
        assert draft.challenge_alternatives[0].text == full


@pytest.mark.parametrize("language", ["en", "fr", "de", "nl"])
def test_a_theme_in_a_language_without_rules_says_so_and_is_named_by_a_note(
    language: str,
) -> None:
    texts = [
        "我覺得 UberX 的司機都應該先考取職業駕駛執照。",
        "Uber 是人力派遣,就像客運僱員,屬於服務業。",
        "我覺得UberX目前未依法營業,讓我覺得搭乘時有風險,也沒有保險,所以我不搭乘。",
    ]
    theme, notes = _theme(texts, "zh")
    draft = ComposingDrafter().draft(theme, notes, language)
    assert draft.title.text == "UberX 的司機都應該先考取職業駕駛執照 (zh)"  # without "I think"
    assert draft.title.cites == ["n0"]
    assert len(draft.flags) == 1 and "zh" in draft.flags[0]
    assert "0" not in draft.flags[0]  # not "only 0 actionable ideas"


@pytest.mark.parametrize(
    ("language", "asked"),
    [
        ("en", "How might we rethink our approach to Uber?"),
        ("fr", "Comment pourrions-nous repenser notre approche d'Uber ?"),
        ("de", "Wie könnten wir beim Thema Uber neue Wege gehen?"),
        ("nl", "Hoe kunnen we Uber anders aanpakken?"),
    ],
)
def test_a_name_notes_in_another_script_write_in_latin_letters_heads_them(
    language: str, asked: str
) -> None:
    """Notes the rules cannot read, most of which write one name in Latin letters: the
    name is the heading and the question asks about it (flagged, with the notes' language
    still to translate); the whole note that named them is the alternative."""
    texts = [
        "我覺得 UberX 的司機都應該先考取職業駕駛執照。",
        "Uber 是人力派遣,就像客運僱員,屬於服務業。",
        "我覺得UBER避稅很正常。",
        "我覺得計程車身一定要塗裝成黃色的。",
        "我覺得雖然加成計費會讓人比較不想搭Uber,加成計費依照供需法則去變化是合理的。",
        "外縣市白牌車坐地起價,若能像über 有公開透明的費率,會吸引更多乘客搭乘",
        "Uber 是境外公司,有責任針對在台灣繳稅的問題提出因應方式。",
        "我覺得交通運輸和食品、藥品性質類似,應該要特別嚴格的界定與把關。",
        "Uber 應該要投保汽車乘客責任險",
    ]
    theme, notes = _theme(texts, "zh")
    draft = ComposingDrafter().draft(theme, notes, language)
    assert draft.title.text == "Uber"
    assert draft.challenge.text == asked
    assert set(draft.challenge.cites) <= {"n1", "n2", "n4", "n6", "n8"}  # they write it
    # The notes to translate come first (an export names a draft's first flag), and the
    # flag asks to check the title and question written, not to write them.
    assert "zh" in draft.flags[0]
    assert draft.flags[0] == words(language).gettext(UNRULED_NAMED, langs="zh")
    assert "(zh)" in draft.title_alternatives[0].text
    # A heading does not say the writer's "I think" (我覺得).
    assert all("我覺得" not in t.text for t in [draft.title, *draft.title_alternatives])
    assert all("(" not in q.text for q in draft.challenge_alternatives)  # no placeholder offered
    # Fewer than five notes writing it name nothing: the whole note stays.
    theme, notes = _theme([*texts[:2], *(t.replace("Uber", "這") for t in texts[2:6])], "zh")
    draft = ComposingDrafter().draft(theme, notes, language)
    assert draft.title.text.endswith("(zh)")


def test_notes_the_rules_cannot_read_are_listed_as_written_by_the_notes_behind_each() -> None:
    """A unit of Chinese notes lists what its notes say, as written and tagged to translate,
    the idea most notes are close to first (the notes the rules cannot read would otherwise
    give no proposal at all); the writer's "I think" (我覺得) is left out, and a note an
    emoji alone writes is no idea."""
    texts = [
        "我覺得計程車身一定要塗裝成黃色的，和其他車輛顏色不同。",
        "我覺得 Uber 平台的爭端解決紀錄應呈報給交通部。",
        "Uber 的爭端處理紀錄要定期交給交通部",
        "爭端解決的紀錄應該公開給交通部審查",
        "👍👍",
    ]
    theme, notes = _theme(texts, "zh")
    vectors = _vectors([0, 1, 1, 1, 2])
    draft = ComposingDrafter(vectors).draft(theme, notes, "en")
    texts_listed = [p.text for p in draft.proposal]
    assert all(t.endswith(" (zh)") for t in texts_listed)
    assert draft.proposal[0].cites[0] in {"n1", "n2", "n3"}
    assert len(draft.proposal[0].cites) == 3  # it and the two notes close to it
    # Its first sentence, without "I think" and the closing mark.
    assert "計程車身一定要塗裝成黃色的，和其他車輛顏色不同 (zh)" in texts_listed
    assert not any("我覺得" in t or "👍" in t for t in texts_listed)
    assert "zh" in draft.flags[0]


def test_a_long_note_without_spaces_is_cut_at_a_clause_as_a_proposal() -> None:
    from pipeline.draft.compose.drafter import UNSPACED_CHARACTERS, _as_proposal

    long = "政府應該能藉由面對新平台的挑戰" + "，同時改善計程車的監管與評價制度" * 4 + "。後面的話"
    line = _as_proposal(long, "", "zh")
    assert line.endswith("制度…")  # cut after a clause, and says so
    assert len(line) <= UNSPACED_CHARACTERS + 1
    assert _as_proposal("我認為公車要更準時。其他的", "", "zh") == "公車要更準時"
    assert _as_proposal("好。公車要更準時", "", "zh") == "好。公車要更準時"  # too short a first


def test_a_unit_no_phrase_in_the_room_names_is_headed_by_its_questions_measure() -> None:
    """An English unit whose English notes name no thing (only measures and a slogan) was
    headed by the French notes' phrase over an English question; the question's own short
    measure heads it now, still flagged, the French phrase its first alternative."""
    from pipeline.draft.compose.drafter import HEADING_ELSEWHERE

    said = [
        ("Tell people what happened to their input", "en"),
        ("Tell people what happened to their input", "en"),
        ("Explain the no's too", "en"),
        ("consulted ≠ listened to", "en"),
        ("Décisions prises après consultation : les motiver", "fr"),
        ("Obligation de motiver les décisions prises après consultation", "fr"),
    ]
    theme, notes = _said_in(said, "en")
    for vectors in (None, _vectors([0, 0, 1, 2, 3, 3])):
        draft = ComposingDrafter(vectors).draft(theme, notes, "en")
        measure = draft.challenge.text.removeprefix("How might we ").removesuffix("?")
        assert draft.title.text.casefold() == measure.casefold()
        assert draft.title.cites == draft.challenge.cites[:1]
        assert draft.title_alternatives[0].text == "Décisions prises après consultation"
        assert words("en").gettext(NO_TITLE, lang="en") in draft.flags
        assert words("en").gettext(HEADING_ELSEWHERE) not in draft.flags


def test_a_short_note_other_notes_say_again_heads_a_unit_no_phrase_in_the_room_names() -> None:
    """No French phrase names a unit whose notes say "you said, we did" in four languages:
    the French note heads it as written (flagged), the English list item its alternative,
    not its title; a slogan no other note says again does not."""
    said = [
        ("Vous avez dit, nous avons fait", "fr"),
        ("Ihr habt gesagt – wir haben gemacht", "de"),
        ("Jullie zeiden, wij deden", "nl"),
        ('"You said, we did" page', "en"),
        ("thank-you email", "en"),
        ("summary of what we heard", "en"),
        ("Savoir dire « je ne sais pas, je reviens vers vous »", "fr"),
    ]
    theme, notes = _said_in(said, "fr")
    draft = ComposingDrafter(_vectors([0, 0, 0, 0, 1, 1, 2])).draft(theme, notes, "fr")
    assert draft.title.text == "Vous avez dit, nous avons fait"
    assert draft.title.cites == ["n0"]
    assert draft.title_alternatives[0].text == "Thank-you email"
    assert words("fr").gettext(NO_TITLE, lang="fr") in draft.flags
    apart = _vectors([0, 0, 0, 0, 1, 1, 2])
    apart["n0"] = _unit(np.random.default_rng(7).normal(size=DIMENSIONS))  # says its own
    alone = ComposingDrafter(apart).draft(theme, notes, "fr")
    assert alone.title.text == "Thank-you email"


@pytest.mark.parametrize("language", ["fr", "de"])
def test_a_challenge_whose_first_proposals_are_in_another_language_says_so(language: str) -> None:
    """Proposals voiced by notes in another language among a challenge's first three are
    flagged, with their languages; not fourth or later."""
    from pipeline.draft.compose.drafter import TRANSLATE_PROPOSALS, _translations_told
    from pipeline.schema import Draft, Sentence

    langs = [language, "nl", "de" if language == "fr" else "fr", language, "en"]
    texts = [f"Idée {i}" for i in range(len(langs))]
    _, notes = _said_in(list(zip(texts, langs, strict=True)), language)
    proposals = [Sentence(text=t, cites=[f"n{i}"]) for i, t in enumerate(texts)]
    draft = Draft(
        theme_id="B1",
        language=language,
        drafter="compose",
        title=Sentence(text="Titre", cites=["n0"]),
        challenge=Sentence(text="Question ?", cites=["n0"]),
        proposal=proposals,
    )
    others = ", ".join(sorted(langs[1:3]))
    told = _translations_told(draft, notes)
    assert told.flags == [words(language).gettext(TRANSLATE_PROPOSALS, langs=others)]
    again = Sentence(text="Autre idée", cites=["n3"])
    in_room = draft.model_copy(
        update={"proposal": [proposals[0], proposals[3], again, proposals[1]]}
    )
    assert _translations_told(in_room, notes).flags == []
    few = words(language).gettext(FEW_IN_LANGUAGE, lang=language, num=1, total=5, other="nl")
    already = draft.model_copy(update={"flags": [few]})
    # Where the notes are to translate, that flag goes with the question, this one with
    # the proposals: both.
    assert _translations_told(already, notes).flags == [few, told.flags[0]]


@pytest.mark.parametrize(
    ("text", "language", "pointing"),
    [
        ("New ways of supporting these workers will need to be found", "en", True),
        ("We should support workers who lose their jobs", "en", False),
        ("Financer ces mesures par l'impôt", "fr", True),
        ("Diese Maßnahmen über Steuern finanzieren", "de", True),
        ("Deze maatregelen via belastingen betalen", "nl", True),
        ("Mensen die werken extra steunen", "nl", False),  # "die" a relative pronoun
    ],
)
def test_a_demonstrative_determiner_points_back(text: str, language: str, pointing: bool) -> None:
    from pipeline.draft.compose.checks import points_back

    assert points_back(tag(text, language), language) is pointing


@pytest.mark.parametrize(("part", "later"), [("2", True), ("1", False)])
def test_an_idea_split_out_after_its_notes_first_that_points_back_comes_later(
    part: str, later: bool
) -> None:
    """ "New ways of supporting these workers …", the second idea split out of a comment
    whose first said who they are, reads as a riddle alone: it is listed after the proposals
    that stand on their own (as a copied slip is); the first idea of a note is not (its
    "these" points at what the room knows)."""
    texts = [
        "Introduce a universal basic income for everyone",
        "Pay a basic income to all adults",
        "New ways of supporting these workers will need to be found",
        "Fund a basic income by taxing robots",
    ]
    theme, notes = _theme(texts, "en")
    split_id = f"n9-{part}"
    notes[split_id] = notes.pop("n2").model_copy(update={"id": split_id, "parent_id": "n9"})
    theme = theme.model_copy(
        update={"note_ids": [split_id if i == "n2" else i for i in theme.note_ids]}
    )
    vectors = _vectors([0, 0, 1, 2])
    del vectors["n2"]
    vectors[split_id] = _unit(np.random.default_rng(5).normal(size=DIMENSIONS))  # an idea apart
    drafter = ComposingDrafter(vectors)
    drafter.draft(theme, notes, "en")
    # (Told as a slip is: ``_slips_later`` puts the proposals of these notes after the others.)
    assert (split_id in drafter._slipped) is later


def test_a_misspelt_word_left_among_a_challenges_first_proposals_is_named() -> None:
    """ "müssste", copied from its note into the third proposal (the other side of the
    debate, which no clean note voices), is named in a flag; a word spelt right in its own
    language is not, a foreign proposal being read in its note's language."""
    from pipeline.draft.compose.drafter import MISSPELT_PROPOSALS, _proposals_told
    from pipeline.schema import Draft, Sentence

    texts = [
        "Mehr Windräder in Wien aufstellen",
        "Windräder im Prater aufstellen",
        "Kein Aufstellen von Windrädern auf Bergen, wo Natur zerstört werden müssste",
        "Charte signée par les élus",
    ]
    _, notes = _said_in(list(zip(texts, ["de", "de", "de", "fr"], strict=True)), "de")
    draft = Draft(
        theme_id="B7",
        language="de",
        drafter="compose",
        title=Sentence(text="Windräder", cites=["n0"]),
        challenge=Sentence(
            text="Wie könnten wir beim Thema Windräder neue Wege gehen?", cites=["n0"]
        ),
        proposal=[Sentence(text=t, cites=[f"n{i}"]) for i, t in enumerate(texts)],
    )
    told = _proposals_told(draft, notes)
    assert words("de").gettext(MISSPELT_PROPOSALS, words="müssste") in told.flags
    clean = draft.model_copy(update={"proposal": [draft.proposal[0], draft.proposal[3]]})
    assert not any("müssste" in f or "signée" in f for f in _proposals_told(clean, notes).flags)


def test_no_idea_is_not_counted_as_only_zero() -> None:
    theme, notes = _theme(["Le marché est trop loin", "Les bus sont rares le soir"], "fr")
    draft = ComposingDrafter().draft(theme, notes, "fr")
    assert "aucune idée concrète parmi les notes" in " ".join(draft.flags)
    assert "seulement 0" not in " ".join(draft.flags)


def test_no_question_is_built_on_a_figure() -> None:
    """ "1 milliard d'euros d'économie d'énergie en France dès 2026" states an amount: no
    verb fits it ("mettre en place un milliard …"), so another note's question leads, and
    the figure stays a proposal in its own words."""
    texts = [
        "1 milliard d'euros d'économie d'énergie en France dès 2026",
        "Isoler les logements des ménages modestes",
        "Rénover les écoles et les mairies",
        "Aider les propriétaires à changer de chaudière",
    ]
    theme, notes = _theme(texts, "fr")
    vectors = _vectors([0, 1, 2, 3], seed=1)
    vectors["n0"] = _unit(sum(vectors[f"n{i}"] for i in range(4)))  # the most central
    draft = ComposingDrafter(vectors).draft(theme, notes, "fr")
    assert "milliard" not in draft.challenge.text, draft.challenge.text
    assert draft.challenge.text.startswith("Comment pourrions-nous ")


def test_ideas_split_out_of_one_answer_back_a_proposal_once() -> None:
    """Five parts of one long answer are one person's: a proposal they are all close to
    counts them as one note, not five."""
    texts = [
        "Taxer les entreprises qui polluent",
        "Taxer les produits de luxe qui polluent",
        "Taxer les vols en avion qui polluent",
        "Taxer les camions qui polluent",
        "Taxer les industries qui polluent le plus",
        "Planter des arbres dans les cours d'école",
    ]
    theme, notes = _theme(texts, "fr")
    for i in (1, 2, 3, 4):  # parts of one answer
        notes[f"n{i}"] = notes[f"n{i}"].model_copy(update={"parent_id": "p1"})
    vectors = _vectors([0, 0, 0, 0, 0, 1], seed=2)
    draft = ComposingDrafter(vectors).draft(theme, notes, "fr")
    taxing = next(p for p in draft.proposal if "Taxer" in p.text)
    contributions = [notes[c].parent_id or c for c in taxing.cites]
    assert contributions.count("p1") == 1, taxing.cites
    assert len(contributions) == len(set(contributions)), taxing.cites


def test_when_no_idea_is_backed_by_more_than_its_note_the_questions_idea_comes_first() -> None:
    texts = [
        "500 neue Windräder bis 2030",  # a figure: a proposal no question is built on
        "Den Busverkehr am Land ausbauen",
        "Photovoltaik auf alle Schuldächer bringen",
        "Fernwärme aus der Thermenregion nutzen",
        "Radwege in den Gemeinden verbinden",
    ]
    remarks = [
        "Warum dauert das alles so lange?",
        "Wer soll das bezahlen?",
        "Wieso fragt uns niemand?",
        "Was sagt die Gemeinde dazu?",
        "Wann wird endlich entschieden?",
    ]
    theme, notes = _theme([*texts, *remarks], "de")
    asked = {question(f, "de"): nid for nid, n in notes.items() if (f := form_of(n.text, "de"))}
    # Five unrelated ideas (near-orthogonal vectors) and five questions close to one
    # another: the unit's closest pairs are the questions', so no idea is backed by
    # another note. The figure is the most central idea, and cannot be asked.
    checked = 0
    for seed in range(6):
        rng = np.random.default_rng(seed)
        basis = np.eye(DIMENSIONS)[rng.permutation(DIMENSIONS)[:6]]
        vectors = {
            f"n{i}": _unit(basis[min(i, 5)] + 0.05 * rng.normal(size=DIMENSIONS)) for i in range(10)
        }
        draft = ComposingDrafter(vectors).draft(theme, notes, "de")
        assert all(len(p.cites) == 1 for p in draft.proposal)
        if draft.challenge.text in asked:
            checked += 1
            assert draft.proposal[0].cites == [asked[draft.challenge.text]], seed
    assert checked


@pytest.mark.parametrize(
    ("note", "language", "offered"),
    [
        ("We need to act now", "en", False),  # asks about nothing
        ("Lower taxes", "en", True),
        ("Neue Einfamilienhäuser verbieten", "de", True),
        ("Lärm in der Nacht", "de", True),  # the rules add the verb
        ("Clarifier qui est responsable juridiquement", "fr", True),
    ],
)
def test_an_alternative_question_is_one_a_reviewer_can_adopt_as_is(
    note: str, language: str, offered: bool
) -> None:
    from pipeline.draft.compose.drafter import _fit_to_offer

    form = form_of(note, language)
    assert form is not None
    asked = question(form, language)
    assert _fit_to_offer(asked, form) is offered
    # Longer than a handed-out challenge may be, or quoting a note: not offered.
    assert not _fit_to_offer(asked[:-1] + " and" + " more" * 30 + "?", form)
    assert not _fit_to_offer(asked[:-1] + ' "as they say"?', form)


def test_an_opening_that_says_it_is_time_to_act_is_no_title() -> None:
    from pipeline.draft.compose.titles import _time_frame

    assert _time_frame(tag("Höchste Zeit", "de"), "de")
    assert _time_frame(tag("high time", "en"), "en")
    assert not _time_frame(tag("Temps de formation", "fr"), "fr")
    assert not _time_frame(tag("Zeit für Familie", "de"), "de")


@pytest.mark.parametrize(
    ("title", "asked", "named"),
    [
        ("Höhere CO2-Bepreisung", "Wie könnten wir eine höhere CO2-Bepreisung einführen?", True),
        ("Fleisch-Produkte", "Wie könnten wir Fleisch-produkte höher besteuern?", True),
        ("Windräder", "Wie könnten wir alle Parks mit Windrädern nutzen?", True),
        ("UBI supplements wages", "How might we encourage job sharing alongside UBI?", True),
        ("Subvention par l'état", "Comment pourrions-nous mettre un pull ?", False),
        ("Rights of the tenants", "How might we fund the parks?", False),  # "the" names nothing
        # The stem's words name nothing either.
        ("Vous avez dit, nous avons fait", "Comment pourrions-nous savoir dire non ?", False),
    ],
)
def test_a_heading_that_names_nothing_the_question_asks_is_told_apart(
    title: str, asked: str, named: bool
) -> None:
    from pipeline.draft.compose.drafter import _named_in

    assert _named_in(title, asked) is named


@pytest.mark.parametrize(
    ("note", "asked"),
    [
        (
            'I think we should consider Score/Approval voting systems (also known as "range '
            'voting" systems)',
            "How might we set up Score/Approval voting systems?",
        ),
        ("Consider a four-day week for public servants", "How might we set up a four-day week"),
        # Its own verb says the action: kept.
        ("We should consider raising the minimum wage", "consider raising the minimum wage"),
    ],
)
def test_a_note_that_asks_to_consider_a_thing_proposes_the_thing(note: str, asked: str) -> None:
    """ "How might we consider Score/Approval voting systems?" asked for no action."""
    form = form_of(note, "en")
    assert form is not None and asked in question(form, "en")


@pytest.mark.parametrize("apostrophe", ["’", "'"])
def test_its_important_to_reads_as_it_is_important_to(apostrophe: str) -> None:
    """ "It’s important to …" (U+2019, as phones type it) gave "How might we set up it’s
    important to increase voter education?": it reads as "It is important to …" does."""
    form = form_of(f"It{apostrophe}s important to increase voter education", "en")
    assert form is not None
    assert question(form, "en") == "How might we increase voter education?"
    assert form_of(f"That{apostrophe}s a problem for parking", "en") is None  # a voice


def test_a_heading_in_another_language_is_asked_in_its_language() -> None:
    """No note in the output language: the heading comes from the language most notes are
    in, and the question is asked in that language too, where its notes can be asked, even
    where another language's note would score higher (not a French heading over a German
    question in an English run)."""
    a, b, c = _basis(3)
    theme, notes, vectors = _mixed_theme(
        [
            ("Protéger les données personnelles des participants", 1, "fr", a + 0.9 * b),
            ("Protection des données des participants en ligne", 1, "fr", a - 0.9 * b),
            ("Les données personnelles des participants sont à protéger", 1, "fr", a + 0.9 * c),
            ("Respecter le RGPD pour les données des participants", 1, "fr", a - 0.9 * c),
            ("Datenschutz bei Online-Beteiligung klären", 3, "de", a),
        ]
    )
    draft = ComposingDrafter(vectors).draft(theme, notes, "en")
    assert notes[draft.title.cites[0]].lang == "fr", draft.title
    assert draft.challenge.text.startswith("Comment pourrions-nous"), draft.challenge
    assert any("the challenge is in 'fr'" in flag for flag in draft.flags), draft.flags


def test_a_proposal_that_says_a_listed_one_again_in_another_language_comes_last() -> None:
    """After the answers, ideas follow by their backing, but one in another language that
    says a French one again (cosine 0.5) comes after every other: the six places go to
    distinct ideas first."""
    a, b, c, d, e = _basis(5)
    theme, notes, vectors = _mixed_theme(
        [
            ("Réunion de restitution quelques mois après", 5, "fr", a),
            ("Compte-rendu de la réunion envoyé à tous", 3, "fr", 0.6 * a + 0.8 * b),
            ("Présenter les résultats en réunion publique", 3, "fr", 0.6 * a - 0.8 * b),
            ("Project newsletter sent by email", 4, "en", 0.5 * c + 0.866 * d),
            ("Kinderbetreuung während der Termine anbieten", 3, "de", e),
            ("Newsletter de suivi du projet", 2, "fr", c),
        ]
    )
    texts = [p.text for p in ComposingDrafter(vectors).draft(theme, notes, "fr").proposal]
    assert texts[3:] == [
        "Kinderbetreuung während der Termine anbieten (de)",
        "Newsletter de suivi du projet",
        "Project newsletter sent by email (en)",
    ], texts


def test_a_few_notes_at_the_edge_in_the_runs_language_do_not_head_a_theme() -> None:
    """Two French notes on a charter at the edge of 14 English comments on electoral reform:
    in a French run the theme is named and asked in English, flagged to translate, not
    "Charte signée par le DG"; its question's language is English for Day 2."""
    a, b, c, d = _basis(4)
    theme, notes, vectors = _mixed_theme(
        [
            ("We need proportional representation in parliament", 5, "en", a),
            ("Ranked ballots for every federal election", 4, "en", 0.8 * a + 0.6 * b),
            ("Lower the voting age to sixteen", 5, "en", 0.8 * a + 0.6 * c),
            ("Charte signée par le DG et les élus", 2, "fr", d),
        ]
    )
    draft = ComposingDrafter(vectors).draft(theme, notes, "fr")
    assert not draft.challenge.text.startswith("Comment"), draft.challenge
    assert "Charte" not in draft.title.text, draft.title
    assert draft.flags[0] == words("fr").gettext(
        FEW_IN_LANGUAGE, num=2, total=16, lang="fr", other="en"
    )
    assert question_language(draft) == "en"

    # The same two French notes at the theme's centre speak for it.
    theme, notes, vectors = _mixed_theme(
        [
            ("We need proportional representation in parliament", 5, "en", 0.8 * a + 0.6 * b),
            ("Ranked ballots for every federal election", 4, "en", 0.8 * a + 0.6 * c),
            ("Lower the voting age to sixteen", 5, "en", 0.8 * a + 0.6 * d),
            ("Instaurer la représentation proportionnelle", 2, "fr", a),
        ]
    )
    draft = ComposingDrafter(vectors).draft(theme, notes, "fr")
    assert draft.challenge.text.startswith("Comment pourrions-nous"), draft.challenge
    assert question_language(draft) == "fr"


@pytest.mark.parametrize(
    ("keyphrase", "generic"),
    [("idée", True), ("Ideen", True), ("people", True), ("habitants", True), ("Bildung", False),
     ("idée neuve", False), ("", False)],
)  # fmt: skip
def test_a_generic_keyphrase_does_not_name_a_theme_without_a_title(
    keyphrase: str, generic: bool
) -> None:
    assert _generic_word(keyphrase) is generic


def test_a_challenge_question_few_notes_make_is_flagged_for_review() -> None:
    """A challenge of 81 notes asked "… instaurer un droit de recours ?", an idea 3 notes
    make: the reviewer is told to check it, in the draft's language; a question most notes
    share, a small challenge, or a question about the heading is not told so."""
    from pipeline.draft.compose.drafter import STRAND, _one_notes_question_told
    from pipeline.schema import Draft, Sentence

    theme, _ = _theme([f"note {i}" for i in range(81)], "fr")
    question = Sentence(text="Comment pourrions-nous instaurer un droit de recours ?", cites=["n0"])
    proposal = Sentence(text="Droit de recours", cites=["n0", "n1", "n2", "n3"], said_by=3)
    draft = Draft(
        theme_id=theme.id,
        language="fr",
        drafter="compose",
        title=Sentence(text="Droit de recours", cites=["n0"]),
        challenge=question,
        proposal=[proposal],
    )
    told = _one_notes_question_told(draft, theme)
    assert told.flags == [
        "l'idée dont la question est tirée vient de 3 des 81 notes du défi : vérifiez "
        "qu'elle parle pour le défi, ou adoptez une autre question proposée"
    ]
    assert draft.flags == []  # a copy is flagged, not the draft handed in
    # It is a flag about the question: adopting another question or writing one ends it.
    from pipeline.review.actions import heading_flags, title_flags

    assert heading_flags(told) == told.flags
    assert title_flags(told) == []
    shared = draft.model_copy(update={"proposal": [proposal.model_copy(update={"said_by": 9})]})
    assert _one_notes_question_told(shared, theme).flags == []
    # A small challenge is told only when one note alone makes its question.
    small, _ = _theme([f"note {i}" for i in range(9)], "fr")
    assert _one_notes_question_told(draft, small).flags == []
    lone = draft.model_copy(update={"proposal": [proposal.model_copy(update={"said_by": 1})]})
    assert "1 des 9 notes" in _one_notes_question_told(lone, small).flags[0]
    tiny, _ = _theme([f"note {i}" for i in range(4)], "fr")
    assert _one_notes_question_told(lone, tiny).flags == []
    about = draft.model_copy(update={"flags": [words("fr").gettext(STRAND)]})
    assert _one_notes_question_told(about, theme).flags == about.flags
    # Asked more broadly than its note (a qualifier no other note names left out), the
    # question is not that note's idea alone.
    assert _one_notes_question_told(draft, theme, {"n0"}).flags == []
    # The notes are counted as the heading counts them: ideas of one note count once.
    behind = theme.model_copy(update={"notes_behind": 74})
    assert "3 des 74 notes" in _one_notes_question_told(draft, behind).flags[0]


def test_a_proposal_cut_for_length_comes_after_whole_ones() -> None:
    """ "… social welfare system with allowances …" third under the question on basic income:
    a whole idea several notes back comes before it; the question's own idea stays first."""
    from pipeline.draft.compose.drafter import _slips_later
    from pipeline.schema import Sentence

    own = Sentence(text="More public debate about the UBI", cites=["n0", "n1"])
    whole = Sentence(text="UBI must match the allowances of the worst off", cites=["n2", "n3"])
    cut = Sentence(
        text="No UBI until we have a well funded welfare system with allowances …",
        cites=["n4", "n5"],
    )
    later = Sentence(text="New ways of supporting these workers must be found", cites=["n6", "n7"])
    listed = _slips_later([own, whole, cut, later], set(), 1)
    assert [p.text for p in listed] == [own.text, whole.text, later.text, cut.text]
    # It stays listed, after the whole ones.
    assert _slips_later([own, cut, whole], set(), 1) == [own, whole, cut]


def test_a_german_question_whose_article_agrees_with_no_noun_comes_after_clean_ones() -> None:
    """An English note read as German ("algorithm register, public") gave "Wie könnten wir
    ein algorithm register einführen?": the article the rules add agrees with no noun, as
    Grammalecte tells in French, so a clean question leads."""
    from pipeline.draft.compose.checks import german_agreement_errors

    texts = [
        "algorithm register, public",
        "Algorithmen-Register öffentlich machen",
        "Algorithmen in der Verwaltung offenlegen",
    ]
    theme, notes = _theme(texts, "de")
    vectors = _vectors([0, 1, 2], seed=2)
    vectors["n0"] = _unit(sum(vectors.values()))  # the slip is the most central note
    draft = ComposingDrafter(vectors).draft(theme, notes, "de")
    assert german_agreement_errors(draft.challenge.text) == [], draft.challenge.text
    assert "algorithm register" not in draft.challenge.text
