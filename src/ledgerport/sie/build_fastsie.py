"""Build the optional C accelerator _fastsie.c next to its source (run by `make install`).

    python src/ledgerport/sie/build_fastsie.py [--quiet]

Without a C compiler or the Python headers it prints a warning and exits 0: the reader
then uses its pure-Python path (same results, slower).
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
SOURCE = HERE / "_fastsie.c"


def target() -> Path:
    return HERE / f"_fastsie{sysconfig.get_config_var('EXT_SUFFIX') or '.so'}"


def warn(message: str) -> int:
    print(f"warning: {message}; the SIE reader uses its pure-Python path", file=sys.stderr)  # noqa: T201
    return 0


def main() -> int:
    quiet = "--quiet" in sys.argv[1:]
    out = target()
    if out.exists() and out.stat().st_mtime >= SOURCE.stat().st_mtime:
        return 0
    compiler = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    if not compiler or shutil.which(compiler[0]) is None:
        compiler = ["cc"]
        if shutil.which("cc") is None:
            return warn("no C compiler found (cc)")
    include = sysconfig.get_paths()["include"]
    if not (Path(include) / "Python.h").exists():
        return warn(f"Python headers not found in {include}")
    tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")  # parallel builds each write their own
    command = [
        *compiler,
        "-O2",
        "-fPIC",
        "-shared",
        "-Wall",
        "-Wextra",
        "-Wno-unused-parameter",
        "-Wno-missing-field-initializers",
        "-Wno-cast-function-type",
        f"-I{include}",
        str(SOURCE),
        "-o",
        str(tmp),
    ]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as error:
        return warn(f"the C compiler could not run ({error})")
    if completed.returncode != 0:
        tmp.unlink(missing_ok=True)
        print(completed.stderr, file=sys.stderr)  # noqa: T201
        return warn("compiling _fastsie.c failed")
    if completed.stderr.strip() and not quiet:
        print(completed.stderr, file=sys.stderr)  # noqa: T201
    tmp.replace(out)
    if not quiet:
        print(f"built {out.relative_to(HERE.parents[2])}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
