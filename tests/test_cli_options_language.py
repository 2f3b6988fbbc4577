"""The command line's own lines in the run's language: ``--strict``'s refusal, the options'
checks (``--lang``, ``--ui-lang``, ``--host``, ``--port``) and the line that reports a bug.

Each is said by the real ``ideasynth`` commands (in-process, so that this checkout's code
runs), one line, no traceback; the language is ``--lang``, else the workshop's settings
(``draft.language``), else English."""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import flows.synthesize
from pipeline.cli import _listen, app
from pipeline.ingest.problems import StrictInputError, input_problems
from pipeline.schema import IngestResult, InputFile, RawNote, RejectedInput

runner = CliRunner()
NB = "\u00a0"  # French puts a no-break space before ":" and ";"


def _lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


@pytest.fixture
def atelier(tmp_path: Path) -> Path:
    """A French workshop folder (its settings name French) with a file that is not read."""
    folder = tmp_path / "atelier"
    folder.mkdir()
    (folder / "notes.csv").write_text(
        "Note\nPlus de bancs dans le parc\nUn retour après chaque atelier\n", encoding="utf-8"
    )
    (folder / "slides.pptx").write_bytes(b"x")
    (folder / "ideasynth.toml").write_text('[draft]\nlanguage = "fr"\n', encoding="utf-8")
    return folder


# --- --strict -----------------------------------------------------------------------------


def test_strict_refuses_a_french_workshop_in_french(atelier: Path, tmp_path: Path) -> None:
    """A real run of a folder whose settings name French: the skipped file and the refusal
    are said in French, and nothing is written."""
    out = tmp_path / "runs"
    done = runner.invoke(app, ["run", str(atelier), "--strict", "-q", "--out", str(out)])
    assert done.exit_code == 2, done.output
    assert "Traceback" not in done.output
    assert _lines(done.output) == [
        f"erreur : slides.pptx{NB}: format «{NB}.pptx{NB}» non pris en charge (formats pris "
        "en charge\u00a0: .csv, .docx, .json, .jsonl, .markdown, .md, .tsv, .txt, .xlsm, .xlsx)",
        f"erreur : --strict{NB}: 1 problème d’entrée ci-dessus{NB}; rien n’a été écrit",
    ]
    assert not any(out.rglob("manifest.json"))


def test_strict_says_its_problems_in_the_language_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows rejected and a guessed column, refused under ``--lang de``: each line said from
    what the ingest recorded, in German, counted in the German plural."""
    result = IngestResult(
        notes=[RawNote(id="n1", text="Mehr Bänke", source="a.csv", location="row 2")],
        files=[
            InputFile(
                path="a.csv",
                sha256="0",
                format="csv",
                notes=1,
                rejected=1,
                guessed_columns=["Idee"],
            )
        ],
        rejected=[RejectedInput(source="a.csv", location="row 3", reason="text too long")],
    )
    error = StrictInputError(input_problems(result), result)

    def fake(*args: Any) -> Any:
        raise error

    monkeypatch.setattr(flows.synthesize, "synthesize_workshop", fake)
    (tmp_path / "notes.csv").write_text("Note\nEine Idee\n", encoding="utf-8")
    args = ["run", str(tmp_path / "notes.csv"), "--strict", "--lang", "de", "-q"]
    done = runner.invoke(app, args)
    assert done.exit_code == 2, done.output
    lines = _lines(done.output)
    assert len(lines) == 3, lines
    assert all(line.startswith("Fehler: ") for line in lines), lines
    assert lines[0].startswith("Fehler: a.csv: keine Textspalte benannt")
    assert lines[1].startswith("Fehler: a.csv: Zeile 3: ")
    assert lines[2] == "Fehler: --strict: 2 Eingabeprobleme oben; nichts wurde geschrieben"


def test_a_strict_error_pickled_keeps_its_problems() -> None:
    """A task runner that pickles the error across processes gets back its problems, not
    the characters of its message."""
    import pickle

    error = StrictInputError(["b.pdf: skipped, unsupported format '.pdf'"])
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == error.problems
    assert str(again) == str(error)


# --- --lang, --ui-lang, --port, --host -----------------------------------------------------


def test_an_unknown_lang_is_refused_in_the_workshops_settings_language(atelier: Path) -> None:
    done = runner.invoke(app, ["run", str(atelier), "--lang", "xx", "-q"])
    assert done.exit_code == 2
    assert _lines(done.output) == [
        f"erreur : --lang xx{NB}: choisissez l’une de ces langues{NB}: fr, nl, de, en"
    ]


def test_an_unknown_lang_without_settings_language_is_refused_in_english(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("Note\nUne idée\n", encoding="utf-8")
    done = runner.invoke(app, ["run", str(tmp_path / "notes.csv"), "--lang", "xx"])
    assert done.exit_code == 2
    assert _lines(done.output) == ["error: --lang xx: choose one of fr, nl, de, en"]


def test_a_batch_with_an_unknown_lang_takes_the_settings_language(
    atelier: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "nl.toml"
    settings.write_text('[draft]\nlanguage = "nl"\n', encoding="utf-8")
    args = ["batch", str(tmp_path), "--config", str(settings), "--lang", "xx"]
    done = runner.invoke(app, [*args, "--out", str(tmp_path / "runs")])
    assert done.exit_code == 2
    assert _lines(done.output) == ["fout: --lang xx: kies een van deze talen: fr, nl, de, en"]


def test_an_unknown_ui_lang_is_refused_in_the_runs_language(french_run_folder: Path) -> None:
    done = runner.invoke(app, ["review", str(french_run_folder), "--ui-lang", "xx", "--no-browser"])
    assert done.exit_code == 2
    assert _lines(done.output) == [
        f"erreur : --ui-lang xx{NB}: choisissez l’une de ces langues{NB}: fr, nl, de, en"
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--port", "0"], f"erreur : --port 0{NB}: choisissez un port entre 1 et 65535"),
        (
            ["--port", "70000", "--ui-lang", "de"],
            "Fehler: --port 70000: wählen Sie einen Port von 1 bis 65535",
        ),
    ],
)
def test_a_port_out_of_range_is_one_line_in_the_runs_language(
    french_run_folder: Path, args: list[str], expected: str
) -> None:
    done = runner.invoke(app, ["review", str(french_run_folder), *args, "--no-browser"])
    assert done.exit_code == 2
    assert _lines(done.output) == [expected]


def _said_by_listen(host: str, lang: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(typer.Exit) as stopped:
        _listen(host, 8765, lang)
    assert stopped.value.exit_code == 2
    lines = _lines(capsys.readouterr().err)
    assert len(lines) == 1, lines
    return lines[0]


def test_a_host_that_cannot_be_listened_on_is_said_in_the_runs_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    said = _said_by_listen("bad host name..invalid", "nl", capsys)
    assert said.startswith(
        "fout: --host bad host name..invalid: geen adres waarop deze machine kan luisteren ("
    )


class _Refused(socket.socket):
    """A socket whose bind is refused as it is to a user below port 1024, or for another
    reason the system gives."""

    code = errno.EACCES

    def bind(self, address: Any) -> None:
        raise OSError(self.code, "Permission denied" if self.code == errno.EACCES else "No way")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            errno.EACCES,
            "Fehler: Port 8765: für diesen Benutzer nicht erlaubt (wählen Sie mit --port einen "
            "über 1023)",
        ),
        (errno.EADDRNOTAVAIL, "Fehler: kann nicht auf 127.0.0.1:8765 lauschen: No way"),
    ],
)
def test_a_port_the_system_refuses_is_said_in_the_runs_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], code: int, expected: str
) -> None:
    monkeypatch.setattr(_Refused, "code", code)
    monkeypatch.setattr(socket, "socket", _Refused)
    assert _said_by_listen("127.0.0.1", "de", capsys) == expected


# --- a bug ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--lang", "fr"],
            f"erreur : échec inattendu{NB}: RuntimeError: boom second line (c’est un bogue"
            f"{NB}: merci de le signaler{NB}; --verbose affiche la trace de l’erreur)",
        ),
        (
            [],
            "error: unexpected failure: RuntimeError: boom second line (this is a bug: please "
            "report it; --verbose shows the traceback)",
        ),
    ],
)
def test_a_bug_is_one_line_in_the_runs_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], expected: str
) -> None:
    def fake(*_: Any) -> Any:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(flows.synthesize, "synthesize_workshop", fake)
    (tmp_path / "notes.csv").write_text("Note\nUne idée\n", encoding="utf-8")
    done = runner.invoke(app, ["run", str(tmp_path / "notes.csv"), *args, "-q"])
    assert done.exit_code == 1
    assert "Traceback" not in done.output
    assert _lines(done.output) == [expected]


def test_a_bug_in_a_french_workshop_is_said_in_its_settings_language(
    atelier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake(*_: Any) -> Any:
        raise KeyError("themes")

    monkeypatch.setattr(flows.synthesize, "synthesize_workshop", fake)
    done = runner.invoke(app, ["run", str(atelier), "-q"])
    assert done.exit_code == 1
    assert _lines(done.output)[0].startswith(f"erreur : échec inattendu{NB}: KeyError: ")
