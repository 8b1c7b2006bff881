"""The web server's command line: gthread workers sized to the cores, overridable."""

from __future__ import annotations

from ledgerport.core import serve


def _option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_one_threaded_worker_per_core(monkeypatch):
    monkeypatch.setattr(serve, "cores", lambda: 3)
    argv = serve.command({"WEB_PORT": "8123"})
    assert _option(argv, "--worker-class") == "gthread"
    assert _option(argv, "--workers") == "3"
    assert _option(argv, "--threads") == str(serve.THREADS_PER_WORKER)
    assert _option(argv, "--bind") == "127.0.0.1:8123"
    assert argv[1] == "ledgerport.wsgi"


def test_the_environment_overrides_the_sizing_and_bind():
    argv = serve.command({"WEB_WORKERS": "5", "WEB_THREADS": "2", "WEB_BIND": "0.0.0.0:9000"})
    assert (_option(argv, "--workers"), _option(argv, "--threads")) == ("5", "2")
    assert _option(argv, "--bind") == "0.0.0.0:9000"
