"""Prefect flows: the orchestration edge of ideasynth. The steps live in ``pipeline/``.

Importing this package, before Prefect is imported, turns all of Prefect's telemetry off: the
SDK's usage events and its first-run notice ("Prefect collects anonymous usage data …", printed
in a terminal; ``DO_NOT_TRACK``) and the temporary server's analytics
(``PREFECT_SERVER_ANALYTICS_ENABLED``). ideasynth runs offline and promises to send nothing, so
these are set whatever the environment says.
"""

import contextlib
import os

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
