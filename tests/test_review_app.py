"""The review app over HTTP (FastAPI's test client, and the real CLI server once)."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pipeline.cli import app as cli
from pipeline.report import write_run
from pipeline.review.app import PAGE_CSP, create_app
from pipeline.review.rundir import DECISIONS_DB, RunFolderError, load_run
from pipeline.review.store import DecisionLog
from tests.factories import HOSTILE_TEXT, build_run_result, ids

ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
LOCAL = "http://127.0.0.1:8765"


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "atelier" / "20250314T093205Z"
    write_run(build_run_result(), folder)
    return folder


@pytest.fixture
def client(run_dir: Path) -> TestClient:
    """The app in English, whatever the run's language: these tests read its words."""
    return TestClient(create_app(run_dir, ui_lang="en"), base_url=LOCAL)


def csrf(client: TestClient) -> str:
    """This session's CSRF token, as every form of the app carries it."""
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/").text)
    assert found
    return found.group(1)


def post(client: TestClient, **form: object) -> object:
    data = {"version": "0", "back": "/", **form}
    if "csrf" not in data:
        data["csrf"] = csrf(client)
    return client.post("/act", data=data, follow_redirects=False)  # type: ignore[arg-type]


def version(client: TestClient) -> str:
    found = re.search(r'<span id="version">(\d+)</span>', client.get("/").text)
    assert found
    return found.group(1)


def test_load_run_round_trips_the_written_folder(run_dir: Path) -> None:
    original = build_run_result()
    loaded = load_run(run_dir)
    assert loaded.notes == original.notes
    assert loaded.themes == original.themes and loaded.drafts == original.drafts
    assert loaded.rejected_inputs == original.rejected_inputs


def test_a_broken_run_folder_is_one_line(tmp_path: Path, run_dir: Path) -> None:
    (run_dir / "themes.json").write_text("[{", encoding="utf-8")
    with pytest.raises(RunFolderError, match=r"themes\.json: not readable JSON"):
        load_run(run_dir)
    result = CliRunner().invoke(cli, ["review", str(run_dir), "--no-browser"])
    assert result.exit_code == 2
    assert "themes.json: not readable JSON" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such run folder" in result.output


def test_pages_show_themes_notes_and_metadata_as_text(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200
    assert home.headers["content-security-policy"] == PAGE_CSP
    assert home.headers["x-content-type-options"] == "nosniff"
    run = build_run_result()
    for theme in run.themes:
        assert f'href="/themes/{theme.id}"' in home.text
    assert "&lt;meetings&gt;" in home.text  # a label with markup, escaped
    assert "<script" not in home.text

    page = client.get("/themes/t3").text
    assert ESCAPED in page and "<img" not in page and "<script>" not in page
    assert "&lt;b&gt;mallory&lt;/b&gt;" in page  # metadata (author) shown as text
    assert "★ representative" in page
    assert 'lang="de"' in page  # notes keep their language
    unassigned = client.get("/unassigned").text
    assert "Free coffee at the next workshop!" in unassigned and "Hondenweide" in unassigned
    assert client.get("/themes/nope").status_code == 404


def test_what_preparation_set_aside_is_listed_with_its_reason(run_dir: Path) -> None:
    """The notes and rows that became no idea are one click away in the app, each with its
    reason in the reviewer's language, as the report lists them."""
    english = TestClient(create_app(run_dir, ui_lang="en"), base_url=LOCAL)
    assert 'href="/rejected">Rejected (4)</a>' in english.get("/").text
    page = english.get("/rejected").text
    assert "???" in page and "no letters" in page
    assert "row 9" in page and "empty cell" in page
    assert page.count("<tr>") == 1 + 4  # the header and every rejected note and row
    french = TestClient(create_app(run_dir, ui_lang="fr"), base_url=LOCAL).get("/rejected")
    assert "Rejetées (4)" in french.text and "une ligne lue" in french.text
    assert "corrigez-la dans son fichier" in french.text


def test_the_reviewers_name_outlives_the_browser(client: TestClient) -> None:
    named = client.post(
        "/reviewer",
        data={"who": "Claire", "back": "/", "csrf": csrf(client)},
        follow_redirects=False,
    )
    cookie = named.headers["set-cookie"]
    assert cookie.startswith("ideasynth_reviewer=Claire;")
    assert "Max-Age=31536000" in cookie  # a year, not until the browser closes
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie


def test_actions_apply_and_are_logged_with_who(client: TestClient, run_dir: Path) -> None:
    client.post("/reviewer", data={"who": "Ana <x>", "back": "/", "csrf": csrf(client)})
    response = post(client, op="rename", theme_id="t1", label="Cycling safely")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/?done=1"  # type: ignore[attr-defined]
    assert "Cycling safely" in client.get("/").text

    k = ids()
    response = post(
        client,
        op="split",
        version=version(client),
        theme_id="t3",
        note=[k["info_fr"], k["minutes_en"]],
        label="Information",
    )
    assert response.headers["location"] == "/themes/T01?done=2"  # type: ignore[attr-defined]
    assert "Information" in client.get("/themes/T01").text

    post(client, op="merge", version="2", theme=["t2", "T01"], into="t2")
    assert client.get("/themes/T01").status_code == 404
    post(client, op="undo", version="3")
    assert client.get("/themes/T01").status_code == 200

    log = DecisionLog(run_dir / DECISIONS_DB).read()
    assert [d.action.kind.value for d in log] == ["rename", "split", "merge", "undo"]
    assert {d.who for d in log} == {"Ana <x>"}
    history = client.get("/history").text
    assert "Ana &lt;x&gt;" in history and "(undone)" in history


def test_move_noise_restore_edit_and_comment_through_the_forms(
    client: TestClient, run_dir: Path
) -> None:
    k = ids()
    post(client, op="move", note=[k["coffee_en"]], target="t3", back="/unassigned")
    assert "Free coffee" in client.get("/themes/t3").text
    assert "Free coffee" not in client.get("/unassigned").text
    post(client, op="noise", version="1", note=[k["dogs_nl"]], back="/unassigned")
    assert "Hondenweide" in client.get("/noise").text
    post(client, op="restore", version="2", note=[k["dogs_nl"]], target="t1", back="/noise")
    assert "Hondenweide" in client.get("/themes/t1").text
    post(
        client,
        op="edit_draft",
        version="3",
        theme_id="t2",
        title="Greener streets",
        challenge="How might we cool the streets?",
        proposal="Plant trees.\r\n\r\nOpen gardens.\r\n",
    )
    post(client, op="comment", version="4", theme_id="t2", text="Check <with> the city")
    page = client.get("/themes/t2").text
    assert "How might we cool the streets?" in page and "edited by an analyst" in page
    assert '<li class="proposal" lang="fr">Open gardens.' in page
    assert "Check &lt;with&gt; the city" in page
    kinds = [d.action.kind.value for d in DecisionLog(run_dir / DECISIONS_DB).read()]
    assert kinds == ["move", "noise", "restore", "edit_draft", "comment"]


def test_a_stale_form_gets_409_and_overwrites_nothing(client: TestClient, run_dir: Path) -> None:
    post(client, op="rename", theme_id="t1", label="First")
    stale = post(client, op="rename", theme_id="t1", label="Second")  # also based on version 0
    assert stale.status_code == 409  # type: ignore[attr-defined]
    assert "Your change was not saved" in stale.text  # type: ignore[attr-defined]
    assert "renamed t1 to “First”" in stale.text  # type: ignore[attr-defined]
    assert [d.action.label for d in DecisionLog(run_dir / DECISIONS_DB).read()] == ["First"]


def test_an_action_that_cannot_apply_says_why(client: TestClient) -> None:
    response = post(client, op="merge", theme=["t1"])
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "Choose at least two themes" in response.text  # type: ignore[attr-defined]
    assert post(client, op="undo").status_code == 422  # type: ignore[attr-defined]
    assert post(client, op="drop_table").status_code == 422  # type: ignore[attr-defined]
    assert post(client, op="rename", version="x").status_code == 400  # type: ignore[attr-defined]


def test_approval_reaches_report_html_and_the_exports(client: TestClient, run_dir: Path) -> None:
    run = build_run_result()
    # The factory's run is French: the report says the review's decisions in French.
    approved, rejected = (
        "Proposition approuvée à la relecture",
        "Proposition rejetée à la relecture",
    )
    assert approved not in (run_dir / "report.html").read_text("utf-8")
    post(client, op="approve", theme_id="t3", challenge=run.drafts[2].challenge.text)
    post(client, op="reject", theme_id="t1", version="1")
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert approved in report and rejected in report
    assert 'class="approval approval-approved"' in report
    assert "<img src=x" not in report

    handout = client.get("/export/handout.docx")
    assert handout.headers["content-disposition"] == 'attachment; filename="handout.docx"'
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(handout.content)).paragraphs)
    assert run.drafts[2].challenge.text in text
    assert HOSTILE_TEXT in text  # a supporting note, as plain text
    assert run.drafts[0].challenge.text not in text  # rejected: not in the handout
    markdown = client.get("/export/handout.md").text
    assert "\\<img src=x onerror=alert(1)>" in markdown  # no HTML: every "<" escaped
    assert "<" not in markdown.replace("\\<", "")
    rows = client.get("/export/themes.csv").text.splitlines()
    assert rows[0].startswith("theme_id,label,size,notes,approval")
    assert any(r.startswith("t3,") and ",approved," in r for r in rows)
    assert (run_dir / "exports" / "handout.docx").is_file()


def test_a_damaged_log_is_a_clear_page_not_a_traceback(client: TestClient, run_dir: Path) -> None:
    token = csrf(client)
    (run_dir / DECISIONS_DB).write_bytes(b"garbage" * 200)
    posted = post(client, op="rename", theme_id="t1", label="x", csrf=token)
    for response in (client.get("/"), posted):
        assert response.status_code == 500  # type: ignore[attr-defined]
        text = response.text  # type: ignore[attr-defined]
        assert "decisions.sqlite: not a readable decision log" in text
        assert "Traceback" not in text


def test_no_path_outside_the_run_folder_is_readable(
    client: TestClient, run_dir: Path, tmp_path: Path
) -> None:
    assert client.get("/files/report.html").status_code == 200
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    (run_dir / "report.md").unlink()
    (run_dir / "report.md").symlink_to(secret)
    for path in (
        "/files/report.md",  # a link out of the folder
        "/files/..%2F..%2Fsecret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/../../secret.txt",
        "/files/decisions.sqlite",
        "/files/%2Fetc%2Fpasswd",
        "/static/..%2F..%2Fapp.py",
        "/export/..%2Fmanifest.json",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "top secret" not in response.text and "root:" not in response.text


def test_cross_site_posts_and_open_redirects_are_refused(client: TestClient) -> None:
    evil = client.post(
        "/act",
        data={"op": "rename", "theme_id": "t1", "label": "x", "version": "0"},
        headers={"origin": "http://evil.example"},
        follow_redirects=False,
    )
    assert evil.status_code == 403
    response = post(client, op="rename", theme_id="t1", label="x", back="//evil.example/")
    assert response.headers["location"] == "/?done=1"  # type: ignore[attr-defined]


def test_without_a_token_only_loopback_names_are_served(run_dir: Path) -> None:
    """A site that points its own name at 127.0.0.1 (DNS rebinding) gets nothing."""
    for base in ("http://localhost:8765", "http://[::1]:8765", LOCAL):
        assert TestClient(create_app(run_dir), base_url=base).get("/").status_code == 200
    rebound = TestClient(create_app(run_dir), base_url="http://evil.example:8765")
    assert rebound.get("/").status_code == 403
    assert rebound.get("/files/report.html").status_code == 403


def test_binding_beyond_loopback_needs_the_token(run_dir: Path) -> None:
    with pytest.raises(ValueError, match="needs a token"):
        create_app(run_dir, host="0.0.0.0")
    client = TestClient(create_app(run_dir, host="0.0.0.0", token="s3cret-token"))
    assert client.get("/").status_code == 401
    assert client.get("/?token=wrong").status_code == 401
    assert client.get("/files/report.html").status_code == 401
    entry = client.get("/?token=s3cret-token", follow_redirects=False)
    assert entry.status_code == 303 and "httponly" in entry.headers["set-cookie"].lower()
    assert client.get("/").status_code == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_cli_serves_the_app_on_loopback(run_dir: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "review",
            str(run_dir),
            "--port",
            str(port),
            "--no-browser",
            "--ui-lang",
            "de",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "BROWSER": "false"},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                    page = reply.read().decode("utf-8")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "the review server did not start"
                time.sleep(0.2)
        assert '<html lang="de">' in page and "ideasynth-Sichtung" in page  # --ui-lang de
        assert "Zusammenführen" in page and "Fusionner" not in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_after_a_rerun_the_home_page_names_the_units_late_notes_joined(tmp_path: Path) -> None:
    """A re-run with late notes: the home page says which themes they joined, with the
    counts before and after, beside each one's state (an approval made on fewer notes)."""
    run = build_run_result()
    workshop = tmp_path / "runs" / "atelier"
    write_run(run, workshop / "20250314T093205Z")
    k = ids()
    model = next(n for n in run.notes if n.id == k["bike_fr"])
    late = [
        model.model_copy(update={"id": f"late{i}", "text": f"Une piste cyclable de plus, rue {i}"})
        for i in range(3)
    ]
    t1 = next(t for t in run.themes if t.id == "t1")
    grown = t1.model_copy(
        update={"note_ids": [*t1.note_ids, *(n.id for n in late)], "size": t1.size + 3}
    )
    rerun = run.model_copy(
        update={
            "notes": [*run.notes, *late],
            "themes": [grown if t.id == "t1" else t for t in run.themes],
        }
    )
    folder = workshop / "20250315T093205Z"
    write_run(rerun, folder)
    (folder / "review_carry.json").write_text(
        '{"previous_run": "runs/atelier/20250314T093205Z", "reapplied": [], "no_longer_apply": []}',
        encoding="utf-8",
    )
    client = TestClient(create_app(folder, ui_lang="fr"), base_url=LOCAL)
    post(client, op="approve", theme_id="t1", version="0")
    page = client.get("/").text
    listed = re.search(r'<ul id="late-notes">(.*?)</ul>', page, re.S)
    assert listed, page
    lines = re.sub(r"<[^>]+>", "", listed.group(1)).split("\n")
    said = [" ".join(line.split()) for line in lines if line.strip()]
    assert said == [f"{t1.label} t1 · {t1.size} → {t1.size + 3} · approuvé"], said

    # The first run had no late notes: nothing listed.
    first = TestClient(create_app(workshop / "20250314T093205Z", ui_lang="fr"), base_url=LOCAL)
    assert 'id="late-notes"' not in first.get("/").text


def test_a_proposals_count_tells_the_notes_making_it_from_those_close(tmp_path: Path) -> None:
    run = build_run_result()
    draft = run.drafts[0]
    proposal = draft.proposal[0]
    proposal.said_by = 1
    folder = tmp_path / "atelier" / "20250314T093205Z"
    write_run(run, folder)
    client = TestClient(create_app(folder, ui_lang="en"), base_url=LOCAL)
    close = len(set(proposal.cites)) - 1
    assert close >= 1
    page = client.get(f"/themes/{draft.theme_id}").text
    assert f"(1 note, {close} close to it)" in page
    assert "In brackets: the notes that propose each, then those close to it" in page
