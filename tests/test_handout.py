"""The Day 2 handout: participant-ready, in the workshop's language, naming nobody by default."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from pipeline.report.html import render_html
from pipeline.review.actions import replay
from pipeline.review.export import handout_docx, handout_markdown
from pipeline.review.rundir import load_run
from pipeline.schema import ActionKind, Draft, DraftLevel, RunResult, Sentence, Theme
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


def test_a_count_tells_the_notes_making_a_proposal_from_those_close_to_it():
    """ "(3 notes)" read as three people saying what one note said and two notes near it in
    meaning said: the handout, the report and the review app say "1 note, 2 close to it"
    in the workshop's language, and a proposal no drafter counted keeps its one number."""
    for language, said in (
        ("fr", "(1 note, 2 proches)"),
        ("nl", "(1 notitie, 2 verwante)"),
        ("de", "(1 Notiz, 2 verwandte)"),
        ("en", "(1 note, 2 close to it)"),
    ):
        run = _run(language)
        first = run.drafts[0].proposal[0]
        assert len(set(first.cites)) == 3, first.cites
        first.said_by = 1
        state = replay(run, [])
        text, _ = _docx_text(handout_docx(run, state))
        markdown = handout_markdown(run, state)
        assert f"{first.text} {said}" in markdown, (language, markdown)
        assert f"{first.text} {said}" in text, language
        assert said in render_html(run), language
        first.said_by = 3  # all three make it
        assert f"{first.text} ({THREE_NOTES[language]})" in handout_markdown(run, state)


THREE_NOTES = {"fr": "3 notes", "nl": "3 notities", "de": "3 Notizen", "en": "3 notes"}


def test_a_challenge_without_proposals_says_why_the_section_is_empty():
    """Notes in a language the drafter has no rules for give no proposal ("Uber", 40 Chinese
    comments): the handout says none could be drafted and points to the quotes, in the
    workshop's language, rather than leave the room to wonder whether a section went
    missing."""
    for language, said in (
        ("fr", "Aucune n'a pu être rédigée à partir de ces notes"),
        ("en", "None could be drafted from these notes"),
    ):
        run = _run(language)
        first = run.drafts[0]
        first.proposal = []
        state = replay(run, [])
        markdown = handout_markdown(run, state)
        text, _ = _docx_text(handout_docx(run, state))
        assert said in markdown and said in text, language
        # A challenge with proposals does not say it.
        assert markdown.count(said) == 1


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
    assert "## Défi 1 — Des rues pour tous" in markdown  # the number the cards use
    assert challenge.challenge.text in markdown
    assert run.drafts[1].challenge.text not in markdown  # a facet's draft stays for analysts
    assert "Planter des arbres le long des pistes (3 notes)" in markdown


def _aspects(markdown: str, heading: str) -> list[str] | None:
    """The names listed under "Aspects" in the challenge section headed ``heading``
    (``None`` when it has no such list)."""
    # A heading reads "## Défi 3 — <heading>": the number Day 2 cards name it by.
    section = re.split(rf"\n## [^\n]* — {re.escape(heading)}\n", markdown, maxsplit=1)[1]
    section = section.split("\n## ", 1)[0]
    if "### Aspects" not in section:
        return None
    listed = section.split("### Aspects\n", 1)[1].split("\n### ", 1)[0]
    return [line[2:].split(" — ")[0].strip("*") for line in listed.splitlines() if line[:2] == "- "]


@pytest.fixture(scope="module")
def sample_run(sample_run_copy: Path) -> RunResult:
    """A real run of the bundled sample: its challenges drafted from their facets."""
    return load_run(sample_run_copy)


def test_a_challenges_aspects_leave_out_the_facet_its_heading_names(sample_run: RunResult):
    """A challenge takes its heading and question from its leading facet: the handout lists
    the other facets as its aspects, not that one again; a challenge of one facet lists
    none. Checked on the sample's real handout, Markdown and Word."""
    run = sample_run
    state = replay(run, [])
    markdown = handout_markdown(run, state)
    text, document = _docx_text(handout_docx(run, state))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    challenges = [d for d in run.drafts if d.level is DraftLevel.CHALLENGE]
    several = 0
    for draft in challenges:
        heading = draft.title.text
        facets = [t.label for t in run.themes if t.parent_id == draft.theme_id]
        listed = _aspects(markdown, heading)
        if len(facets) < 2:
            assert listed is None, heading
            continue
        several += 1
        # The challenge was drafted from its facets: one of them is its heading ...
        lead = [f for f in facets if f.casefold() == heading.casefold()]
        assert len(lead) == 1, (heading, facets)
        # ... and only the others are its aspects, in the Markdown and in the Word file.
        assert listed == [f for f in facets if f not in lead], heading
        assert all(f in bullets for f in listed)
    assert several >= 3  # the sample has challenges of several facets
    assert "### Aspects" in markdown and "Aspects" in text
    for draft in challenges:  # no heading is repeated as a bullet of the Word file
        assert draft.title.text not in bullets


def test_a_renamed_challenge_lists_all_its_facets_and_a_lead_with_a_decided_question_stays():
    """The lead facet is found by its name, case aside; a heading an analyst wrote names no
    facet, so all are listed; a lead whose question an analyst decided apart from the
    challenge's says something new and stays."""
    from tests.test_review_challenges import act, challenge_run, log

    run = challenge_run()
    lead, other = [t for t in run.themes if t.parent_id == "B1"]
    challenge = run.drafts[0]
    assert challenge.theme_id == "B1"
    challenge.title = Sentence(text=lead.label.upper(), cites=challenge.title.cites)
    markdown = handout_markdown(run, replay(run, []))
    assert _aspects(markdown, lead.label.upper()) == [other.label]

    renamed = replay(run, log(act(ActionKind.RENAME, theme_id="B1", label="Des rues pour tous")))
    assert _aspects(handout_markdown(run, renamed), "Des rues pour tous") == [
        lead.label,
        other.label,
    ]

    decided = "Comment pourrions-nous planter un arbre par place de parking ?"
    edited = replay(
        run,
        log(
            act(
                ActionKind.EDIT_DRAFT,
                theme_id=lead.id,
                title=lead.label,
                challenge=decided,
                proposal=["Un arbre par place"],
            )
        ),
    )
    markdown = handout_markdown(run, edited)
    assert _aspects(markdown, lead.label.upper()) == [lead.label, other.label]
    assert f"- **{lead.label}** — {decided}" in markdown


def test_the_handout_says_why_proposals_come_in_their_order():
    """The counts under a challenge need not fall ("2, 4, 6, 6"): the handout says that the
    proposals closest to the question come first, and that a count is of the notes that
    make a proposal and of those close to it in meaning, for or against (not a vote), in
    the workshop's language."""
    for language, said in (
        ("fr", "les pistes qui répondent à sa question viennent en premier"),
        ("fr", "combien de notes proposent chacune, et combien d'autres en sont proches"),
        ("nl", "de pistes die haar vraag beantwoorden eerst"),
        ("nl", "hoeveel notities elk voorstellen, en hoeveel andere er inhoudelijk verwant"),
        ("de", "die Vorschläge, die ihre Frage beantworten, zuerst"),
        ("de", "wie viele Notizen jeden vorschlagen und wie viele weitere ihm inhaltlich verwandt"),
        ("en", "the proposals that answer its question come first"),
        ("en", "how many notes propose each, and how many more are close to it in meaning"),
    ):
        run = _run(language)
        state = replay(run, [])
        text, _ = _docx_text(handout_docx(run, state))
        markdown = handout_markdown(run, state)
        assert said in text and said in " ".join(markdown.split()), language


def test_a_challenge_with_voices_in_the_handouts_language_quotes_only_them():
    """Two quotes or more in the handout's language: no other language is quoted (the room
    reads French); a challenge with fewer keeps its other voices, tagged."""
    from pipeline.review.export import handout_items

    run = _run()
    before = {i.theme_id: i.quotes for i in handout_items(run, replay(run, []))}
    mixed = next(t for t, quotes in before.items() if [q.lang for q in quotes].count("fr") == 1)
    other = next(q for q in before[mixed] if q.lang not in {"fr", "und"})
    notes = [n.model_copy(update={"lang": "fr"}) if n.id == other.id else n for n in run.notes]
    run = run.model_copy(update={"notes": notes})
    after = {i.theme_id: i.quotes for i in handout_items(run, replay(run, []))}
    assert [q.lang for q in after[mixed]] == ["fr", "fr"]
    foreign = next(t for t, quotes in before.items() if not any(q.lang == "fr" for q in quotes))
    assert after[foreign] == before[foreign] and len(after[foreign]) > 1


def test_the_quotes_start_with_the_voices_behind_the_question():
    """A challenge's quotes open with the notes its question cites (those saying the same),
    before its most representative notes: a broad challenge's centre can be about
    something else than its question."""
    from pipeline.review.export import handout_items

    run = _run()
    items = handout_items(run, replay(run, []))
    item = next(i for i in items if len(i.quotes) > 1)
    unit = next(t for t in [*run.broad_themes, *run.themes] if t.id == item.theme_id)
    last = item.quotes[-1].id  # a note the quotes reach last: now the question cites it
    draft = item.draft.model_copy(
        update={"challenge": item.draft.challenge.model_copy(update={"cites": [last]})}
    )
    run = run.model_copy(
        update={"drafts": [draft if d.theme_id == draft.theme_id else d for d in run.drafts]}
    )
    quotes = next(i for i in handout_items(run, replay(run, [])) if i.theme_id == unit.id).quotes
    assert quotes[0].id == last


def test_after_the_question_the_quotes_are_the_notes_nearest_its_first_proposals():
    """Then come the notes its first proposals cite beside their own voice (those close to
    an answer), before the challenge's most representative notes: a broad challenge's
    centre can be about another of its facets."""
    from pipeline.review.export import handout_items

    run = _run()
    items = handout_items(run, replay(run, []))
    item = next(i for i in items if len(i.quotes) > 2 and i.draft.proposal)
    last = item.quotes[-1].id
    draft = item.draft
    first = draft.proposal[0].model_copy(update={"cites": [draft.proposal[0].cites[0], last]})
    draft = draft.model_copy(
        update={
            "challenge": draft.challenge.model_copy(update={"cites": [item.quotes[0].id]}),
            "proposal": [first, *draft.proposal[1:]],
        }
    )
    run = run.model_copy(
        update={"drafts": [draft if d.theme_id == draft.theme_id else d for d in run.drafts]}
    )
    quotes = next(i for i in handout_items(run, replay(run, [])) if i.theme_id == item.theme_id)
    assert [q.id for q in quotes.quotes[:2]] == [item.quotes[0].id, last]

    # Under a question about the thing most of its notes name, any idea about it answers:
    # the representative notes, which keep the challenge's breadth, come instead.
    from pipeline.draft.compose.drafter import STRAND
    from pipeline.i18n import words

    topical = draft.model_copy(update={"flags": [words(draft.language).gettext(STRAND)]})
    run = run.model_copy(
        update={"drafts": [topical if d.theme_id == draft.theme_id else d for d in run.drafts]}
    )
    quotes = next(i for i in handout_items(run, replay(run, [])) if i.theme_id == item.theme_id)
    assert [q.id for q in quotes.quotes[:2]] != [item.quotes[0].id, last]


def test_a_quote_that_says_the_heading_again_is_not_shown():
    """« algorithmes opaques » under "Algorithmes opaques": a quote repeating the heading
    tells the room nothing."""
    from pipeline.review.export import handout_items

    run = _run()
    item = next(i for i in handout_items(run, replay(run, [])) if len(i.quotes) > 1)
    quoted = item.quotes[0]
    title = item.draft.title.model_copy(update={"text": quoted.text.upper().rstrip(".")})
    draft = item.draft.model_copy(update={"title": title})
    run = run.model_copy(
        update={"drafts": [draft if d.theme_id == draft.theme_id else d for d in run.drafts]}
    )
    after = next(i for i in handout_items(run, replay(run, [])) if i.theme_id == item.theme_id)
    assert quoted.id not in [q.id for q in after.quotes]
    assert after.quotes


@pytest.mark.parametrize(
    ("text", "written"),
    [
        # In a line, arrows and hashtags are text: no backslash shows in a plain viewer.
        ("Energie in öffentliche Hand -> Netze => Gemeinwohl", None),
        ("#climat et C# en atelier", None),
        # What would open a quote, a heading or a list where the line starts is escaped,
        # and so are emphasis, links, HTML and a heading's closing hashes.
        ("> plus de bancs", "\\> plus de bancs"),
        ("# Budget", "\\# Budget"),
        ("1. Vélos", "1\\. Vélos"),
        ("*urgent* [lien](x) <b>", "\\*urgent\\* \\[lien\\](x) \\<b>"),
        ("Budget #", "Budget \\#"),
    ],
)
def test_the_handouts_markdown_escapes_only_what_markdown_would_read(text, written):
    from pipeline.review.export import _md

    assert _md(text) == (text if written is None else written)


def test_a_quote_that_starts_with_a_proposal_repeats_it():
    from pipeline.review.export import _alike, _words

    proposal = _words("Wir müssen die Ausbeutungslogik des Kapitalismus hinter uns lassen")
    quote = _words(
        "Wir müssen die Ausbeutungslogik des Kapitalismus hinter uns lassen. Gemeinwohl zuerst"
    )
    assert _alike(quote, proposal)
    assert not _alike(_words("Wir müssen innerhalb der planetaren Grenzen wirtschaften"), proposal)


@pytest.mark.parametrize(
    ("text", "lang", "alone"),
    [
        # An item of a note's list that leans on the item before it.
        ("signée par les élus et la direction", "fr", False),
        ("über Sportvereine", "de", False),
        ("gesteund door de wethouder", "nl", False),
        ("and a summary of what we heard", "en", False),
        # Items that say a thing or an action of their own.
        ("horaires variés (midi, samedi)", "fr", True),
        ("in Jugendzentren präsent sein", "de", True),
        ("oefenen met rollenspelen", "nl", True),
        ("publish the room for manoeuvre up front", "en", True),
    ],
)
def test_a_list_item_that_leans_on_the_one_before_is_not_quoted_alone(text, lang, alone):
    from pipeline.review.export import _stands_alone

    run = _run()
    note = run.notes[0].model_copy(update={"text": text, "lang": lang, "parent_id": "n-list"})
    assert _stands_alone(note) is alone
    # A note written whole reads on its own, however it starts.
    assert _stands_alone(note.model_copy(update={"parent_id": None}))


def test_the_quotes_leave_out_whom_the_notes_address_as_the_proposals_do():
    """ "Klimarat: Österreich muss …" in many notes: the label is the consultation's, not the
    participant's idea, and the quote starts after it."""
    from pipeline.review.export import handout_items

    run = _run()
    labelled = {n.id: n.model_copy(update={"text": f"Klimarat: {n.text}"}) for n in run.notes}
    run = run.model_copy(update={"notes": list(labelled.values())})
    items = handout_items(run, replay(run, []))
    quotes = [q for item in items for q in item.quotes]
    assert quotes
    assert all(q.text == labelled[q.id].text.removeprefix("Klimarat: ") for q in quotes)
