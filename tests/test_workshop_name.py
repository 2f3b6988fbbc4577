"""The workshop's name (report and handout title, review header, ``runs/<name>/``): the config's
``workshop``, else the folder's name, never a generic file name such as "notes"."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Config, config_for_input, default_workshop_name
from pipeline.output import workshop_folder, workshop_name


def _notes_file(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("uid,text\n1,Mehr Radwege in jedem Bezirk\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name",
    [
        "notes.csv",
        "Notes.CSV",
        "export.xlsx",
        "Export (2).xlsx",
        "data.json",
        "input.tsv",
        "comments_2026-12-03.csv",
        "miro-export.csv",
        "Sheet1.csv",
        "réponses.csv",
    ],
)
def test_a_generic_file_name_gives_the_workshop_its_folders_name(tmp_path: Path, name: str):
    path = _notes_file(tmp_path / "klimarat300", name)
    assert default_workshop_name(path) == "klimarat300"
    assert workshop_name(path, config_for_input(path)) == "klimarat300"
    assert workshop_folder(path, config_for_input(path)) == "klimarat300"


@pytest.mark.parametrize("name", ["table1_postits.csv", "valmont.csv", "atelier-mobilite.xlsx"])
def test_a_file_that_names_its_workshop_keeps_its_name(tmp_path: Path, name: str):
    path = _notes_file(tmp_path / "exports", name)
    assert default_workshop_name(path) == Path(name).stem


@pytest.mark.parametrize("folder", ["tmp", "Downloads", "data", "export"])
def test_a_generic_file_in_a_generic_folder_keeps_its_stem(tmp_path: Path, folder: str):
    path = _notes_file(tmp_path / folder, "notes.csv")
    assert default_workshop_name(path) == "notes"


def test_a_folder_is_named_by_its_name(tmp_path: Path):
    folder = tmp_path / "valmont"
    _notes_file(folder, "notes.csv")
    assert default_workshop_name(folder) == "valmont"
    assert workshop_name(folder, config_for_input(folder)) == "valmont"


def test_the_config_names_the_workshop_from_the_folders_config_file(tmp_path: Path):
    folder = tmp_path / "klimarat300"
    _notes_file(folder, "notes.csv")
    (folder / "ideasynth.toml").write_text('workshop = "Klimarat Wien"\n', encoding="utf-8")
    config = config_for_input(folder)
    assert workshop_name(folder, config) == "Klimarat Wien"
    assert workshop_folder(folder, config) == "Klimarat Wien"
    # As a --name option does: the config's value wins over the default.
    assert workshop_name(folder / "notes.csv", Config(workshop="Tag 1")) == "Tag 1"
