"""Shared fixtures: an isolated embedding cache and Prefect home for the whole test session."""

from __future__ import annotations

import json
import os
import shutil
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


LONGEST_FIRST = (
    "test_flows_settings.py",
    "test_batch.py",
    "test_crash_safety.py",
    "test_draft_llm.py",
    "test_cli.py",
    "test_day2.py",
    "test_browser_review_names.py",
    "test_batch_rerun.py",
    "test_flows_server.py",
    "test_rerun_review.py",
    "test_i18n.py",
)
"""The files that take longest (``pytest --durations=80``, summed per file): the workers
(``-n auto --dist loadfile`` in pyproject.toml) take them first, so that none is left alone
with one of them at the end. A file missing from the list only runs in its turn."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files first (``LONGEST_FIRST``), each keeping its own order."""
    rank = {name: k for k, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary folder that all its workers see."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tests never read or fill the user's embedding cache. The workers of one session
    share theirs (SQLite in WAL mode takes concurrent writers, as a batch's runs do), so the
    sample is embedded once, not once per worker."""
    folder = _shared_folder(tmp_path_factory) / "embedding-cache"
    folder.mkdir(exist_ok=True)
    os.environ["IDEASYNTH_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def sample_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One real run of the bundled sample with its own settings, made once per test session
    (the first worker to ask makes it; the others wait for it): the folder holding its
    ``runs`` and the run's place in them. A run of the sample takes half a minute, and many
    modules only read one."""
    from filelock import FileLock

    from pipeline.config import config_for_input
    from pipeline.run import run_workshop

    folder = _shared_folder(tmp_path_factory) / "sample-run"
    made = folder / "run-dir.txt"
    with FileLock(str(folder.parent / "sample-run.lock")):
        if not made.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            workshop = folder / "atelier"
            shutil.copytree(SAMPLE, workshop)
            _, run_dir = run_workshop(workshop, config_for_input(workshop), folder / "runs")
            made.write_text(Path(run_dir).relative_to(folder / "runs").as_posix())
    return folder, made.read_text()


@pytest.fixture(scope="module")
def sample_run_copy(
    sample_runs: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A module's own copy of the sample's run (``sample_runs``): its review decisions and
    exports stay its own."""
    folder, run_dir = sample_runs
    target = tmp_path_factory.mktemp("sample") / "runs"
    shutil.copytree(folder / "runs", target)
    return target / run_dir


@pytest.fixture
def french_run_folder(tmp_path: Path) -> Path:
    """A run folder that cannot be opened whole but whose manifest names French: what a
    command says about it comes in French."""
    run_dir = tmp_path / "runs" / "atelier" / "20260101-000000"
    run_dir.mkdir(parents=True)
    config = {"output_language": "fr", "draft": {"language": "fr"}}
    (run_dir / "manifest.json").write_text(json.dumps({"config": config}), encoding="utf-8")
    return run_dir
