"""The Day 2 handout: participant-ready, in the workshop's language, naming nobody by default."""

from __future__ import annotations

import io

import docx

from pipeline.review.actions import replay
from pipeline.review.export import handout_docx, handout_markdown
from pipeline.schema import Draft, DraftLevel, Sentence, Theme
from tests.factories import build_run_result

AUTHORS = ("Sophie", "Jonas", "Amina", "Liam", "Grace", "mallory")


def _docx_text(data: bytes) -> tuple[str, docx.document.Document]:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs), document


def _run(language: str = "fr"):
    run = build_run_result()
    run.manifest.config["output_language"] = language
    return run


def test_the_handout_names_nobody_and_shows_no_files_rows_or_ids_by_default():
    run = _run()
    state = replay(run, [])
    text, _ = _docx_text(handout_docx(run, state))
    markdown = handout_markdown(run, state)
    for output in (text, markdown):
        assert not any(name in output for name in AUTHORS)
        assert ".csv" not in output and ".xlsx" not in output and "row " not in output
        assert not any(note.id in output for note in run.notes)
        assert not any(theme.id in output for theme in run.themes)


def test_with_authors_the_quotes_name_their_participants():
    run = _run()
    text, _ = _docx_text(handout_docx(run, replay(run, []), with_authors=True))
    assert any(f"— {name}" in text for name in AUTHORS)


def test_headings_labels_and_document_properties_follow_the_workshop_language():
    for language, heading, proposals, locale in (
        ("fr", "Défis pour le jour 2", "Pistes proposées", "fr-FR"),
        ("nl", "Uitdagingen voor dag 2", "Voorgestelde pistes", "nl-NL"),
        ("de", "Herausforderungen für Tag 2", "Vorschläge", "de-DE"),
        ("en", "Challenges for Day 2", "Proposals", "en-GB"),
    ):
        run = _run(language)
        text, document = _docx_text(handout_docx(run, replay(run, [])))
        assert heading in text and proposals in text, language
        assert document.core_properties.title.endswith(heading)
        assert document.core_properties.language == locale
        lang = document.styles["Normal"].element.rPr.find(docx.oxml.ns.qn("w:lang"))
        assert lang.get(docx.oxml.ns.qn("w:val")) == locale
        if language == "fr":
            assert "Challenges for Day 2" not in text and "Supporting notes" not in text


def test_each_proposal_shows_how_many_notes_support_it():
    run = _run()
    markdown = handout_markdown(run, replay(run, []))
    first = run.drafts[0].proposal[0]
    assert f"{first.text} ({len(set(first.cites))} notes)" in markdown


def test_the_handout_is_made_of_the_runs_challenges_not_its_facets():
    run = _run()
    members = [i for t in run.themes[:2] for i in t.note_ids]
    broad = Theme(
        id="B1",
        label="Mobilité et verdure",
        note_ids=members,
        size=len(members),
        languages={"fr": len(members)},
        keyphrases=["vélo"],
        representative_ids=members[:3],
    )
    run.broad_themes = [broad]
    run.themes = [t.model_copy(update={"parent_id": "B1"}) for t in run.themes[:2]] + run.themes[2:]
    challenge = Draft(
        theme_id="B1",
        language="fr",
        drafter="compose",
        level=DraftLevel.CHALLENGE,
        title=Sentence(text="Des rues pour tous", cites=members[:1]),
        challenge=Sentence(
            text="Comment pourrions-nous partager la rue entre vélos et arbres ?",
            cites=members[:2],
        ),
        proposal=[Sentence(text="Planter des arbres le long des pistes", cites=members[:3])],
    )
    run.drafts = [challenge, *run.drafts]
    markdown = handout_markdown(run, replay(run, []))
    assert "## Des rues pour tous" in markdown
    assert challenge.challenge.text in markdown
    assert run.drafts[1].challenge.text not in markdown  # a facet's draft stays for analysts
    assert "Planter des arbres le long des pistes (3 notes)" in markdown
