"""A drafter that fails during the replay never bricks the review.

The review replays its log on every request and drafts again every unit whose notes a
decision changed. A drafter error there used to answer 500 on every page, History included,
so that Undo could not be reached, and ``report``, ``export`` and a re-run exited 1. The
failing drafter below is injected where the review builds its drafter for a run; everything
else is real: the written run folder, a uvicorn server on a loopback port, the decision log,
the CLI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from pipeline.cli import app as cli
from pipeline.i18n import words
from pipeline.report import write_run
from pipeline.review import actions, redraft
from pipeline.review.actions import replay
from pipeline.review.matching import Carry, carry_decisions
from pipeline.review.rundir import DECISIONS_DB, load_run
from pipeline.review.store import DecisionLog
from pipeline.schema import UNASSIGNED, ActionKind, Draft, Note, ReviewAction, Theme
from tests.factories import build_run_result, ids
from tests.test_review_security import Server

CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
VERSION = re.compile(r'<span id="version">(\d+)</span>')

# The flag of a draft the drafter failed on, in the draft's language (the factory's is French).
DRAFTING_FAILED = (
    words("fr")
    .gettext(
        "drafting failed (%(reason)s): write the title and the challenge when reviewing",
        reason="",
    )
    .split(" (")[0]
)


class FailingDrafter:
    """Raises as ``form_of`` did on a note such as "Mais"."""

    name = "failing"

    def __init__(self) -> None:
        self.calls = 0

    def draft(self, theme: Theme, notes: Mapping[str, Note], language: str) -> Draft:
        self.calls += 1
        raise IndexError("list index out of range")


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "atelier" / "20250314T093205Z"
    write_run(build_run_result(), folder)
    return folder


@pytest.fixture
def failing(run_dir: Path, monkeypatch: pytest.MonkeyPatch) -> FailingDrafter:
    drafter = FailingDrafter()
    run_id = load_run(run_dir).manifest.run_id
    monkeypatch.setitem(redraft._DRAFTERS, run_id, drafter)
    monkeypatch.setattr(actions, "_COMPOSED", {})  # no draft left from another test
    return drafter


@pytest.fixture
def server(run_dir: Path, failing: FailingDrafter) -> Iterator[Server]:
    running = Server(run_dir, ui_lang="en")
    try:
        yield running
    finally:
        running.stop()


def pages(client: httpx.Client) -> list[str]:
    """Every page of the app, with every theme and challenge the index links to."""
    index = client.get("/").text
    units = sorted(set(re.findall(r'href="/themes/([^"?#]+)"', index)))
    assert units, "the index links no theme"
    return [
        "/",
        *(f"/themes/{u}" for u in units),
        "/unassigned",
        "/noise",
        "/history",
        "/export/handout.docx",
        "/export/handout.md",
        "/export/themes.csv",
        "/files/report.html",
        "/files/report.md",
    ]


def act(client: httpx.Client, **form: object) -> httpx.Response:
    page = client.get("/").text
    token = CSRF.search(page)
    version = VERSION.search(page)
    assert token and version
    data = {"csrf": token.group(1), "version": version.group(1), "back": "/", **form}
    return client.post("/act", data=data)


def test_a_failing_drafter_leaves_every_page_up_and_undo_working(
    server: Server, run_dir: Path, failing: FailingDrafter
) -> None:
    k = ids()
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=60) as client:
        moved = act(client, op="move", note=[k["coffee_en"]], target="t1")
        assert moved.status_code == 303, moved.text[:500]
        assert failing.calls > 0, "the move did not make the review draft again"
        for path in pages(client):
            reply = client.get(path)
            assert reply.status_code == 200, (path, reply.text[:300])
        theme = client.get("/themes/t1").text
        assert DRAFTING_FAILED in theme  # the reviewer sees why there is no draft
        undone = act(client, op="undo")
        assert undone.status_code == 303, undone.text[:500]
        for path in pages(client):
            assert client.get(path).status_code == 200, path
    decisions = DecisionLog(run_dir / DECISIONS_DB).read()
    assert [d.action.kind.value for d in decisions] == ["move", "undo"]
    state = replay(load_run(run_dir), decisions)
    assert k["coffee_en"] in state.unassigned  # the undo really put the note back


def test_report_export_and_a_rerun_survive_a_failing_drafter(
    run_dir: Path, failing: FailingDrafter
) -> None:
    k = ids()
    run = load_run(run_dir)
    log = DecisionLog(run_dir / DECISIONS_DB)
    log.append(
        ReviewAction(kind=ActionKind.MOVE, note_ids=[k["coffee_en"]], target="t1"),
        "ana",
        0,
        run_id=run.manifest.run_id,
    )
    state = replay(run, log.read())
    flagged = state.drafts["t1"].draft
    assert flagged is not None and any(DRAFTING_FAILED in f for f in flagged.flags)
    assert flagged.title.cites and set(flagged.title.cites) <= set(state.themes["t1"].note_ids)

    report = CliRunner().invoke(cli, ["report", str(run_dir)])
    assert report.exit_code == 0, report.output
    assert DRAFTING_FAILED in (run_dir / "report.md").read_text(encoding="utf-8")
    export = CliRunner().invoke(cli, ["export", str(run_dir)])
    assert export.exit_code == 0, export.output
    assert (run_dir / "exports" / "handout.docx").stat().st_size > 0
    assert "Traceback" not in report.output + export.output

    # A re-run into the same --out replays the previous log over the new run the same way.
    carry = carry_decisions(Carry(previous=str(run_dir), decisions=log.read()), run)
    assert [d.action.kind for d in carry.reapplied] == [ActionKind.MOVE]
    assert not carry.dropped
    assert UNASSIGNED not in {d.action.target for d in carry.reapplied}
