"""Prefect cache keys for the steps whose inputs are cheap to fingerprint.

A re-run on unchanged files skips reading them (ingest) and skips loading the language models
to clean them again (prepare: several seconds cold). Each key covers the step's inputs, its
config and the source code of the step's package, so editing a file, the config or the code
invalidates it. Embedding has its own, finer cache (per note, in ``pipeline.embed.cache``);
the later steps are fast or depend on everything before them, so they are not cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from prefect.utilities.annotations import quote

import pipeline
from pipeline.batch import fingerprint_files
from pipeline.schema import RawNote

CACHE_EXPIRATION = timedelta(days=7)
PIPELINE_DIR = Path(pipeline.__file__).parent

CacheKeyFn = Callable[[Any, dict[str, Any]], str | None]


@cache
def source_digest(package: str) -> str:
    """sha256 over the Python sources of ``pipeline/<package>`` plus schema and config."""
    digest = hashlib.sha256(pipeline.__version__.encode())
    shared = [PIPELINE_DIR / "schema.py", PIPELINE_DIR / "config.py"]
    files = [*sorted((PIPELINE_DIR / package).rglob("*.py")), *shared]
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ingest_key(context: Any, parameters: dict[str, Any]) -> str | None:
    """Every file under the input path by name and content (not modification time: a copied
    or touched folder is still the same input), plus the input's path and the config."""
    path = Path(parameters["path"])
    digest = hashlib.sha256(source_digest("ingest").encode())
    digest.update(parameters["config"].model_dump_json().encode())
    try:
        digest.update(f"{path.resolve()}\0{fingerprint_files(path)}".encode())
    except OSError:
        return None  # cannot fingerprint: run the step
    return f"ingest-{digest.hexdigest()}"


def unquoted(value: Any) -> Any:
    """A parameter as the step sees it, whether or not Prefect has unwrapped its ``quote``."""
    return value.unquote() if isinstance(value, quote) else value


def prepare_key(context: Any, parameters: dict[str, Any]) -> str | None:
    """The raw notes themselves (ids are content hashes; locations and metadata too)."""
    raw: list[RawNote] = unquoted(parameters["raw"])
    digest = hashlib.sha256(source_digest("prepare").encode())
    digest.update(parameters["config"].model_dump_json().encode())
    for note in raw:
        digest.update(note.model_dump_json().encode())
    return f"prepare-{digest.hexdigest()}"


CACHE_KEYS: dict[str, CacheKeyFn] = {"ingest": ingest_key, "prepare": prepare_key}
