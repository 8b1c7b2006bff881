"""`make run`'s worker and beat run under `ledgerport.core.supervise`: a crashed child comes
back instead of honcho stopping everything, and SIGTERM (Ctrl-C, honcho) stops it for good."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(60)

# The supervised child: writes its pid, notes each SIGTERM it gets, exits on it after a moment
# (as a worker finishing its warm shutdown does).
CHILD = """
import os, signal, sys, time
log = open(sys.argv[1], "a", buffering=1)
def term(*_):
    log.write(f"term {os.getpid()}\\n")
    time.sleep(0.3)
    sys.exit(0)
signal.signal(signal.SIGTERM, term)
log.write(f"start {os.getpid()}\\n")
while True:
    time.sleep(0.1)
"""


def lines(path: Path) -> list[list[str]]:
    return [line.split() for line in path.read_text().splitlines()] if path.exists() else []


def wait_until(condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_killed_child_is_restarted_and_sigterm_stops_both(tmp_path):
    log = tmp_path / "child.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ledgerport.core.supervise", sys.executable, "-c", CHILD, str(log)],
        stderr=subprocess.PIPE,
    )
    try:
        wait_until(lambda: len(lines(log)) == 1)
        first = int(lines(log)[0][1])
        os.kill(first, signal.SIGKILL)  # a crash: the supervisor starts it again
        wait_until(lambda: len(lines(log)) == 2)
        assert lines(log)[1][0] == "start"
        second = int(lines(log)[1][1])
        assert second != first and proc.poll() is None

        os.kill(proc.pid, signal.SIGTERM)  # Ctrl-C / honcho: passed on once, then both exit
        began = time.monotonic()
        assert proc.wait(timeout=10) == 0
        assert time.monotonic() - began < 5
        assert lines(log)[2:] == [["term", str(second)]]
        with pytest.raises(ProcessLookupError):
            os.kill(second, 0)
        assert b"killed by SIGKILL" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_sigterm_to_the_group_reaches_the_child_once(tmp_path):
    """honcho signals the process group it started us in; the child must not get it twice."""
    log = tmp_path / "child.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ledgerport.core.supervise", sys.executable, "-c", CHILD, str(log)],
        start_new_session=True,
    )
    try:
        wait_until(lambda: len(lines(log)) == 1)
        os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert [line[0] for line in lines(log)] == ["start", "term"]
    finally:
        if proc.poll() is None:
            proc.kill()


def test_make_run_supervises_the_worker_and_beat():
    procfile = (Path(__file__).resolve().parents[2] / "Procfile").read_text().splitlines()
    commands = dict(line.split(": ", 1) for line in procfile if line.strip())
    for name in ("worker", "beat"):
        assert commands[name].startswith(".venv/bin/python -m ledgerport.core.supervise .venv/bin/celery")
