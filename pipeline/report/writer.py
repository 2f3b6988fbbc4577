"""Write a run folder: data files for tools, ``report.md`` and ``report.html`` for people.

Everything is rendered in memory before the first file is touched, so a rendering error leaves
the folder exactly as it was; each file is then replaced atomically. ``complete.json`` is
written last: a folder without it was cut off (a full disk, a killed process) and is never
taken for a run, neither as a re-run's previous run nor by the review app.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from pipeline.report.atomic import atomic_write_text
from pipeline.report.html import render_html
from pipeline.report.markdown import render_markdown
from pipeline.report.parquet import write_ledger_parquet, write_notes_parquet
from pipeline.report.view import rejected_items
from pipeline.schema import RunResult

NOTES_PARQUET = "notes.parquet"
LEDGER_PARQUET = "ledger.parquet"
"""One row per input row and per file skipped, with what became of it (``pipeline.ledger``)."""
THEMES_JSON = "themes.json"
BROAD_THEMES_JSON = "broad_themes.json"
"""Broad themes ("B1", …); fine themes in ``themes.json`` name theirs in ``parent_id``. A
separate file keeps ``themes.json`` the list of fine themes it has always been."""
DRAFTS_JSON = "drafts.json"
MANIFEST_JSON = "manifest.json"
REJECTED_JSON = "rejected.json"
REPORT_MD = "report.md"
REPORT_HTML = "report.html"
COMPLETE_JSON = "complete.json"
"""The completion marker, written after every other file of the run."""

RUN_FILES = (
    NOTES_PARQUET,
    LEDGER_PARQUET,
    THEMES_JSON,
    BROAD_THEMES_JSON,
    DRAFTS_JSON,
    MANIFEST_JSON,
    REJECTED_JSON,
    REPORT_MD,
    REPORT_HTML,
)


def to_json(value: Any) -> str:
    """Readable, diff-friendly UTF-8 JSON (accents stay accents) with a final newline."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def dump_models(models: Sequence[BaseModel]) -> str:
    return to_json([m.model_dump(mode="json") for m in models])


def mark_complete(run_dir: Path, run_id: str) -> Path:
    """Write the completion marker: call it only once every other file is written."""
    marker = {"run_id": run_id, "files": [name for name in RUN_FILES if (run_dir / name).is_file()]}
    return atomic_write_text(Path(run_dir) / COMPLETE_JSON, to_json(marker))


def is_complete(run_dir: Path) -> bool:
    """Whether ``run_dir`` is a whole run folder: its completion marker is there."""
    return (Path(run_dir) / COMPLETE_JSON).is_file()


def write_run(result: RunResult, run_dir: Path) -> dict[str, Path]:
    """Write every file of a run folder; returns file name → path, in ``RUN_FILES`` order."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    texts = {
        THEMES_JSON: dump_models(result.themes),
        BROAD_THEMES_JSON: dump_models(result.broad_themes),
        DRAFTS_JSON: dump_models(result.drafts),
        MANIFEST_JSON: to_json(result.manifest.model_dump(mode="json")),
        REJECTED_JSON: dump_models(rejected_items(result)),
        REPORT_MD: render_markdown(result),
        REPORT_HTML: render_html(result),
    }
    written = {NOTES_PARQUET: write_notes_parquet(result.notes, run_dir / NOTES_PARQUET)}
    written[LEDGER_PARQUET] = write_ledger_parquet(result.ledger, run_dir / LEDGER_PARQUET)
    for name, text in texts.items():
        written[name] = atomic_write_text(run_dir / name, text)
    mark_complete(run_dir, result.manifest.run_id)
    return written
