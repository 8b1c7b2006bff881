"""What the health check asks of the process's dependencies."""

from __future__ import annotations

from django.db import DatabaseError, connection


def database_reachable() -> bool:
    """One round trip to the database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True
