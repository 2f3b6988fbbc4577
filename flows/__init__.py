"""Prefect flows: the orchestration edge of ideasynth. The steps live in ``pipeline/``.

Importing this package, before Prefect is imported, turns all of Prefect's telemetry off: the
SDK's usage events and its first-run notice ("Prefect collects anonymous usage data …", printed
in a terminal; ``DO_NOT_TRACK``) and the temporary server's analytics
(``PREFECT_SERVER_ANALYTICS_ENABLED``). ideasynth runs offline and promises to send nothing, so
these are set whatever the environment says.

It also keeps Prefect's background services off the console (:func:`quiet_prefect_services`).
"""

import contextlib
import logging
import os
import sys

os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_CLI_PROMPT", "false")
# The temporary local server can take longer than Prefect's 20 s default to start on a busy
# machine (an overnight batch next to other jobs); waiting longer beats failing the night.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

# Prefect creates its home folder but not the folders above it: with PREFECT_HOME pointing into
# a folder that does not exist yet, its temporary server cannot open its database, and the run
# waited the whole start-up timeout before failing with a message about the server.
if _home := os.environ.get("PREFECT_HOME"):
    with contextlib.suppress(OSError):  # not ours to create: Prefect reports it
        os.makedirs(os.path.expanduser(_home), exist_ok=True)


PREFECT_SERVICE_LOGGERS = ("EventsWorker", "APILogWorker")
"""Loggers of Prefect's background services (``prefect._internal.concurrency.services``),
which log under their class names rather than under ``prefect``."""


def quiet_prefect_services() -> None:
    """Keep Prefect's background services off the console.

    Each service logs under its class name, outside the ``prefect`` logger, so its warnings
    reach the root logger and Prefect's console handler. At interpreter exit, a run refused
    early (``--drafter openai`` with no endpoint) left its flow's last event in the queue of
    the events worker, which then printed "EventsWorker - Still processing items: 1 items
    remaining..." after ideasynth's own error line. Those are Prefect's internals, not a
    facilitator's concern; their failures still go to Prefect's ``prefect._internal`` logger.
    Called on import (for the services known by name) and again once Prefect is imported
    (for every service class it defines)."""
    names = set(PREFECT_SERVICE_LOGGERS)
    if "prefect" in sys.modules:  # never imports Prefect itself: see above
        with contextlib.suppress(ImportError):  # a Prefect that moved its services
            from prefect._internal.concurrency.services import _QueueServiceBase

            pending: list[type] = [_QueueServiceBase]
            while pending:
                cls = pending.pop()
                names.add(cls.__name__)
                pending.extend(cls.__subclasses__())
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


quiet_prefect_services()
