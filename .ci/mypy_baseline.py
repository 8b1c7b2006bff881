"""mypy against a committed baseline that may only shrink.

    python .ci/mypy_baseline.py check    # `make types`: fails on a new error, and on a listed one that is gone
    python .ci/mypy_baseline.py update   # `make mypy-baseline`: rewrites the list from what mypy says now

The baseline holds one line per error, "path: code: message", without line numbers, so editing
a file elsewhere does not churn it; identical errors in one file are counted, so a second copy
of a baselined error is still new. mypy itself reads its settings from pyproject.toml.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

BASELINE = Path("mypy-baseline.txt")
MYPY_ARGS = ["--no-pretty", "--no-error-summary", "--hide-error-context", "--no-color-output"]
# path:line[:column]: error: message  [code]
ERROR = re.compile(
    r"^(?P<path>[^:\s]+):\d+(?::\d+)?: error: (?P<message>.*?)(?:\s+\[(?P<code>[a-z0-9_-]+)\])?$"
)


def errors(output: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for line in output.splitlines():
        match = ERROR.match(line)
        if match:
            found[f"{match['path']}: {match['code'] or 'error'}: {match['message']}"] += 1
    return found


def run_mypy(extra: list[str]) -> tuple[int, str]:
    result = subprocess.run(  # noqa: S603 (our own interpreter and mypy)
        [sys.executable, "-m", "mypy", *MYPY_ARGS, *extra], capture_output=True, text=True, check=False
    )
    return result.returncode, result.stdout + result.stderr


def read_baseline(path: Path) -> Counter[str]:
    if not path.exists():
        return Counter()
    return Counter(line for line in path.read_text().splitlines() if line.strip())


def write_baseline(path: Path, found: Counter[str]) -> None:
    path.write_text("".join(f"{line}\n" for line in sorted(found.elements())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["check", "update"])
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("mypy_args", nargs="*", help="passed on to mypy (after --)")
    args = parser.parse_args(argv)

    status, output = run_mypy(args.mypy_args)
    found = errors(output)
    if status not in (0, 1) or (status == 1 and not found):
        # A crash or a configuration error is never "as in the baseline".
        print(output, end="", file=sys.stderr)
        return 2

    if args.command == "update":
        write_baseline(args.baseline, found)
        print(f"{args.baseline}: {sum(found.values())} errors")
        return 0

    baseline = read_baseline(args.baseline)
    new, gone = found - baseline, baseline - found
    if new:
        shown = {line for line in output.splitlines() if errors(line) & new}
        print(f"mypy: {sum(new.values())} new errors (fix them; the baseline only shrinks):", file=sys.stderr)
        for line in sorted(shown):
            print(f"  {line}", file=sys.stderr)
    if gone:
        print(
            f"mypy: {sum(gone.values())} baselined errors no longer occur; "
            f"remove them with `make mypy-baseline`:",
            file=sys.stderr,
        )
        for line in sorted(gone.elements()):
            print(f"  {line}", file=sys.stderr)
    if new or gone:
        return 1
    print(f"mypy: as in {args.baseline} ({sum(baseline.values())} known errors, none new)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
