"""The import-linter contracts (pyproject.toml, run by `make lint`) hold, and each one fails on
a violation: lint-imports runs with the project's own contracts over a copy of the source
tree into which one forbidden import (or one cycle) is written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contracts_config() -> str:
    """The [tool.importlinter] tables of pyproject.toml, as they are (a file of their own)."""
    lines = (ROOT / "pyproject.toml").read_text().splitlines()
    kept, inside = [], False
    for line in lines:
        if line.startswith("["):
            inside = line.strip("[] ").startswith("tool.importlinter")
        if inside:
            kept.append(line)
    assert kept, "no [tool.importlinter] in pyproject.toml"
    return "\n".join(kept) + "\n"


def lint_imports(root: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    (root / "contracts.toml").write_text(contracts_config())
    selected = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", *selected, "contracts.toml"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},  # the copy, ahead of the installed tree
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the Python sources of both root packages."""
    for package in ("ledgerport", "sandbox"):
        shutil.copytree(
            SRC / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns(
                "__pycache__", "*.so", "*.c", "*.mo", "*.po", "static", "templates"
            ),
        )
    return tmp_path


def write(root: Path, module: str, source: str) -> None:
    path = root.joinpath(*module.split(".")).with_suffix(".py")
    assert path.parent.joinpath("__init__.py").exists(), f"{module}: no such package"
    path.write_text(source)


def lint_imports_on_project() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_project_keeps_every_contract():
    result = lint_imports_on_project()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_copy_keeps_them_too(tree):
    """The fixture itself is sound: without an injected violation nothing breaks."""
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "module",
    [
        "ledgerport.sie.violation",
        "ledgerport.connectors.fortnox.client",
        "ledgerport.connectors.spiris.client",
        "ledgerport.identity.bankid.qr",
    ],
)
def test_a_pure_library_importing_django_breaks_it(tree, module):
    path = tree.joinpath(*module.split(".")).with_suffix(".py")
    before = path.read_text() if path.exists() else ""
    write(tree, module, before + "\nfrom django.db import models  # noqa\n")
    result = lint_imports(tree, "pure-libraries")
    assert result.returncode == 1, result.stdout
    assert "BROKEN" in result.stdout and module in result.stdout


def test_a_new_providers_client_is_held_to_it_too(tree):
    package = tree / "ledgerport" / "connectors" / "acme"
    package.mkdir()
    (package / "__init__.py").write_text("")
    write(tree, "ledgerport.connectors.acme.client", "from django.conf import settings  # noqa\n")
    result = lint_imports(tree, "pure-libraries")
    assert result.returncode == 1, result.stdout
    assert "ledgerport.connectors.acme.client -> django" in result.stdout


def test_django_reached_through_another_module_breaks_it_too(tree):
    """Forbidden means also indirectly: sie -> a helper -> django."""
    write(tree, "ledgerport.sie.violation", "from ledgerport.tenancy import roles  # noqa\n")
    result = lint_imports(tree, "pure-libraries")
    assert result.returncode == 1, result.stdout


@pytest.mark.parametrize("books", ["ledger", "taxes"])
@pytest.mark.parametrize("imported", ["ledgerport.analysis.reports", "ledgerport.connectors.selectors"])
def test_the_books_importing_analysis_or_connectors_breaks_it(tree, books, imported):
    write(tree, f"ledgerport.{books}.violation", f"import {imported}  # noqa\n")
    result = lint_imports(tree, "ledger-is-the-books")
    assert result.returncode == 1, result.stdout
    assert f"ledgerport.{books}.violation -> " + imported in result.stdout


def test_importing_the_sandbox_breaks_it(tree):
    write(tree, "ledgerport.web.violation", "from sandbox.core import clock  # noqa\n")
    result = lint_imports(tree, "no-sandbox")
    assert result.returncode == 1, result.stdout
    assert "ledgerport.web.violation -> sandbox.core.clock" in result.stdout


def test_an_app_importing_one_above_it_breaks_the_layers(tree):
    # No cycle (the web shell imports nothing of the ledger today), but the wrong way up.
    write(tree, "ledgerport.web.violation", "from ledgerport.ledger import selectors  # noqa\n")
    result = lint_imports(tree, "app-layers")
    assert result.returncode == 1, result.stdout
    assert "ledgerport.web.violation -> ledgerport.ledger.selectors" in result.stdout


def test_analysis_connectors_and_review_stay_independent(tree):
    write(tree, "ledgerport.analysis.violation", "from ledgerport.connectors import models  # noqa\n")
    result = lint_imports(tree, "app-layers")
    assert result.returncode == 1, result.stdout
    assert "ledgerport.analysis.violation -> ledgerport.connectors.models" in result.stdout


def test_a_new_app_must_take_its_place_in_the_layers(tree):
    (tree / "ledgerport" / "unplaced").mkdir()
    (tree / "ledgerport" / "unplaced" / "__init__.py").write_text("")
    result = lint_imports(tree, "app-layers")
    assert result.returncode == 1, result.stdout
    assert "ledgerport.unplaced" in result.stdout


def test_a_cycle_between_apps_breaks_it(tree):
    # The ledger builds on tenancy; tenancy reaching back into the ledger closes a loop.
    write(tree, "ledgerport.tenancy.violation", "from ledgerport.ledger import models  # noqa\n")
    result = lint_imports(tree, "acyclic")
    assert result.returncode == 1, result.stdout
    assert "No cycles are allowed in ledgerport." in result.stdout


def test_a_cycle_between_two_files_of_an_app_breaks_it(tree):
    write(tree, "ledgerport.analysis.first", "from ledgerport.analysis import second  # noqa\n")
    write(tree, "ledgerport.analysis.second", "from . import first  # noqa\n")
    result = lint_imports(tree, "acyclic")
    assert result.returncode == 1, result.stdout
    assert "No cycles are allowed in ledgerport.analysis." in result.stdout


def test_a_cycle_made_inside_a_function_counts(tree):
    """A function-level import is how file cycles hide; it is a cycle all the same."""
    write(tree, "ledgerport.ledger.first", "from ledgerport.ledger import second  # noqa\n")
    write(
        tree, "ledgerport.ledger.second", "def late():\n    from . import first  # noqa\n\n    return first\n"
    )
    result = lint_imports(tree, "acyclic")
    assert result.returncode == 1, result.stdout
    assert "No cycles are allowed in ledgerport.ledger." in result.stdout


def test_a_cycle_inside_a_subpackage_of_an_app_counts(tree):
    write(tree, "ledgerport.connectors.fortnox.first", "from . import second  # noqa\n")
    write(tree, "ledgerport.connectors.fortnox.second", "from . import first  # noqa\n")
    result = lint_imports(tree, "acyclic")
    assert result.returncode == 1, result.stdout
    assert "No cycles are allowed in ledgerport.connectors.fortnox." in result.stdout


def recipe(makefile: str, target: str) -> tuple[list[str], list[str]]:
    """A Makefile target's prerequisites and its recipe lines."""
    lines = makefile.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    prerequisites = lines[start].split(":", 1)[1].split()
    body = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        body.append(line.strip())
    return prerequisites, body


def test_make_test_runs_the_contracts():
    makefile = (ROOT / "Makefile").read_text()
    test_prerequisites, _ = recipe(makefile, "test")
    _, lint = recipe(makefile, "lint")
    assert "lint" in test_prerequisites
    assert any(line.split()[0].endswith("/lint-imports") for line in lint), lint
