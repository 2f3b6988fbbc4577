"""Where a run is written: checked before any work, and failures as one line for people.

A read-only output folder, one under a file, or a full disk is the user's to fix, not a bug:
``check_output_folder`` finds the first two before the pipeline starts (so nobody waits for a
run that cannot be saved), and ``output_problem`` turns the third, when it comes, into one
line naming the folder. The run itself is staged in a hidden folder and renamed into place
whole (``pipeline.run``), so whatever fails leaves no half-written run behind.
"""

from __future__ import annotations

import errno
import re
import tempfile
from pathlib import Path

from pipeline.config import Config, ConfigError, default_workshop_name
from pipeline.safe_text import one_line


class OutputFolderError(RuntimeError):
    """The run cannot be written where it was asked to go (a read-only folder, a full disk);
    one line naming the path, for people."""


STAGING_PREFIX = ".staging-"
"""A run is written into ``<out>/<workshop>/.staging-<id>/`` and renamed into place whole."""
FULL_DISK = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


LEFTOVER_AGE_S = 600
"""A staging folder or an empty run folder this old is a killed run's, never one being written:
a run holds them only through its write step."""
_RUN_FOLDER = re.compile(r"\d{8}T\d{6}Z(-\d+)?")


def clean_leftovers(folder: Path, now: float | None = None) -> list[str]:
    """Remove what a run killed in its write step left in its workshop's ``folder``: staging
    folders (``.staging-*``) and empty run folders, older than ``LEFTOVER_AGE_S``; returns
    their names. Never touches a run folder that holds anything."""
    import shutil
    import time

    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for entry in sorted(entries):
        try:
            if entry.is_symlink() or not entry.is_dir():
                continue
            if now - entry.stat().st_mtime < LEFTOVER_AGE_S:
                continue
            if entry.name.startswith(STAGING_PREFIX):
                shutil.rmtree(entry)
            elif _RUN_FOLDER.fullmatch(entry.name) and not any(entry.iterdir()):
                entry.rmdir()
            else:
                continue
        except OSError:
            continue  # not ours to fight over: a later start tries again
        removed.append(entry.name)
    return removed


def leftovers_line(folder: Path, removed: list[str]) -> str:
    """The one line that says what ``clean_leftovers`` removed."""
    names = ", ".join(one_line(name) for name in removed[:3])
    more = f" and {len(removed) - 3} more" if len(removed) > 3 else ""
    return (
        f"{one_line(str(folder))}: removed {len(removed)} leftover"
        f"{'s' if len(removed) != 1 else ''} of an interrupted run ({names}{more})"
    )


def output_problem(path: Path, exc: OSError) -> OutputFolderError:
    """One line naming ``path`` and what the system said, with what to do."""
    reason = exc.strerror or type(exc).__name__
    if exc.errno in FULL_DISK:
        hint = "free some space there or choose another --out"
    else:
        hint = "choose a folder you can write with --out"
    return OutputFolderError(f"{path}: cannot write the run there ({reason}); {hint}")


def check_output_folder(folder: Path) -> None:
    """Check, before any work is done, that a run can be written in ``folder``: a file can
    be created in it or, when it does not exist yet, in its nearest existing parent (which
    must be a folder). Creates nothing that stays; raises OutputFolderError."""
    existing = Path(folder)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputFolderError(
            f"{folder}: cannot write the run there ({existing} is a file, not a folder); "
            "choose a folder you can write with --out"
        )
    try:
        with tempfile.TemporaryFile(dir=existing, prefix=".write-check-"):
            pass
    except OSError as exc:
        raise output_problem(folder, exc) from None


_NOT_IN_FOLDER_NAMES = re.compile(
    r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u2028\u2029\u202a-\u202e\u2066-\u2069]+'
)
"""Path separators, controls, bidi controls and what Windows forbids: never in a folder name."""
MAX_FOLDER_NAME = 100


def folder_name(name: str) -> str:
    """``name`` as one folder name under ``--out``: separators, controls and what Windows
    forbids become "-"; leading and trailing dots, dashes and spaces go, so that ``..``,
    ``../../x`` or ``/etc`` can never lead out of ``--out`` nor hide the folder. A name with
    nothing left (``".."``) is a ConfigError, one line."""
    cleaned = _NOT_IN_FOLDER_NAMES.sub("-", name).strip(" .-")[:MAX_FOLDER_NAME]
    while len(cleaned.encode("utf-8", "surrogatepass")) > 2 * MAX_FOLDER_NAME:
        cleaned = cleaned[:-1]  # a file system allows 255 bytes, not characters
    cleaned = cleaned.rstrip(" .-")
    if not cleaned:
        raise ConfigError(
            f"workshop = {one_line(name)!r} is not a name a folder can have: "
            "give the workshop a name with letters or digits"
        )
    return cleaned


def workshop_folder(input_path: Path, config: Config) -> str:
    """The workshop's folder under ``--out``, always one folder inside it: the workshop's
    name (``workshop_name``) made a safe folder name (``folder_name``)."""
    return folder_name(workshop_name(input_path, config))


def workshop_name(input_path: Path, config: Config) -> str:
    """The workshop's name: ``workshop`` in the config, else ``default_workshop_name`` (the
    input folder's name; a file's stem, or its folder's name when the stem is generic)."""
    return config.workshop or default_workshop_name(input_path)
