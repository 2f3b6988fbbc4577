"""Drafts from text no one wrote for the drafter: a range or a topic before a dash, a
proposal a word over the limit, initials as a theme's only name, a French participle or
contracted relative pronoun opening a note, an adjective heading a phrase, a clause cut
inside a list of adjectives. Each case was a broken line in a handout of real comments."""

from __future__ import annotations

import pytest

from pipeline.draft.compose import form_of, question
from pipeline.draft.compose.drafter import MAX_PROPOSAL_WORDS, _as_proposal, as_the_notes_write
from pipeline.draft.compose.forms import FormKind
from pipeline.draft.compose.tagging import join, tag
from pipeline.draft.compose.titles import noun_phrases


def test_a_dash_between_numbers_is_a_range_not_the_end_of_the_proposal() -> None:
    note = (
        "With unemployment projected to reach 40% in the next 10 - 20 years we need "
        "something in place ready for that to happen"
    )
    assert _as_proposal(note, "", "en") == note
    assert _as_proposal("Tempo 30 zwischen 22 – 6 Uhr in Wohngebieten", "", "de").endswith(
        "Uhr in Wohngebieten"
    )


def test_a_short_topic_before_a_dash_keeps_what_the_note_says_of_it() -> None:
    note = "Energie- u Wasserkosten - berechnet nach Haushaltsgröße sollen sie gut leistbar sein"
    assert _as_proposal(note, "", "de") == note
    # A sign between its words is no word: "Elderly & offline ppl" is a topic of three.
    note = "Elderly & offline ppl - phone and paper options"
    assert _as_proposal(note, "", "en") == note
    # A proposal before a dash still ends there: what follows comments on it.
    assert (
        _as_proposal(
            "Baumaterial wieder verwenden und recyclen - Vorsatz: Naturzerstörung", "", "de"
        )
        == "Baumaterial wieder verwenden und recyclen"
    )
    # And a short one before a short comment.
    assert _as_proposal("Mehr Radwege bauen - wäre toll", "", "de") == "Mehr Radwege bauen"


def test_a_proposal_a_few_words_over_the_limit_is_kept_whole() -> None:
    note = (
        "We should encourage reduced working hours and job sharing alongside UBI so that "
        "employment is more equitably spread and the UBI supplements wages."
    )
    assert len(note.split()) == MAX_PROPOSAL_WORDS + 1
    assert _as_proposal(note, "", "en").endswith("the UBI supplements wages")
    long_note = " ".join([note.rstrip("."), "and", "that", "would", "help", "every", "family"])
    shortened = _as_proposal(long_note, "", "en")
    assert shortened.endswith("…")
    assert len(shortened.split()) <= MAX_PROPOSAL_WORDS + 1


def test_a_keyphrase_heading_is_written_as_the_notes_write_it() -> None:
    notes = ["I hope BG still feels like a safe place", "BG will maintain its identity", "bg"]
    assert as_the_notes_write("bg", notes) == "BG"
    assert as_the_notes_write("bike lanes", ["More bike lanes please", "Bike lanes now"]) == (
        "Bike lanes"
    )
    assert as_the_notes_write("tram", ["Nothing about it here"]) == "Tram"


def test_a_french_relative_pronoun_contracted_with_a_preposition_ends_a_title() -> None:
    words = tag("Le poste de ministre des Affaires auquel Davey se désiste est vacant", "fr")
    phrases = [join(p) for p in noun_phrases(words, "fr")]
    assert "poste de ministre des Affaires" in phrases
    assert not any("auquel" in p for p in phrases)


@pytest.mark.parametrize(
    "note",
    [
        "Ayant ses racines dans le quartier, elle a rapidement été rejointe par d'autres",
        "Étant donné la situation, il faut agir",
    ],
)
def test_a_french_participle_opening_a_note_is_no_noun_to_set_up(note: str) -> None:
    first = tag(note, "fr")[0]
    assert (first.pos, first.verb_form) == ("VERB", "part")
    form = form_of(note, "fr")
    assert form is None or "mettre en place" not in question(form, "fr")


@pytest.mark.parametrize(
    ("note", "language"),
    [("Similar to the Dutch model", "en"), ("Open to all residents of the town", "en")],
)
def test_an_adjective_before_its_preposition_is_no_proposal(note: str, language: str) -> None:
    assert form_of(note, language) is None


@pytest.mark.parametrize(
    ("note", "language", "kind"),
    [
        ("Public access to parks", "en", FormKind.PROPOSAL),
        ("Recht auf Beteiligung", "de", FormKind.PROPOSAL),
        ("Plateforme en ligne avec le statut de chaque contribution", "fr", FormKind.PROPOSAL),
        ("Manque de coordination entre services", "fr", FormKind.PROBLEM),
    ],
)
def test_a_noun_before_its_preposition_is_one(note: str, language: str, kind: FormKind) -> None:
    form = form_of(note, language)
    assert form is not None and form.kind is kind


def test_a_clause_cut_inside_a_list_of_adjectives_is_not_asked() -> None:
    note = (
        "Expand public access to affordable, organic, and locally sourced foods through "
        "farmers markets"
    )
    form = form_of(note, "en")
    assert form is None or not question(form, "en").endswith("organic?")
    # A clause that ends on its adjective is whole.
    kept = form_of("Développer les transports en commun", "fr")
    assert kept is not None
    assert question(kept, "fr") == "Comment pourrions-nous développer les transports en commun ?"


@pytest.mark.parametrize(
    ("note", "title"),
    [
        (
            "Transportwege bei lokal verfügbaren Produkten gesetzlich beschränken",
            "lokal verfügbare Produkte",
        ),
        ("Strom sparen bei öffentlichen Gebäuden", "öffentliche Gebäude"),
        ("Gespräche mit Bürgern", "Gespräche mit Bürgern"),
    ],
)
def test_a_german_phrase_after_a_dative_preposition_is_named_in_the_nominative(
    note: str, title: str
) -> None:
    """ "Lokal verfügbaren Produkten" headed a challenge."""
    assert title in [join(p) for p in noun_phrases(tag(note, "de"), "de")]


def test_a_plural_whose_n_is_its_own_keeps_it() -> None:
    """ "Frauen" is no dative of "Fraue", which German does not write; "Anlagen" is the
    plural of "Anlage"."""
    from pipeline.draft.compose.titles import _dative_plural_as_nominative

    for phrase in ["alleinerziehenden Frauen", "großen Anlagen", "lokal verfügbaren Produkten"]:
        words = tag(f"bei {phrase}", "de")[1:]
        kept = join(_dative_plural_as_nominative(words))
        assert kept == (phrase[:-1] if phrase.endswith("Produkten") else phrase)


def test_a_german_relative_clause_without_its_comma_is_not_part_of_the_question() -> None:
    note = (
        "Wir brauchen eine CO²-Kennzeichnungspflicht auf allen Produkten und eine "
        "Kontigentierung der CO²-Menge die jeder Konsument einhalten muss!"
    )
    form = form_of(note, "de")
    assert form is not None
    asked = question(form, "de")
    assert "einhalten" not in asked and asked.endswith("sorgen?"), asked
    # An article after a noun opens no clause: the dative before an accusative.
    kept = form_of("Der Regierung die Verantwortung für den Klimaschutz geben", "de")
    assert kept is None or "Verantwortung" in question(kept, "de")


def test_a_name_the_notes_capitalise_inside_sentences_keeps_its_capitals() -> None:
    from pipeline.draft.compose.topics import shared_topic, topic_question

    notes = [
        "Bowling green needs sidewalks and parking",
        "I hope Bowling Green stays safe for families",
        "Bowling Green should have more festivals downtown",
        "We love Bowling Green and its parks",
        "Bowling Green needs better roads",
        "In 2050 Bowling Green will be bigger and greener",
        "Bowling Green must welcome newcomers",
    ]
    topic = shared_topic([(str(k), tag(n, "en")) for k, n in enumerate(notes)], "en")
    assert topic is not None and topic.name
    assert topic_question(topic, "en") == "How might we rethink Bowling Green?"


def test_a_number_keeps_its_unit_and_a_participle_its_e() -> None:
    form = form_of("Förderungen für Erdwärmeheizungen > 70%", "de")
    assert form is not None and question(form, "de").endswith("> 70% einführen?")
    kept = form_of("Existing unique character neighborhoods should be preserved", "en")
    assert kept is not None
    assert question(kept, "en") == (
        "How might we preserve existing unique character neighborhoods?"
    )


def test_a_later_sentence_that_concludes_from_the_one_before_points_back() -> None:
    from pipeline.draft.compose.checks import points_back

    later = (
        "Bei der Energieproduktion sollte daher unbedingt auf einen gesunden Mix geachtet werden"
    )
    assert points_back(tag(later, "de"), "de")
    assert points_back(tag("We should therefore tax land", "en"), "en")
    assert not points_back(tag("Bei der Energieproduktion auf einen Mix achten", "de"), "de")
    # A pronoun opening a sentence about the one before.
    assert points_back(tag("Cela permettrait de mieux informer les habitants", "fr"), "fr")
    assert points_back(tag("Das ist wichtig für alle", "de"), "de")
    assert points_back(tag("Dit helpt iedereen", "nl"), "nl")
    assert not points_back(tag("Das Auto muss aus der Innenstadt", "de"), "de")


def test_a_proposal_cut_at_the_end_of_its_note_leaves_no_comma() -> None:
    assert _as_proposal("Mehr Fahrstunden in der Fahrschule, auf der Straße,", "", "de") == (
        "Mehr Fahrstunden in der Fahrschule, auf der Straße"
    )


def test_a_label_is_counted_among_notes_not_the_ideas_split_out_of_them() -> None:
    from pipeline.draft.compose.drafter import ComposingDrafter
    from pipeline.schema import Note, NoteStatus, Theme

    def note(note_id: str, text: str, **more: object) -> Note:
        return Note.model_validate(
            {"id": note_id, "text": text, "original_text": text, "source": "notes.csv",
             "location": f"line {note_id}", "lang": "de", **more}
        )  # fmt: skip

    notes = [note(f"k{k}", f"Klimarat: Idee Nummer {k} für alle") for k in range(9)]
    notes += [note(f"o{k}", f"Andere Idee Nummer {k} für alle") for k in range(291)]
    # Nine long notes each split in two: their parents and second ideas would thin the share.
    for k in range(9):
        notes.append(note(f"p{k}", f"Lange Notiz {k}", status=NoteStatus.SPLIT))
        notes.append(note(f"p{k}-2", f"Zweite Idee {k}", parent_id=f"p{k}"))
    unit = Theme(
        id="T01",
        label="x",
        note_ids=["k0", "o0", "o1"],
        size=3,
        languages={"de": 3},
        keyphrases=[],
        representative_ids=[],
    )
    drafter = ComposingDrafter()
    drafter.draft(unit, {n.id: n for n in notes}, "de")
    assert drafter._labels == frozenset({"klimarat"})
