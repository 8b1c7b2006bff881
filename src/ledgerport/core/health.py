"""What the health check asks of the process's dependencies."""

from __future__ import annotations

from django.db import connection


def database_check() -> None:
    """One round trip to the database; raises (so the check answers 500) when it is unreachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
