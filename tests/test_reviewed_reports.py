"""The review is the truth: the reports of a reviewed run show what the analysts decided."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.report import write_run
from pipeline.review.actions import replay
from pipeline.review.export import refresh_report
from pipeline.review.reviewed import reviewed_result
from pipeline.review.rundir import DECISIONS_DB, load_run
from pipeline.review.store import DecisionLog
from pipeline.schema import ActionKind, ReviewAction
from tests.factories import build_run_result

EDITED = "Comment pourrions-nous ouvrir les rues aux vélos, quartier par quartier ?"


def _decide(run_dir: Path, *actions: ReviewAction) -> None:
    log = DecisionLog(run_dir / DECISIONS_DB)
    for action in actions:
        log.append(action, "analyst", log.version(), run_id="r")


def _reviewed_run(tmp_path: Path) -> Path:
    run_dir = tmp_path / "run"
    write_run(build_run_result(), run_dir)
    _decide(
        run_dir,
        ReviewAction(kind=ActionKind.RENAME, theme_id="t2", label="Verdure en ville"),
        *_edit_and_approve("t1", "Le vélo pour tous"),
    )
    return run_dir


def _edit_and_approve(theme_id: str, title: str) -> list[ReviewAction]:
    """An analyst rewrites a draft in their own words, then approves it."""
    return [
        ReviewAction(
            kind=ActionKind.EDIT_DRAFT,
            theme_id=theme_id,
            title=title,
            challenge=EDITED,
            proposal=["Des pistes séparées sur les grands axes."],
        ),
        ReviewAction(kind=ActionKind.APPROVE, theme_id=theme_id, challenge=EDITED),
    ]


def test_the_rebuilt_reports_show_the_new_name_and_the_analysts_words(tmp_path):
    run_dir = _reviewed_run(tmp_path)
    before = (run_dir / "report.html").read_text(encoding="utf-8")
    assert EDITED not in before and "Verdure en ville" not in before
    result = CliRunner().invoke(app, ["report", str(run_dir)])
    assert result.exit_code == 0, result.output
    for name in ("report.html", "report.md"):
        text = (run_dir / name).read_text(encoding="utf-8")
        assert "Verdure en ville" in text, name
        assert EDITED in text and "Des pistes séparées sur les grands axes." in text, name
        assert "analyst" in text, name  # the analyst's words are marked as such
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "Proposition approuvée à la relecture" in html  # the factory run is French


def test_a_rename_titles_the_draft_and_a_merge_drafts_the_merged_theme_again(tmp_path):
    run_dir = tmp_path / "run"
    write_run(build_run_result(), run_dir)
    _decide(
        run_dir,
        ReviewAction(kind=ActionKind.RENAME, theme_id="t3", label="Informer les habitants"),
        ReviewAction(kind=ActionKind.MERGE, theme_ids=["t1", "t2"]),
    )
    run = load_run(run_dir)
    view = reviewed_result(run, replay(run, DecisionLog(run_dir / DECISIONS_DB).read()))
    drafts = {d.theme_id: d for d in view.drafts}
    assert "t2" not in drafts and {t.id for t in view.themes} == {"t1", "t3"}
    assert drafts["t3"].title.text == "Informer les habitants"
    merged = next(t for t in view.themes if t.id == "t1")
    assert drafts["t1"].cited_ids() <= set(merged.note_ids)
    assert any("drafted again" in f for f in drafts["t1"].flags)
    moved = {n.id: n.theme_id for n in view.notes}
    assert all(moved[i] == "t1" for i in merged.note_ids)


def test_after_each_decision_the_app_path_rewrites_both_reports(tmp_path):
    run_dir = _reviewed_run(tmp_path)
    run = load_run(run_dir)
    refresh_report(run_dir, run, replay(run, DecisionLog(run_dir / DECISIONS_DB).read()))
    assert EDITED in (run_dir / "report.md").read_text(encoding="utf-8")
    assert "Verdure en ville" in (run_dir / "report.html").read_text(encoding="utf-8")


def test_the_handout_shows_the_review_of_a_challenge_that_is_one_theme(tmp_path):
    import io

    import docx

    from pipeline.review.export import handout_docx
    from pipeline.schema import DraftLevel, Theme

    run = build_run_result()
    t1 = run.themes[0]
    run.themes[0] = t1.model_copy(update={"parent_id": "B1"})
    run.broad_themes = [
        Theme(
            id="B1",
            label=t1.label,
            note_ids=list(t1.note_ids),
            size=t1.size,
            languages=dict(t1.languages),
            keyphrases=list(t1.keyphrases),
            representative_ids=list(t1.representative_ids),
        )
    ]
    machine = run.drafts[0].model_copy(update={"theme_id": "B1", "level": DraftLevel.CHALLENGE})
    run.drafts = [machine, *run.drafts]
    run_dir = tmp_path / "run"
    write_run(run, run_dir)
    _decide(
        run_dir,
        ReviewAction(kind=ActionKind.RENAME, theme_id="t1", label="Le vélo partout"),
        *_edit_and_approve("t1", "Le vélo partout"),
    )
    run = load_run(run_dir)
    state = replay(run, DecisionLog(run_dir / DECISIONS_DB).read())
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(handout_docx(run, state))).paragraphs)
    assert "Le vélo partout" in text and EDITED in text
    assert "Des pistes séparées sur les grands axes." in text
    assert machine.challenge.text not in text
