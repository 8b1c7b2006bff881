"""The `ledgerport` console command.

`ledgerport <django command> …` runs any management command (migrate, seed_demo, …).
Grouped project commands are written with a space — `ledgerport sie inspect FILE`,
`ledgerport sync ORGNR PROVIDER` — and resolve to the management command `<group>_<verb>`
(`sie_import`, …). `ledgerport sie inspect|balances|write` run the pure SIE library
without starting Django, so they work on any file with no database at all; so does
`ledgerport saft inspect` (the pure SAF-T library).
"""

from __future__ import annotations

import os
import sys

PURE_SIE_VERBS = {"inspect", "balances", "write"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) >= 2 and args[0] == "sie" and args[1] in PURE_SIE_VERBS:
        from ledgerport.sie.cli import main as sie_main

        return sie_main(args[1:])
    if len(args) >= 2 and args[0] == "saft" and args[1] == "inspect":
        from ledgerport.saft.cli import main as saft_main

        return saft_main(args[1:])

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerport.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    if len(args) >= 2 and f"{args[0]}_{args[1]}" in get_commands():
        args = [f"{args[0]}_{args[1]}", *args[2:]]
    execute_from_command_line(["ledgerport", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
