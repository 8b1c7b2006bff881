"""The archive's folder tree: Dokument › year › area › month, addressed by a short key.

A folder is not a row: it is a place (year, area, month) that documents are filed under, so
every year holds the same areas and every area the twelve months. The key is what URLs carry:
"2026", "2026/payroll", "2026/payroll/08".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    """The areas of a year (seed 003); clients file into UPLOADS, the firm anywhere."""

    PAYROLL = "payroll", _("Salaries")
    TAX = "tax", _("Tax Agency")
    REPORTS = "reports", _("Reports")
    UPLOADS = "uploads", _("Client uploads")


FOLDER_KEY = r"[0-9]{4}(?:/(?:payroll|tax|reports|uploads)(?:/(?:0[1-9]|1[0-2]))?)?"
_KEY = re.compile(rf"^{FOLDER_KEY}$")


def month_label(month: int) -> str:
    """ "08. Augusti": the month's number and its name in the UI language."""
    return f"{month:02d}. {capfirst(MONTHS[month])}"


@dataclass(frozen=True)
class Folder:
    year: int
    area: str = ""
    month: int = 0

    @classmethod
    def parse(cls, key: str) -> Folder:
        if not _KEY.match(key):
            raise ValueError(f"not a folder: {key!r}")
        parts = key.split("/")
        return cls(int(parts[0]), parts[1] if len(parts) > 1 else "", int(parts[2]) if len(parts) > 2 else 0)

    @property
    def key(self) -> str:
        return "/".join(
            [
                str(self.year),
                *([self.area] if self.area else []),
                *([f"{self.month:02d}"] if self.month else []),
            ]
        )

    @property
    def label(self) -> str:
        if self.month:
            return month_label(self.month)
        if self.area:
            return str(Area(self.area).label)
        return str(self.year)

    @property
    def is_leaf(self) -> bool:
        """Documents are filed in month folders only."""
        return bool(self.month)

    def parents(self) -> list[Folder]:
        """From the year down to this folder's parent."""
        chain = [Folder(self.year)]
        if self.month:
            chain.append(Folder(self.year, self.area))
        return chain if self.area else []

    def children(self) -> list[Folder]:
        if self.month:
            return []
        if self.area:
            return [Folder(self.year, self.area, month) for month in range(1, 13)]
        return [Folder(self.year, area) for area in Area.values]

    def contains(self, year: int, area: str, month: int) -> bool:
        return (
            year == self.year
            and (not self.area or area == self.area)
            and (not self.month or month == self.month)
        )

    def lookup(self, prefix: str = "") -> dict[str, Any]:
        """ORM filter for the entries in this folder and below."""
        found: dict[str, Any] = {f"{prefix}year": self.year}
        if self.area:
            found[f"{prefix}area"] = self.area
        if self.month:
            found[f"{prefix}month"] = self.month
        return found

    def path_in(self, ancestor: Folder) -> list[str]:
        """The folder names from below `ancestor` down to this folder (a zip's directories)."""
        names = []
        if not ancestor.area and self.area:
            names.append(str(Area(self.area).label))
        if not ancestor.month and self.month:
            names.append(month_label(self.month))
        return names
