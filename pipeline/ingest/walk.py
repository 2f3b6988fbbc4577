"""Which files of an input folder are inputs.

A workshop folder also holds annotations (``_intended_themes.csv``), the run config
(``ideasynth.toml``), a README, whatever the operating system or Office leaves behind
(``.DS_Store``, ``~$notes.xlsx`` lock files) and perhaps the runs themselves (``--out``
inside it: a folder with a run's ``manifest.json`` and ledger); none of these are notes.
They are not read, but each still gets a ledger row saying why (``Candidate.ignored``),
hidden files and hidden folders (one row for the folder) included, so no file in the folder
goes unaccounted for.

Symbolic links are followed only when they point inside the input folder: a link out of it
could pull in anything on the machine, and a link loop would never end. Such links, broken
links, folders that cannot be opened and files reached twice are reported, one line each,
instead of stopping the walk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.errors import ReaderError

SKIPPED_NAMES = frozenset({"ideasynth.toml"})
SKIPPED_ROOT_NAMES = frozenset({"readme.md", "readme.txt"})


class WalkError(ReaderError):
    """A path in the input folder that is not read (a link out of the folder, a loop, …)."""


@dataclass(frozen=True)
class Candidate:
    """A path found in the input folder, and why it is skipped when it is."""

    path: Path
    problem: WalkError | None = None
    ignored: str | None = None
    """Why it is not read by design (hidden, an annotation, the config…): a ledger row, not a
    warning."""


def walk_inputs(root: Path) -> list[Candidate]:
    """Every candidate under ``root``, recursively, sorted by relative path: files to read,
    and paths that are skipped with their problem."""
    root_real = root.resolve()
    found: list[Candidate] = []
    _walk(root, root, root_real, {root_real}, found)
    return _read_once(found, root)


def _walk(
    directory: Path, root: Path, root_real: Path, visited: set[Path], found: list[Candidate]
) -> None:
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as exc:
        error = WalkError(f"cannot open folder: {exc.strerror or exc}", "check its permissions")
        found.append(Candidate(directory, error))
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            found.append(Candidate(path, ignored=_hidden_reason(entry)))
            continue
        if directory == root and entry.name.lower() == DAY2_FOLDER and _is_dir(entry):
            found.append(Candidate(path, ignored=DAY2_REASON))
            continue
        if _is_dir(entry) and is_run_folder(path):
            found.append(Candidate(path, ignored=RUN_REASON))
            continue
        if not _is_dir(entry) and (reason := skip_reason(path, root)) is not None:
            found.append(Candidate(path, ignored=reason))
            continue
        if entry.is_symlink():
            target, problem = _link_target(path, root_real)
            if problem is not None:
                found.append(Candidate(path, problem))
                continue
            assert target is not None
            if target.is_dir():
                if target in visited:
                    loop = WalkError("link loop: this folder is already being read", "remove it")
                    found.append(Candidate(path, loop))
                else:
                    _walk(path, root, root_real, {*visited, target}, found)
            else:
                found.append(Candidate(path))
        elif entry.is_dir(follow_symlinks=False):
            real = path.resolve()
            _walk(path, root, root_real, {*visited, real}, found)
        else:
            found.append(Candidate(path))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is (or links to) a folder; a link loop or a broken link is not."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _hidden_reason(entry: os.DirEntry[str]) -> str:
    kind = "hidden folder, not read" if _is_dir(entry) else "hidden file, not read"
    return f"{kind} (its name starts with '.'; rename it to read it)"


def _link_target(path: Path, root_real: Path) -> tuple[Path | None, WalkError | None]:
    """Where a link leads, if it may be followed."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way
        return None, WalkError("link loop: the link never reaches a file", "remove it")
    except OSError as exc:
        reason = "link loop" if "loop" in str(exc).lower() else "broken link"
        return None, WalkError(f"{reason}: {exc.strerror or exc}", "fix or remove the link")
    if not target.is_relative_to(root_real):
        return None, WalkError(
            f"link to {target}, outside the input folder: not followed",
            "copy the file into the folder if it holds notes",
        )
    return target, None


def _read_once(found: list[Candidate], root: Path) -> list[Candidate]:
    """A file reached through a link and directly (or through two links) is read once: at
    its own path when it has one in the folder, else at its first link."""
    by_target: dict[Path, list[int]] = {}
    for index, candidate in enumerate(found):
        if candidate.problem is None and candidate.ignored is None:
            by_target.setdefault(candidate.path.resolve(), []).append(index)
    out = list(found)
    for indexes in by_target.values():
        if len(indexes) < 2:
            continue
        direct = [i for i in indexes if not found[i].path.is_symlink()]
        keep = direct[0] if direct else indexes[0]
        for i in indexes:
            if i != keep:
                first = relative_source(found[keep].path, root)
                problem = WalkError(f"same file as {first}: read once", "remove the link")
                out[i] = Candidate(found[i].path, problem)
    return sorted(out, key=lambda candidate: candidate.path.parts)


def is_skipped(path: Path, root: Path) -> bool:
    """Hidden files, ``_``-prefixed annotations, Office lock files, config and root README."""
    return skip_reason(path, root) is not None


DAY2_FOLDER = "day2"
"""A workshop folder's ``day2/`` holds the Day 2 action cards (``ideasynth day2``), not
notes: Day 1 leaves it aside (one ledger row, no warning)."""
DAY2_REASON = "Day 2 action cards, read by 'ideasynth day2', not as notes"
RUN_REASON = "an ideasynth run's output (its manifest.json and ledger), not read as notes"
RUN_FILES = ("ledger.parquet", "notes.parquet", "drafts.json")


def is_run_folder(path: Path) -> bool:
    """Whether ``path`` holds a run's output (``--out`` inside the workshop folder, or a run
    copied there): its report, handout and notes table would be read as notes again, and
    every re-run would read one run more."""
    try:
        return (path / "manifest.json").is_file() and any(
            (path / name).is_file() for name in RUN_FILES
        )
    except OSError:
        return False


def skip_reason(path: Path, root: Path) -> str | None:
    """Why a file is not read by design (the ledger's reason), or ``None`` when it is read."""
    name = path.name
    if name.startswith("."):
        return "hidden file, not read (its name starts with '.'; rename it to read it)"
    if name.startswith("_"):
        return "annotation, not read (its name starts with '_')"
    if name.startswith("~$"):
        return "Office lock file, not read"
    if name.lower() in SKIPPED_NAMES:
        return "run configuration, not read as notes"
    if path.parent == root and name.lower() in SKIPPED_ROOT_NAMES:
        return "the folder's README, not read as notes"
    return None


def relative_source(path: Path, root: Path) -> str:
    """The path people see in messages and in ``RawNote.source``, always with ``/``."""
    return path.relative_to(root).as_posix()
