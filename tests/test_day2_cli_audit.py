"""Defects two audits found in the Day 2 plan and the command line, on real files, real
processes and real sockets: a card naming a challenge the run lacks, Chinese in the
charts' images, the review app's Day 2 command, a review port in use, and one-line errors
in the run's language."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.day2 import charts
from pipeline.day2.attach import ChallengeSpace, attach_cards
from pipeline.day2.shapes import ActionCard, AttachedBy, Challenge
from pipeline.day2.words import plan_words, reason_shown
from tests.test_cli import TOPICS

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
REVIEW = [sys.executable, "-m", "pipeline.cli", "review"]


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real run of 24 notes in four languages, its words in German."""
    from pipeline.config import load_config
    from pipeline.run import run_workshop

    workshop = tmp_path_factory.mktemp("workshop") / "atelier"
    workshop.mkdir()
    rows = ["Idee"] + [text for _, text in TOPICS["feedback"] + TOPICS["ai"]]
    (workshop / "notes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    config = load_config(None)
    config.draft.language = "de"
    _, run_dir = run_workshop(workshop, config, workshop.parent / "runs with space")
    return Path(run_dir)


# --- 1. a number naming no challenge --------------------------------------------------------


def test_a_number_naming_no_challenge_attaches_nothing_and_the_card_says_so() -> None:
    """ "7" on a run with three challenges: never read as the nearest one."""
    from pipeline.config import EmbedConfig
    from pipeline.embed.for_run import run_embedder

    embed = run_embedder(EmbedConfig()).embed
    challenges = [
        Challenge(id="B1", title="Public transport in the evening", question=""),
        Challenge(id="B2", title="Translate the invitations into every language", question=""),
        Challenge(id="B3", title="Taxes on wealth", question=""),
    ]
    space = ChallengeSpace(challenges, {}, embed)
    cards = [
        ActionCard(
            id=f"c{ref}", source="s", location="row 2", text="Tax great wealth", challenge_ref=ref
        )
        for ref in ("7", "3")
    ]
    unknown, known = attach_cards(cards, space)
    assert (unknown.challenge_id, unknown.by) == (None, AttachedBy.NONE)
    assert (known.challenge_id, known.by) == ("B3", AttachedBy.ID)
    assert unknown.reason.startswith("“7” names no challenge of this run")
    # The card says why, in the plan's language, and which challenge its action is nearest.
    shown = reason_shown(unknown, "fr")
    assert "«\xa07\xa0» ne désigne aucun défi" in shown and "B3" in shown


# --- 2. Chinese in the charts' images ------------------------------------------------------


def _drawn(chart: charts.Chart, caplog: pytest.LogCaptureFixture) -> bytes:
    """The chart's PNG; matplotlib's warning about a missing glyph fails the test."""
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING):
        warnings.simplefilter("error")
        png = charts.to_png(chart)
    assert not [r for r in caplog.records if "missing from font" in r.getMessage()]
    assert png.startswith(b"\x89PNG")
    return png


def test_a_chinese_challenge_name_is_drawn_with_a_font_that_has_it_or_not_as_boxes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    name = "2. Voting reform 投票改革 — «test»"
    stand_in = f"2. {plan_words('en').no_font}"
    chart = charts.votes([(name, 3), ("1. Öffentlicher Verkehr", 2)], "Votes", [stand_in, "1"])
    assert chart is not None
    _drawn(chart, caplog)
    label = next(s for s in chart.shapes if isinstance(s, charts.Text) and s.text == name)
    text, families = charts.png_text(label)
    cjk = charts.font_families("投票改革")
    if cjk is None:  # no installed font has these characters: the stand-in, no boxes
        assert (text, families) == (stand_in, ("DejaVu Sans",))
    else:  # Noto Sans CJK, WenQuanYi …: the name as written, in DejaVu Sans and that font
        assert text == name and families[0] == "DejaVu Sans" and len(families) > 1
    # The SVG keeps the name as written: the browser finds a font for it.
    assert "投票改革" in charts.to_svg(chart, "Votes")
    # A label without a stand-in is left out of the image rather than drawn as boxes.
    alone = charts.Text(0, 0, "投票改革")
    assert charts.png_text(alone)[0] == ("投票改革" if cjk else None)


def test_a_character_dejavu_sans_lacks_is_drawn_with_an_installed_font_that_has_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    coverage = charts._font_coverage()
    extra = sorted(
        (ch, name)
        for name, chars in coverage.items()
        for ch in chars - coverage["DejaVu Sans"]
        if chr(ch).isprintable() and chr(ch).isalpha()
    )
    if not extra:
        pytest.skip("every installed font's letters are in DejaVu Sans")
    ch, _ = extra[0]
    text = f"Quick wins {chr(ch)}"
    families = charts.font_families(text)
    assert families is not None and families[0] == "DejaVu Sans" and len(families) == 2
    assert ord(chr(ch)) in coverage[families[1]]
    chart = charts.Chart("votes", "t", 200, 60, [charts.Text(10, 30, text)])
    _drawn(chart, caplog)


# --- 3. the review app's empty Day 2 page -------------------------------------------------


def test_the_empty_day2_page_shows_the_command_with_this_run_folder(small_run: Path) -> None:
    from fastapi.testclient import TestClient

    from pipeline.review.app import create_app

    page = TestClient(create_app(small_run), base_url="http://127.0.0.1").get("/day2")
    assert page.status_code == 200
    # The run's folder has a space: quoted for the shell, so the command copies and runs.
    command = f"ideasynth day2 ORDNER --from '{small_run.resolve()}'"
    assert f'<code id="day2-command">{command}</code>' in page.text.replace("&#39;", "'")
    assert "Noch kein Aktionsplan" in page.text and "ORDNER der Ordner" in page.text


# --- 4. a review port in use ---------------------------------------------------------------


def test_review_on_a_port_in_use_says_so_in_one_line_and_exits_2(small_run: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*REVIEW, str(small_run), "--port", str(port), "--no-browser"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""  # nothing announced
    # In the run's language (this run's is German), as every one-line error.
    assert done.stderr.splitlines() == [
        f"Fehler: Port {port} ist belegt (wählen Sie mit --port einen anderen)"
    ]


def test_review_serves_on_the_socket_it_checked(small_run: Path) -> None:
    """The free port is bound once and handed to the server: it answers there."""
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [*REVIEW, str(small_run), "--port", str(port), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/day2", timeout=5) as page:
                    assert page.status == 200
                    assert "day2-command" in page.read().decode("utf-8")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.5)
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    # Announced in the run's language (German here).
    assert f"unter http://127.0.0.1:{port}/ (Strg+C zum Beenden)" in out
    assert "Errno" not in err


# --- 5. one-line errors in the run's language, and --help ----------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["{tmp}/empty.csv", "--lang", "de"],
            "Fehler: empty.csv: Datei ist leer (exportieren Sie die Notizen erneut oder "
            "entfernen Sie die Datei)",
        ),
        (
            ["{tmp}/nocol.csv", "--lang", "fr"],
            "erreur : nocol.csv : aucune colonne de texte trouvée (colonnes : id, foo) ; "
            'nommez-la dans un fichier de réglages : text_column = "…" sous [ingest]',
        ),
        (
            ["{tmp}/nocol.csv", "--config", "{tmp}/nl.toml"],
            "fout: nocol.csv: geen tekstkolom gevonden (kolommen: id, foo)",
        ),
        (
            ["{tmp}/nocol.csv"],
            "error: nocol.csv: no text column found (columns: id, foo); name it in a settings "
            'file: text_column = "…" under [ingest]',
        ),
        (["{tmp}/nothing.csv", "--lang", "nl"], "fout: {tmp}/nothing.csv: bestand of map"),
    ],
)
def test_a_whole_file_error_is_one_line_in_the_runs_language(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "nocol.csv").write_text("id,foo\n1,2\n3,4\n", encoding="utf-8")
    (tmp_path / "nl.toml").write_text('[draft]\nlanguage = "nl"\n', encoding="utf-8")
    command = ["run", *(a.format(tmp=tmp_path) for a in args), "-q"]
    command += ["--out", str(tmp_path / "runs")]
    result = runner.invoke(app, command)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(expected.format(tmp=tmp_path)), lines
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            None,
            "Fehler: {cards}: keine Notizen in 1 Datei gefunden (erstes Problem: empty.csv: "
            "Datei ist leer (exportieren Sie die Notizen erneut oder entfernen Sie die Datei))",
        ),
        ("fr", "erreur : {cards}\u00a0: aucune note trouvée dans 1 fichier (premier problème"),
    ],
)
def test_a_day2_error_follows_the_workshops_language_unless_lang_is_given(
    small_run: Path, tmp_path: Path, lang: str | None, expected: str
) -> None:
    """Without --lang, ``ideasynth day2``'s one-line error is in the language the workshop's
    run drafted in (German here), as its plan would be; --lang chooses another."""
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "empty.csv").write_bytes(b"")
    command = ["day2", str(cards), "--from", str(small_run), "--out", str(tmp_path / "plan")]
    result = runner.invoke(app, command + (["--lang", lang] if lang else []))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(expected.format(cards=cards)), lines
    assert not (tmp_path / "plan").exists()


def test_the_help_reads_as_plain_text() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "``" not in done.stdout
    assert "The ideasynth command line: run a workshop's notes into challenges" in done.stdout
    # A paragraph is one line for the terminal to wrap, not the docstring's line breaks.
    assert "printed as one line and exit with status 2" in done.stdout
