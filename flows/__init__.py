"""Prefect flows: the orchestration edge of ideasynth. The steps live in ``pipeline/``.

Importing this package turns Prefect's telemetry off (users often work offline, where it fails
loudly) unless the user set it explicitly.
"""

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_CLI_PROMPT", "false")
