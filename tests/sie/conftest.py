"""Shared fixtures for the SIE library tests (pure: no Django)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SIE_DIR = REPO_ROOT.parent / "shared" / "data" / "sie"


def sie_files() -> list[Path]:
    return sorted(p for p in SIE_DIR.iterdir() if p.name != "PROVENANCE.md")


@pytest.fixture(scope="session")
def sie_dir() -> Path:
    if not SIE_DIR.is_dir():
        pytest.skip(f"sample files not found at {SIE_DIR}")
    return SIE_DIR


@pytest.fixture(autouse=True)
def _test_settings() -> None:
    """Override the project's autouse Django settings fixture: this library needs no Django."""
