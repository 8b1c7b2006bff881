"""Names inside a folder's zip: the subfolder path, and no two files with one name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ledgerport.documents.archive_folders import Folder


def zip_names(entries: Iterable[Any], base: Folder) -> list[str]:
    """ "Löner/08. Augusti/lön.pdf" for each entry below `base`; a repeated name gets " (2)"."""
    names: list[str] = []
    used: set[str] = set()
    for entry in entries:
        folder = Folder(entry.year, entry.area, entry.month)
        path = "/".join([*folder.path_in(base), entry.file_name])
        candidate, number = path, 1
        while candidate.lower() in used:
            number += 1
            stem, dot, extension = path.rpartition(".")
            candidate = (
                f"{stem} ({number}).{extension}" if dot and "/" not in extension else f"{path} ({number})"
            )
        used.add(candidate.lower())
        names.append(candidate)
    return names
