"""Build the optional C accelerators next to their sources (run by `make install`).

    python src/ledgerport/build_accelerators.py [--quiet]

    sie/_fastsie.c      the SIE reader's fast path (sie/reader.py)
    ledger/_copyrows.c  the PostgreSQL import's COPY rows (ledger/loaders.py)

Each is rebuilt only when its .so is older than its .c. Without a C compiler or the Python
headers, or when one fails to compile, it prints a warning and exits 0: that part then
uses its pure-Python path (same results, slower). Imports nothing from Django.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# (source, who falls back to pure Python without it)
ACCELERATORS = (
    (HERE / "sie" / "_fastsie.c", "the SIE reader"),
    (HERE / "ledger" / "_copyrows.c", "the PostgreSQL import"),
)
FLAGS = (
    "-O2",
    "-fPIC",
    "-shared",
    "-Wall",
    "-Wextra",
    "-Wno-unused-parameter",
    "-Wno-missing-field-initializers",
    "-Wno-cast-function-type",
)


def target(source: Path) -> Path:
    return source.with_name(f"{source.stem}{sysconfig.get_config_var('EXT_SUFFIX') or '.so'}")


def warn(message: str, user: str) -> int:
    print(f"warning: {message}; {user} uses its pure-Python path", file=sys.stderr)  # noqa: T201
    return 0


def compiler() -> list[str] | None:
    found = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    if found and shutil.which(found[0]) is not None:
        return found
    return ["cc"] if shutil.which("cc") is not None else None


def build(source: Path, user: str, *, quiet: bool) -> int:
    out = target(source)
    if out.exists() and out.stat().st_mtime >= source.stat().st_mtime:
        return 0
    command = compiler()
    if command is None:
        return warn("no C compiler found (cc)", user)
    include = sysconfig.get_paths()["include"]
    if not (Path(include) / "Python.h").exists():
        return warn(f"Python headers not found in {include}", user)
    tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")  # parallel builds each write their own
    try:
        completed = subprocess.run(  # noqa: S603
            [*command, *FLAGS, f"-I{include}", str(source), "-o", str(tmp)],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        return warn(f"the C compiler could not run ({error})", user)
    if completed.returncode != 0:
        tmp.unlink(missing_ok=True)
        print(completed.stderr, file=sys.stderr)  # noqa: T201
        return warn(f"compiling {source.name} failed", user)
    if completed.stderr.strip() and not quiet:
        print(completed.stderr, file=sys.stderr)  # noqa: T201
    tmp.replace(out)  # atomic: a running import keeps the old file
    if not quiet:
        print(f"built {out.relative_to(ROOT)}")  # noqa: T201
    return 0


def main() -> int:
    quiet = "--quiet" in sys.argv[1:]
    for source, user in ACCELERATORS:
        build(source, user, quiet=quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
