"""Boot Prefect's temporary API server while the pipeline imports, instead of after.

Without a Prefect server configured, Prefect starts a temporary local one when the first flow
run asks for its API: a subprocess that imports Prefect's server and opens its database, 8 to
13 s on 2 busy cores. Importing the pipeline in the main process takes another 6 s or so,
and the two happened one after the other. :func:`launch` starts the very same server process
first thing (it imports nothing heavy), so that it boots on the other core while the main
process imports; :func:`adopt` then points Prefect at it, as it would a Prefect server of the
user's (``PREFECT_API_URL``). The main process so never imports Prefect's server code either
(``prefect.server.api.server``, 4 to 7 s here), which Prefect's own start needs.

Whenever something does not fit (a Prefect server is configured, the process did not start,
it did not answer in time), ``adopt`` stops the early process and Prefect starts its own,
as it always did: the early start can only save time, never change what runs.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import flows  # noqa: F401  (Prefect's offline-safe settings, inherited by the server process)

SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1"}
"""As Prefect's own temporary server (``SubprocessASGIServer``): no UI, ephemeral mode."""


class EarlyServer:
    """A Prefect API server process started before Prefect was imported."""

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process = process
        self.port = port
        # Registered before Prefect is imported, so it runs after Prefect's own exit handlers,
        # which send the run's last logs and events to this server.
        atexit.register(self.stop)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def stop(self) -> None:
        """Ask the server to stop; the run's process does not wait for it to finish (about a
        second of shutting down), since nothing is left for it to do."""
        if self.process.poll() is None:
            self.process.terminate()


def _stop_with_parent() -> None:
    """In the server process, on Linux: be sent SIGTERM when the run's process ends, even
    killed, so that an interrupted run leaves no server behind."""
    import ctypes
    import signal

    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def launch() -> EarlyServer | None:
    """Start Prefect's temporary server process now, without importing Prefect; ``None``
    where Prefect would not start one (``PREFECT_API_URL`` names a server)."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    if "prefect" in sys.modules:
        return None  # a second run in this process: Prefect has its server by now
    spec = importlib.util.find_spec("prefect")
    if spec is None or not spec.submodule_search_locations:
        return None
    app_dir = Path(next(iter(spec.submodule_search_locations))).parent
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(app_dir),
        "--factory",
        "prefect.server.api.server:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        "--lifespan",
        "on",
    ]
    linux = sys.platform.startswith("linux")
    try:
        process = subprocess.Popen(
            command,
            env={**os.environ, **SERVER_ENV},
            preexec_fn=_stop_with_parent if linux else None,
        )
    except OSError:
        return None
    return EarlyServer(process, port)


def adopt(early: EarlyServer | None, timeout: float | None = None) -> bool:
    """Wait until the early server answers, then point this process's Prefect at it (and
    the processes it starts: ``PREFECT_API_URL``); returns whether it did. Where it cannot (a
    Prefect server is configured, the process did not start or answer in time), the early
    process is stopped and Prefect starts its own temporary server as it always did."""
    url = _wait_for(early, timeout) if early is not None else None
    if url is None:
        return False
    from prefect.context import refresh_global_settings_context

    os.environ["PREFECT_API_URL"] = url
    refresh_global_settings_context()  # every thread's settings, not only this context's
    return True


def _wait_for(early: EarlyServer, timeout: float | None) -> str | None:
    try:
        import httpx
        from prefect.settings import get_current_settings

        settings = get_current_settings()
        if settings.api.url or not settings.server.ephemeral.enabled:
            early.stop()  # the user's own Prefect server, or none wanted: not ours to change
            return None
        limit = timeout or float(settings.server.ephemeral.startup_timeout_seconds)
        deadline = time.monotonic() + limit
        with httpx.Client() as client:
            while time.monotonic() < deadline:
                if early.process.poll() is not None:  # it exited (its port taken meanwhile)
                    return None
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{early.api_url}/health", timeout=2).status_code == 200:
                        return early.api_url
                time.sleep(0.05)
    except Exception:  # never worse than Prefect's own start
        pass
    early.stop()
    return None
