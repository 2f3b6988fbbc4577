"""A draft's alternatives in the review: adopted in one click, logged, undone, carried over.

Each challenge and facet keeps the drafter's next best titles and questions
(``Draft.title_alternatives``, ``Draft.challenge_alternatives``). Adopting one is a decision
of the log (``ActionKind.ADOPT``): the adopted sentence cites the alternative's notes, the
wording it replaces becomes an alternative (so that one more click switches back), and the
reports, the handout and ``themes.csv`` show the adopted wording. Like an edit, it carries
over a re-run as written, even when the drafter words the draft differently then.

The fixture run's drafts get alternatives here; the last test runs the real pipeline on the
bundled sample, whose drafter fills them.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient

from pipeline.report import write_run
from pipeline.review.actions import NotApplicable, apply_action, replay
from pipeline.review.app import create_app
from pipeline.review.export import export_all, handout_markdown
from pipeline.review.interface import UiText
from pipeline.review.matching import Carry, carry_decisions
from pipeline.review.reviewed import reviewed_result
from pipeline.review.rundir import DECISIONS_DB, load_run
from pipeline.review.store import DecisionLog
from pipeline.schema import (
    ActionKind,
    ApprovalState,
    Decision,
    DraftLevel,
    ReviewAction,
    RunResult,
    Sentence,
    Theme,
)
from tests.factories import build_run_result, ids

SAFE = "Comment pourrions-nous séparer les vélos des voitures sur les grands axes ?"
PARKED = "Comment pourrions-nous garer les vélos en sécurité près des gares ?"
TITLE_SAFE = "Le vélo en sécurité"
TITLE_PARKED = "Des parkings vélo près des gares"
LOCAL = "http://127.0.0.1:8765"


def s(text: str, *keys: str) -> Sentence:
    k = ids()
    return Sentence(text=text, cites=[k[key] for key in keys])


def with_alternatives(run: RunResult) -> RunResult:
    """The fixture run, its bike theme's draft with two other titles and questions."""
    drafts = list(run.drafts)
    drafts[0] = drafts[0].model_copy(
        update={
            "title_alternatives": [
                s(TITLE_SAFE, "bike_fr", "bike_nl"),
                s(TITLE_PARKED, "parking_fr", "bike_de"),
            ],
            "challenge_alternatives": [
                s(SAFE, "bike_fr", "bike_en"),
                s(PARKED, "parking_fr", "bike_de"),
            ],
        }
    )
    return run.model_copy(update={"drafts": drafts})


@pytest.fixture
def run() -> RunResult:
    return with_alternatives(build_run_result())


def log(*actions: ReviewAction) -> list[Decision]:
    return [
        Decision(seq=i, who="ana", at=f"2026-01-01T00:00:{i:02d}+00:00", action=a)
        for i, a in enumerate(actions, start=1)
    ]


def adopt(theme_id: str, sentence: Sentence, part: str = "challenge") -> ReviewAction:
    """What the app posts when the button beside ``sentence`` is pressed."""
    return ReviewAction(
        kind=ActionKind.ADOPT,
        theme_id=theme_id,
        note_ids=list(sentence.cites),
        title=sentence.text if part == "title" else None,
        challenge=sentence.text if part == "challenge" else None,
    )


def test_adopting_a_question_swaps_it_with_the_draft_and_keeps_its_citations(run):
    pipeline = run.drafts[0]
    parked = pipeline.challenge_alternatives[1]
    state = replay(run, log(adopt("t1", parked)))
    current = state.drafts["t1"]
    draft = current.draft
    assert draft is not None
    assert draft.challenge == parked  # its text and its notes, not the replaced sentence's
    assert draft.challenge.cites == [ids()["parking_fr"], ids()["bike_de"]]
    # The replaced question takes its place: one more click switches back.
    assert draft.challenge_alternatives == [pipeline.challenge_alternatives[0], pipeline.challenge]
    assert draft.title == pipeline.title and draft.proposal == pipeline.proposal
    assert draft.title_alternatives == pipeline.title_alternatives
    # A decision of the review, as an edit is: the analyst's wording, pending approval.
    assert current.edited and current.status is ApprovalState.PENDING
    assert draft.drafter == "analyst" and draft.level is pipeline.level
    assert current.machine == pipeline  # what the pipeline proposes, kept beside it
    shown = {d.theme_id: d for d in reviewed_result(run, state).drafts}["t1"]
    assert shown.challenge.text == PARKED
    assert shown.pipeline_draft is not None and shown.pipeline_draft.challenge == pipeline.challenge

    back = replay(run, log(adopt("t1", parked), adopt("t1", pipeline.challenge)))
    again = back.drafts["t1"].draft
    assert again is not None
    assert again.challenge == pipeline.challenge
    assert again.challenge_alternatives == pipeline.challenge_alternatives


def test_undo_restores_the_pipelines_wording(run):
    undo = ReviewAction(kind=ActionKind.UNDO)
    state = replay(run, log(adopt("t1", run.drafts[0].challenge_alternatives[0]), undo))
    assert state.drafts["t1"].draft == run.drafts[0]
    assert not state.drafts["t1"].edited and len(state.undone) == 1


def test_adopting_a_title_renames_a_theme_named_by_its_title(run):
    pipeline = run.drafts[0]
    safe = pipeline.title_alternatives[0]
    # The fixture's theme is named by its keyphrases: the name stays.
    state = replay(run, log(adopt("t1", safe, "title")))
    draft = state.drafts["t1"].draft
    assert draft is not None and draft.title == safe
    assert draft.title_alternatives == [pipeline.title, pipeline.title_alternatives[1]]
    assert draft.challenge == pipeline.challenge
    assert state.themes["t1"].label == run.themes[0].label
    # Named by its draft's title, as the pipeline names themes: the name follows.
    themes = list(run.themes)
    themes[0] = themes[0].model_copy(update={"label": pipeline.title.text})
    named = run.model_copy(update={"themes": themes})
    state = replay(named, log(adopt("t1", safe, "title")))
    assert state.themes["t1"].label == TITLE_SAFE
    view = reviewed_result(named, state)
    assert view.themes[0].label == TITLE_SAFE
    assert {d.theme_id: d for d in view.drafts}["t1"].title.text == TITLE_SAFE
    # A theme an analyst named takes the title adopted after: a unit has one name, its
    # title, on every page (the handout's heading is the draft's title).
    rename = ReviewAction(kind=ActionKind.RENAME, theme_id="t1", label="Le vélo")
    state = replay(named, log(rename, adopt("t1", safe, "title")))
    assert state.themes["t1"].label == TITLE_SAFE
    view = reviewed_result(named, state)
    assert view.themes[0].label == TITLE_SAFE
    assert {d.theme_id: d for d in view.drafts}["t1"].title.text == TITLE_SAFE
    # Renamed after, it is named so, its draft's title too.
    state = replay(named, log(adopt("t1", safe, "title"), rename))
    view = reviewed_result(named, state)
    assert view.themes[0].label == "Le vélo"
    assert {d.theme_id: d for d in view.drafts}["t1"].title.text == "Le vélo"


def test_an_approved_draft_needs_approving_again_after_an_adoption(run):
    approve = ReviewAction(
        kind=ActionKind.APPROVE, theme_id="t1", challenge=run.drafts[0].challenge.text
    )
    state = replay(run, log(approve, adopt("t1", run.drafts[0].challenge_alternatives[0])))
    assert state.drafts["t1"].status is ApprovalState.PENDING
    approve_new = ReviewAction(kind=ActionKind.APPROVE, theme_id="t1", challenge=SAFE)
    state = replay(run, log(adopt("t1", run.drafts[0].challenge_alternatives[0]), approve_new))
    assert state.drafts["t1"].status is ApprovalState.APPROVED
    assert state.drafts["t1"].draft is not None
    assert state.drafts["t1"].draft.challenge.text == SAFE


def test_an_adoption_names_one_wording_of_a_theme_still_there(run):
    state = replay(run, [])
    both = ReviewAction(kind=ActionKind.ADOPT, theme_id="t1", title=TITLE_SAFE, challenge=SAFE)
    with pytest.raises(NotApplicable, match="choose one title or one question to adopt"):
        apply_action(state, both, who="ana", at="")
    with pytest.raises(NotApplicable, match="choose one title or one question"):
        apply_action(state, ReviewAction(kind=ActionKind.ADOPT, theme_id="t1"), who="a", at="")
    with pytest.raises(NotApplicable, match="the challenge statement is empty"):
        apply_action(state, adopt("t1", Sentence(text=" ", cites=["x"])), who="a", at="")
    with pytest.raises(NotApplicable, match="theme T99 is not in this run any more"):
        apply_action(state, adopt("T99", run.drafts[0].challenge), who="a", at="")
    assert state.drafts["t1"].draft == run.drafts[0]  # nothing changed
    assert UiText("fr").reason("choose one title or one question to adopt") == (
        "choisissez un titre ou une question à adopter"
    )


def test_the_adopted_sentence_cites_only_notes_the_theme_still_holds(run):
    k = ids()
    move = ReviewAction(kind=ActionKind.MOVE, note_ids=[k["parking_fr"]], target="t3")
    parked = run.drafts[0].challenge_alternatives[1]
    state = replay(run, log(move, adopt("t1", parked)))
    draft = state.drafts["t1"].draft
    assert draft is not None and draft.challenge.text == PARKED
    assert draft.challenge.cites == [k["bike_de"]]
    assert set(draft.cited_ids()) <= set(state.themes["t1"].note_ids)


def test_an_edited_draft_keeps_the_alternatives_at_hand(run):
    edit = ReviewAction(
        kind=ActionKind.EDIT_DRAFT,
        theme_id="t1",
        title=TITLE_SAFE,
        challenge="Comment pourrions-nous rouler à vélo sans crainte ?",
        proposal=["Des pistes séparées."],
    )
    state = replay(run, log(edit))
    draft = state.drafts["t1"].draft
    assert draft is not None
    assert [x.text for x in draft.title_alternatives] == [TITLE_PARKED]  # not the edited one
    assert [x.text for x in draft.challenge_alternatives] == [SAFE, PARKED]
    # Adopting one after the edit keeps the analyst's question among the alternatives.
    state = replay(run, log(edit, adopt("t1", draft.challenge_alternatives[0])))
    after = state.drafts["t1"].draft
    assert after is not None and after.challenge.text == SAFE
    assert (
        after.challenge_alternatives[0].text
        == "Comment pourrions-nous rouler à vélo sans crainte ?"
    )
    assert after.proposal[0].text == "Des pistes séparées."


def test_the_history_says_what_was_adopted_in_each_language():
    title = ReviewAction(kind=ActionKind.ADOPT, theme_id="B2", title="Le vélo", note_ids=["n1"])
    question = ReviewAction(kind=ActionKind.ADOPT, theme_id="t1", challenge="Comment… ?")
    assert (
        UiText("fr").describe(title)
        == "choix d’un autre titre pour B2\u00a0: «\u00a0Le vélo\u00a0»"
    )
    assert UiText("en").describe(question) == "adopted another question for t1: “Comment… ?”"
    assert UiText("nl").describe(question) == "andere vraag gekozen voor t1: “Comment… ?”"
    assert UiText("de").describe(title) == "Übernahme eines anderen Titels für B2: „Le vélo“"


def _with_a_challenge(run: RunResult) -> RunResult:
    """The fixture run with a challenge B1 gathering t1 and t2, drafted."""
    t1, t2, t3 = run.themes
    notes = [*t1.note_ids, *t2.note_ids]
    broad = Theme(
        id="B1",
        label="Le vélo et la verdure",
        note_ids=notes,
        size=len(notes),
        languages={},
        keyphrases=["vélo"],
        representative_ids=t1.representative_ids[:2],
    )
    challenge = run.drafts[1].model_copy(
        update={
            "theme_id": "B1",
            "level": DraftLevel.CHALLENGE,
            "title": s("Des rues pour le vélo et les arbres", "bike_fr", "trees_fr"),
            "title_alternatives": [s("Des rues plus vertes", "trees_fr")],
        }
    )
    themes = [t.model_copy(update={"parent_id": "B1"}) for t in (t1, t2)]
    return run.model_copy(
        update={
            "themes": [*themes, t3],
            "broad_themes": [broad],
            "drafts": [challenge, *run.drafts],
        }
    )


def test_a_challenge_that_is_one_theme_adopts_from_the_draft_it_shows(run):
    """A challenge that is one theme shows that theme's reviewed draft; what is adopted on the
    challenge's page adds to that draft, it does not go back to the challenge's own."""
    t1 = run.themes[0]
    broad = t1.model_copy(update={"id": "B1", "label": "Le vélo"})
    own = run.drafts[1].model_copy(update={"theme_id": "B1", "level": DraftLevel.CHALLENGE})
    themes = [t1.model_copy(update={"parent_id": "B1"}), *run.themes[1:]]
    one = run.model_copy(
        update={"themes": themes, "broad_themes": [broad], "drafts": [own, *run.drafts]}
    )
    on_theme = adopt("t1", run.drafts[0].challenge_alternatives[1])
    state = replay(one, log(on_theme))
    shown = {d.theme_id: d for d in reviewed_result(one, state).drafts}["B1"]
    assert shown.challenge.text == PARKED  # followed from its theme
    on_challenge = adopt("B1", shown.title_alternatives[0], "title")
    state = replay(one, log(on_theme, on_challenge))
    draft = state.drafts["B1"].draft
    assert draft is not None and draft.level is DraftLevel.CHALLENGE
    assert draft.title.text == TITLE_SAFE and draft.challenge.text == PARKED
    assert draft.theme_id == "B1" and state.drafts["B1"].edited


def test_the_reports_the_handout_and_the_csv_show_the_adopted_wording(run, tmp_path):
    run = _with_a_challenge(run)
    run_dir = tmp_path / "run"
    write_run(run, run_dir)
    replaced = run.drafts[1].challenge.text  # t1's question, replaced below
    decisions = DecisionLog(run_dir / DECISIONS_DB)
    # Through the app, as an analyst would: the facet's question, then the challenge's title.
    client = TestClient(create_app(run_dir), base_url=LOCAL)
    for path, part, text in (
        ("/themes/t1", "challenge", PARKED),
        ("/themes/B1", "title", "Des rues plus vertes"),
    ):
        page = client.get(path).text
        form = re.search(
            r'<form method="post" action="/act" class="alternative">(?:(?!</form>).)*?'
            rf'name="{part}" value="{re.escape(html.escape(text))}".*?</form>',
            page,
            re.S,
        )
        assert form, path
        fields = dict(
            re.findall(r'name="(csrf|version|back|op|theme_id)" value="([^"]*)"', form.group(0))
        )
        notes = re.findall(r'name="note" value="([^"]*)"', form.group(0))
        reply = client.post(
            "/act", data={**fields, part: text, "note": notes}, follow_redirects=False
        )
        assert reply.status_code == 303, reply.text
    assert [d.action.kind for d in decisions.read()] == [ActionKind.ADOPT, ActionKind.ADOPT]

    # The app rewrote both reports after each decision.
    for name in ("report.html", "report.md"):
        text = (run_dir / name).read_text(encoding="utf-8")
        assert PARKED in text and "Des rues plus vertes" in text, name
    report = html.unescape((run_dir / "report.html").read_text(encoding="utf-8"))
    t1 = report[report.index('id="theme-t1"') :]
    shown = t1[t1.index('class="challenge"') :]
    assert shown.startswith(f'class="challenge">{PARKED} ')  # the draft's own question

    exports = export_all(run_dir)
    rows = {
        r["theme_id"]: r
        for r in csv.DictReader(io.StringIO(exports["themes.csv"].read_text("utf-8")))
    }
    assert rows["t1"]["challenge"] == PARKED and rows["B1"]["title"] == "Des rues plus vertes"
    handout = exports["handout.md"].read_text(encoding="utf-8")
    assert "## Défi 1 — Des rues plus vertes" in handout  # the challenge's adopted title heads it
    assert PARKED in handout and replaced not in handout  # its facet's adopted question
    document = docx.Document(str(exports["handout.docx"]))
    words = "\n".join(p.text for p in document.paragraphs)
    assert "Des rues plus vertes" in words and PARKED in words and replaced not in words

    # Undone, the handout is the pipeline's again.
    undo = ReviewAction(kind=ActionKind.UNDO)
    decisions.append(undo, "ana", decisions.version())
    decisions.append(undo, "ana", decisions.version())
    again = load_run(run_dir)
    state = replay(again, decisions.read())
    assert PARKED not in handout_markdown(again, state)


def test_an_adoption_carries_over_a_rerun_like_an_edit(run, tmp_path):
    """The previous run's log replayed over a re-run whose drafter words the theme otherwise:
    the adopted question stands, citing the notes it cited that are still there, and the new
    run's question becomes an alternative."""
    parked = run.drafts[0].challenge_alternatives[1]
    safe_title = run.drafts[0].title_alternatives[0]
    previous = log(adopt("t1", parked), adopt("t1", safe_title, "title"))
    # Same drafter output: the same swap.
    same = replay(run, previous).drafts["t1"].draft
    assert same is not None and same.challenge == parked and same.title == safe_title

    k = ids()
    reworded = run.drafts[0].model_copy(
        update={
            "challenge": s("Comment pourrions-nous rouler à vélo sans crainte ?", "bike_en"),
            "challenge_alternatives": [s(SAFE, "bike_fr")],
            "title_alternatives": [],
        }
    )
    themes = list(run.themes)
    themes[0] = themes[0].model_copy(
        update={"note_ids": [n for n in themes[0].note_ids if n != k["bike_de"]]}
    )
    second = run.model_copy(update={"drafts": [reworded, *run.drafts[1:]], "themes": themes})
    carry = carry_decisions(Carry(previous="before", decisions=previous), second)
    assert [d.action.kind for d in carry.reapplied] == [ActionKind.ADOPT, ActionKind.ADOPT]
    assert carry.dropped == []
    state = replay(second, carry.reapplied)
    draft = state.drafts["t1"].draft
    assert draft is not None
    assert draft.challenge.text == PARKED and draft.challenge.cites == [k["parking_fr"]]
    assert [x.text for x in draft.challenge_alternatives] == [reworded.challenge.text, SAFE]
    assert draft.title == safe_title and draft.title_alternatives == [reworded.title]
    view = {d.theme_id: d for d in reviewed_result(second, state).drafts}["t1"]
    assert view.pipeline_draft is not None
    assert view.pipeline_draft.challenge == reworded.challenge  # beside it, as for an edit


def test_an_adopted_question_keeps_the_title_it_was_adopted_under(run, tmp_path):
    """A re-run that titles the unit afresh used to set the adopted question under a heading
    that no longer matched it. The app records the title a question is adopted under
    (``under_title``), and the replay restores it with the question, the new title one
    click away among the alternatives; a name an analyst gave the unit stands."""
    k = ids()
    themes = list(run.themes)
    themes[0] = themes[0].model_copy(update={"label": run.drafts[0].title.text})
    named = run.model_copy(update={"themes": themes})  # named by its draft's title
    write_run(named, tmp_path)
    client = TestClient(create_app(tmp_path), base_url=LOCAL)
    form = re.search(  # the button beside the question, as an analyst presses it
        r'<form method="post" action="/act" class="alternative">(?:(?!</form>).)*?'
        rf'name="challenge" value="{re.escape(html.escape(PARKED))}".*?</form>',
        client.get("/themes/t1").text,
        re.S,
    )
    assert form
    fields = dict(
        re.findall(r'name="(csrf|version|back|op|theme_id)" value="([^"]*)"', form.group(0))
    )
    notes = re.findall(r'name="note" value="([^"]*)"', form.group(0))
    posted = client.post(
        "/act", data={**fields, "challenge": PARKED, "note": notes}, follow_redirects=False
    )
    assert posted.status_code == 303, posted.text
    (decision,) = DecisionLog(tmp_path / DECISIONS_DB).read()
    adopted_under = run.drafts[0].title.text
    assert decision.action.under_title == adopted_under

    # The re-run's drafter titles the theme afresh, and the theme is named by that title.
    fresh_title = s("Des voies cyclables partout", "bike_en")
    retitled = run.drafts[0].model_copy(
        update={"title": fresh_title, "title_alternatives": [s(TITLE_SAFE, "bike_fr")]}
    )
    themes[0] = themes[0].model_copy(update={"label": fresh_title.text})
    second = run.model_copy(update={"drafts": [retitled, *run.drafts[1:]], "themes": themes})
    carry = carry_decisions(Carry(previous="before", decisions=[decision]), second)
    state = replay(second, carry.reapplied)
    draft = state.drafts["t1"].draft
    assert draft is not None
    assert draft.challenge.text == PARKED and draft.title.text == adopted_under
    assert set(draft.title.cites) <= set(state.themes["t1"].note_ids) and draft.title.cites
    assert [x.text for x in draft.title_alternatives] == [fresh_title.text, TITLE_SAFE]
    view = reviewed_result(second, state)
    assert view.themes[0].label == adopted_under  # the heading the question was adopted under
    assert {d.theme_id: d for d in view.drafts}["t1"].title.text == adopted_under
    assert adopted_under in handout_markdown(second, state)

    # Without a re-titling, nothing changes.
    same = replay(named, [decision]).drafts["t1"].draft
    assert same is not None and same.title == run.drafts[0].title
    # A name an analyst gave the theme before the adoption stands.
    rename = ReviewAction(kind=ActionKind.RENAME, theme_id="t1", label="Le vélo")
    state = replay(second, log(rename, decision.action))
    assert reviewed_result(second, state).themes[0].label == "Le vélo"
    assert k["bike_en"] in state.themes["t1"].note_ids


@pytest.mark.slow
def test_a_real_rerun_of_the_sample_keeps_the_adopted_wording(tmp_path: Path):
    """The pipeline on the bundled sample: its drafts carry alternatives; one adopted in the
    first run's review stands in the second run, whose reports and exports show it."""
    import shutil

    from pipeline.config import config_for_input
    from pipeline.run import run_workshop

    workshop = tmp_path / "atelier"
    shutil.copytree(Path(__file__).parents[1] / "data" / "sample", workshop)
    config = config_for_input(workshop)
    first, first_dir = run_workshop(workshop, config, tmp_path / "runs")
    offered = [d for d in first.drafts if d.challenge_alternatives]
    assert offered, "the drafter gave no alternative question"
    for draft in first.drafts:
        assert len(draft.title_alternatives) <= 2 and len(draft.challenge_alternatives) <= 2
        units = {t.id: set(t.note_ids) for t in [*first.themes, *first.broad_themes]}
        for alternative in [*draft.title_alternatives, *draft.challenge_alternatives]:
            assert alternative.cites and set(alternative.cites) <= units[draft.theme_id]
    # A theme the review drafts again (a merge) gets its own alternatives, in the reviewed
    # view too.
    into, merged = first.themes[0].id, first.themes[1].id
    merge = ReviewAction(kind=ActionKind.MERGE, theme_ids=[into, merged])
    again = load_run(first_dir)
    state = replay(again, log(merge))
    redrafted = {d.theme_id: d for d in reviewed_result(again, state).drafts}[into]
    assert "drafted again after the review" in redrafted.flags
    assert redrafted.challenge_alternatives and redrafted.title_alternatives
    for alternative in [*redrafted.title_alternatives, *redrafted.challenge_alternatives]:
        assert set(alternative.cites) <= set(state.themes[into].note_ids)

    chosen = next((d for d in offered if d.level is DraftLevel.CHALLENGE), offered[0])
    picked = chosen.challenge_alternatives[-1]
    decisions = DecisionLog(first_dir / DECISIONS_DB)
    decisions.append(adopt(chosen.theme_id, picked), "Ana", 0, run_id=first_dir.name)

    (workshop / "late_table.csv").write_text(
        "Note\n"
        "Organiser un budget participatif pour les jeunes du quartier\n"
        "Laat inwoners zelf beslissen over een deel van het wijkbudget\n",
        encoding="utf-8",
    )
    _, second_dir = run_workshop(workshop, config, tmp_path / "runs")
    carried = DecisionLog(second_dir / DECISIONS_DB).read()
    assert [(d.action.kind, d.action.theme_id) for d in carried] == [
        (ActionKind.ADOPT, chosen.theme_id)
    ]
    again = load_run(second_dir)
    view = reviewed_result(again, replay(again, carried))
    draft = {d.theme_id: d for d in view.drafts}[chosen.theme_id]
    assert draft.challenge.text == picked.text and draft.drafter == "analyst"
    unit = {t.id: t for t in [*view.themes, *view.broad_themes]}[chosen.theme_id]
    assert draft.challenge.cites and set(draft.challenge.cites) <= set(unit.note_ids)
    assert draft.pipeline_draft is not None  # the pipeline's wording beside it
    for name in ("report.html", "report.md"):
        text = html.unescape((second_dir / name).read_text(encoding="utf-8"))
        assert picked.text in text, name
    exports = export_all(second_dir)
    rows = {
        r["theme_id"]: r
        for r in csv.DictReader(io.StringIO(exports["themes.csv"].read_text("utf-8")))
    }
    assert rows[chosen.theme_id]["challenge"] == picked.text


def test_the_flag_of_proposals_to_translate_goes_when_the_analyst_relists_them(run):
    """ "Proposals in 'de' among the first three: translate them …" stays while an analyst
    only renames the unit, and goes once they write the list of proposals."""
    from pipeline.draft.compose.drafter import TRANSLATE_PROPOSALS
    from pipeline.i18n import words

    pipeline = run.drafts[0]
    flag = words(pipeline.language).gettext(TRANSLATE_PROPOSALS, langs="de")
    drafts = [pipeline.model_copy(update={"flags": [flag]}), *run.drafts[1:]]
    flagged = run.model_copy(update={"drafts": drafts})
    lines = [p.text for p in pipeline.proposal]
    renamed = ReviewAction(
        kind=ActionKind.EDIT_DRAFT,
        theme_id="t1",
        title=TITLE_SAFE,
        challenge=pipeline.challenge.text,
        proposal=lines,
    )
    draft = replay(flagged, log(renamed)).drafts["t1"].draft
    assert draft is not None and flag in draft.flags
    relisted = renamed.model_copy(update={"proposal": ["Des pistes séparées.", *lines[1:]]})
    draft = replay(flagged, log(relisted)).drafts["t1"].draft
    assert draft is not None and flag not in draft.flags
    assert "edited by an analyst" in draft.flags


@pytest.mark.parametrize("language", ["en", "fr", "de", "nl"])
def test_the_flag_of_notes_no_rules_read_goes_with_the_question(language: str) -> None:
    """ "The notes are in zh …: translate them, then write the title and the question": once
    an analyst writes the question, the flag no longer applies."""
    from pipeline.i18n import words
    from pipeline.review.actions import _sentence_flags
    from pipeline.schema import Draft, Sentence

    flag = words(language).gettext(
        "the notes are in %(langs)s, which the drafter has no rules for: translate them, then "
        "write the title and the question when reviewing",
        langs="zh",
    )
    draft = Draft(
        theme_id="T04",
        language=language,
        drafter="compose",
        title=Sentence(text="我覺得 UberX 的司機都應該先考取職業駕駛執照 (zh)", cites=["n1"]),
        challenge=Sentence(text="(Question to be written)", cites=["n1"]),
        proposal=[],
        flags=[flag, "small theme"],
    )
    assert _sentence_flags(draft, "challenge") == [flag]
