"""A Fortnox sync in its own OS process, killed with SIGKILL at random moments, always resumes and
ends in exactly the state of one clean, uninterrupted sync: nothing lost, nothing doubled.

Every attempt is a real process against the real test database (PostgreSQL) and the sandbox over
HTTP, with the shared rate limiter and the sandbox's real Fortnox limit. The attempts alternate
between the two ways a sync is resumed in production:

- "task": `sync_execute(run_id)` on the interrupted run: what the Celery task does when a dead
  worker's task is redelivered (`acks_late`), so the same run resumes;
- "cli": the `sync ORGNR fortnox --wait` management command (what `ledgerport sync` runs): someone
  starts the sync again, the dead run is marked interrupted and a new one takes over.

Interpreter and Django start-up take seconds on a loaded machine, so each attempt's process is
started ahead and told to go; the kill moments are counted from then. Each kill aims at a phase
(start, ledger, documents) and lands at a seeded random moment inside it; replay a failing
sequence with `CRASH_SEED=<seed>`.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from collections import Counter, deque
from collections.abc import Callable
from pathlib import Path
from typing import IO
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection as db_connection
from kombu import Connection as BrokerConnection

from ledgerport.connectors import locks, sync, sync_runs, tasks
from ledgerport.connectors.models import Connection, SyncRun, SyncStatus
from ledgerport.documents.models import Document, DocumentOrigin, VoucherDocument
from ledgerport.ledger.models import FiscalYear, Voucher
from ledgerport.tenancy.models import Company
from tests.connectors.sync_helpers import connect, ledger_state

pytestmark = [
    pytest.mark.skipif(
        db_connection.vendor != "postgresql",
        reason="the sync runs in separate OS processes that must share the test database; pytest-django's "
        "SQLite test database is in memory (one process). Runs on PostgreSQL (CI: DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(300),
]

ORGNR = "5560360793"  # Exempelbolaget AB in the sandbox, all Fortnox modules
SANDBOX_COMPANY = "556036-0793"
# The ledger costs one request per year whatever its size, so it can be big enough for kills to
# land inside the import; files cost a request each under Fortnox's 25 per 5 s.
VOUCHERS = 200
FILES = 25
KILLS = 20
SEED = int(os.environ.get("CRASH_SEED", "20250101"))
REPO = Path(__file__).resolve().parents[2]
PHASE_TIMEOUT = 60.0
WARM = 2  # processes started ahead: Django's start-up is slower than an attempt

WORKER = f"""
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerport.settings")
import django
django.setup()
from django.core.management import call_command
from ledgerport.connectors.sync import sync_execute
print("ready", flush=True)
command = sys.stdin.readline().split()
if command[0] == "task":
    # None: a live process holds the connection's lock; the Celery task retries then, so do we.
    while (run := sync_execute(int(command[1]))) is None:
        time.sleep(0.1)
    print("RESULT", run.pk, run.status, run.error, flush=True)
    sys.exit(0 if run.status == "succeeded" else 1)
call_command("sync", "{ORGNR}", "fortnox", "--wait")
"""


def database_url() -> str:
    """The test database (pytest-django's `test_…` name), for the worker processes."""
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(db['NAME'], safe='')}"


def process_env(sandbox_url: str, **extra: str) -> dict[str, str]:
    """The environment of a process that works on the test database against the test's sandbox."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FORTNOX_", "SPIRIS_", "CELERY_")) and key != "SANDBOX_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ledgerport.settings",
        DATABASE_URL=database_url(),
        SANDBOX_URL=sandbox_url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        RATE_LIMIT_URL=settings.RATE_LIMIT_URL,
        LEDGERPORT_VAR_DIR=str(settings.VAR_DIR),
        CONN_MAX_AGE="0",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class Workers:
    """Sync processes against the test database and the test's sandbox, some kept warm ahead."""

    def __init__(self, sandbox_url: str, tmp_path: Path) -> None:
        self.logs = tmp_path / "workers"
        self.logs.mkdir()
        self.count = 0
        self.env = process_env(sandbox_url)
        self.spares = deque(self._spawn() for _ in range(WARM))
        self.running: list[subprocess.Popen[bytes]] = []

    def _spawn(self) -> subprocess.Popen[bytes]:
        self.count += 1
        err = (self.logs / f"{self.count:02d}.log").open("wb")
        return subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=REPO,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
        )

    def go(self, command: str) -> subprocess.Popen[bytes]:
        """Hand `command` ("task RUN_ID" or "cli") to the warm process; start the next one."""
        proc = self.spares.popleft()
        self.spares.append(self._spawn())
        self.running.append(proc)
        assert proc.stdout is not None and proc.stdin is not None
        assert _readline(proc.stdout, timeout=120) == "ready", self.output()
        proc.stdin.write(f"{command}\n".encode())
        proc.stdin.flush()
        return proc

    def output(self) -> str:
        return "\n".join(f"--- worker {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.logs.iterdir()))

    def close(self) -> None:
        for proc in [*self.running, *self.spares]:
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def _readline(stream: IO[bytes], timeout: float) -> str:
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline().decode().strip() if ready else ""


def wait_unlocked(connection: Connection, timeout: float = 15.0) -> None:
    """A killed holder's PostgreSQL session ends (freeing the advisory lock) once the server sees
    the closed socket; wait for that rather than count it against the next attempt."""
    deadline = time.monotonic() + timeout
    while locks.is_locked(connection.pk):
        assert time.monotonic() < deadline, "the sync lock outlived its SIGKILLed process"
        time.sleep(0.02)


def runnable(connection: Connection) -> SyncRun:
    """The run a redelivered task resumes, or (none alive) the one a new start queues."""
    run = SyncRun.objects.filter(connection=connection).order_by("-created_at", "-pk").first()
    if run is not None and run.is_active:
        return run
    return sync_runs.sync_start(connection=connection, enqueue=False)


def logs_of(connection: Connection) -> dict[int, str]:
    return dict(SyncRun.objects.filter(connection=connection).values_list("pk", "log"))


def new_lines(connection: Connection, before: dict[int, str]) -> str:
    """What the attempt wrote to the run records (each step's line is saved at once)."""
    return "".join(log[len(before.get(pk, "")) :] for pk, log in logs_of(connection).items())


def phase_of(log: str, years: int) -> str:
    if "Fiscal years:" not in log and "Räkenskapsår:" not in log:
        return "start"  # the lock, the token, the provider's fiscal years
    imported = sum(1 for line in log.splitlines() if "vouchers with" in line or "verifikationer med" in line)
    unchanged = log.count("has not changed") + log.count("inte ändrats")
    return "ledger" if imported + unchanged < years else "documents"


def document_count(company: Company) -> int:
    return Document.objects.filter(company=company).count()


def extra_counts(company: Company) -> dict[str, object]:
    """What ledger_state folds away: raw counts and the provider ids the documents came from."""
    return {
        "vouchers": Voucher.objects.filter(fiscal_year__company=company).count(),
        "documents": document_count(company),
        "origins": sorted(
            DocumentOrigin.objects.filter(company=company).values_list("source", "external_id")
        ),
        "links": VoucherDocument.objects.filter(fiscal_year__company=company).count(),
        "fiscal_years": FiscalYear.objects.filter(company=company).count(),
    }


def fresh_sandbox(sandbox) -> None:
    sandbox.reset()
    sandbox.seed_company(SANDBOX_COMPANY, vouchers=VOUCHERS, files=FILES)


def wait_for(proc: subprocess.Popen[bytes], condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PHASE_TIMEOUT
    while not condition():
        assert proc.poll() is None, f"the attempt ended (exit {proc.returncode}) before {what}"
        assert time.monotonic() < deadline, f"no {what} within {PHASE_TIMEOUT} s"
        time.sleep(0.005)


@pytest.fixture
def workers(providers_at_sandbox, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    pool = Workers(providers_at_sandbox.url, tmp_path)
    yield pool
    pool.close()


def test_a_sigkilled_sync_resumes_to_exactly_the_clean_result(world, providers_at_sandbox, workers):
    sandbox = providers_at_sandbox
    rng = random.Random(SEED)
    began = time.monotonic()

    # ---- the reference: one clean, uninterrupted sync in its own process
    fresh_sandbox(sandbox)
    connection = connect(sandbox, world.a1)
    run = sync_runs.sync_start(connection=connection, enqueue=False)
    clean_started = time.monotonic()
    assert workers.go(f"task {run.pk}").wait(timeout=120) == 0, workers.output()
    clean_seconds = time.monotonic() - clean_started
    run.refresh_from_db()
    assert run.status == SyncStatus.SUCCEEDED, run.log
    expected, expected_counts = ledger_state(world.a1), extra_counts(world.a1)
    years = expected_counts["fiscal_years"]
    documents = expected_counts["documents"]
    assert years == 2 and documents >= KILLS, expected_counts
    assert all(
        expected[key]["links"] and expected[key]["row_count"] for key in expected if key != "documents"
    )

    # ---- reset: the same sandbox company from scratch, and a fresh company here
    world.a1.delete()
    company = Company.objects.create(firm=world.firm_a, name="Alfa Klient Ett AB", orgnr=ORGNR)
    fresh_sandbox(sandbox)
    # Every request slower (about the rate limit's pace anyway), so the downloads come one by
    # one rather than in a burst of the limiter's saved-up budget: a batch of stored documents
    # (committed about once a second) then holds a handful, and a kill can be aimed inside.
    sandbox.latency(0.2, provider="fortnox")
    connection = connect(sandbox, company)
    sync_runs.sync_start(connection=connection, enqueue=False)

    # ---- 20 SIGKILLs at seeded random moments, each followed by a resume
    landed: Counter[str] = Counter()
    timeline = []
    for kill in range(1, KILLS + 1):
        mode = ("task", "cli")[kill % 2]
        run = runnable(connection)
        before = logs_of(connection)
        stored = document_count(company)
        # Aim: mostly at the documents (batched commits), often at the ledger (one big
        # transaction), sometimes before either. Not at the documents once few are left: a
        # kill aimed after the first new batch must still find the sync at work.
        aim = rng.choices(
            ["start", "ledger", "documents"], weights=[2, 6, 12 if documents - stored > 15 else 0]
        )[0]
        proc = workers.go("cli" if mode == "cli" else f"task {run.pk}")
        if aim in ("ledger", "documents"):
            wait_for(
                proc, lambda b=before: phase_of(new_lines(connection, b), years) != "start", "fiscal years"
            )
        if aim == "documents":
            wait_for(
                proc, lambda b=before: phase_of(new_lines(connection, b), years) == "documents", "ledger"
            )
            more = rng.randint(0, 1)
            wait_for(proc, lambda n=stored + more: document_count(company) >= n, f"{more} new documents")
        delay = rng.uniform(0, {"start": 0.4, "ledger": 0.3, "documents": 0.15}[aim])
        time.sleep(delay)
        assert proc.poll() is None, f"attempt {kill} ended before its kill:\n{workers.output()}"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        wait_unlocked(connection)
        phase = phase_of(new_lines(connection, before), years)
        fetched = document_count(company) - stored
        landed[phase] += 1
        timeline.append(
            f"{kill:2d} {mode:4s} aim {aim:9s} +{delay:.2f}s landed {phase:9s} +{fetched} documents"
        )
        # The kill came while the sync was still at work (not after it had finished).
        finished = SyncRun.objects.filter(connection=connection, status=SyncStatus.SUCCEEDED).first()
        assert finished is None, "\n".join(
            [*timeline, f"{document_count(company)}/{documents}", finished.log]
        )
        # Whatever moment it died at, no document is stored twice.
        stored_hashes = list(Document.objects.filter(company=company).values_list("sha256", flat=True))
        assert len(stored_hashes) == len(set(stored_hashes)), timeline

    # ---- then one last resume runs to the end
    stored_before_final = document_count(company)
    final = workers.go("cli")
    assert final.wait(timeout=120) == 0, workers.output()
    total_seconds = time.monotonic() - began
    runs = list(SyncRun.objects.filter(connection=connection).order_by("created_at", "pk"))
    report = (
        f"seed {SEED}: clean sync {clean_seconds:.1f} s, {documents} documents; kills landed {dict(landed)}; "
        f"{stored_before_final} documents stored before the last resume; {len(runs)} runs; "
        f"whole test {total_seconds:.1f} s\n" + "\n".join(timeline)
    )
    sys.stdout.write(report + "\n")  # the figures, with `pytest -s` or in a failure's captured output
    assert [r.status for r in runs].count(SyncStatus.SUCCEEDED) == 1, [
        (r.pk, r.status, r.error) for r in runs
    ]
    assert runs[-1].status == SyncStatus.SUCCEEDED, runs[-1].log
    assert not any(r.is_active for r in runs)
    assert ledger_state(company) == expected, report
    assert extra_counts(company) == expected_counts, report
    # The kills did hit the ledger and the document downloads, not only the start.
    assert landed["ledger"] >= 1 and landed["documents"] >= 5, report


# ============================================================================ real workers
#
# The same promise with nobody's help: real Celery workers, started as `make run` starts them,
# are SIGKILLed at random moments during twenty syncs of four companies (Fortnox and Spiris);
# a new worker is started and only the product's own mechanisms (the watchdog at worker
# start-up and on beat, late acknowledgement on Redis) resume the runs. On both brokers: Redis
# (CI's) and the embedded SQLAlchemy/SQLite one, which never redelivers.

ROUNDS = 5  # four companies each: twenty syncs
CELERY = [sys.executable, "-m", "celery", "--app", "ledgerport.celery"]
WORKER_ARGS = ["worker", "--loglevel", "INFO", "--concurrency", "2", "--without-gossip", "--without-mingle"]
BYRA = "byra@demo-redovisning.se"  # reaches every Fortnox demo company
# (sandbox org number, provider, provider login); small, so a round takes seconds
COMPANIES = [
    ("556036-0793", "fortnox", BYRA),
    ("556614-3011", "fortnox", BYRA),
    ("556720-8847", "fortnox", BYRA),
    ("559141-9816", "spiris", "anna@nordljus.se"),
]
SMALL = {"vouchers": 60, "files": 12}


def brokers() -> list[object]:
    configured = os.environ.get("CELERY_BROKER_URL", "")
    return [
        pytest.param(
            "redis",
            marks=pytest.mark.skipif(
                not configured.startswith("redis"), reason="CELERY_BROKER_URL is not Redis (CI sets it)"
            ),
        ),
        "sqla",
    ]


class CeleryProcesses:
    """Workers and a beat as `make run` starts them (each in its own process group)."""

    def __init__(self, sandbox_url: str, tmp_path: Path, broker: str) -> None:
        self.broker_url = (
            os.environ["CELERY_BROKER_URL"]
            if broker == "redis"
            else f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
        )
        self.logs = tmp_path / "celery"
        self.logs.mkdir()
        self.env = process_env(
            sandbox_url,
            CELERY_BROKER_URL=self.broker_url,
            LOG_LEVEL="INFO",
            # Short beats so that a test round takes seconds, not minutes; the same mechanism.
            SYNC_HEARTBEAT_SECONDS="0.5",
            SYNC_WATCHDOG_SECONDS="1",
        )
        self.started: list[subprocess.Popen[bytes]] = []
        self.start_seconds: list[float] = []
        if broker == "redis":  # what earlier runs left in our Redis database's queue
            with BrokerConnection(self.broker_url) as conn:
                conn.default_channel.queue_purge("celery")

    def _start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{len(self.started):02d}-{name}.log").open("wb")
        proc = subprocess.Popen(
            [*CELERY, *args],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc.log_path = log.name  # type: ignore[attr-defined]
        self.started.append(proc)
        return proc

    def worker(self) -> subprocess.Popen[bytes]:
        proc = self._start("worker", [*WORKER_ARGS, "--hostname", f"crash{len(self.started)}@%h"])
        deadline = time.monotonic() + 120
        while b" ready." not in Path(proc.log_path).read_bytes():  # type: ignore[attr-defined]
            assert proc.poll() is None, self.output()
            assert time.monotonic() < deadline, self.output()
            time.sleep(0.05)
        self.start_seconds.append(round(time.monotonic() - deadline + 120, 1))
        return proc

    def beat(self) -> subprocess.Popen[bytes]:
        return self._start(
            "beat", ["beat", "--loglevel", "INFO", "--schedule", str(self.logs / "beat-schedule")]
        )

    def enqueue(self, run: SyncRun) -> None:
        """What `sync_start` does after its commit, on this test's broker."""
        with BrokerConnection(self.broker_url) as conn:  # (not the test process's configured broker)
            tasks.sync_run.apply_async((run.pk,), connection=conn)

    def output(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}" for p in sorted(self.logs.glob("*.log"))
        )

    def close(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def kill_worker(proc: subprocess.Popen[bytes], rng: random.Random) -> str:
    """SIGKILL the whole worker (as the OOM killer or a lost machine), or now and then only one
    pool process (the main process sees it lost: reject_on_worker_lost gives the task back)."""
    children = [int(pid) for pid in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
    if children and rng.random() < 0.25:
        os.kill(rng.choice(children), signal.SIGKILL)
        return "pool process"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return "worker"


def company_for(world, orgnr: str) -> Company:
    """A fresh company of firm A for the sandbox company (so each round syncs everything)."""
    digits = orgnr.replace("-", "")
    Company.objects.filter(orgnr=digits).delete()
    return Company.objects.create(firm=world.firm_a, name=f"Klient {digits}", orgnr=digits)


def wait_done(runs: list[SyncRun], celery: CeleryProcesses, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while SyncRun.objects.filter(pk__in=[r.pk for r in runs], status__in=["queued", "running"]).exists():
        assert time.monotonic() < deadline, celery.output()
        time.sleep(0.1)


def wait_working(runs: list[SyncRun], timeout: float = 60.0) -> None:
    """Until one of the runs is at work (or all are done)."""
    deadline = time.monotonic() + timeout
    ids = [r.pk for r in runs]
    while not SyncRun.objects.filter(pk__in=ids, status="running").exists():
        if not SyncRun.objects.filter(pk__in=ids, status="queued").exists():
            return
        assert time.monotonic() < deadline, "no worker took the runs"
        time.sleep(0.02)


@pytest.fixture
def celery_processes(request, providers_at_sandbox, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    processes = CeleryProcesses(providers_at_sandbox.url, tmp_path, request.param)
    yield processes
    processes.close()


def reference_states(world, sandbox) -> dict[str, tuple[object, object]]:
    """Each company's state after one clean sync here, checked against the sandbox's numbers."""
    states = {}
    for orgnr, provider, login in COMPANIES:
        seeded = sandbox.seed_company(orgnr, **SMALL)
        company = company_for(world, orgnr)
        run = sync_runs.sync_start(connection=connect(sandbox, company, provider, login), enqueue=False)
        assert sync.sync_execute(run.pk).status == SyncStatus.SUCCEEDED
        counts = extra_counts(company)
        assert counts["vouchers"] == seeded["vouchers"] and counts["documents"] >= SMALL["files"], counts
        states[orgnr] = (ledger_state(company), counts)
    return states


@pytest.mark.parametrize("celery_processes", brokers(), indirect=True)
def test_killed_workers_resume_on_their_own(world, providers_at_sandbox, celery_processes):
    sandbox, celery = providers_at_sandbox, celery_processes
    rng = random.Random(SEED)
    began = time.monotonic()
    expected = reference_states(world, sandbox)
    reference_seconds = time.monotonic() - began
    sandbox.latency(0.15)  # requests one by one, so that kills land inside the work

    celery.beat()
    worker = celery.worker()
    timeline, syncs, resumed = [], 0, 0
    for round_ in range(1, ROUNDS + 1):
        runs = []
        for orgnr, provider, login in COMPANIES:
            connection = connect(sandbox, company_for(world, orgnr), provider, login)
            run = sync_runs.sync_start(connection=connection, enqueue=False)
            celery.enqueue(run)
            runs.append(run)
        syncs += len(runs)
        for kill in range(1 + (rng.random() < 0.5)):
            wait_working(runs)
            delay = rng.uniform(0.0, 1.5)
            time.sleep(delay)
            what = kill_worker(worker, rng)
            states = dict(SyncRun.objects.filter(pk__in=[r.pk for r in runs]).values_list("pk", "status"))
            timeline.append(
                f"round {round_} kill {kill + 1}: +{delay:.2f}s {what}; runs {sorted(states.values())}"
            )
            if worker.poll() is not None:
                worker = celery.worker()  # a new worker; nothing else is done for the runs
        wait_done(runs, celery)
        for run, (orgnr, _, _) in zip(runs, COMPANIES, strict=True):
            run.refresh_from_db()
            assert run.status == SyncStatus.SUCCEEDED, (timeline, run.log, celery.output())
            company = run.connection.company
            state, counts = expected[orgnr]
            assert extra_counts(company) == counts, (orgnr, timeline)
            assert ledger_state(company) == state, (orgnr, timeline)
            hashes = list(Document.objects.filter(company=company).values_list("sha256", flat=True))
            assert len(hashes) == len(set(hashes))
            resumed += run.attempts > 1
    report = (
        f"{syncs} syncs, {len(timeline)} kills, {resumed} runs resumed; reference {reference_seconds:.0f} s, "
        f"worker starts {celery.start_seconds}, whole test {time.monotonic() - began:.0f} s"
    )
    sys.stdout.write(report + "\n" + "\n".join(timeline) + "\n")
    # The kills did interrupt syncs at work (a kill may also land on a queued or finished run).
    assert syncs == 20 and resumed >= ROUNDS // 2 + 1, report


@pytest.mark.parametrize("celery_processes", brokers(), indirect=True)
def test_a_sigtermed_worker_checkpoints_its_sync_and_exits_within_seconds(
    world, providers_at_sandbox, celery_processes
):
    """A deploy or Ctrl-C: the worker does not wait for the rest of a long sync (Celery's warm
    shutdown would), nor loses it; the run pauses at a safe point and the next worker ends it.
    SIGTERM goes to the worker's main process, as `ledgerport.core.supervise` passes on a
    Ctrl-C or honcho's stop; the main process tells its pool processes."""
    sandbox, celery = providers_at_sandbox, celery_processes
    orgnr, provider, login = COMPANIES[0]
    sandbox.seed_company(orgnr, vouchers=60, files=40)
    company = company_for(world, orgnr)
    run = sync_runs.sync_start(connection=connect(sandbox, company, provider, login), enqueue=False)
    assert sync.sync_execute(run.pk).status == SyncStatus.SUCCEEDED
    expected, expected_counts = ledger_state(company), extra_counts(company)

    worker = celery.worker()
    company = company_for(world, orgnr)
    run = sync_runs.sync_start(connection=connect(sandbox, company, provider, login), enqueue=False)
    sandbox.latency(0.3)  # the documents one by one: the sync is long, the stop comes in the middle
    celery.enqueue(run)
    deadline = time.monotonic() + 120
    while document_count(company) < 3:
        assert time.monotonic() < deadline, celery.output()
        time.sleep(0.05)
    stopped = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=60)
    seconds = time.monotonic() - stopped
    run.refresh_from_db()
    stored = document_count(company)
    sys.stdout.write(f"worker exited {seconds:.1f} s after SIGTERM; {stored} documents stored by then\n")
    # Celery itself needs a few seconds to stop (its loop wakes every 2 s; the polled embedded
    # broker and billiard's pool threads add some); the sync does not add to that.
    assert seconds < (5 if celery.broker_url.startswith("redis") else 8), celery.output()
    assert run.status == SyncStatus.RUNNING and "stängs av" in run.log, run.log  # paused, said so
    assert stored < expected_counts["documents"]

    sandbox.latency(0)
    celery.worker()  # the run was queued again for the next worker: it continues
    wait_done([run], celery)
    run.refresh_from_db()
    assert run.status == SyncStatus.SUCCEEDED, run.log
    assert run.attempts == 2 and "Fortsätter den avbrutna synkningen." in run.log
    assert ledger_state(company) == expected
    assert extra_counts(company) == expected_counts
