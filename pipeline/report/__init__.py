"""The run folder: ``notes.parquet``, JSON files, ``report.md`` and a standalone ``report.html``.

Rendering (``render_*``) is kept apart from writing (``write_*``) so the review app and tests
can render without touching the disk, and every write is atomic.
"""

from pipeline.report.atomic import atomic_path, atomic_write_bytes, atomic_write_text
from pipeline.report.html import render_html
from pipeline.report.markdown import render_markdown
from pipeline.report.parquet import NOTES_SCHEMA, notes_table, write_notes_parquet
from pipeline.report.view import RejectedItem, rejected_items
from pipeline.report.writer import RUN_FILES, write_run

__all__ = [
    "NOTES_SCHEMA",
    "RUN_FILES",
    "RejectedItem",
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "notes_table",
    "rejected_items",
    "render_html",
    "render_markdown",
    "write_notes_parquet",
    "write_run",
]
