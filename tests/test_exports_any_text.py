"""Exports survive any text: every control character, in a label, a note, a draft and an
author's name, through the handout (DOCX and Markdown), the CSV, both reports and the
review app's export links. The handout and the CSV leave such characters out; the reports
show them as visible escapes, as they show a file name holding an ESC or a BEL.

python-docx (lxml) refuses text XML cannot hold ("All strings must be XML compatible"): one
ESC in a label renamed through the app made ``ideasynth export`` exit 1 and every export
link answer 500.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import docx
import httpx
import pytest
from typer.testing import CliRunner

from pipeline.cli import app as cli
from pipeline.report import write_run
from pipeline.report.html import render_html
from pipeline.report.markdown import render_markdown
from pipeline.review.actions import replay
from pipeline.review.export import (
    HANDOUT_DOCX,
    HANDOUT_MD,
    THEMES_CSV,
    handout_docx,
    handout_markdown,
    themes_csv,
)
from pipeline.review.reviewed import reviewed_result
from pipeline.review.rundir import DECISIONS_DB
from pipeline.review.store import DecisionLog
from pipeline.safe_text import document_text, visible_text
from pipeline.schema import ActionKind, Decision, ReviewAction, RunResult
from tests.factories import build_run_result
from tests.test_review_security import Server

CONTROLS = [chr(i) for i in [*range(0x20), 0x7F, *range(0x80, 0xA0)]] + ["\ufffe", "\uffff"]
"""Every C0 and C1 control, DEL, and the two non-characters XML forbids."""
KEPT = {"\t", "\n", "\r"}
"""What XML and HTML hold: a document may keep these."""
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def hostile_run(char: str) -> tuple[RunResult, list[Decision]]:
    """The fixture run with ``char`` in every note's text and author, in a draft's
    proposal, and in a theme label renamed through the review log."""
    run = build_run_result()
    for note in run.notes:
        note.text = f"{note.text} {char}fin"
        note.metadata = {**note.metadata, "author": f"Ann{char}e"}
    first = run.drafts[0]
    if first.proposal:
        first.proposal[0].text = f"Proposition{char}une"
    first.title.text = f"Titre{char}un"
    rename = ReviewAction(kind=ActionKind.RENAME, theme_id="t1", label=f"Mobilité{char}[31m")
    decision = Decision(seq=1, action=rename, who=f"ana{char}", at="2025-03-14T10:00:00Z")
    return run, [decision]


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_every_control_character_is_exported(char: str) -> None:
    run, decisions = hostile_run(char)
    state = replay(run, decisions)
    label = document_text(" ".join(f"Mobilité{char}[31m".split()))  # as the rename keeps it
    assert label in ("Mobilité[31m", "Mobilité [31m")

    data = handout_docx(run, state, with_authors=True)
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert label in text
    if char not in KEPT:
        assert "Anne" in text  # the author's name, signed, without the control
    markdown = handout_markdown(run, state, with_authors=True)
    assert label.replace("[", "\\[") in markdown and not FORBIDDEN.search(markdown)
    cells = [c for row in csv.reader(io.StringIO(themes_csv(run, state))) for c in row]
    assert label in cells
    assert not any(FORBIDDEN.search(c) for c in cells)

    # The reports show such a character as a visible escape ("Mobilité\\x1b[31m").
    shown = visible_text(" ".join(f"Mobilité{char}[31m".split()))
    reviewed = reviewed_result(run, state)
    html = render_html(reviewed)
    assert shown in html
    assert not FORBIDDEN.search(html)
    markdown = render_markdown(reviewed)
    assert shown.replace("\\", "\\\\").replace("[", "\\[") in markdown
    assert not FORBIDDEN.search(markdown)


def test_document_text_keeps_tabs_line_breaks_and_every_script() -> None:
    text = "Ligne\tun\r\nzwei — 三 — عربي — ёлка 😀 m² ½"
    assert document_text(text) == text
    for char in CONTROLS:
        assert document_text(f"a{char}b") == ("a" + char + "b" if char in KEPT else "ab")


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "atelier" / "20250314T093205Z"
    run = build_run_result()
    for note in run.notes:
        note.metadata = {**note.metadata, "author": "Ann\x1be"}
    write_run(run, folder)
    return folder


@pytest.fixture
def server(run_dir: Path) -> Iterator[Server]:
    running = Server(run_dir, ui_lang="en")
    try:
        yield running
    finally:
        running.stop()


def test_an_escape_renamed_through_the_app_exports(server: Server, run_dir: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        page = client.get("/").text
        token = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
        assert token
        form = {"op": "rename", "theme_id": "t1", "label": "Mobilité\x1b[31m", "version": "0"}
        renamed = client.post("/act", data={**form, "csrf": token.group(1), "back": "/"})
        assert renamed.status_code == 303, renamed.text[:300]
        assert DecisionLog(run_dir / DECISIONS_DB).read()[0].action.label == "Mobilité\x1b[31m"
        for name in (HANDOUT_DOCX, HANDOUT_MD, THEMES_CSV):
            reply = client.get(f"/export/{name}")
            assert reply.status_code == 200, (name, reply.text[:300])
        assert "Mobilité\\x1b[31m" in client.get("/files/report.html").text

    result = CliRunner().invoke(cli, ["export", str(run_dir), "--with-authors"])
    assert result.exit_code == 0, result.output
    handout = docx.Document(str(run_dir / "exports" / HANDOUT_DOCX))
    assert any("Mobilité[31m" in p.text for p in handout.paragraphs)


def test_a_file_name_with_control_characters_is_escaped_in_the_reports() -> None:
    run = build_run_result()
    name = "postits\x1b[2J\x07.csv"
    for note in run.notes:
        note.source = name
    run.manifest.inputs = [f.model_copy(update={"path": name}) for f in run.manifest.inputs]
    html = render_html(run)
    markdown = render_markdown(run)
    assert "postits\\x1b[2J\\x07.csv" in html
    assert "postits\\\\x1b\\[2J\\\\x07.csv" in markdown
    for report in (html, markdown):
        assert "\x1b" not in report and "\x07" not in report
