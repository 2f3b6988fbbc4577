"""A nightly batch: ``synthesize_many`` as a Prefect deployment on a cron schedule.

    python -m flows.nightly WORKSHOPS_ROOT --out runs --cron "0 2 * * *"

serves the deployment from this process (``prefect.serve``): Prefect's scheduler starts the
batch at each cron time, and the UI of the Prefect server you point ``PREFECT_API_URL`` at
lists the runs. Stop it with Ctrl+C. To run it through a work pool instead, build the same
deployment with :func:`nightly_deployment` and call ``.apply(work_pool_name=...)`` on it (see
docs/batch.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import flows  # noqa: F401  (sets offline-safe Prefect defaults before Prefect is used)
from flows.batch import synthesize_many

DEFAULT_CRON = "0 2 * * *"
"""2 a.m. every night: after Day 1's notes are in, before the facilitator wakes up."""


def nightly_deployment(
    root: Path,
    out_root: Path,
    cron: str = DEFAULT_CRON,
    concurrency: int = 1,
    dask: str | None = None,
    name: str = "ideasynth-nightly",
) -> Any:
    """The ``synthesize_many`` deployment that runs ``root`` into ``out_root`` at ``cron``;
    the batch's own resume makes each night redo only the workshops that changed."""
    return synthesize_many.to_deployment(
        name=name,
        cron=cron,
        parameters={
            "root": str(Path(root).resolve()),
            "out_root": str(Path(out_root).resolve()),
            "concurrency": concurrency,
            "dask": dask,
        },
        description="ideasynth: every workshop folder, then the challenges that recur.",
        tags=["ideasynth"],
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="a folder holding one folder per workshop")
    parser.add_argument("--out", type=Path, default=Path("runs"))
    parser.add_argument("--cron", default=DEFAULT_CRON, help=f"default {DEFAULT_CRON!r}")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--dask", default=None, help="tcp://scheduler:8786 or 'local'")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        # The batch's own words: a folder that is not there has no settings to name a
        # language, so English, as ``ideasynth batch`` says it.
        from pipeline.batch import NOT_A_FOLDER, BatchError

        parser.error(BatchError(NOT_A_FOLDER, {"folder": str(args.root)}).said(None))
    from prefect import serve

    serve(nightly_deployment(args.root, args.out, args.cron, args.concurrency, args.dask))


if __name__ == "__main__":
    main()
