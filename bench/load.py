"""Load benchmark: 50 people browsing a firm whose largest client has 1,000,000 ledger rows.

    make bench-load                      # or: .venv/bin/python bench/load.py [--quick] [--users 50]

1. A PostgreSQL database of its own (BENCH_LOAD_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/bench_load), dropped and re-created: a firm with ~200
   client companies and one company whose year has 1,000,000 rows, generated as a SIE 4 file
   (cached in the temp directory) and loaded by the product's own importer, then ANALYZE;
   documents on some supplier-invoice vouchers, so the review card has a queue.
2. Where each page's time goes, measured in-process (Django's test client): SQL, template, Python.
3. The production web server, started exactly as `make run` starts it (`python -m
   ledgerport.core.serve`), with its own workers sized to the cores.
4. USERS people (async httpx, one process) log in, then browse for DURATION seconds: the
   client list, balance sheet, income statement, general ledger, an account's page and the
   review card (next, next, previous), pausing 1–3 s between pages. p50/p95/p99 per page.
5. Capacity: the same pages with no pauses, stepping the number of concurrent clients up;
   the most requests/s with p95 <= 150 ms.

`--quick` (a 20,000-row ledger, 5 users, short phases) is the smoke test tests/ run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_load"
TARGET_P95_MS = 150.0
PASSWORD = "ledgerport-bench-load"
GENERATOR_VERSION = 2
BIG_COMPANY = "Storbolaget AB"
PAGES = [
    "client list",
    "balance sheet",
    "income statement",
    "general ledger",
    "account page",
    "review card",
    "review next",
    "review previous",
]
# One person's round: the overview pages, then a few cards of the review.
ROUND = [
    "client list",
    "balance sheet",
    "income statement",
    "general ledger",
    "account page",
    "review card",
    "review next",
    "review next",
    "review previous",
]


@dataclass(frozen=True)
class Scale:
    rows: int
    companies: int
    users: int
    duration: float  # seconds of browsing
    step_seconds: float  # per capacity step
    steps: tuple[int, ...]  # concurrent clients per capacity step
    documents: int


FULL = Scale(1_000_000, 200, 50, 60.0, 10.0, (1, 2, 4, 8, 16, 32), 5_000)
QUICK = Scale(20_000, 20, 5, 6.0, 2.0, (1, 4), 200)


# --- The ledger: a SIE 4 file generated once ------------------------------------------------


def _accounts() -> dict[str, str]:
    """A BAS-like chart: balance sheet 1xxx/2xxx, income 3xxx, costs 4xxx–8xxx."""
    groups = {
        "1": ["1220", "1229", "1510", "1630", "1910", "1930", "1940", "1790"],
        "2": ["2081", "2091", "2099", "2440", "2510", "2611", "2641", "2650", "2710", "2731", "2890", "2990"],
        "3": ["3001", "3002", "3041", "3051", "3740", "3990"],
        "4": ["4010", "4056", "4531", "4535", "4600"],
        "5": ["5010", "5060", "5090", "5410", "5460", "5611", "5800", "5910"],
        "6": ["6071", "6110", "6211", "6230", "6250", "6310", "6530", "6570", "6990"],
        "7": ["7010", "7082", "7090", "7210", "7510", "7519", "7533", "7631", "7690", "7832"],
        "8": ["8310", "8410", "8423", "8999"],
    }
    return {number: f"Konto {number}" for numbers in groups.values() for number in numbers}


def generate(path: Path, rows: int, year: int, seed: int = 20261205) -> None:
    from ledgerport.sie import Account, Balance, FiscalYear, Program, Row, SieHeader, Voucher
    from ledgerport.sie.writer import SieWriter

    rng = random.Random(seed)
    accounts = _accounts()
    header = SieHeader(
        flag=0,
        program=Program("ledgerport bench-load", str(GENERATOR_VERSION)),
        generated=date(year, 12, 31),
        declared_type="4",
        company_name=BIG_COMPANY,
        orgnr=f"{_orgnr(0)[:6]}-{_orgnr(0)[6:]}",
    )
    header.fiscal_years[0] = FiscalYear(0, date(year, 1, 1), date(year, 12, 31))
    for number, name in accounts.items():
        header.accounts[number] = Account(number, name)
    balance_accounts = [n for n in accounts if n[0] in "12"]
    opening = [Decimal(rng.randint(-5_000_000, 5_000_000)).scaleb(-2) for _ in balance_accounts[:-1]]
    opening.append(-sum(opening, Decimal(0)))
    for number, amount in zip(balance_accounts, opening, strict=True):
        header.balances.append(Balance("IB", 0, number, amount))
    numbers = list(accounts)
    days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as stream:
        writer = SieWriter(stream)
        writer.write_header(header, has_vouchers=True)
        written, serial = 0, {"A": 0, "B": 0}
        while written < rows:
            count = max(2, min(rng.randint(2, 6), rows - written))
            day = date(year, 1, 1) + timedelta(days=rng.randrange(days))
            amounts = [Decimal(rng.randint(-500_000, 500_000)).scaleb(-2) for _ in range(count - 1)]
            amounts.append(-sum(amounts, Decimal(0)))
            series = "B" if rng.random() < 0.2 else "A"  # B: supplier invoices, which have documents
            serial[series] += 1
            voucher_rows = [Row(rng.choice(numbers), (), amount, None, "") for amount in amounts]
            text = f"Leverantör {rng.randrange(300)}" if series == "B" else "Verifikation"
            writer.write_voucher(Voucher(series, str(serial[series]), day, text, day, "", voucher_rows))
            written += count
        writer.finish()
    tmp.replace(path)


# --- Children with Django: set-up and the in-process profile ----------------------------------


def _setup_django(url: str, var_dir: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["LEDGERPORT_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerport.settings")
    import django

    django.setup()


def _orgnr(serial: int) -> str:
    """A valid Swedish organisation number (Luhn), distinct per serial."""
    digits = f"55{serial:07d}"
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return digits + str((10 - total % 10) % 10)


def child_setup(url: str, var_dir: Path, sie: Path, scale: Scale) -> dict[str, object]:
    _setup_django(url, var_dir)
    from django.core.management import call_command
    from django.db import connection, transaction

    from ledgerport.documents.services import documents_store, voucher_document_links
    from ledgerport.identity.models import User
    from ledgerport.ledger.models import Account, FiscalYear, Voucher
    from ledgerport.ledger.services import ledger_import_sie
    from ledgerport.tenancy import services as tenancy
    from ledgerport.tenancy.roles import FirmRole

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    firm = tenancy.firm_create(name="Lasttest Redovisning AB")
    big = tenancy.company_create(firm=firm, name=BIG_COMPANY, orgnr=_orgnr(0))
    for serial in range(1, scale.companies):
        tenancy.company_create(firm=firm, name=f"Klient {serial:03d} AB", orgnr=_orgnr(serial))
    users = []
    first = User.objects.create_user(email="load0@bench.invalid", password=PASSWORD)
    # One hash for everyone (a login still checks it the production way, at its full cost).
    User.objects.bulk_create(
        [User(email=f"load{i}@bench.invalid", password=first.password) for i in range(1, scale.users)]
    )
    for user in User.objects.filter(email__endswith="@bench.invalid"):
        tenancy.firm_member_add(firm=firm, user=user, role=FirmRole.ACCOUNTANT)
        users.append(user.email)
    started = time.perf_counter()
    with sie.open("rb") as stream:
        result = ledger_import_sie(company=big, stream=stream, file_name=sie.name, replace=True)
    imported = time.perf_counter() - started
    year = FiscalYear.objects.get(company=big, full_ledger=True)
    invoices = list(
        Voucher.objects.filter(fiscal_year=year, series="B")
        .order_by("date", "id")
        .values_list("number", flat=True)[: scale.documents]
    )
    files = [
        (f"inv-{n}", f"faktura-{n}.pdf", b"%PDF-1.4\n% faktura " + n.encode() + b"\n%%EOF\n")
        for n in invoices
    ]
    with transaction.atomic():
        stored = documents_store(company=big, source="bench", files=files)
        voucher_document_links((stored[f"inv-{n}"], year, "B", n) for n in invoices)
    with connection.cursor() as cursor:
        # What autovacuum has done by the time people browse a ledger imported a while ago:
        # statistics, and the visibility map that lets index-only scans skip the table.
        cursor.execute("VACUUM ANALYZE")
    accounts = list(Account.objects.filter(fiscal_year=year).values_list("pk", flat=True))
    return {
        "company": big.pk,
        "year": year.pk,
        "accounts": accounts,
        "users": users,
        "rows": result.rows,
        "vouchers": result.vouchers,
        "import_seconds": imported,
        "documents": len(invoices),
    }


def page_urls(plan: dict[str, object], rng: random.Random) -> dict[str, str]:
    c, y = plan["company"], plan["year"]
    account = rng.choice(plan["accounts"])  # type: ignore[arg-type]
    return {
        "client list": "/companies/",
        "balance sheet": f"/companies/{c}/analysis/years/{y}/balance-sheet/",
        "income statement": f"/companies/{c}/analysis/years/{y}/income-statement/",
        "general ledger": f"/companies/{c}/ledger/years/{y}/accounts/",
        "account page": f"/companies/{c}/ledger/accounts/{account}/",
        "review card": f"/companies/{c}/analysis/review/years/{y}/",
    }


NEXT = re.compile(r'data-next="([^"]*)"')
PREV = re.compile(r'data-prev="([^"]*)"')


def _unescape(url: str) -> str:
    return url.replace("&amp;", "&")


def child_profile(
    url: str, var_dir: Path, plan: dict[str, object], repeat: int
) -> dict[str, dict[str, float]]:
    """Per page: total, SQL (and queries), template rendering, the rest (Python), in ms per request."""
    _setup_django(url, var_dir)
    from django.db import connection
    from django.template.backends.django import Template
    from django.test import Client

    from ledgerport.identity.models import User

    clock = {"sql": 0.0, "queries": 0, "template": 0.0, "sql_in_template": 0.0, "in_template": 0}

    def sql_timer(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - start
            clock["sql"] += spent
            clock["queries"] += 1
            if clock["in_template"]:
                clock["sql_in_template"] += spent

    render = Template.render

    def timed_render(self, context=None, request=None):  # type: ignore[no-untyped-def]
        clock["in_template"] += 1
        start = time.perf_counter()
        try:
            return render(self, context, request)
        finally:
            clock["in_template"] -= 1
            if not clock["in_template"]:
                clock["template"] += time.perf_counter() - start

    Template.render = timed_render  # type: ignore[method-assign]
    client = Client()
    client.force_login(User.objects.get(email=plan["users"][0]))  # type: ignore[index]
    rng = random.Random(7)
    results: dict[str, dict[str, float]] = {}
    with connection.execute_wrapper(sql_timer):
        for page in PAGES:
            totals = defaultdict(float)
            review_url = page_urls(plan, rng)["review card"]
            for i in range(repeat + 1):
                urls = page_urls(plan, rng)
                headers = {}
                if page in ("review next", "review previous"):
                    body = client.get(review_url).content.decode()
                    found = (NEXT if page == "review next" else PREV).search(body)
                    if page == "review previous":  # from the second card back to the first
                        second = _unescape(NEXT.search(body).group(1))  # type: ignore[union-attr]
                        found = PREV.search(
                            client.get(second, headers={"HX-Request": "true"}).content.decode()
                        )
                    target = _unescape(found.group(1)) if found and found.group(1) else review_url
                    headers = {"HX-Request": "true"}
                else:
                    target = urls[page]
                clock.update(sql=0.0, queries=0, template=0.0, sql_in_template=0.0)
                start, cpu_start = time.perf_counter(), time.process_time()
                response = client.get(target, headers=headers)
                total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
                assert response.status_code == 200, (page, target, response.status_code)
                if i == 0:
                    continue  # warm-up
                totals["total"] += total
                totals["cpu"] += cpu
                totals["sql"] += clock["sql"]
                totals["queries"] += clock["queries"]
                totals["template"] += clock["template"] - clock["sql_in_template"]
            results[page] = {
                key: value / repeat * (1 if key == "queries" else 1000) for key, value in totals.items()
            }
            results[page]["python"] = (
                results[page]["total"] - results[page]["sql"] - results[page]["template"]
            )
    return results


# --- The load: async httpx in this process -------------------------------------------------


@dataclass
class Samples:
    by_page: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    kinds: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # what went wrong

    def add(self, page: str, seconds: float) -> None:
        self.by_page[page].append(seconds * 1000)

    def everything(self) -> list[float]:
        return [ms for values in self.by_page.values() for ms in values]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


class Person:
    def __init__(self, base: str, email: str, plan: dict[str, object], seed: int) -> None:
        import httpx

        self.client = httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False)
        self.email = email
        self.plan = plan
        self.rng = random.Random(seed)
        self.review_url = ""
        self.step = self.rng.randrange(len(ROUND))

    async def login(self) -> float:
        page = await self.client.get("/account/login/")
        token = self.client.cookies.get("csrftoken") or ""
        start = time.perf_counter()
        answer = await self.client.post(
            "/account/login/",
            data={"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": str(page.url)},
        )
        if answer.status_code != 302:
            raise RuntimeError(f"login of {self.email} answered {answer.status_code}")
        return time.perf_counter() - start

    async def visit(self, samples: Samples) -> None:
        """The next page of this person's round: one request, timed."""
        page = ROUND[self.step % len(ROUND)]
        self.step += 1
        headers = {}
        if page in ("review next", "review previous") and self.review_url:
            url, headers = self.review_url, {"HX-Request": "true"}
        else:
            url = page_urls(self.plan, self.rng)[page if page in PAGES[:6] else "review card"]
        import httpx

        start = time.perf_counter()
        try:
            response = await self.client.get(url, headers=headers)
        except httpx.HTTPError as error:  # a worker killed by its timeout, a refused connection
            samples.errors[page] += 1
            samples.kinds[type(error).__name__] += 1
            return
        spent = time.perf_counter() - start
        if response.status_code != 200:
            samples.errors[page] += 1
            samples.kinds[f"HTTP {response.status_code}"] += 1
            return
        samples.add(page, spent)
        if page.startswith("review"):
            body = response.text
            found = (PREV if page == "review previous" else NEXT).search(body)
            following = NEXT.search(body)
            link = following.group(1) if following and following.group(1) else ""
            if page == "review previous" and found and found.group(1):
                link = found.group(1)
            self.review_url = _unescape(link)

    async def close(self) -> None:
        await self.client.aclose()


async def browse(
    people: list[Person], seconds: float, pause: tuple[float, float] | None
) -> tuple[Samples, float]:
    samples = Samples()
    deadline = time.perf_counter() + seconds

    async def run(person: Person) -> None:
        if pause:  # people do not all arrive in the same instant
            await asyncio.sleep(person.rng.uniform(0, pause[1]))
        while time.perf_counter() < deadline:
            await person.visit(samples)
            if pause:
                await asyncio.sleep(person.rng.uniform(*pause))

    start = time.perf_counter()
    await asyncio.gather(*(run(person) for person in people))
    return samples, time.perf_counter() - start


def _cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_pids(server_pid: int, database: str) -> tuple[list[int], list[int]]:
    """The web server's processes (gunicorn and its workers) and the database's backends for
    `database` (their titles name it), so CPU per request can be told apart from the load
    the rest of the machine carries."""
    web, db = [server_pid], []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat[1]) == server_pid:
            web.append(int(entry.name))
        elif title.startswith("postgres:") and f" {database} " in title:
            db.append(int(entry.name))
    return web, db


def cpu_snapshot(server_pid: int, database: str) -> dict[str, dict[int, float]]:
    web, db = _server_pids(server_pid, database)
    return {"web": {p: _cpu_seconds(p) for p in web}, "db": {p: _cpu_seconds(p) for p in db}}


def cpu_spent(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
    return {
        side: sum(cpu - before[side].get(pid, 0.0) for pid, cpu in after[side].items())
        for side in ("web", "db")
    }


async def load(
    base: str, plan: dict[str, object], scale: Scale, server_pid: int = 0, database: str = ""
) -> dict[str, object]:
    emails: list[str] = plan["users"]  # type: ignore[assignment]
    people = [Person(base, email, plan, seed) for seed, email in enumerate(emails)]
    logins = []
    for start in range(0, len(people), 10):  # ten at a time, as people arrive
        logins += await asyncio.gather(*(person.login() for person in people[start : start + 10]))
    before, own = cpu_snapshot(server_pid, database), time.process_time()
    samples, elapsed = await browse(people, scale.duration, (1.0, 3.0))
    cpu = cpu_spent(before, cpu_snapshot(server_pid, database))
    cpu["client"] = time.process_time() - own  # this process: the load generator itself
    capacity = []
    for clients in scale.steps:
        step, spent = await browse(
            people[:clients] if clients <= len(people) else people, scale.step_seconds, None
        )
        values = step.everything()
        capacity.append(
            {
                "clients": min(clients, len(people)),
                "rps": len(values) / spent,
                "p95": percentile(values, 95),
                "p50": percentile(values, 50),
                "errors": sum(step.errors.values()),
            }
        )
    for person in people:
        await person.close()
    return {
        "logins": [s * 1000 for s in logins],
        "samples": samples,
        "elapsed": elapsed,
        "capacity": capacity,
        "cpu": cpu,
    }


# --- Orchestration ---------------------------------------------------------------------------


def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(
        _with_db(url, "postgres").replace("postgres://", "postgresql://", 1), autocommit=True
    ) as c:
        c.execute(statement)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _child(args: list[str]) -> dict[str, object]:
    output = subprocess.run([sys.executable, __file__, *args], check=True, text=True, stdout=subprocess.PIPE)
    return json.loads(output.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _machine() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.2f} {five:.2f} {fifteen:.2f}"


def start_server(url: str, var_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "LEDGERPORT_VAR_DIR": str(var_dir), "WEB_PORT": str(port)}
    env.pop("DEBUG", None)
    server = subprocess.Popen(  # the Procfile's command, word for word
        [sys.executable, "-m", "ledgerport.core.serve"],
        env=env,
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    import httpx

    for _ in range(300):
        try:
            httpx.get(f"{base}/health/", timeout=1)
            return server, base
        except httpx.TransportError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"the web server did not start; see {log}")


def report_profile(
    plan: dict[str, object], profile: dict[str, dict[str, float]], scale: Scale, workers: str
) -> None:
    print(f"machine    : {_machine()} (the load client runs on the same cores)")
    print(f"server     : python -m ledgerport.core.serve ({workers})")
    print(
        f"data       : {scale.companies} client companies; {BIG_COMPANY}: {plan['rows']:,} rows in "
        f"{plan['vouchers']:,} vouchers (imported in {plan['import_seconds']:.1f} s), "
        f"{plan['documents']:,} documents"
    )
    print("\nwhere a page's time goes (in-process, one request at a time, ms per request;")
    print("CPU: this process's own, i.e. the web side's, the database's excluded):")
    print(f"  {'page':<17}{'total':>8}{'CPU':>8}{'SQL':>8}{'queries':>9}{'template':>10}{'Python':>8}")
    for page, p in profile.items():
        print(
            f"  {page:<17}{p['total']:>8.1f}{p['cpu']:>8.1f}{p['sql']:>8.1f}{p['queries']:>9.0f}"
            f"{p['template']:>10.1f}{p['python']:>8.1f}"
        )
    sys.stdout.flush()


def report(plan: dict[str, object], result: dict[str, object]) -> bool:
    samples: Samples = result["samples"]  # type: ignore[assignment]
    everything = samples.everything()
    logins = result["logins"]  # type: ignore[assignment]
    print(
        f"\n{len(plan['users'])} users browsing for {result['elapsed']:.0f} s, 1–3 s between pages "  # type: ignore[arg-type]
        f"(logins: p50 {percentile(logins, 50):.0f} ms, p95 {percentile(logins, 95):.0f} ms):"
    )
    print(f"  {'page':<17}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for page in PAGES:
        values = samples.by_page.get(page, [])
        print(
            f"  {page:<17}{len(values):>9}{percentile(values, 50):>9.0f}{percentile(values, 95):>9.0f}"
            f"{percentile(values, 99):>9.0f}{samples.errors.get(page, 0):>8}"
        )
    p95 = percentile(everything, 95)
    print(
        f"  {'all':<17}{len(everything):>9}{percentile(everything, 50):>9.0f}{p95:>9.0f}"
        f"{percentile(everything, 99):>9.0f}{sum(samples.errors.values()):>8}"
    )
    cpu: dict[str, float] = result["cpu"]  # type: ignore[assignment]
    served = len(everything) + sum(samples.errors.values())
    if served and cpu["web"]:
        web_ms, db_ms = 1000 * cpu["web"] / served, 1000 * cpu["db"] / served
        cores = os.cpu_count() or 1
        print(
            f"  CPU/request: web {web_ms:.1f} ms + database {db_ms:.1f} ms (the machine's other load "
            f"excluded): {cores} idle cores would serve about {cores * 1000 / (web_ms + db_ms):.0f} requests/s"
        )
        print(
            f"  load client: {1000 * cpu['client'] / served:.1f} ms CPU/request "
            f"({100 * cpu['client'] / result['elapsed']:.0f}% of a core, on the same cores)"  # type: ignore[operator]
        )
    if samples.kinds:
        print(f"  errors     : {', '.join(f'{kind} x{count}' for kind, count in samples.kinds.items())}")
    print(f"  requests/s : {len(everything) / result['elapsed']:.1f}")  # type: ignore[operator]
    print("\ncapacity (no pauses, clients stepped up):")
    held = 0.0
    for step in result["capacity"]:  # type: ignore[attr-defined]
        ok = step["p95"] <= TARGET_P95_MS and not step["errors"]
        held = max(held, step["rps"]) if ok else held
        print(
            f"  {step['clients']:>3} clients: {step['rps']:>7.1f} requests/s, p50 {step['p50']:>6.0f} ms, "
            f"p95 {step['p95']:>6.0f} ms{'' if ok else '  (over ' + str(int(TARGET_P95_MS)) + ' ms)'}"
        )
    print(f"  capacity   : {held:.1f} requests/s at p95 <= {TARGET_P95_MS:.0f} ms")
    met = p95 <= TARGET_P95_MS and not samples.errors
    print(
        f"\ntarget     : p95 <= {TARGET_P95_MS:.0f} ms at {len(plan['users'])} users: "  # type: ignore[arg-type]
        f"{'met' if met else 'MISSED'} (p95 {p95:.0f} ms)"
    )
    print(f"machine    : {_machine()} (after)")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a small ledger and a few users (smoke test)")
    parser.add_argument("--users", type=int, help="people browsing (default 50; quick 5)")
    parser.add_argument("--rows", type=int, help="rows of the large company's year (default 1,000,000)")
    parser.add_argument("--duration", type=float, help="seconds of browsing (default 60)")
    parser.add_argument("--keep", action="store_true", help="keep the database (and its files) afterwards")
    parser.add_argument("--reuse", action="store_true", help="browse the database a --keep run left")
    parser.add_argument("--child", choices=["setup", "profile", "migrate"], help=argparse.SUPPRESS)
    parser.add_argument("--args", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        given = json.loads(args.args)
        if args.child == "setup":
            scale = Scale(**{**given["scale"], "steps": tuple(given["scale"]["steps"])})
            out = child_setup(given["url"], Path(given["var"]), Path(given["sie"]), scale)
        elif args.child == "migrate":  # a kept database, brought up to the code's migrations
            _setup_django(given["url"], Path(given["var"]))
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            out = {}
        else:
            out = child_profile(given["url"], Path(given["var"]), given["plan"], given["repeat"])
        print(json.dumps(out))
        return 0

    base_scale = QUICK if args.quick else FULL
    scale = Scale(
        rows=args.rows or base_scale.rows,
        companies=base_scale.companies,
        users=args.users or base_scale.users,
        duration=args.duration or base_scale.duration,
        step_seconds=base_scale.step_seconds,
        steps=base_scale.steps,
        documents=base_scale.documents,
    )
    url = os.environ.get("BENCH_LOAD_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("BENCH_LOAD_DATABASE_URL must point at PostgreSQL", file=sys.stderr)
        return 2
    name = urlsplit(url).path.lstrip("/")
    work = Path(tempfile.gettempdir()) / "ledgerport-bench"
    year = time.localtime().tm_year - 1  # last year, as a firm's clients' closed year
    sie = work / f"load-{scale.rows}-{year}-v{GENERATOR_VERSION}.se"
    if not sie.exists():
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        generate(sie, scale.rows, year)
        print(f"generated {sie} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    kept = work / f"load-plan-{name}.json"  # what a --keep run left: its plan and files
    server = None
    reuse = args.reuse and kept.exists()  # else set up afresh
    if reuse:
        plan = json.loads(kept.read_text())
        var_dir = Path(plan["var"])  # type: ignore[arg-type]
    else:
        var_dir = Path(tempfile.mkdtemp(prefix="bench-load-var-"))
        _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin(url, f'CREATE DATABASE "{name}"')
    try:
        if reuse:
            _child(["--child", "migrate", "--args", json.dumps({"url": url, "var": str(var_dir)})])
        else:
            print(f"setting up {name} ({scale.rows:,} rows) …", file=sys.stderr)
            setup_args = {"url": url, "var": str(var_dir), "sie": str(sie), "scale": scale.__dict__}
            plan = {**_child(["--child", "setup", "--args", json.dumps(setup_args)]), "var": str(var_dir)}
            if args.keep:
                kept.write_text(json.dumps(plan))
        print("profiling each page …", file=sys.stderr)
        repeat = 3 if args.quick else 5
        profile = _child(
            [
                "--child",
                "profile",
                "--args",
                json.dumps({"url": url, "var": str(var_dir), "plan": plan, "repeat": repeat}),
            ]
        )
        from ledgerport.core.serve import sizing

        workers, threads = sizing()
        report_profile(plan, profile, scale, f"gunicorn gthread, {workers} workers x {threads} threads")  # type: ignore[arg-type]
        server, base = start_server(url, var_dir, var_dir / "web.log")
        print(f"browsing with {scale.users} users …", file=sys.stderr)
        result = asyncio.run(load(base, plan, scale, server.pid, name))
        met = report(plan, result)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=15)
        if not args.keep and not reuse:
            _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(var_dir, ignore_errors=True)
    return 0 if met or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
