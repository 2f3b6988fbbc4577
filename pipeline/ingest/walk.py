"""Which files of an input folder are inputs.

A workshop folder also holds annotations (``_intended_themes.csv``), the run config
(``ideasynth.toml``), a README and whatever the operating system or Office leaves behind
(``.DS_Store``, ``~$notes.xlsx`` lock files); none of these are notes.
"""

from __future__ import annotations

import os
from pathlib import Path

SKIPPED_NAMES = frozenset({"ideasynth.toml"})
SKIPPED_ROOT_NAMES = frozenset({"readme.md", "readme.txt"})


def input_files(root: Path) -> list[Path]:
    """Candidate input files under ``root``, recursively, sorted by their relative path."""
    found: list[Path] = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        here = Path(directory)
        found.extend(here / name for name in files if not is_skipped(here / name, root))
    return sorted(found, key=lambda path: path.relative_to(root).parts)


def is_skipped(path: Path, root: Path) -> bool:
    """Hidden files, ``_``-prefixed annotations, Office lock files, config and root README."""
    name = path.name
    if name.startswith((".", "_", "~$")) or name.lower() in SKIPPED_NAMES:
        return True
    return path.parent == root and name.lower() in SKIPPED_ROOT_NAMES


def relative_source(path: Path, root: Path) -> str:
    """The path people see in messages and in ``RawNote.source``, always with ``/``."""
    return path.relative_to(root).as_posix()
