"""`make test` on a fresh machine: Chromium and gettext are installed (root + apt-get) or the
run stops at once, before anything is installed or run, with the one command to type."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "system-deps"


def tool(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


class Machine:
    """A fake PATH holding only bash and a fake `id`: no Chromium, gettext or apt-get."""

    def __init__(self, tmp_path: Path) -> None:
        self.home = tmp_path
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        (self.bin / "bash").symlink_to("/bin/bash")
        self.chromium = tmp_path / "chromium"
        self.apt_calls = tmp_path / "apt-calls"

    def run(self, uid: int) -> subprocess.CompletedProcess[str]:
        tool(self.bin, "id", f"echo {uid}")
        env = {"PATH": str(self.bin), "HOME": str(self.home), "CHROMIUM_PATH": str(self.chromium)}
        return subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30)

    def fake_apt(self) -> None:
        """apt-get that records how it was called and "installs" what it is asked for."""
        made = " ".join(str(self.bin / name) for name in ("msgfmt", "xgettext"))
        tool(
            self.bin,
            "apt-get",
            f'echo "$DEBIAN_FRONTEND $* stdin=$(/bin/cat | /usr/bin/wc -c)" >> {self.apt_calls}\n'
            f'case "$*" in install*chromium*) printf "#!/bin/sh\\n" > {self.chromium}; /bin/chmod +x {self.chromium};; esac\n'
            f'case "$*" in install*gettext*) for t in {made}; do printf "#!/bin/sh\\n" > $t; /bin/chmod +x $t; done;; esac',
        )

    def has_gettext(self) -> None:
        tool(self.bin, "msgfmt", "true")
        tool(self.bin, "xgettext", "true")


@pytest.fixture
def machine(tmp_path):
    return Machine(tmp_path)


def test_without_chromium_or_apt_it_stops_with_one_line(machine):
    result = machine.run(uid=0)
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.strip().endswith("run: sudo apt-get install chromium gettext")


def test_not_root_it_never_calls_apt_and_names_the_one_command(machine):
    machine.fake_apt()
    machine.has_gettext()
    result = machine.run(uid=1000)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.strip().endswith("run: sudo apt-get install chromium")
    assert not machine.apt_calls.exists()


def test_as_root_it_installs_with_apt_get_without_questions(machine):
    machine.fake_apt()
    result = machine.run(uid=0)
    assert result.returncode == 0, result.stderr
    update, install = machine.apt_calls.read_text().splitlines()
    assert update == "noninteractive update -qq stdin=0"
    assert install == "noninteractive install -y -qq --no-install-recommends chromium gettext stdin=0"
    # Installed: the next run has nothing to do and says nothing.
    again = machine.run(uid=0)
    assert (again.returncode, again.stderr) == (0, "")
    assert len(machine.apt_calls.read_text().splitlines()) == 2


def test_when_apt_get_fails_it_stops_with_the_command(machine):
    tool(machine.bin, "apt-get", "exit 100")
    machine.has_gettext()
    result = machine.run(uid=0)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].endswith("run: sudo apt-get install chromium")


def test_make_test_checks_before_it_installs_or_runs_anything():
    """`make test` runs the check first, so a missing Chromium stops it before uv or pytest."""
    env = {key: value for key, value in os.environ.items() if key not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    commands = subprocess.run(
        ["make", "--no-print-directory", "-n", "test"],
        cwd=ROOT,
        env=env,  # the same answer inside `make test` itself
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()
    assert commands[0] == ".ci/system-deps", commands[:3]
    assert any("pytest" in line for line in commands)
