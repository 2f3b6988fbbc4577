"""Peak memory under the two inputs that once blew it up: a 1.5 GB POST to the review app, and
a 1.5 MB workbook declaring a 1.5-billion-character cell.

    python benchmarks/hostile_memory.py                  # both, full size (about a minute)
    python benchmarks/hostile_memory.py --post-mb 200 --cell-mb 200

1. The review app runs in its own process (the real CLI's uvicorn server on loopback). A
   chunked POST of ``--post-mb`` MB, which never declares its length, is sent to ``/act``;
   the app must answer 413 after its 1 MB cap, without holding the body. Its peak resident
   memory (``VmHWM``) must stay under 300 MB; before the cap was streamed it reached 3.3 GB.
2. A workbook whose one sheet holds an inline string of ``--cell-mb`` million characters
   (about 1.5 MB on disk) is read by ``ingest`` in a fresh process. The per-cell cap stops it
   while streaming; the peak must stay under 1 GB (it was 3.4 GB).
3. A workbook of a few hundred KB whose shared strings declare ``--shared-strings`` empty
   strings (``<si/>``, 39 million by default) is read the same way. The count cap stops it
   while streaming; the peak must stay under 300 MB and the read under 30 s (it was 3.7 GB
   and 255 s).

Prints one line per case with the peak, and exits 1 if a peak is over its bound.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP_BOUND_MB = 300
XLSX_BOUND_MB = 1024
_MB = 1024 * 1024


def peak_mb(pid: int) -> float:
    """Peak resident memory of a live process (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_folder(root: Path) -> Path:
    sys.path.insert(0, str(REPO))
    from pipeline.report import write_run
    from tests.factories import build_run_result

    run_dir = root / "atelier" / "20250314T093205Z"
    write_run(build_run_result(), run_dir)
    return run_dir


def post_case(root: Path, post_mb: int) -> tuple[float, str]:
    run_dir = _run_folder(root)
    port = _free_port()
    command = [sys.executable, "-m", "pipeline.cli", "review", str(run_dir), "--no-browser"]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the review server did not start") from None
                time.sleep(0.2)
        before = peak_mb(server.pid)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.putrequest("POST", "/act")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        chunk = b"a" * _MB
        framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        sent = 0
        started = time.perf_counter()
        try:
            head = b"op=rename&theme_id=t1&version=0&label="
            conn.send(f"{len(head):x}\r\n".encode() + head + b"\r\n")
            for _ in range(post_mb):
                conn.send(framed)
                sent += 1
            conn.send(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed the connection while we were sending
        try:
            status = str(conn.getresponse().status)
        except OSError as exc:
            status = f"connection closed ({type(exc).__name__})"
        conn.close()
        seconds = time.perf_counter() - started
        time.sleep(0.5)
        after = peak_mb(server.pid)
        return after, (
            f"POST of {post_mb:,} MB (sent {sent:,} MB before the answer, {seconds:.1f} s): "
            f"status {status}; app peak {before:.0f} MB before, {after:.0f} MB after"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


_XLSX_CHILD = """
import sys, time
from pathlib import Path
from pipeline.config import IngestConfig
from pipeline.ingest import IngestError, ingest
started = time.perf_counter()
try:
    result = ingest(Path(sys.argv[1]), IngestConfig())
    print(f"read {len(result.notes)} notes", end="")
except IngestError as exc:
    print(str(exc)[:150], end="")
print(f" ({time.perf_counter() - started:.1f} s); ", end="")
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(int(line.split()[1]) // 1024)
"""


def xlsx_case(root: Path, cell_mb: int) -> tuple[float, str]:
    sys.path.insert(0, str(REPO))
    from tests.hostile_files import write_inline_workbook

    path = root / "hostile.xlsx"
    write_inline_workbook(path, ["Note", cell_mb * 1_000_000])
    done = subprocess.run(
        [sys.executable, "-c", _XLSX_CHILD, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    outcome, peak = done.stdout.strip().rsplit("; ", 1)
    size = path.stat().st_size / _MB
    return float(peak), (
        f"workbook of {size:.1f} MB declaring a {cell_mb:,}-million-character cell: "
        f"{outcome}; peak {peak} MB"
    )


COUNT_BOUND_MB = 300
COUNT_BOUND_S = 30


def count_case(root: Path, shared_strings: int) -> tuple[float, float, str]:
    sys.path.insert(0, str(REPO))
    from tests.hostile_files import write_shared_strings_bomb

    path = root / "count_bomb.xlsx"
    write_shared_strings_bomb(path, shared_strings)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _XLSX_CHILD, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    outcome, peak = done.stdout.strip().rsplit("; ", 1)
    size = path.stat().st_size / 1024
    return (
        float(peak),
        seconds,
        (
            f"workbook of {size:.0f} KB declaring {shared_strings:,} shared strings: "
            f"{outcome}; peak {peak} MB"
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--post-mb", type=int, default=1500)
    parser.add_argument("--cell-mb", type=int, default=1500, help="million characters")
    parser.add_argument("--shared-strings", type=int, default=39_000_000)
    parser.add_argument("--only", choices=("post", "xlsx", "count"))
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory(prefix="ideasynth-hostile-") as tmp:
        root = Path(tmp)
        if args.only in (None, "post"):
            peak, line = post_case(root, args.post_mb)
            ok = peak < APP_BOUND_MB
            failed |= not ok
            print(f"{'ok  ' if ok else 'OVER'} review app: {line} (bound {APP_BOUND_MB} MB)")
        if args.only in (None, "xlsx"):
            peak, line = xlsx_case(root, args.cell_mb)
            ok = peak < XLSX_BOUND_MB
            failed |= not ok
            print(f"{'ok  ' if ok else 'OVER'} xlsx: {line} (bound {XLSX_BOUND_MB} MB)")
        if args.only in (None, "count"):
            peak, seconds, line = count_case(root, args.shared_strings)
            ok = peak < COUNT_BOUND_MB and seconds < COUNT_BOUND_S
            failed |= not ok
            bound = f"bound {COUNT_BOUND_MB} MB, {COUNT_BOUND_S} s"
            print(f"{'ok  ' if ok else 'OVER'} count: {line} ({bound})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
