"""Splitting notes that hold several ideas, and not splitting those that hold one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.prepare.split import (
    BACK_REFERENCES,
    CLOSING,
    FOLLOW_ON,
    group_sentences,
    join_dependents,
    points_back,
    sentence_words,
    split_bullets,
    split_inline_numbering,
    split_note,
    split_notes,
    split_semicolons,
    whole_words,
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


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Für jede Region, zb. Bezirk soll es zwei Darstellungen geben - a) gesamter "
            "Energieverbrauch, b) erzeugte Bio - Energie",
            "de",
        ),
        ("On pourrait afficher deux chiffres 1) la consommation totale 2) la part verte", "fr"),
        ("Each district should publish two figures\n- total energy use\n- local production", "en"),
    ],
)
def test_short_items_that_complete_a_lead_in_stay_one_idea(text: str, lang: str) -> None:
    """Split, "gesamter Energieverbrauch" became an idea of its own ("… einen gesamten
    Energieverbrauch einführen?") and the lead-in named two things it no longer held."""
    assert split_note(text, lang) is None


def test_items_after_a_heading_or_a_sentence_of_their_own_still_split() -> None:
    assert split_note("Wir brauchen: a) mehr Radwege b) billigere Öffis", "de") == [
        "mehr Radwege",
        "billigere Öffis",
    ]
    assert split_note(
        "Der Verkehr muss sich ändern. 1) Radwege ausbauen 2) Busse ausbauen", "de"
    ) == [
        "Der Verkehr muss sich ändern.",
        "Radwege ausbauen",
        "Busse ausbauen",
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


def test_numbered_items_inside_a_line_split_after_a_sentence_end() -> None:
    """ "1. … 2. … 3. …" in one line is a list when each number opens a sentence; the
    numbers do not stay in the ideas ("… standards. 2. End … subsidies. 3.")."""
    text = (
        "The 7 steps of the plan should be adopted: 1. Set strict and enforceable standards. "
        "2. End public irrigation subsidies. 3. Create an Agricultural Transition Fund."
    )
    assert split_note(text, "en") == [
        "Set strict and enforceable standards.",
        "End public irrigation subsidies.",
        "Create an Agricultural Transition Fund.",
    ]
    # Ordinals inside a sentence are no list.
    assert split_inline_numbering("Am 1. Mai und am 2. Juni gibt es Feste in der Stadt.") is None
    assert split_inline_numbering("Les 2. et 3. étages sont fermés. Le 4. aussi.") is None


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


# Sentences that point back to the one before, per language: each is merged into it. The
# first sentence and the last are ideas of their own, long enough to split the note.
POINTING_BACK = {
    "de": [
        "Kostet kaum etwas und bringt sehr viel.",
        "Auch beim Belvedere und Schloss Schönbrunn.",
        "Ebenfalls beim Hauptbahnhof und am Westbahnhof.",
        "Daher kein Abbau bestehender Gasheizungen.",
        "Deshalb braucht es eine klare Regel.",
        "Dafür sollte die Stadt selbst zahlen.",
        "Dabei helfen die Bezirke mit ihren Mitteln.",
        "Also muss der Bund hier mehr investieren.",
        "Dies gilt auch für alle Gemeindebauten.",
        "Das betrifft vor allem die Jugendlichen.",
        "Jetzt sind die Netzkosten ebenfalls zu hoch.",
        "Die Bibliotheken im Bezirk brauchen das auch.",
        "Vor allem im ländlichen Raum.",
        "Z. B. muss nicht jede Party Müllberge hinterlassen.",
        "Sofern das Geld in den Nahverkehr fließt.",
        "Vorausgesetzt, das Geld fließt in den Nahverkehr.",
        "Und die Straßenbahnen sollen auch nachts fahren.",
        "Seine Kosten muss die Stadt selbst tragen.",
    ],
    "en": [
        "Makes a bad impression on visitors to our city.",  # the verb's subject: before
        "Therefore the city should pay for it.",
        "So the buses must run every ten minutes.",
        "This applies to every district of the city.",
        "That would help the young people most.",
        "Otherwise nobody will come to the meetings.",
        "The same goes for the libraries and pools.",
        "The evening buses should be free as well.",
        "The libraries in the villages should open longer too.",
        "Likewise the libraries should open in the evening.",
        "For example the libraries could open in the evening.",
        "Provided that the money goes to the night buses.",
        "Unless the city pays for the tickets itself.",
        "And the trams should run at night as well.",
        "Their tickets should cost less for students.",
    ],
    "fr": [
        "Permet de réduire les accidents graves en ville.",
        "Aussi dans les quartiers du nord de la ville.",
        "Donc il faut un budget propre à la mairie.",
        "Cela concerne surtout les jeunes du quartier.",
        "C’est pourquoi la mairie doit payer les bus.",
        "Par conséquent les habitants ne viennent plus.",
        "Les bibliothèques doivent également ouvrir le soir.",
        "Les bibliothèques de quartier le soir aussi.",
        "Par exemple les bibliothèques pourraient ouvrir le soir.",
        "Quitte à adapter le tarif à la situation de chacun.",
        "Quit à adapter le tarif à la situation de chacun.",
        "Il y a là une sorte d'injustice envers les villages.",
        "L'imposer dans les cantines et restos de collectivité.",
        "L imposer dans les cantines et restos de collectivité.",
        "Les interdire dans les parcs de la ville.",
        "Il ne s'agit pas de faire reposer ça sur les automobilistes.",
        "Oui à condition que l'argent finance les transports en commun.",
        "À condition que l'argent finance les transports en commun.",
        "Cette aide doit aller aux ménages les plus modestes.",
        "Et quand on applique la réduction, le prix reste trop élevé.",
        "Les villages pourraient avoir un bus le dimanche par exemple.",
    ],
    "nl": [
        "Ook bij de bibliotheek en het zwembad.",
        "Dus moet de gemeente het zelf betalen.",
        "Dit geldt voor alle wijken van de stad.",
        "Daarom moet de gemeente meer investeren.",
        "Zo komen er meer jongeren naar de vergadering.",
        "De bibliotheken moeten eveneens langer open blijven.",
        "De bibliotheken in de wijken moeten dat ook.",
        "Vooral in de dorpen rond de stad.",
        "Mits het geld naar het openbaar vervoer gaat.",
        "Tenzij de stad de tickets zelf betaalt.",
        "En de trams moeten ook 's nachts rijden.",
        "Hun tickets moeten goedkoper worden voor studenten.",
        "Zorgt voor minder auto's in het centrum van de stad.",
    ],
}
FIRST = {
    "de": "Im Wiener Prater müssen Windräder aufgestellt werden.",
    "en": "The city needs more buses to the outer villages at night.",
    "fr": "Il faut plus de bus vers les villages le soir et le week-end.",
    "nl": "De gemeente moet meer bussen laten rijden naar de dorpen.",
}
LAST = {
    "de": "Dreihundert Meter hohe Windräder erzeugen viel mehr Energie.",
    "en": "Finally, every project should publish a short report on its results.",
    "fr": "Enfin, chaque projet doit publier un compte-rendu de ses résultats.",
    "nl": "Tot slot moet elk project een kort verslag publiceren.",
}
NEW_POINT = {
    "de": "Außerdem brauchen wir viel mehr Radwege in der Stadt.",
    "en": "Also, the city should open a permanent office for ideas.",
    "fr": "De plus, la mairie doit ouvrir un bureau permanent.",
    "nl": "Bovendien moet de gemeente een vast loket openen.",
}


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [(lang, sentence) for lang, sentences in POINTING_BACK.items() for sentence in sentences],
)
def test_a_sentence_pointing_back_stays_with_the_sentence_before(lang: str, sentence: str) -> None:
    sentences = [FIRST[lang], sentence, LAST[lang]]
    parts = group_sentences(sentences, " ".join(sentences), lang)
    assert parts == [f"{FIRST[lang]} {sentence}", LAST[lang]]


@pytest.mark.parametrize("lang", sorted(NEW_POINT))
def test_a_sentence_starting_a_new_point_is_an_idea_of_its_own(lang: str) -> None:
    sentences = [FIRST[lang], NEW_POINT[lang], LAST[lang]]
    assert group_sentences(sentences, " ".join(sentences), lang) == sentences


def test_as_well_as_inside_a_sentence_does_not_point_back() -> None:
    sentences = [FIRST["en"], "Buses as well as trams should be free for students.", LAST["en"]]
    assert group_sentences(sentences, " ".join(sentences), "en") == sentences


def test_the_lists_hold_the_words_that_point_back_in_every_language() -> None:
    assert set(FOLLOW_ON) == set(BACK_REFERENCES) == set(CLOSING) == {"fr", "nl", "de", "en"}
    expected = {
        "de": "auch ebenfalls daher deshalb dafür dabei also dies das",
        "en": "therefore so this that",
        "fr": "aussi donc cela ce",
        "nl": "ook dus dit dat",
    }
    for lang, openers in expected.items():
        for word in openers.split():
            assert (word,) in FOLLOW_ON[lang], (lang, word)
    assert ("außerdem",) not in FOLLOW_ON["de"] and ("also",) not in FOLLOW_ON["en"]
    assert sentence_words("C’est pourquoi") == ["c'", "est", "pourquoi"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "Im Wiener Prater müssen Windräder aufgestellt werden. Auch beim Belvedere und "
            "Schloss Schönbrunn. 300m-hohe Windräder erzeugen mehr Energie.",
            "Auch beim Belvedere und Schloss Schönbrunn.",
        ),
        (
            "Nein. Wir haben seit Jahrzehnten den Ausbau des Stromnetzes über Steuern bezahlt. "
            "Jetzt sind die Netzkosten ebenfalls zu hoch.",
            "Jetzt sind die Netzkosten ebenfalls zu hoch.",
        ),
        (
            "Energieverteilung über Gasnetze ist wesentlich effizienter als mittels Fernwärme. "
            "Daher kein Abbau bestehender Gasheizungen. Besser e-Gase",
            "Daher kein Abbau bestehender Gasheizungen.",
        ),
    ],
)
def test_real_fragments_no_longer_stand_alone(text: str, fragment: str) -> None:
    """Comments of the Austrian climate council's Polis consultation whose second sentence
    landed alone in a theme."""
    parts = split_note(text, "de") or [text]
    assert fragment not in parts
    assert any(fragment in part for part in parts)


def test_a_sentence_break_inside_a_word_is_undone() -> None:
    text = "Entschleunigung hat viele positive Wirkungen. #degrowth und weniger Konsum."
    pieces = ["Entschleunigung hat viele positive Wirkungen. #", "degrowth und weniger Konsum."]
    assert whole_words(pieces, text) == [text]
    assert whole_words(["Eins.", "Zwei."], "Eins. Zwei.") == ["Eins.", "Zwei."]
    assert whole_words(["not", "in it"], "something else") == ["not", "in it"]


@pytest.mark.parametrize(
    "token", ["#degrowth", "@klimarat_at", "https://klimarat.org/ergebnisse/", "info@klimarat.at"]
)
def test_hashtags_mentions_urls_and_addresses_survive_splitting(token: str) -> None:
    text = (
        "Ich will weniger konsumieren und glücklicher werden durch Verzicht auf Überfluss. "
        f"Entschleunigung hat viele positive Wirkungen. {token} "
        "Wir brauchen mehr Reparaturcafés in jedem Bezirk der Stadt. "
        "Die Mehrwertsteuer auf Reparaturen sollte gesenkt werden."
    )
    parts = split_note(text, "de")
    assert parts is not None and len(parts) >= 2
    assert any(token in part.split() for part in parts), parts
    assert " ".join(parts).split() == text.split()  # nothing cut, nothing added


def test_full_width_semicolons_split_like_ascii_ones() -> None:
    assert split_semicolons("更多公園 綠地；更多 自行車道") == ["更多公園 綠地", "更多 自行車道"]


@pytest.mark.parametrize(
    ("lang", "pieces"),
    [
        ("fr", ["la localisation ou", "l'absence d'alternatives à la voiture"]),
        ("fr", ["Mesures d'urgence pour la voiture &", "Une prime à la conversion pour tous"]),
        ("en", ["where people live or", "the lack of buses near their home"]),
        ("de", ["der Wohnort oder", "fehlende Alternativen zum eigenen Auto"]),
        ("nl", ["de woonplaats of", "het ontbreken van alternatieven voor de auto"]),
    ],
)
def test_a_piece_ending_on_a_conjunction_is_joined_to_the_next(
    lang: str, pieces: list[str]
) -> None:
    assert join_dependents(pieces, lang, 2, list_items=True) == [" ".join(pieces)]


def test_a_list_whose_items_hang_together_is_not_split() -> None:
    text = (
        "Le Gouvernement doit acter une aide financière à la mobilité solidaire en prenant en "
        "compte les deux critères suivants :\n - la localisation ou \n- l’absence d’alternatives "
        "pour se déplacer autrement qu’avec la voiture et le faible niveau de ressources. Cette "
        "aide ne devrait pas être réservée aux actifs pour ne laisser personne sur le carreau."
    )
    parts = split_note(text, "fr") or [text]
    assert all("l’absence" in part for part in parts if "la localisation ou" in part)


def test_a_reply_opening_the_note_waits_for_the_next_sentence() -> None:
    sentences = [
        "Oui à condition que l’argent finance les transports en commun et réduise les prix.",
        "Je travaille à 15 km de chez moi et je ne peux pas arriver à 7 h en bus.",
        LAST["fr"],
    ]
    assert group_sentences(sentences, " ".join(sentences), "fr") == [
        f"{sentences[0]} {sentences[1]}",
        LAST["fr"],
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "L'avenir des villages passe par le train.",
        "Le quartier de la gare a besoin de bancs.",
        "Les danger des pesticides sont connus de tous.",
        "Il y a trop de voitures dans le centre.",
    ],
)
def test_an_article_before_a_noun_does_not_point_back(sentence: str) -> None:
    assert not points_back(sentence, "fr")


def test_the_first_item_of_a_list_stays_an_item_even_if_it_points_back() -> None:
    text = (
        "Et si on commençait par du pragmatisme :\n"
        "- supprimer les emballages inutiles, de même pour les médicaments\n"
        "- mettre un pull à la maison et le chauffage à 19 degrés"
    )
    assert split_note(text, "fr") == [
        "supprimer les emballages inutiles, de même pour les médicaments",
        "mettre un pull à la maison et le chauffage à 19 degrés",
    ]


def test_dash_lines_whose_dash_touches_the_item_are_a_list() -> None:
    text = (
        "-interdire tout de suite les pesticides\n"
        "-fermer les usines qui rejettent leurs déchets dans les rivières\n"
        "-développer fortement les recherches sur le photovoltaïque"
    )
    assert split_note(text, "fr") == [
        "interdire tout de suite les pesticides",
        "fermer les usines qui rejettent leurs déchets dans les rivières",
        "développer fortement les recherches sur le photovoltaïque",
    ]


@pytest.mark.parametrize(
    ("text", "lang", "items"),
    [
        (
            "interdire tout de suite les pesticides -fermer les usines qui polluent "
            "-pousser les sociétés hlm à rénover leur parc",
            "fr",
            [
                "interdire tout de suite les pesticides",
                "fermer les usines qui polluent",
                "pousser les sociétés hlm à rénover leur parc",
            ],
        ),
        (
            "Wir brauchen: – mehr Radwege – weniger Parkplätze – Tempo 30 überall",
            "de",
            ["mehr Radwege", "weniger Parkplätze", "Tempo 30 überall"],
        ),
        (
            "meer groen in de wijk -minder auto's in het centrum -een bus op zondag",
            "nl",
            ["meer groen in de wijk", "minder auto's in het centrum", "een bus op zondag"],
        ),
    ],
)
def test_an_inline_dash_list_is_split_into_its_items(
    text: str, lang: str, items: list[str]
) -> None:
    assert split_note(text, lang) == items


@pytest.mark.parametrize(
    "text",
    [
        "Le vélo – surtout électrique – est l'avenir de la ville",
        "Prices -5 % and -10 % for students and pensioners",
        "Verbindung Lille - Roubaix - Tourcoing ausbauen",
        "Das Rad-und Fußwegenetz - auch im Umland - ausbauen",
    ],
)
def test_dashes_that_are_no_list_do_not_split(text: str) -> None:
    assert split_note(text, "fr") is None


_PIECE_WORDS = st.sampled_from(
    ["la", "localisation", "ou", "Quitte", "à", "L'imposer", "Il", "y", "a", "là", "ça", "und",
     "Sofern", "mits", "or", "bus", "vélos", "&", ",", ":", "Oui", "par", "exemple", "Daher"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(_PIECE_WORDS, min_size=1, max_size=8).map(" ".join), max_size=8),
    st.sampled_from(["fr", "nl", "de", "en"]),
    st.booleans(),
)
def test_joining_dependents_never_loses_reorders_or_adds_words(
    pieces: list[str], lang: str, list_items: bool
) -> None:
    joined = join_dependents(pieces, lang, 2, list_items=list_items)
    assert " ".join(joined) == " ".join(pieces)
    assert len(joined) <= len(pieces)
    assert all(part in " ".join(pieces) for part in joined)


def test_a_first_sentence_pointing_at_the_question_stands() -> None:
    sentences = [
        "C'est aux pollueurs de payer la transition, pas aux ménages !",
        "Il faut taxer les industries qui suremballent leurs produits alimentaires.",
        LAST["fr"],
    ]
    assert group_sentences(sentences, " ".join(sentences), "fr") == sentences
