"""The grounding check, in the real ``use-m3`` embedding space, on hand-written drafts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.draft import draft_themes
from pipeline.embed import create_embedder
from pipeline.ground import ground_drafts, unverified_terms
from pipeline.schema import Draft, Note, Sentence, Theme

TEXTS = {
    "a1": "Former les agents publics à l'écoute active des citoyens",
    "a2": "Une formation à l'animation de réunions pour les agents de la Ville de Liège",
    "a3": "Coaching des agents par des facilitateurs pendant leurs trois premiers ateliers",
    "b1": "Publier un tableau de suivi de chaque proposition citoyenne",
    "b2": "Expliquer pourquoi une idée n'a pas été retenue",
}
THRESHOLD = 0.30


@pytest.fixture(scope="module")
def space():
    notes = [
        Note(id=i, text=t, original_text=t, source="s.csv", location=f"row {k}", lang="fr")
        for k, (i, t) in enumerate(TEXTS.items())
    ]
    themes = [
        Theme(
            id="T01",
            label="formation",
            note_ids=["a1", "a2", "a3"],
            size=3,
            languages={"fr": 3},
            keyphrases=["agent", "formation"],
            representative_ids=["a1", "a2"],
        ),
        Theme(
            id="T02",
            label="suivi",
            note_ids=["b1", "b2"],
            size=2,
            languages={"fr": 2},
            keyphrases=["proposition"],
            representative_ids=["b1"],
        ),
    ]
    embedder = create_embedder("use-m3")
    vectors = dict(zip(TEXTS, embedder.embed(list(TEXTS.values())), strict=True))
    return notes, themes, vectors, embedder.embed


def _draft(challenge: str, cites: list[str], proposal: str | None = None) -> Draft:
    return Draft(
        theme_id="T01",
        language="fr",
        drafter="test",
        title=Sentence(text="Former les agents à l'écoute", cites=["a1"]),
        challenge=Sentence(text=challenge, cites=cites),
        proposal=[Sentence(text=proposal or challenge, cites=cites)],
    )


def _ground(space, draft: Draft) -> Draft:
    notes, themes, vectors, embed = space
    return ground_drafts([draft], themes, notes, vectors, embed, THRESHOLD)[0]


def test_a_sentence_saying_what_its_notes_say_is_grounded(space):
    draft = _ground(
        space,
        _draft(
            "Comment pourrions-nous former les agents de la Ville de Liège à l'écoute active ?",
            ["a1", "a2"],
        ),
    )
    assert draft.grounded is True
    assert draft.challenge.supported and draft.challenge.support >= THRESHOLD
    assert draft.challenge.supported_by in {"a1", "a2"}
    assert draft.challenge.unverified == []
    assert not [f for f in draft.flags if "le défi" in f]


def test_an_invented_number_and_name_are_flagged(space):
    draft = _ground(
        space,
        _draft(
            "Comment pourrions-nous former 250 agents à l'écoute active avec Deloitte ?",
            ["a1", "a2"],
        ),
    )
    assert draft.grounded is False
    assert set(draft.challenge.unverified) == {"250", "Deloitte"}
    assert any("250" in f and "Deloitte" in f and "le défi" in f for f in draft.flags)
    # The same name and figure present in a cited note are not flagged.
    ok = unverified_terms(
        "Coaching pendant les trois premiers ateliers à Liège", [TEXTS["a2"], TEXTS["a3"]], "fr"
    )
    assert ok == []


def test_a_sentence_about_something_else_is_weakly_supported(space):
    draft = _ground(
        space,
        _draft(
            "Comment pourrions-nous former les agents ?",
            ["a1"],
            proposal="Le parking de la gare sera gratuit le dimanche pour les cyclistes.",
        ),
    )
    sentence = draft.proposal[0]
    assert sentence.supported is False and sentence.support < THRESHOLD
    # Flagged in the draft's language (French here), naming the sentence.
    assert any("peu étayé" in f and "piste proposée" in f for f in draft.flags)


def test_citing_a_note_of_another_theme_is_flagged(space):
    draft = _ground(space, _draft("Comment pourrions-nous suivre chaque proposition ?", ["b1"]))
    assert draft.challenge.supported is False
    assert any("qui ne sont pas dans ce thème\u00a0: b1" in f for f in draft.flags)


def test_composed_drafts_are_grounded_too(space):
    notes, themes, vectors, embed = space
    drafts = draft_themes(themes, notes, "fr", "compose")
    grounded = ground_drafts(drafts, themes, notes, vectors, embed, THRESHOLD)
    for draft in grounded:
        parts = [draft.title, draft.challenge, *draft.proposal]
        assert all(s.support is not None and s.supported is not None for s in parts)
        # The theme's own figures (size, language counts) are not "invented numbers".
        assert all(s.unverified == [] for s in parts), draft
    assert np.all([d.grounded is not None for d in grounded])


def test_german_nouns_are_not_names_but_acronyms_are():
    assert unverified_terms("Die Verwaltung braucht mehr Schulung", ["Schulung"], "de") == []
    assert unverified_terms("Die Verwaltung arbeitet mit McKinsey und der EU", [""], "de") == [
        "McKinsey",
        "EU",
    ]


def _result_with_marks():
    """The report factory's run, its first draft a fallback with a weak and an invented part."""
    from tests.factories import build_run_result

    result = build_run_result()
    first = result.drafts[0]
    weak = first.challenge.model_copy(update={"supported": False, "support": 0.299})
    invented = first.proposal[0].model_copy(update={"supported": True, "unverified": ["250"]})
    result.drafts[0] = first.model_copy(
        update={
            "challenge": weak,
            "proposal": [invented, *first.proposal[1:]],
            "fallback": "language: the text is in 'en', not in the requested 'fr'",
            "requested_drafter": "llama-cpp",
            "drafter": "compose",
            "grounded": False,
        }
    )
    return result


def test_grounding_marks_and_the_fallback_show_in_both_reports():
    from pipeline.report.html import render_html
    from pipeline.report.markdown import render_markdown

    result = _result_with_marks()
    # The run's language is French: the marks are in the report's French.
    page = render_html(result)
    assert page.count('class="ground-flag"') == 2
    assert "⚠ peu étayé (0,299)" in page and "⚠ absent de ses notes\u00a0: 250" in page
    assert "repli\u00a0: la réponse de llama-cpp n’a pas été retenue" in page
    text = render_markdown(result)
    assert "⚠ *peu étayé (0,299)*" in text and "⚠ *absent de ses notes : 250*" in text
    assert "sans modèle génératif · repli : la réponse de llama-cpp" in text


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.mark.browser
@pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs /usr/bin/chromium and /usr/bin/chromedriver (Debian chromium-driver)",
)
def test_grounding_marks_are_visible_in_a_real_browser(tmp_path):
    pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.common.by import By

    from pipeline.report import write_run
    from tests.test_browser_report import start_chromium

    report = write_run(_result_with_marks(), tmp_path / "run")["report.html"]
    driver = start_chromium(tmp_path / "profile")
    try:
        driver.get(report.as_uri())
        marks = driver.find_elements(By.CSS_SELECTOR, ".draft .ground-flag")
        assert [m.is_displayed() for m in marks] == [True, True]
        assert "peu étayé (0,299)" in marks[0].text
        assert "absent de ses notes" in marks[1].text
        fallback = driver.find_element(By.CSS_SELECTOR, ".draft .eyebrow .fallback")
        assert fallback.is_displayed()
        # the CSS uppercases it
        assert "la réponse de llama-cpp n’a pas été retenue" in fallback.text.lower()
        assert "language" in (fallback.get_attribute("title") or "")
    finally:
        driver.quit()


def test_a_stand_in_question_is_left_unchecked_and_unflagged(space):
    from pipeline.draft.compose.wording import WORDING

    notes, themes, vectors, embed = space
    stand_in = WORDING["fr"].no_question
    draft = _draft(stand_in, ["a1"], proposal="Former les agents à l'écoute active")
    checked = ground_drafts(
        [draft], themes, notes, vectors, embed, THRESHOLD, stand_ins=frozenset({stand_in})
    )[0]
    assert checked.challenge.supported is False and checked.challenge.support is None
    assert not [f for f in checked.flags if "le défi" in f]
    assert checked.grounded is False


def test_a_question_asked_in_its_notes_language_is_grounded_in_another_run():
    """No note of a theme in the run's language (French) can be asked about, so its question
    is asked in its notes' German, flagged to translate: the words the rules add in German
    ("neu denken") are no invented names."""
    texts = {
        "d1": "Energieberater in jeder Gemeinde",
        "d2": "Mehr Energie aus Sonne und Wind",
        "d3": "Energie sparen in öffentlichen Gebäuden",
    }
    notes = [
        Note(id=i, text=t, original_text=t, source="s.csv", location=f"row {k}", lang="de")
        for k, (i, t) in enumerate(texts.items())
    ]
    theme = Theme(
        id="T01",
        label="Energie",
        note_ids=list(texts),
        size=3,
        languages={"de": 3},
        keyphrases=[],
        representative_ids=["d1"],
    )
    draft = Draft(
        theme_id="T01",
        language="fr",
        drafter="compose",
        title=Sentence(text="Energie", cites=["d2", "d3"]),
        challenge=Sentence(text="Wie könnten wir Energie neu denken?", cites=["d2", "d3"]),
        proposal=[Sentence(text="Mehr Energie aus Sonne und Wind (de)", cites=["d2"])],
    )
    embedder = create_embedder("use-m3")
    vectors = dict(zip(texts, embedder.embed(list(texts.values())), strict=True))
    grounded = ground_drafts([draft], [theme], notes, vectors, embedder.embed, THRESHOLD)[0]
    assert grounded.challenge.unverified == [], grounded.flags
    # A name no note writes is still one, in whichever language the question is asked.
    invented = draft.model_copy(
        update={
            "challenge": Sentence(
                text="Wie könnten wir Energie mit Siemens neu denken?", cites=["d2", "d3"]
            )
        }
    )
    flagged = ground_drafts([invented], [theme], notes, vectors, embedder.embed, THRESHOLD)[0]
    assert "Siemens" in flagged.challenge.unverified
