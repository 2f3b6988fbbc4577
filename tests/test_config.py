from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Config, ConfigError, config_for_input, load_config


def test_defaults_without_file():
    config = load_config(None)
    assert config == Config()
    assert config.embed.model == "use-m3+e5-small:300"
    assert config.cluster.language_centering is True


def test_partial_file_and_relative_labels(tmp_path: Path):
    path = tmp_path / "ideasynth.toml"
    path.write_text('workshop = "w"\nlabels = "_themes.csv"\n[cluster]\nmin_cluster_size = 7\n')
    config = load_config(path)
    assert config.workshop == "w"
    assert config.cluster.min_cluster_size == 7
    assert config.labels == tmp_path / "_themes.csv"
    assert config.prepare.languages == ["fr", "nl", "de", "en"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[cluster]\nmin_cluster_sise = 7\n",
            "cluster.min_cluster_sise: Extra inputs are not permitted",
        ),
        ("[embed]\nbatch_size = 0\n", "embed.batch_size: Input should be greater than 0"),
        ("workshop = \n", "not valid TOML"),
        ('[prepare]\nlanguages = ["fr", "klingon"]\n', "unknown language code 'klingon'"),
    ],
)
def test_bad_files_give_one_line(tmp_path: Path, content: str, message: str):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path: Path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_workshop_folder_config_is_found(tmp_path: Path):
    (tmp_path / "ideasynth.toml").write_text('workshop = "from-folder"\n')
    assert config_for_input(tmp_path).workshop == "from-folder"
    other = tmp_path / "other.toml"
    other.write_text('workshop = "explicit"\n')
    assert config_for_input(tmp_path, other).workshop == "explicit"
    assert config_for_input(tmp_path / "ideasynth.toml").workshop is None  # a file, not a folder
