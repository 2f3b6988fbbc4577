"""A batch re-runs a changed workshop as ``ideasynth run`` does: the previous run is found
where ``ideasynth run`` files it, under the configured name (not in the batch's staging
folder), its themes are kept, the late notes placed, the analysts' decisions replayed and
said so; the batch's summary shows the run as reviewed (rejected themes left out)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.batch import synthesize_many
from pipeline.cli import app
from pipeline.recurring import load_theme_points
from pipeline.review.app import Review
from pipeline.review.rundir import CARRIED_JSON, DECISIONS_DB
from pipeline.schema import ActionKind, ReviewAction
from tests.test_review_rerun_challenges import LATE_NOTES

SAMPLE = Path(__file__).parents[1] / "data" / "sample"
RENAMED = "REVIEWED Rendre compte aux habitants"
FILED = "valmont-participation"


def run_dirs(out: Path, workshop: str) -> list[Path]:
    return sorted(p for p in (out / workshop).iterdir() if p.is_dir())


@pytest.mark.slow
def test_a_batch_rerun_with_late_notes_keeps_the_themes_and_the_review(tmp_path: Path) -> None:
    root, out = tmp_path / "root", tmp_path / "runs"
    # The sample names itself "valmont-participation" in its ideasynth.toml: the batch files
    # its runs under that name, as ``ideasynth run`` does, and looks for the previous run there.
    shutil.copytree(SAMPLE, root / "atelier", ignore=shutil.ignore_patterns("day2"))
    (first_outcome,) = synthesize_many(root, out).outcomes
    assert first_outcome.status == "completed", first_outcome.reason
    (first_dir,) = run_dirs(out, FILED)

    # The analysts' review, through the app's own checks: rename one theme, reject another.
    review = Review(first_dir)
    _, state = review.state()
    themes = sorted(state.themes.values(), key=lambda t: -t.size)
    renamed, rejected = themes[0], themes[1]
    review.submit(
        ReviewAction(kind=ActionKind.RENAME, theme_id=renamed.id, label=RENAMED),
        "Ana",
        review.log.version(),
    )
    review.submit(
        ReviewAction(kind=ActionKind.REJECT, theme_id=rejected.id), "Ana", review.log.version()
    )
    first_themes = json.loads((first_dir / "themes.json").read_text(encoding="utf-8"))

    # Late notes arrive; the nightly batch runs again.
    with (root / "atelier" / "late.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Note"])
        writer.writerows([text] for text in LATE_NOTES[:5])
    result = CliRunner().invoke(app, ["batch", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    first, second_dir = run_dirs(out, FILED)
    assert first == first_dir

    manifest = json.loads((second_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["clustering"].get("incremental"), manifest["clustering"]
    assert manifest["counts"]["themes"] == len(first_themes)  # kept, not clustered afresh
    assert (second_dir / DECISIONS_DB).is_file()
    carried = json.loads((second_dir / CARRIED_JSON).read_text(encoding="utf-8"))
    about = {(d["action"]["kind"], d["action"]["theme_id"]) for d in carried["reapplied"]}
    assert about == {("rename", renamed.id), ("reject", rejected.id)}
    assert carried["no_longer_apply"] == []
    assert RENAMED in (second_dir / "report.md").read_text(encoding="utf-8")
    # The console says so, as ``ideasynth run`` does (in the run's language, French).
    assert "atelier: Thèmes repris du traitement précédent" in result.output, result.output
    assert "2 décisions réappliquées" in result.output, result.output

    # The batch's summary sees the run as reviewed: the new name, the rejected theme gone.
    points = load_theme_points([("atelier", second_dir)])
    labels = {p.member.theme_id: p.member.label for p in points}
    assert labels[renamed.id] == RENAMED
    assert rejected.id not in labels
    index = (out / "recurring.md").read_text(encoding="utf-8")
    # The sample names its language (French): the summary speaks it.
    assert f"[rapport]({FILED}/{second_dir.name}/report.html)" in index

    # --no-resume (as any changed setting) runs it again: the review still carries over.
    again = CliRunner().invoke(app, ["batch", str(root), "--out", str(out), "--no-resume"])
    assert again.exit_code == 0, again.output
    third_dir = run_dirs(out, FILED)[-1]
    assert third_dir != second_dir
    assert (third_dir / DECISIONS_DB).is_file()
    assert RENAMED in (third_dir / "report.md").read_text(encoding="utf-8")
