"""The last refusals of ``ideasynth batch`` and ``ideasynth review`` in the run's language: a
root that is not a folder or holds no workshop folder, ``--dask``'s checks (an address that
is no scheduler's, the packages it needs, no scheduler answering there), and the review app
refused an address beyond loopback without a token.

Each is said by the real commands (in-process, so that this checkout's code runs), one line,
no traceback, exit 2; the language is ``--lang`` (``--ui-lang`` for the review), else the one
the settings name (``--config``, the workshops' ``ideasynth.toml``, the run's manifest), else
English. The errors keep their English text for logs and tests (``str``)."""

from __future__ import annotations

import pickle
import socket
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.batch import NO_SCHEDULER, NOT_A_FOLDER, BatchError, settings_language
from pipeline.cli import app
from pipeline.review.app import ReviewAppError, create_app
from tests.test_batch import texts, write_workshop

runner = CliRunner()
NB = "\u00a0"  # French puts a no-break space before ":" and ";" and inside « »


def _lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


def _refused(args: list[str]) -> list[str]:
    done = runner.invoke(app, args)
    assert done.exit_code == 2, done.output
    assert "Traceback" not in done.output
    return _lines(done.output)


# --- a root that is not a folder, or holds no workshop ----------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            f"erreur : {{root}}{NB}: ce n’est pas un dossier (donnez un dossier qui contient "
            "un dossier par atelier)",
        ),
        (
            "de",
            "Fehler: {root}: kein Ordner (geben Sie einen Ordner an, der einen Ordner pro "
            "Workshop enthält)",
        ),
    ],
)
def test_a_batch_root_that_is_not_a_folder_is_refused_in_the_language_asked_for(
    tmp_path: Path, lang: str, expected: str
) -> None:
    root = tmp_path / "nope"
    lines = _refused(["batch", str(root), "--lang", lang, "--out", str(tmp_path / "runs")])
    assert lines == [expected.format(root=root)]
    assert not (tmp_path / "runs").exists()


def test_without_lang_a_missing_root_is_refused_in_the_language_of_the_config(
    tmp_path: Path,
) -> None:
    settings = tmp_path / "nl.toml"
    settings.write_text('[draft]\nlanguage = "nl"\n', encoding="utf-8")
    root = tmp_path / "nope"
    lines = _refused(["batch", str(root), "--config", str(settings)])
    assert lines == [f"fout: {root}: geen map (geef een map met één map per workshop)"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--lang", "fr"],
            f"erreur : {{root}}{NB}: aucun dossier d’atelier dedans (un dossier par atelier)",
        ),
        (
            ["--lang", "de"],
            "Fehler: {root}: enthält keine Workshop-Ordner (ein Ordner pro Workshop)",
        ),
    ],
)
def test_a_batch_root_without_workshop_folders_is_refused_in_the_language_asked_for(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    """Found by the batch flow itself (``discover_workshops``), said by the command line."""
    root = tmp_path / "vide"
    root.mkdir()
    lines = _refused(["batch", str(root), *args, "--out", str(tmp_path / "runs")])
    assert lines == [expected.format(root=root.resolve())]


def test_the_workshops_settings_name_the_language_of_a_batch_refused_before_planning(
    tmp_path: Path,
) -> None:
    root = tmp_path / "root"
    for name in ("a", "b"):
        write_workshop(root / name, texts(0, 2))
        (root / name / "ideasynth.toml").write_text('[draft]\nlanguage = "de"\n')
    assert settings_language(root) == "de"
    (root / "b" / "ideasynth.toml").write_text('[draft]\nlanguage = "fr"\n')
    assert settings_language(root) is None  # two languages: none said but English
    (root / "b" / "ideasynth.toml").write_text("[draft\n")
    assert settings_language(root) is None  # a broken file is not the error being said


# --- --dask ------------------------------------------------------------------------------


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "root"
    write_workshop(folder / "atelier", texts(0, 6))
    return folder


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            f"erreur : --dask scheduler{NB}: donnez l’adresse d’un ordonnanceur "
            f"(tcp://hôte:8786) ou «{NB}local{NB}»",
        ),
        (
            "de",
            "Fehler: --dask scheduler: geben Sie die Adresse eines Schedulers "
            "(tcp://host:8786) oder „local“ an",
        ),
    ],
)
def test_a_dask_address_that_is_no_schedulers_is_refused_in_the_language_asked_for(
    root: Path, tmp_path: Path, lang: str, expected: str
) -> None:
    args = ["batch", str(root), "--dask", "scheduler", "--lang", lang]
    assert _refused([*args, "--out", str(tmp_path / "runs")]) == [expected]
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize(
    ("lang", "blocked", "expected"),
    [
        (
            "fr",
            ["prefect_dask"],
            "erreur : --dask a besoin du paquet prefect-dask, qui n’est pas installé "
            "(pip install prefect-dask)",
        ),
        (
            "fr",
            ["prefect_dask", "distributed"],
            "erreur : --dask a besoin des paquets prefect-dask, distributed, qui ne sont "
            "pas installés (pip install prefect-dask distributed)",
        ),
        (
            "de",
            ["distributed"],
            "Fehler: --dask braucht das Paket distributed, das nicht installiert ist "
            "(pip install distributed)",
        ),
        (
            "de",
            ["prefect_dask", "distributed"],
            "Fehler: --dask braucht die Pakete prefect-dask, distributed, die nicht "
            "installiert sind (pip install prefect-dask distributed)",
        ),
    ],
)
def test_dask_not_installed_is_refused_in_the_language_asked_for_with_its_plural(
    root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    blocked: list[str],
    expected: str,
) -> None:
    for module in blocked:  # as if it were not installed: Python finds no such module
        monkeypatch.setitem(sys.modules, module, None)
    args = ["batch", str(root), "--dask", "local", "--lang", lang]
    assert _refused([*args, "--out", str(tmp_path / "runs")]) == [expected]
    assert not (tmp_path / "runs").exists()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("lang", "start"),
    [
        ("fr", f"erreur : --dask {{address}}{NB}: aucun ordonnanceur Dask ne répond à cette "
               "adresse ("),
        ("de", "Fehler: --dask {address}: unter dieser Adresse antwortet kein Dask-Scheduler ("),
    ],
)  # fmt: skip
def test_no_scheduler_at_the_dask_address_stops_the_batch_in_one_line_in_its_language(
    root: Path, tmp_path: Path, lang: str, start: str
) -> None:
    """Not every workshop failing as "crashed", nor a bug report: one line, exit 2."""
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    pytest.importorskip("prefect_dask")
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        lines = _refused(
            ["batch", str(root), "--dask", address, "--lang", lang, "--out", str(tmp_path / "o")]
        )
    assert len(lines) == 1, lines
    assert lines[0].startswith(start.format(address=address)), lines[0]
    assert lines[0].endswith(")")
    assert not any((tmp_path / "o").glob("*/*/manifest.json"))


def test_a_batch_error_keeps_its_english_and_its_values_across_processes() -> None:
    error = BatchError(NOT_A_FOLDER, {"folder": "/data/ateliers"})
    assert str(error) == (
        "/data/ateliers: not a folder (give a folder holding one folder per workshop)"
    )
    again = pickle.loads(pickle.dumps(error))
    assert (again.message, again.values, str(again)) == (error.message, error.values, str(error))
    assert again.said("nl") == "/data/ateliers: geen map (geef een map met één map per workshop)"
    refused = BatchError(NO_SCHEDULER, {"address": "tcp://h:8786", "error": "Timed out"})
    assert refused.said(None) == str(refused)
    assert refused.said("de") == (
        "--dask tcp://h:8786: unter dieser Adresse antwortet kein Dask-Scheduler (Timed out)"
    )


# --- the review app without a token -------------------------------------------------------


def test_the_review_app_refuses_an_open_address_without_a_token_in_any_language(
    french_run_folder: Path,
) -> None:
    with pytest.raises(ReviewAppError) as refused:
        create_app(french_run_folder, "0.0.0.0", None)
    assert str(refused.value) == "listening on 0.0.0.0 needs a token (--token)"
    assert refused.value.said("fr") == "écouter sur 0.0.0.0 demande un jeton (--token)"
    assert refused.value.said("de") == "auf 0.0.0.0 zu lauschen erfordert ein Token (--token)"
    assert isinstance(pickle.loads(pickle.dumps(refused.value)), ReviewAppError)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "erreur : écouter sur 0.0.0.0 demande un jeton (--token)"),
        (["--ui-lang", "de"], "Fehler: auf 0.0.0.0 zu lauschen erfordert ein Token (--token)"),
    ],
)
def test_the_review_command_says_the_apps_refusal_in_the_runs_language(
    french_run_folder: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], expected: str
) -> None:
    """The command makes up a token for an open address; were it empty, the app refuses,
    and the command says so in the run's language (``--ui-lang`` when given)."""
    import secrets

    monkeypatch.setattr(secrets, "token_urlsafe", lambda *_: "")
    done = runner.invoke(
        app, ["review", str(french_run_folder), "--host", "0.0.0.0", "--no-browser", *args]
    )
    assert done.exit_code == 2, done.output
    assert _lines(done.output) == [expected]
