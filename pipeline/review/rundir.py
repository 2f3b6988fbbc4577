"""Read a run folder back into typed data, for the review app, exports and re-runs.

Every problem is one line naming the file and what is wrong (``RunFolderError``), so the CLI
can print it without a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from pydantic import ValidationError

from pipeline.report.writer import (
    BROAD_THEMES_JSON,
    COMPLETE_JSON,
    DRAFTS_JSON,
    MANIFEST_JSON,
    NOTES_PARQUET,
    REJECTED_JSON,
    THEMES_JSON,
    is_complete,
)
from pipeline.schema import Draft, Note, RejectedInput, RunManifest, RunResult, Theme

DECISIONS_DB = "decisions.sqlite"
"""The decision log, next to the run's files."""
CARRIED_JSON = "review_carry.json"
"""Which decisions of the previous run were re-applied to this one, and which no longer can."""
CENTROIDS_JSON = "theme_centroids.json"
"""Each theme's mean embedding, so the next run can match its themes to this run's."""
EXPORTS_DIR = "exports"


class RunFolderError(ValueError):
    """A run folder that cannot be read; the message is one line naming the file."""


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing (is this an ideasynth run folder?)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        detail = " ".join(str(exc).split())
        raise RunFolderError(f"{path}: not readable JSON ({detail})") from None


def load_models(path: Path, model: Any) -> list[Any]:
    data = read_json(path)
    if not isinstance(data, list):
        raise RunFolderError(f"{path}: expected a JSON list")
    try:
        return [model.model_validate(item) for item in data]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RunFolderError(f"{path}: {where}: {first['msg']}") from None


def is_run_folder(path: Path) -> bool:
    return (path / MANIFEST_JSON).is_file()


def load_notes(path: Path) -> list[Note]:
    try:
        rows = pq.read_table(path).to_pylist()
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing (is this an ideasynth run folder?)") from None
    except Exception as exc:  # pyarrow raises several types for a damaged file
        detail = " ".join(str(exc).split())[:200]
        raise RunFolderError(f"{path}: not a readable Parquet file ({detail})") from None
    notes = []
    try:
        for row in rows:
            row["metadata"] = json.loads(row.get("metadata") or "{}")
            notes.append(Note.model_validate(row))
    except (ValidationError, json.JSONDecodeError, TypeError) as exc:
        detail = " ".join(str(exc).split())[:200]
        raise RunFolderError(f"{path}: a row is not a note ({detail})") from None
    return notes


def load_run(run_dir: Path) -> RunResult:
    """The ``RunResult`` a run folder holds (without its ledger, which review never needs).

    A folder without its completion marker is refused: it was cut off while being written."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunFolderError(f"{run_dir}: no such run folder")
    if (run_dir / MANIFEST_JSON).is_file() and not is_complete(run_dir):
        raise RunFolderError(
            f"{run_dir}: not a complete run ({COMPLETE_JSON} is missing: it was cut off "
            "while being written); run the workshop again"
        )
    try:
        manifest = RunManifest.model_validate(read_json(run_dir / MANIFEST_JSON))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RunFolderError(f"{run_dir / MANIFEST_JSON}: {where}: {first['msg']}") from None
    broad_path = run_dir / BROAD_THEMES_JSON
    rejected = []
    if (run_dir / REJECTED_JSON).is_file():
        for item in read_json(run_dir / REJECTED_JSON):
            if isinstance(item, dict) and item.get("kind") == "input":
                rejected.append(
                    RejectedInput(
                        source=str(item.get("source", "")),
                        location=str(item.get("location", "")),
                        reason=str(item.get("reason", "")),
                        text=str(item.get("text", "")),
                    )
                )
    return RunResult(
        notes=load_notes(run_dir / NOTES_PARQUET),
        themes=load_models(run_dir / THEMES_JSON, Theme),
        drafts=load_models(run_dir / DRAFTS_JSON, Draft),
        broad_themes=load_models(broad_path, Theme) if broad_path.is_file() else [],
        rejected_inputs=rejected,
        manifest=manifest,
    )
