"""Prefect flows: the orchestration edge of ideasynth. The steps live in ``pipeline/``.

Importing this package turns Prefect's telemetry off (users often work offline, where it fails
loudly) unless the user set it explicitly.
"""

import contextlib
import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
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
