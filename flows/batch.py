"""The ``synthesize_many`` flow: every workshop folder under a root, one Prefect task each.

Tasks run on threads (``concurrency`` at a time) or on a Dask cluster through
``prefect-dask``: ``dask="tcp://host:8786"`` uses an existing scheduler, ``dask="local"``
starts a local cluster of ``concurrency`` single-threaded worker processes. Each workshop's
failure is caught in its own task and listed with its reason; the others finish. A re-run
skips workshops whose inputs and config have not changed (``pipeline.batch``). The
cross-workshop summary (``pipeline.recurring``) is written last, into the output root.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

import flows  # sets offline-safe Prefect defaults before Prefect is imported
from pipeline.batch import (
    NO_SCHEDULER,
    BatchError,
    WorkshopPlan,
    batch_language,
    batch_lock,
    clear_staging,
    end_line,
    loose_files,
    loose_line,
    plan_batch,
    run_planned,
    start_line,
)
from pipeline.recurring import (
    DEFAULT_SIMILARITY,
    load_theme_points,
    recurring_challenges,
    said_batch_warning,
    write_batch_report,
)
from pipeline.schema import BatchSummary, WorkshopOutcome

flows.quiet_prefect_services()  # every background service Prefect defines, now imported


class _Warmup:
    """The first workshop of each process runs alone: the language, spaCy and embedding
    models load lazily on first use, and their loaders were not written for two threads at
    once. Later workshops, which find them loaded, run side by side."""

    lock = threading.Lock()
    done = False


@task(name="workshop", cache_policy=NO_CACHE, task_run_name="workshop-{plan.workshop}")
def synthesize_one(
    plan: WorkshopPlan, out_root: Path, language: str | None, started: Any = None
) -> WorkshopOutcome:
    """One workshop, run with plain function calls: on a Dask worker there is no flow to
    nest per-step tasks in, and a workshop is the unit that is retried or skipped.
    ``started`` (threads only) is called as the workshop starts."""
    if not _Warmup.done:
        with _Warmup.lock:
            if not _Warmup.done:
                if started is not None:
                    started()
                outcome = run_planned(plan, out_root, language)
                _Warmup.done = outcome.status == "completed"
                return outcome
    if started is not None:
        started()
    return run_planned(plan, out_root, language)


@task(name="recurring", cache_policy=NO_CACHE)
def summarise(
    outcomes: list[WorkshopOutcome],
    root: Path,
    out_root: Path,
    started: str,
    similarity: float,
    warnings: list[str] | None = None,
    language: str | None = None,
) -> BatchSummary:
    """Group the themes of every workshop that has a run into recurring challenges."""
    runs = [
        (o.workshop, Path(o.run_dir))
        for o in outcomes
        if o.status in ("completed", "skipped") and o.run_dir
    ]
    challenges, single = recurring_challenges(load_theme_points(runs), similarity)
    from pipeline.day2.recurring import recurring_actions

    summary = BatchSummary(
        root=str(root),
        out=str(out_root),
        started=started,
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
        outcomes=outcomes,
        recurring=challenges,
        recurring_actions=recurring_actions(outcomes),
        single_themes=single,
        similarity_threshold=similarity,
        warnings=warnings or [],
        language=language or "en",
    )
    write_batch_report(summary, out_root)
    return summary


def task_runner(concurrency: int, dask: str | None) -> Any:
    """Threads by default; a Dask cluster by address, or a local one for ``"local"``."""
    if not dask:
        return ThreadPoolTaskRunner(max_workers=max(1, concurrency))
    from prefect_dask import DaskTaskRunner

    if dask == "local":
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": max(1, concurrency),
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    return DaskTaskRunner(address=dask)


def _reach_scheduler(runner: Any, address: str) -> None:
    """Connect to the scheduler at ``--dask``'s address before any workshop is sent there:
    where none answers, the batch stops with one line (``BatchError``), rather than every
    workshop failing on its own as crashed."""
    try:
        runner.client  # noqa: B018 - the client connects on first use
    except (OSError, ValueError) as exc:  # none answers; an address distributed cannot read
        error = " ".join(str(exc).split()) or type(exc).__name__
        raise BatchError(NO_SCHEDULER, {"address": address, "error": error}) from None


def _crashed(plan: WorkshopPlan, exc: BaseException) -> WorkshopOutcome:
    """A task that did not return (its worker died): listed like any failure."""
    reason = " ".join(f"{plan.path}: crashed: {type(exc).__name__}: {exc}".split())
    return WorkshopOutcome(
        workshop=plan.workshop,
        display_name=plan.display_name,
        path=str(plan.path),
        fingerprint=plan.fingerprint,
        status="failed",
        reason=reason[:500],
    )


@flow(name="synthesize-many", log_prints=True, validate_parameters=False)
def synthesize_many(
    root: Path,
    out_root: Path = Path("runs"),
    config_file: Path | None = None,
    concurrency: int = 1,
    dask: str | None = None,
    language: str | None = None,
    resume: bool = True,
    similarity: float = DEFAULT_SIMILARITY,
    progress: Any = None,
) -> BatchSummary:
    """Run every workshop folder under ``root`` and summarise what recurs across them.

    Returns the summary; ``recurring.json``, ``recurring.md`` and ``recurring.html`` are in
    ``out_root`` beside one folder per workshop. ``progress``, a callable taking one line
    (typed ``Any`` for Prefect's parameter schema), hears one line as each workshop starts
    (on threads; a Dask worker cannot call back) and one as it ends, in the flow's process.
    """
    # Absolute paths: Dask workers may run in another working directory.
    root, out_root = Path(root).resolve(), Path(out_root).resolve()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    say: Callable[[str], None] = progress if progress is not None else (lambda line: None)
    with batch_lock(out_root):
        plans = plan_batch(root, out_root, config_file, language, resume=resume)
        lang = batch_language(plans, language)
        warnings = [loose_line(p) for p in loose_files(root)]
        for line in warnings:
            say(said_batch_warning(line, lang))
        clear_staging(out_root)  # what a run cut off by a crash left behind
        total = len(plans)
        outcomes: dict[int, WorkshopOutcome] = {}
        to_run: list[int] = []
        for index, plan in enumerate(plans):
            if plan.previous_run is None and plan.error is None:
                to_run.append(index)
            else:  # skipped or failed without running: nothing to distribute
                outcomes[index] = run_planned(plan, out_root, language)
                say(end_line(index + 1, total, outcomes[index], lang))
        if to_run:
            with task_runner(concurrency, dask) as runner:
                if dask and dask != "local":
                    _reach_scheduler(runner, dask)
                parameters = [
                    {
                        "plan": plans[i],
                        "out_root": out_root,
                        "language": language,
                        "started": None if dask else _announce(say, i + 1, total, plans[i], lang),
                    }
                    for i in to_run
                ]
                futures = [runner.submit(synthesize_one, p) for p in parameters]
                for index, future in zip(to_run, futures, strict=True):
                    try:
                        outcomes[index] = future.result()
                    except Exception as exc:
                        outcomes[index] = _crashed(plans[index], exc)
                    say(end_line(index + 1, total, outcomes[index], lang))
        ordered = [outcomes[i] for i in range(len(plans))]
        clear_staging(out_root)
        summary = summarise(ordered, root, out_root, started, similarity, warnings, lang)
    done = sum(o.status != "failed" for o in ordered)
    print(f"{done} of {len(ordered)} workshops have a run ({time.perf_counter() - t0:.1f} s)")
    return summary


def _announce(
    say: Callable[[str], None], index: int, total: int, plan: WorkshopPlan, lang: str
) -> Callable[[], None]:
    """What a task calls as its workshop starts: the batch's line for it."""
    return lambda: say(start_line(index, total, plan, lang))
