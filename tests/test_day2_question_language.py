"""The Day 2 action plan tags a challenge's question asked in another language than its own
with that language ("How might we …? (en)"), as the drafts tag a proposal and the handout a
quote in another language: the room must see at once that it is to be translated.

A real Day 1 run of English notes whose settings ask for French drafts (no note can be worded
as a French question: each question is an English note's, flagged), then ``ideasynth day2``
on a few cards, in French, German and English."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.day2.shapes import Action, ActionPlan, Challenge
from pipeline.day2.write import plan_markdown
from pipeline.draft.compose.drafter import ASKED_IN_OTHER_LANGUAGE, question_language
from pipeline.i18n import words
from pipeline.schema import Draft, Sentence

runner = CliRunner()

NOTES = [
    "Tell participants what happened with their input",
    "Close the feedback loop after every consultation",
    "Report back to citizens on how their ideas were used",
    "Send a written summary to everyone after each workshop",
    "Publish what the council decided after the consultation",
    "Give people feedback within a month of the meeting",
    "Ban automated decisions without human oversight",
    "Audit the algorithms used by public services",
    "Explain how the algorithm reached its decision",
    "Require a human review of every automated decision",
    "Publish the source code of public algorithms",
    "Set up an ethics board for artificial intelligence",
]


@pytest.fixture(scope="module")
def english_notes_french_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A French run (``draft.language = "fr"``) of English notes: every question is asked
    in English, flagged."""
    from pipeline.config import config_for_input
    from pipeline.run import run_workshop

    workshop = tmp_path_factory.mktemp("day1") / "atelier"
    workshop.mkdir()
    rows = ["Note", *(f'"{text}"' for text in NOTES)]
    (workshop / "notes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (workshop / "ideasynth.toml").write_text('[draft]\nlanguage = "fr"\n', encoding="utf-8")
    _, run_dir = run_workshop(workshop, config_for_input(workshop), workshop.parent / "runs")
    return Path(run_dir)


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("day2") / "cartes"
    folder.mkdir()
    (folder / "actions.csv").write_text(
        "Défi,Action,Votes\n"
        "1,Envoyer un compte rendu écrit à tous les participants,5\n"
        "2,Publier le code source des algorithmes publics,3\n",
        encoding="utf-8",
    )
    return folder


def _plan(run_dir: Path, cards: Path, out: Path, lang: str) -> str:
    done = runner.invoke(
        app, ["day2", str(cards), "--from", str(run_dir), "--out", str(out), "--lang", lang]
    )
    assert done.exit_code == 0, done.output
    return (out / "action_plan.md").read_text(encoding="utf-8")


def _questions(markdown: str, label: str) -> list[str]:
    return [line.removeprefix(label).strip() for line in markdown.splitlines() if label in line]


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_a_question_asked_in_english_is_tagged_en_in_a_french_or_german_plan(
    english_notes_french_run: Path, cards: Path, tmp_path: Path, lang: str
) -> None:
    out = tmp_path / "plan"
    markdown = _plan(english_notes_french_run, cards, out, lang)
    label = f"**{words(lang).gettext('Question:')}**"
    questions = _questions(markdown, label)
    assert questions, markdown
    for question in questions:
        assert question.startswith("How might we ") and question.endswith("? (en)"), question
    page = (out / "action_plan.html").read_text(encoding="utf-8")
    assert page.count("? (en)</p>") == len(questions)
    document = docx.Document(io.BytesIO((out / "action_plan.docx").read_bytes()))
    quoted = [p.text for p in document.paragraphs if p.style.name == "Intense Quote"]
    assert quoted and all(text.endswith("? (en)") for text in quoted), quoted


def test_a_question_in_the_plans_own_language_is_not_tagged(
    english_notes_french_run: Path, cards: Path, tmp_path: Path
) -> None:
    markdown = _plan(english_notes_french_run, cards, tmp_path / "plan", "en")
    questions = _questions(markdown, "**Question:**")
    assert questions and all(q.endswith("?") for q in questions), questions


def _draft(language: str, flags: list[str]) -> Draft:
    said = Sentence(text="How might we close the loop?", cites=["n1"])
    return Draft(
        theme_id="B1",
        language=language,
        drafter="compose",
        title=Sentence(text="Feedback", cites=["n1"]),
        challenge=said,
        proposal=[],
        flags=flags,
    )


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_the_questions_language_is_read_from_the_drafters_flag_in_any_language(lang: str):
    flag = words(lang).gettext(ASKED_IN_OTHER_LANGUAGE, lang=lang, asked_in="zh")
    assert question_language(_draft(lang, ["weakly supported", flag])) == "zh"
    assert question_language(_draft(lang, [])) == lang  # no flag: the draft's own language


def test_a_plan_written_before_the_questions_language_was_recorded_tags_nothing() -> None:
    challenge = Challenge(id="B1", title="Retour", question="How might we close it?")
    plan = ActionPlan(
        workshop="atelier",
        language="fr",
        run_dir="runs/atelier/1",
        challenges=[challenge],
        cards=[],
        attachments=[],
        actions=[Action(id="A1", text="Un compte rendu", challenge_id="B1", card_ids=[])],
    )
    recorded = plan.model_dump(mode="json")
    del recorded["challenges"][0]["question_language"]
    again = ActionPlan.model_validate(recorded)
    assert again.challenges[0].question_language is None
    assert "How might we close it?\n" in plan_markdown(again)
    tagged = again.model_copy(
        update={"challenges": [challenge.model_copy(update={"question_language": "en"})]}
    )
    assert "How might we close it? (en)\n" in plan_markdown(tagged)
