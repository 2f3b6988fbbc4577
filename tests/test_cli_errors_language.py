"""The command line's one-line errors in the run's language: every whole-file error a reader
raises, and the settings file's, through the real ``ideasynth run`` on real files.

The readers keep their English (the ledger and ``tests/test_ingest*.py`` hold it); the
command line says it in the language of ``--lang``, or of the settings file when it names
one (``pipeline.cli_errors``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.cli_errors import said_error
from pipeline.config import config_for_input
from pipeline.i18n import LANGUAGES
from pipeline.ingest import ingest
from tests.hostile_files import write_hostile_folder

runner = CliRunner()
NB = "\u00a0"  # French puts a no-break space before ":" and ";" and inside « »


def _one_line(tmp_path: Path, args: list[str]) -> str:
    """The one line ``ideasynth run … -q`` prints, checked to exit 2 without a traceback."""
    command = ["run", *(a.format(tmp=tmp_path) for a in args), "-q"]
    result = runner.invoke(app, [*command, "--out", str(tmp_path / "runs")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "renamed.csv").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    (tmp_path / "nul.txt").write_bytes(b"a\x00b\x00" + b"\x00" * 200)
    (tmp_path / "notes.csv").write_text("Idée,Table\nPlus de bancs,1\n", encoding="utf-8")
    (tmp_path / "blank.csv").write_text("Idée,Table\n,1\n,2\n", encoding="utf-8")
    (tmp_path / "small.toml").write_text("[ingest]\nmax_file_mb = 0.00001\n", encoding="utf-8")
    (tmp_path / "klingon.toml").write_text('[ingest]\nencoding = "klingon"\n', encoding="utf-8")
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "slides.pdf").write_bytes(b"%PDF-1.7\n")
    return tmp_path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["{tmp}/renamed.csv", "--lang", "fr"],
            f"erreur : renamed.csv{NB}: ce n’est pas un fichier texte{NB}: il ressemble à un "
            "document PDF (enregistrez-le à nouveau en texte UTF-8)",
        ),
        (
            ["{tmp}/broken.xlsx", "--lang", "de"],
            "Fehler: broken.xlsx: die Datei sollte eine Excel-Arbeitsmappe sein, ihr "
            "ZIP-Container ist aber beschädigt (",
        ),
        (
            ["{tmp}/nul.txt", "--lang", "nl"],
            "fout: nul.txt: geen tekstbestand: het bevat binaire gegevens (NUL-bytes) (sla het "
            "opnieuw op als UTF-8-tekst)",
        ),
        (
            ["{tmp}/notes.csv", "--lang", "de", "--config", "{tmp}/small.toml"],
            "Fehler: notes.csv: die Datei ist 2.8e-05 MB groß, über der Grenze von 1e-05 MB "
            "(teilen Sie die Datei auf, oder erhöhen Sie max_file_mb unter [ingest] in der "
            "Einstellungsdatei)",
        ),
        (
            ["{tmp}/notes.csv", "--lang", "fr", "--config", "{tmp}/klingon.toml"],
            f"erreur : notes.csv{NB}: encodage «{NB}klingon{NB}» inconnu (corrigez encoding "
            "sous [ingest] dans le fichier de réglages)",
        ),
        (
            ["{tmp}/blank.csv", "--lang", "fr"],
            f"erreur : blank.csv{NB}: aucune note trouvée (2 lignes rejetées{NB}; la première "
            f"(ligne 2){NB}: texte vide)",
        ),
        (
            ["{tmp}/cards", "--lang", "nl"],
            "fout: {tmp}/cards: geen notities gevonden in 1 bestand (eerste probleem: "
            "slides.pdf: bestandstype „.pdf” wordt niet ondersteund (ondersteund: .csv,",
        ),
        (
            ["{tmp}/renamed.csv"],
            "error: renamed.csv: not a text file: it looks like a PDF document (save it again "
            "as UTF-8 text)",
        ),
    ],
)
def test_a_readers_whole_file_error_is_one_line_in_the_runs_language(
    files: Path, args: list[str], expected: str
) -> None:
    assert _one_line(files, args).startswith(expected.format(tmp=files))


def test_every_file_the_hostile_folder_skips_is_said_in_each_language(tmp_path: Path) -> None:
    """Each reader's error on a real broken file (a renamed PDF, a zip bomb, a pipe, a broken
    link, …) is recognised: said in French, Dutch and German, its file named first."""
    root = tmp_path / "atelier"
    write_hostile_folder(root)
    lines = ingest(root, config_for_input(root).ingest).errors
    assert len(lines) >= 15
    for lang in LANGUAGES:
        for line in lines:
            said = said_error(line, lang)
            assert said.startswith(line.split(":")[0]), said
            assert "\n" not in said
            if lang != "en":
                assert said != line, (lang, line)
                assert "ingest." not in said, said  # settings as written in ideasynth.toml


@pytest.mark.parametrize(
    ("settings", "args", "expected"),
    [
        (
            "[cluster]\nnope = 1\n",
            ["--lang", "fr"],
            f"erreur : {{tmp}}/s.toml{NB}: réglage inconnu nope sous [cluster] (vérifiez "
            f"l’orthographe{NB}; docs/configuration.md donne la liste des réglages)",
        ),
        (
            '[draft]\nlanguage = "de"\n[cluster]\nnope = 1\n',
            [],
            "Fehler: {tmp}/s.toml: unbekannte Einstellung nope unter [cluster]",
        ),
        (
            "[ingest]\nmax_rows = 0\n",
            ["--lang", "nl"],
            "fout: {tmp}/s.toml: max_rows onder [ingest]: moet groter zijn dan 0",
        ),
        (
            '[draft]\nlanguage = "nl"\n[prepare]\nlanguages = ["xx"]\n',
            [],
            "fout: {tmp}/s.toml: languages onder [prepare]: onbekende taalcode „xx”",
        ),
        (
            "[draft]\nresponse_format = 'yaml'\n",
            ["--lang", "de"],
            "Fehler: {tmp}/s.toml: response_format unter [draft]: muss einer dieser Werte "
            "sein: json_schema, json_object, none",
        ),
        (
            "workshop = \n",
            ["--lang", "fr"],
            f"erreur : {{tmp}}/s.toml{NB}: ce fichier de réglages n’est pas du TOML valide (",
        ),
        (
            "[cluster]\nnope = 1\n",
            [],
            "error: {tmp}/s.toml: unknown setting nope under [cluster] (check its spelling",
        ),
    ],
)
def test_a_settings_files_error_is_one_line_in_the_runs_language(
    files: Path, settings: str, args: list[str], expected: str
) -> None:
    (files / "s.toml").write_text(settings, encoding="utf-8")
    said = _one_line(files, ["{tmp}/notes.csv", "--config", "{tmp}/s.toml", *args])
    assert said.startswith(expected.format(tmp=files))


def test_a_settings_file_not_found_is_said_in_the_language_asked_for(files: Path) -> None:
    said = _one_line(files, ["{tmp}/notes.csv", "--config", "{tmp}/none.toml", "--lang", "de"])
    assert said == (
        f"Fehler: {files}/none.toml: Einstellungsdatei nicht gefunden (prüfen Sie den mit "
        "--config angegebenen Pfad)"
    )


def test_a_settings_file_that_is_a_folder_is_one_line_not_a_crash(files: Path) -> None:
    (files / "folder.toml").mkdir()
    said = _one_line(files, ["{tmp}/notes.csv", "--config", "{tmp}/folder.toml", "--lang", "nl"])
    assert said.startswith(f"fout: {files}/folder.toml: kan het instellingenbestand niet lezen (")


def test_a_runs_warnings_are_in_its_language_and_recorded_in_english(tmp_path: Path) -> None:
    """A file skipped and a text column read by guess: a French run warns in French, one
    line each, and its manifest keeps the lines in English, as the ledger does."""
    import json

    folder = tmp_path / "atelier"
    folder.mkdir()
    rows = [
        "foo,bar,baz",
        "1,Plus de bancs dans le parc du centre,x",
        "2,Un retour écrit après chaque atelier citoyen,y",
        "3,Des pistes cyclables sûres pour les enfants,z",
    ]
    (folder / "notes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "photo.xlsx").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64))
    out = tmp_path / "runs"
    result = runner.invoke(app, ["run", str(folder), "--out", str(out), "--lang", "fr", "-q"])
    assert result.exit_code == 3, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("attention")]
    assert warnings == [
        f"attention{NB}: photo.xlsx{NB}: le fichier devrait être un classeur Excel, mais il "
        "ressemble à une image JPEG (ouvrez-le dans son application et enregistrez-le en "
        ".xlsx)",
        f"attention{NB}: notes.csv{NB}: aucune colonne de texte nommée{NB}; colonne «{NB}bar{NB}» "
        "lue (si ce ne sont pas les notes, nommez la bonne avec text_column sous [ingest] "
        "dans le fichier de réglages)",
    ]
    (run_dir,) = (out / "atelier").iterdir()
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["input_warnings"] == ["notes.csv: no text column named; read column 'bar'"]
    assert manifest["input_errors"][0].startswith("photo.xlsx: not an Excel workbook")
    assert "1 fichier lu dans une colonne choisie pour son texte" in result.output
    # One file is one ("1 fichiers ignorés" was not French), and so are none (French counts
    # 0 as singular).
    assert "1 fichier ignoré, 0 ligne contenant du texte rejetée, 1 fichier lu" in result.output


def test_an_empty_folder_says_so_and_one_file_is_one(tmp_path: Path) -> None:
    """ "no notes found in 0 files" said less than that the folder is empty; "1 files" was
    not a word (``ngettext``)."""
    (tmp_path / "leer").mkdir()
    line = _one_line(tmp_path, ["{tmp}/leer", "--lang", "de"])
    assert line.startswith("Fehler: ") and "leer: der Ordner ist leer (" in line
    (tmp_path / "leer" / "notes.csv").write_bytes(b"")
    line = _one_line(tmp_path, ["{tmp}/leer", "--lang", "fr"])
    assert f"leer{NB}: aucune note trouvée dans 1 fichier (" in line, line


def test_a_run_folder_and_a_workshop_name_are_said_in_the_language_asked(tmp_path: Path) -> None:
    """A run folder's error (``RunFolderError``) and a setting's found as the run starts
    (a workshop name no folder can have) are the run's language, not English."""
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "cards.csv").write_text("Actie\nMeer bankjes\n", encoding="utf-8")
    (tmp_path / "norun").mkdir()
    result = runner.invoke(
        app,
        ["day2", str(tmp_path / "cards"), "--from", str(tmp_path / "norun"), "--lang", "nl"],
    )
    assert result.exit_code == 2, result.output
    assert "manifest.json: ontbreekt (is dit wel een verwerkingsmap van ideasynth?)" in (
        result.output
    )
    (tmp_path / "notes.csv").write_text("Idée\nPlus de bancs\n", encoding="utf-8")
    line = _one_line(tmp_path, ["{tmp}/notes.csv", "--name", "..", "--lang", "de"])
    assert line == (
        "Fehler: workshop = '..' ist kein möglicher Ordnername: geben Sie dem Workshop einen "
        "Namen mit Buchstaben oder Ziffern"
    )
