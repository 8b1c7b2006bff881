"""`python -m ledgerport.core.supervise COMMAND [ARG…]`: keep one process of `make run` alive.

honcho stops every process as soon as one exits, so a crashed worker used to take the whole
`make run` down. This wrapper starts COMMAND, starts it again whenever it exits by itself
(pausing longer while it keeps crashing at once) and passes SIGTERM and SIGINT on to it: then
it waits for the command to exit (killing it after STOP_TIMEOUT) and exits with it.

The command runs in a process group of its own, so it gets each signal exactly once (from
here), however the signal reached us: honcho signals our group, a terminal the foreground one.
The stop goes to the command's own process only: a Celery worker stops its pool itself (its
pool processes die badly on SIGTERM); only the last resort, SIGKILL, goes to its whole group.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from typing import Any

PAUSE_MIN = 1.0  # seconds before a restart; doubled while the command keeps crashing
PAUSE_MAX = 30.0
STABLE = 60.0  # a command that ran this long gets the short pause again
STOP_TIMEOUT = 30.0  # after passing a stop on: then SIGKILL
PR_SET_PDEATHSIG = 1


def _die_with_us() -> None:
    """In the child before exec: SIGTERM it if we are killed (Linux), so nothing is orphaned."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux: no such call
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _say(text: str) -> None:
    sys.stderr.write(f"supervise: {text}\n")
    sys.stderr.flush()


class Supervisor:
    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.child: subprocess.Popen[bytes] | None = None
        self.stopping = False

    def stop(self, signum: int, _frame: Any = None) -> None:
        self.stopping = True
        self._pass_on(signal.SIGTERM)

    def _pass_on(self, signum: int) -> None:
        child = self.child
        if child is not None and child.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it has just exited
                if signum == signal.SIGKILL:
                    os.killpg(child.pid, signum)
                else:
                    os.kill(child.pid, signum)

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        pause = PAUSE_MIN
        while True:
            started = time.monotonic()
            # The command is the Procfile's own, not outside input.
            self.child = subprocess.Popen(  # noqa: S603
                self.command, start_new_session=True, preexec_fn=_die_with_us
            )
            if self.stopping:  # the signal came while it was starting
                self._pass_on(signal.SIGTERM)
            code = self._wait()
            if self.stopping:
                return 0 if code in (0, -signal.SIGTERM) else code
            pause = PAUSE_MIN if time.monotonic() - started >= STABLE else min(pause * 2, PAUSE_MAX)
            _say(f"{self.command[0]} exited ({_describe(code)}); starting it again in {pause:.0f} s")
            deadline = time.monotonic() + pause
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(0.1)
            if self.stopping:
                return 0

    def _wait(self) -> int:
        assert self.child is not None
        stop_deadline: float | None = None
        while True:
            try:
                return self.child.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
            if self.stopping:
                stop_deadline = stop_deadline or time.monotonic() + STOP_TIMEOUT
                if time.monotonic() > stop_deadline:
                    _say(f"{self.command[0]} did not stop within {STOP_TIMEOUT:.0f} s; killing it")
                    self._pass_on(signal.SIGKILL)


def _describe(code: int) -> str:
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}"


def main(argv: list[str] | None = None) -> int:
    command = list(sys.argv[1:] if argv is None else argv)
    if not command:
        _say("usage: python -m ledgerport.core.supervise COMMAND [ARG…]")
        return 2
    return Supervisor(command).run()


if __name__ == "__main__":
    sys.exit(main())
