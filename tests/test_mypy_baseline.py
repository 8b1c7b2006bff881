"""`make types`: mypy against a baseline that may only shrink (.ci/mypy_baseline.py).

Runs the real script and the real mypy on a tiny project of its own, so it takes seconds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "mypy_baseline.py"
CONFIG = '[tool.mypy]\nfiles = ["pkg"]\nstrict = true\n'
CLEAN = "def double(x: int) -> int:\n    return x * 2\n"
ONE_ERROR = CLEAN + "\n\ndef name() -> str:\n    return 1\n"
TWO_ERRORS = ONE_ERROR + "\n\ndef other() -> str:\n    return 2\n"


def make_types(project: Path, command: str = "check") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), command],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "code.py").write_text(CLEAN)
    return tmp_path


def test_a_new_error_fails_and_a_fixed_one_must_leave_the_baseline(project):
    code = project / "pkg" / "code.py"
    assert make_types(project).returncode == 0

    code.write_text(ONE_ERROR)
    result = make_types(project)
    assert result.returncode == 1
    assert "1 new errors" in result.stderr
    assert 'pkg/code.py:6: error: Incompatible return value type (got "int", expected "str")' in result.stderr

    assert make_types(project, "update").returncode == 0
    baseline = (project / "mypy-baseline.txt").read_text()
    assert (
        baseline == 'pkg/code.py: return-value: Incompatible return value type (got "int", expected "str")\n'
    )
    assert make_types(project).returncode == 0

    # Moving the known error to another line is not new; a second copy of it is.
    code.write_text("\n\n" + ONE_ERROR)
    assert make_types(project).returncode == 0
    code.write_text(TWO_ERRORS)
    result = make_types(project)
    assert result.returncode == 1
    assert "1 new errors" in result.stderr
    assert "pkg/code.py:10:" in result.stderr

    # Fixed: the baseline may only shrink, so the stale entry fails until it is removed.
    code.write_text(CLEAN)
    result = make_types(project)
    assert result.returncode == 1
    assert "no longer occur" in result.stderr and "make mypy-baseline" in result.stderr
    assert make_types(project, "update").returncode == 0
    assert (project / "mypy-baseline.txt").read_text() == ""
    assert make_types(project).returncode == 0


def test_a_mypy_configuration_error_is_never_a_pass(project):
    (project / "pyproject.toml").write_text(CONFIG + 'plugins = ["no_such_plugin"]\n')
    result = make_types(project)
    assert result.returncode == 2
    assert "no_such_plugin" in result.stderr
