"""The ``synthesize_workshop`` flow: one Prefect task per pipeline step, never per note.

Run it from Python, or through ``ideasynth run``. Without a Prefect server configured, Prefect
starts a temporary local one for the run (a few seconds); nothing leaves the machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.states import State
from prefect.utilities.annotations import quote

import flows  # sets offline-safe Prefect defaults before Prefect is imported
from flows.caching import CACHE_EXPIRATION, CACHE_KEYS
from pipeline.config import Config, config_for_input
from pipeline.ingest import IngestError
from pipeline.run import run_workshop
from pipeline.schema import RunResult

flows.quiet_prefect_services()  # every background service Prefect defines, now imported

T = TypeVar("T")

IO_STEPS = {"ingest": 2, "write": 2}
"""Steps that touch the file system get retries: a network share hiccup must not cost the night."""


def _is_transient(task: Any, task_run: Any, state: State[Any]) -> bool:
    """Retry OS-level failures (a share that went away), never a bad file: it will stay bad."""
    try:
        state.result()
    except IngestError:
        return False
    except OSError:
        return True
    except Exception:
        return False
    return False


def quoted_for_prefect(value: Any) -> Any:
    """Wrap the notes, themes and other collections a step takes in Prefect's ``quote``.

    Prefect walks every task parameter looking for futures to resolve. Over 100,000 notes that
    walk cost 80 to 90 s per step (measured with ``benchmarks/scale.py``); quoted, Prefect
    hands the value to the step untouched. The config and paths stay visible: the cache keys
    read them."""
    if isinstance(value, Config | Path | str | int | float | bool) or value is None:
        return value
    return quote(value)


class PrefectSteps:
    """StepRunner that runs each pipeline step as a Prefect task named after it.

    I/O steps retry on OS errors; ingest and prepare are cached on their inputs
    (``flows.caching``). ``states`` records how each step ended ("Completed", "Cached"), so a
    caller can see what a re-run skipped.
    """

    def __init__(self) -> None:
        self.states: dict[str, str] = {}

    def __call__(self, name: str, function: Callable[..., T], *args: Any) -> T:
        key = CACHE_KEYS.get(name)
        options: dict[str, Any] = (
            {"cache_key_fn": key, "cache_expiration": CACHE_EXPIRATION}
            if key
            else {"cache_policy": NO_CACHE}
        )
        as_task = task(
            name=name,
            retries=IO_STEPS.get(name, 0),
            retry_delay_seconds=2,
            retry_condition_fn=_is_transient,
            **options,
        )
        # return_state=True makes Prefect return the State instead of the value.
        state = cast(State[T], as_task(function)(*map(quoted_for_prefect, args), return_state=True))
        self.states[name] = state.name or state.type.value
        return cast(T, state.result())


class FinishedRun:
    """What ``synthesize_workshop`` returns: the run's result and its folder.

    Unpacks like the pair it stands for (``result, run_dir = synthesize_workshop(…)``). It is a
    plain class on purpose: Prefect walks a flow's return value in search of futures, through
    tuples, lists, dataclasses and pydantic models, so returning the ``RunResult`` itself
    meant visiting every note and theme once more at the end of each run (2 s at 10,000
    notes, measured with ``benchmarks/scale.py``). Prefect leaves other objects as they are.
    """

    __slots__ = ("result", "run_dir")

    def __init__(self, result: RunResult, run_dir: Path) -> None:
        self.result = result
        self.run_dir = run_dir

    def __iter__(self) -> Iterator[Any]:
        yield self.result
        yield self.run_dir

    def __repr__(self) -> str:
        return f"FinishedRun(run_dir={str(self.run_dir)!r})"


@flow(name="synthesize-workshop", log_prints=True, validate_parameters=False)
def synthesize_workshop(
    input_path: Path,
    config: Config | None = None,
    out_root: Path = Path("runs"),
    language: str | None = None,
    progress: Any = None,
) -> FinishedRun:
    """Notes of one workshop in, a run folder with themes, drafts and reports out.

    Without ``config``, a workshop folder's own ``ideasynth.toml`` is used, as the CLI does.
    ``progress`` is a ``pipeline.run.RunProgress`` (typed ``Any`` here because Prefect builds a
    parameter schema from this signature, and a Protocol cannot be validated).
    """
    result, run_dir = run_workshop(
        Path(input_path),
        config or config_for_input(Path(input_path)),
        Path(out_root),
        language=language,
        runner=PrefectSteps(),
        progress=progress,
    )
    return FinishedRun(result, run_dir)
