"""Shared fixtures: an isolated embedding cache and Prefect home for the whole test session."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"

# Before Prefect is imported anywhere: offline-safe, quiet, and never the user's own database.
_PREFECT_HOME = tempfile.mkdtemp(prefix="ideasynth-prefect-")
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session", autouse=True)
def embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tests never read or fill the user's embedding cache."""
    folder = tmp_path_factory.mktemp("embedding-cache")
    os.environ["IDEASYNTH_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture
def french_run_folder(tmp_path: Path) -> Path:
    """A run folder that cannot be opened whole but whose manifest names French: what a
    command says about it comes in French."""
    run_dir = tmp_path / "runs" / "atelier" / "20260101-000000"
    run_dir.mkdir(parents=True)
    config = {"output_language": "fr", "draft": {"language": "fr"}}
    (run_dir / "manifest.json").write_text(json.dumps({"config": config}), encoding="utf-8")
    return run_dir
