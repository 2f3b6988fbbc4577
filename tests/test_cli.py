"""The ``ideasynth`` command: real files, real runs, one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()

TOPICS = {
    "feedback": [
        ("fr", "Informer les participants des suites données à leurs idées"),
        ("fr", "Un retour écrit après chaque consultation citoyenne"),
        ("fr", "Dire aux citoyens ce que leur avis a changé"),
        ("nl", "Deelnemers laten weten wat er met hun ideeën gebeurd is"),
        ("nl", "Terugkoppeling geven na elke inspraakavond"),
        ("nl", "Burgers informeren over wat er met hun advies is gedaan"),
        ("en", "Tell participants what happened with their input"),
        ("en", "Close the feedback loop after every consultation"),
        ("en", "Report back to citizens on how their ideas were used"),
        ("de", "Rückmeldung an die Teilnehmenden nach jeder Beteiligung"),
        ("de", "Den Bürgern mitteilen, was aus ihren Vorschlägen wurde"),
        ("de", "Ergebnisse der Befragung an alle Beteiligten zurückspielen"),
    ],
    "ai": [
        ("fr", "Les algorithmes opaques menacent la confiance"),
        ("fr", "Interdire les décisions automatisées sans contrôle humain"),
        ("fr", "Les biais de l'intelligence artificielle dans les services publics"),
        ("nl", "Ondoorzichtige algoritmes in de overheid zijn gevaarlijk"),
        ("nl", "Geen automatische beslissingen zonder menselijke controle"),
        ("nl", "Vooroordelen in kunstmatige intelligentie aanpakken"),
        ("en", "Opaque algorithms undermine trust in government"),
        ("en", "No automated decisions without human oversight"),
        ("en", "Bias in artificial intelligence used by public services"),
        ("de", "Undurchsichtige Algorithmen gefährden das Vertrauen"),
        ("de", "Keine automatisierten Entscheidungen ohne menschliche Kontrolle"),
        ("de", "Verzerrungen durch künstliche Intelligenz in der Verwaltung"),
    ],
}


def _labelled_file(path: Path, with_lang: bool = True) -> Path:
    lines = ["uid\tlang\tlabel\ttext" if with_lang else "uid\tlabel\ttext"]
    for label, rows in TOPICS.items():
        lines += [
            "\t".join([f"{label}-{i}", *([lang] if with_lang else []), label, text])
            for i, (lang, text) in enumerate(rows)
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _metric(output: str, name: str) -> str:
    return next(line.split(maxsplit=1)[1] for line in output.splitlines() if line.startswith(name))


def test_evaluate_prints_the_metrics(tmp_path: Path):
    path = _labelled_file(tmp_path / "labelled.tsv")
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 0, result.output
    for metric in ("NMI_all", "coverage", "lang_NMI", "ARI", "AMI", "themes", "seconds"):
        assert metric in result.output
    assert float(_metric(result.output, "NMI_all")) > 0.5
    assert "detected" not in result.output


def test_evaluate_a_file_without_languages_detects_them(tmp_path: Path):
    """A workshop's own labelled notes seldom say their language: lang_NMI then uses the
    detected ones, and says so."""
    given = runner.invoke(app, ["evaluate", str(_labelled_file(tmp_path / "with.tsv"))])
    path = _labelled_file(tmp_path / "without.tsv", with_lang=False)
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 0, result.output
    lang_nmi = _metric(result.output, "lang_NMI")
    assert lang_nmi.endswith("(detected languages: the file has no lang column)")
    # These notes are detected right, so the figure is the one the lang column gives.
    assert lang_nmi.split()[0] == _metric(given.output, "lang_NMI")
    assert _metric(result.output, "NMI_all") == _metric(given.output, "NMI_all")


def test_evaluate_leaves_out_rows_nobody_labelled_and_says_so(tmp_path: Path):
    path = _labelled_file(tmp_path / "partly.tsv")
    with path.open("a", encoding="utf-8") as file:
        file.write("x-1\tfr\t\tUne note que personne n'a triée\nx-2\tnl\t \tNog niet gesorteerd\n")
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 0, result.output
    assert "\nleft out   2 rows without a label" in result.output
    assert _metric(result.output, "rows") == str(sum(len(rows) for rows in TOPICS.values()))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "does/not/exist"], "does/not/exist: no such file or folder"),
        (["run", "{tmp}/notes.csv", "--lang", "es"], "--lang es: choose one of fr, nl, de, en"),
        (
            ["run", "{tmp}/notes.csv", "--config", "{tmp}/bad.toml"],
            "bad.toml: unknown setting nope under [cluster]",
        ),
        (["run", "{tmp}/empty.csv"], "empty.csv"),
        (["run", "{tmp}/notes.csv", "--embedder", "word2vec"], "unknown embedder “word2vec”"),
        (["evaluate", "{tmp}/notes.csv"], "missing column"),
        (
            ["run", "{tmp}/notes.csv", "--config", "{tmp}/cache.toml"],
            "notes.csv/cache: cannot keep the cache there",
        ),
    ],
)
def test_user_errors_are_one_line_without_traceback(tmp_path: Path, args, message):
    (tmp_path / "notes.csv").write_text("Note\nUne idée\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "bad.toml").write_text("[cluster]\nnope = 1\n")
    # A cache folder under a file: refused even for root, who may write anywhere else.
    cache_dir = (tmp_path / "notes.csv" / "cache").as_posix()
    (tmp_path / "cache.toml").write_text(f'[embed]\ncache_dir = "{cache_dir}"\n')
    result = runner.invoke(app, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    error_lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1


def test_console_script_runs_a_small_workshop(tmp_path: Path):
    """The installed ``ideasynth`` entry point, as a user types it."""
    workshop = tmp_path / "atelier"
    workshop.mkdir()
    rows = ["Idée;Table"] + [
        f"{text};{i % 3 + 1}" for i, (_, text) in enumerate(TOPICS["feedback"] + TOPICS["ai"])
    ]
    (workshop / "postits.csv").write_text(
        "\n".join(rows) + "\n", encoding="cp1252", errors="replace"
    )
    exe = Path(sys.executable).with_name("ideasynth")
    done = subprocess.run(
        [str(exe), "run", str(workshop), "--out", str(tmp_path / "runs"), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "Counts reconcile: yes" in done.stdout
    # Not a terminal (a log file, a pipe): one plain line as each step starts and ends.
    assert "reading notes …" in done.stdout
    assert "reading notes: done in" in done.stdout
    assert "writing the report: done in" in done.stdout
    assert "anonymous usage data" not in done.stdout + done.stderr
    reports = list((tmp_path / "runs" / "atelier").glob("*/report.html"))
    assert len(reports) == 1
    assert "How might we" in reports[0].read_text(encoding="utf-8")

    # Unchanged notes would keep the previous themes; --recluster clusters them afresh.
    again = runner.invoke(
        app, ["run", str(workshop), "--out", str(tmp_path / "runs"), "--recluster"]
    )
    assert again.exit_code == 0, again.output
    latest = sorted((tmp_path / "runs" / "atelier").glob("*/manifest.json"))[-1]
    clustering = json.loads(latest.read_text(encoding="utf-8"))["clustering"]
    assert clustering["clustered_afresh_because"] == "incremental re-runs are off"

    # Ideas in a language the embedder was not trained on: the summary warns.
    from tests.test_run import GREEK

    (workshop / "grec.txt").write_text("\n".join(GREEK) + "\n", encoding="utf-8")
    # (named: the joined default's e5 half knows Greek)
    command = ["run", str(workshop), "--out", str(tmp_path / "runs"), "--embedder", "use-m3"]
    command += ["--lang", "en"]
    greek = runner.invoke(app, command)
    assert greek.exit_code == 0, greek.output
    assert f"warning: use-m3 was not trained on el ({len(GREEK)} ideas)" in greek.output


def _rejected_in_report(run_dir: Path) -> int:
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    found = re.search(r"<dt>Rejected</dt><dd>(\d+)</dd>", html)
    assert found is not None
    return int(found.group(1))


def test_quiet_and_verbose_and_counts_that_match_the_report(tmp_path: Path):
    """--quiet prints the result and no progress; quality scores need --verbose; the
    console's counts are the report's."""
    workshop = tmp_path / "atelier"
    workshop.mkdir()
    notes = [text for _, text in TOPICS["feedback"] + TOPICS["ai"]] + ["ok", "🙂", "?"]
    (workshop / "notes.txt").write_text("\n".join(notes) + "\n", encoding="utf-8")
    labels = ["source,text,theme"] + [
        f'notes.txt,"{text}",{topic}' for topic, rows in TOPICS.items() for _, text in rows
    ]
    (workshop / "_themes.csv").write_text("\n".join(labels) + "\n", encoding="utf-8")
    settings = 'labels = "_themes.csv"\n\n[draft]\nlanguage = "en"\n'  # the console in English
    (workshop / "ideasynth.toml").write_text(settings, encoding="utf-8")
    out = tmp_path / "runs"

    quiet = runner.invoke(app, ["run", str(workshop), "--out", str(out), "--quiet"])
    assert quiet.exit_code == 0, quiet.output
    run_dir = next((out / "atelier").glob("*/report.html")).parent
    assert "reading notes" not in quiet.output  # no progress
    assert "keyphrases" not in quiet.output  # no table of themes
    assert "NMI" not in quiet.output
    assert f"Rejected {_rejected_in_report(run_dir)} " in quiet.output
    assert _rejected_in_report(run_dir) >= 3
    assert f"Report: {run_dir / 'report.html'}" in quiet.output

    plain = runner.invoke(app, ["run", str(workshop), "--out", str(out)])
    assert plain.exit_code == 0, plain.output
    assert "reading notes: done in" in plain.output
    assert "NMI" not in plain.output and "coverage" not in plain.output

    verbose = runner.invoke(app, ["run", str(workshop), "--out", str(out), "--verbose"])
    assert verbose.exit_code == 0, verbose.output
    assert "Against the intended themes: NMI_all" in verbose.output
    assert "Steps: ingest" in verbose.output

    # --name names the workshop: its own folder under --out, and the report's title.
    named = runner.invoke(app, ["run", str(workshop), "--out", str(out), "--name", "Valmont"])
    assert named.exit_code == 0, named.output
    report = next((out / "Valmont").glob("*/report.html"))
    assert "Valmont" in report.read_text(encoding="utf-8")


def test_a_challenge_that_is_one_theme_is_one_row_of_the_console_table(tmp_path: Path) -> None:
    """ "B1 = T01" once, not B1 and T01 on two identical lines; a challenge of two themes
    keeps its row and one per theme."""
    from pipeline.cli import _print_summary, console
    from tests.factories import build_run_result

    result = build_run_result()
    t1, t2, t3 = result.themes
    result.themes = [
        t1.model_copy(update={"parent_id": "b1"}),
        t2.model_copy(update={"parent_id": "b2"}),
        t3.model_copy(update={"parent_id": "b2"}),
    ]
    result.broad_themes = [
        t1.model_copy(update={"id": "b1"}),
        t2.model_copy(update={"id": "b2", "size": t2.size + t3.size, "label": "deux thèmes"}),
    ]
    with console.capture() as captured:
        _print_summary(result, tmp_path, quiet=False)
    table = captured.get()
    assert "b1 = t1" in table
    assert table.count("pistes cyclables") == 1
    assert "deux thèmes" in table and "t2" in table and "t3" in table
    assert "b2 =" not in table


def test_runs_kept_inside_the_workshop_folder_are_not_read_as_notes(tmp_path: Path) -> None:
    """With --out inside the workshop folder, a second run reads the notes again, not the
    first run's report, handout and notes table: the same notes, the run folder one
    ledger row."""
    workshop = tmp_path / "atelier"
    workshop.mkdir()
    notes = [text for _, text in TOPICS["feedback"] + TOPICS["ai"]]
    (workshop / "notes.txt").write_text("\n".join(notes) + "\n", encoding="utf-8")
    (workshop / "ideasynth.toml").write_text('[draft]\nlanguage = "en"\n', encoding="utf-8")
    out = workshop / "runs"

    first = runner.invoke(app, ["run", str(workshop), "--out", str(out), "--quiet"])
    assert first.exit_code == 0, first.output
    exported = runner.invoke(app, ["export", str(next((out / "atelier").iterdir()))])
    assert exported.exit_code == 0, exported.output
    second = runner.invoke(app, ["run", str(workshop), "--out", str(out), "--quiet"])
    assert second.exit_code == 0, second.output  # no file read with problems (exit 3)

    runs = sorted((out / "atelier").iterdir())
    assert len(runs) == 2
    import pandas as pd

    read = pd.read_parquet(runs[1] / "notes.parquet")
    assert len(read) == len(notes)
    assert set(read["source"]) == {"notes.txt"}
    ledger = pd.read_parquet(runs[1] / "ledger.parquet")
    ignored = " ".join(str(value) for value in ledger.to_numpy().ravel())
    assert "an ideasynth run's output" in ignored
