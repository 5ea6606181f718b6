"""Benchmark: the HTTP desk API under 16 concurrent clients, on SQLite and on PostgreSQL.

For each database the script makes a fresh TREATYDESK_HOME (and, for PostgreSQL, a throwaway
server started from the installed binaries by tests/harness/postgres.py), migrates it, seeds
one organisation with an officer, the officer's bearer token (read, write) and EXISTING cases
through the application services, then starts the real app (`create_app`) under uvicorn on
127.0.0.1 in a child process with WORKERS uvicorn worker processes (--workers, default 2, as
`treatydesk serve --workers 2` runs it: the factory by import string, one app and Database per
worker), access log off. For the benchmark only, each worker's app gets one more route, GET
/__bench/baseline, a bare FastAPI endpoint returning a constant JSON object, so the baseline is
served by the same processes, server and middleware; the product's routes never contain it.

The server is uvicorn with uvloop and httptools (`uvicorn[standard]`, as the product installs
it), keep-alive 60 s so that the clients' connections survive the pauses between phases.

Measured with CLIENTS concurrent clients (asyncio on uvloop, one keep-alive connection each):
  baseline  GET /__bench/baseline
  view      GET /api/v1/cases/{id}        (token check, read, serialise)
  create    POST /api/v1/cases            (token check, validate, evaluate, store, audit)
Each endpoint is measured twice:
  saturation  clients send back to back for SECONDS (at most MAX_REQUESTS): throughput, p50/p99
  paced       clients share an open-loop schedule at the target rate for SECONDS; latency is
              taken from each request's scheduled start, so falling behind counts against it
PASS for view and create: saturation throughput >= target and paced p99 < P99_TARGET_MS.
The ratio printed is the endpoint's saturation throughput over the baseline's. Each phase also
prints the CPU time per request of the server (all its processes, read with psutil) and of this
load generator: unlike the rates, these barely move when other work (or the hypervisor's steal)
takes the machine's cores.

The load generator runs on the same machine as the server and shares its cores.

Before measuring, the script creates one case over HTTP and checks that the answer carries the
stored safeguards check (so "create" is known to include the evaluation).

Run: .venv/bin/python bench/bench_http.py [--database sqlite|postgresql|both] [--workers N]
Exits 1 when a target is missed or any request fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import psutil
import uvloop

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 16
SECONDS = 5.0
WARMUP_SECONDS = 1.0
#: bound on requests per phase, whatever the speed
MAX_REQUESTS = 50_000
EXISTING = 500
P99_TARGET_MS = 100.0
TARGETS = {"view": 300.0, "create": 100.0}
#: a request slower than this is a failure, not a data point
REQUEST_TIMEOUT = 10.0
BASELINE_PATH = "/__bench/baseline"
OFFICER_PASSWORD = "bench-officer-password"
WORKERS = 2


# ------------------------------------------------------------------------- the server side


def bench_app() -> Any:
    """The factory each worker calls: the product app (settings from the environment) plus
    the baseline route."""
    from fastapi import FastAPI

    from treatydesk.settings import load_settings
    from treatydesk.web.app import create_app

    app: FastAPI = create_app(load_settings())

    @app.get(BASELINE_PATH, include_in_schema=False)
    def baseline() -> dict[str, str]:
        return {"status": "ok"}

    return app


def serve(port: int, workers: int) -> None:
    """Child process: uvicorn with `workers` processes, each building bench_app (by import
    string, as `treatydesk serve --workers N` does with the product factory)."""
    import uvicorn

    uvicorn.run("bench_http:bench_app", factory=True, app_dir=str(Path(__file__).parent),
                host="127.0.0.1", port=port, workers=workers, log_level="warning",
                access_log=False,
                # the clients keep their connections between phases; with the default 5 s a
                # connection idle that long is closed by the server just as a client reuses it
                timeout_keep_alive=60)


# --------------------------------------------------------------------------- seeding


def request_document() -> dict[str, Any]:
    # an invented, complete preservation request (Art 42) shipped with the examples
    data: dict[str, Any] = json.loads(
        (ROOT / "examples/requests/preservation.json").read_text(encoding="utf-8"))
    return data


@dataclass
class Seeded:
    token: str
    case_ids: list[int]


def seed(database_url: str, home: Path, existing: int) -> Seeded:
    from treatydesk.services.access import AccessService, bootstrap_first_admin
    from treatydesk.services.desk_support import build_desk, create_case
    from treatydesk.settings import Settings
    from treatydesk.store.db import Database, migrate

    settings = Settings(home=home, database_url=database_url)
    migrate(settings)
    db = Database(settings)
    try:
        password = bootstrap_first_admin(db, organisation_name="Bench desk")
        if password is None:
            raise SystemExit("the fresh bench database already has users")
        access = AccessService(db)
        admin = access.login("admin", password, "127.0.0.1")
        access.create_user(admin, username="officer", role="officer", password=OFFICER_PASSWORD)
        officer = access.login("officer", OFFICER_PASSWORD, "127.0.0.1")
        token = access.create_token(officer, name="bench", scopes=["read", "write"]).token
        desk = build_desk(db, access=access)
        cases = desk.cases(officer)
        document = request_document()
        ids = [
            create_case(cases, officer, direction="outgoing", title=f"Bench case {n}",
                        request=document).id
            for n in range(existing)
        ]
    finally:
        db.dispose()
    return Seeded(token=token, case_ids=ids)


# ------------------------------------------------------------------------- load generation


@dataclass
class Result:
    name: str
    mode: str
    completed: int
    failed: int
    seconds: float
    latencies_ms: list[float]
    first_failure: str = ""
    #: this load generator's own CPU time during the phase (it shares the server's cores)
    client_cpu_s: float = 0.0
    #: the server's CPU time (all its worker processes) during the phase
    server_cpu_s: float = 0.0

    @property
    def throughput(self) -> float:
        return self.completed / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, p: float) -> float:
        if len(self.latencies_ms) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(p) - 1]


class Connection:
    """A minimal HTTP/1.1 keep-alive client over asyncio streams, one per simulated client.

    httpx costs several times more CPU per request than the server's fastest endpoint, and the
    load generator shares the machine's cores with the server, so a heavy client would lower
    every figure; this one only frames requests and reads Content-Length or chunked bodies."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self._host, self._port = host, port
        self._fixed = "".join(f"{k}: {v}\r\n" for k, v in
                              {"Host": f"{host}:{port}", **headers}.items())
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes | None = None
                      ) -> tuple[int, bytes]:
        return await asyncio.wait_for(self._request(method, path, body), REQUEST_TIMEOUT)

    async def _request(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        assert self._reader is not None
        extra = (f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                 if body is not None else "")
        self._writer.write(f"{method} {path} HTTP/1.1\r\n{self._fixed}{extra}\r\n".encode()
                           + (body or b""))
        head = await self._reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in
                  (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in fields:
            data = await self._reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while size := int((await self._reader.readuntil(b"\r\n")).strip(), 16):
                data += await self._reader.readexactly(size + 2)
            await self._reader.readuntil(b"\r\n")
        else:
            raise ConnectionError(f"response without a length: {lines[0]}")
        if fields.get("connection", "").lower() == "close":
            await self.close()
        return status, data

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
            self._reader = None


Call = Callable[[Connection, int], Awaitable[tuple[int, bytes]]]


async def _one(connection: Connection, call: Call, n: int, expected: int,
               result: Result, started: float) -> None:
    try:
        status, data = await call(connection, n)
        ok = status == expected
        problem = "" if ok else f"HTTP {status}: {data[:300]!r}"
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
            TimeoutError, ValueError) as error:
        await connection.close()  # the connection's state is unknown; the next call reopens
        ok, problem = False, f"{type(error).__name__}: {error}"
    if ok:
        result.completed += 1
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
    else:
        result.failed += 1
        result.first_failure = result.first_failure or problem


async def saturate(connections: list[Connection], name: str, call: Call, expected: int,
                   seconds: float) -> Result:
    """Each client sends its next request as soon as the last one answered."""
    result = Result(name, "saturation", 0, 0, 0.0, [])
    counter = iter(range(MAX_REQUESTS))
    deadline = time.perf_counter() + seconds

    async def worker(connection: Connection) -> None:
        for n in counter:
            if time.perf_counter() >= deadline:
                return
            await _one(connection, call, n, expected, result, time.perf_counter())

    begin, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker(c) for c in connections))
    result.seconds = time.perf_counter() - begin
    result.client_cpu_s = time.process_time() - cpu
    return result


async def paced(connections: list[Connection], name: str, call: Call, expected: int,
                rate: float, seconds: float) -> Result:
    """The clients share an open-loop schedule of `rate` requests per second; latency counts
    from each request's scheduled time, so falling behind is not hidden (no coordinated
    omission)."""
    result = Result(name, f"paced {rate:.0f}/s", 0, 0, 0.0, [])
    total = min(int(rate * seconds), MAX_REQUESTS)
    slots = iter(range(total))
    begin, cpu = time.perf_counter(), time.process_time()

    # a server far slower than the rate would make the schedule run for minutes: stop at a
    # bound and count what was never sent as failed
    give_up = begin + 3 * seconds

    async def worker(connection: Connection) -> None:
        for n in slots:
            if time.perf_counter() >= give_up:
                result.failed += 1
                result.first_failure = result.first_failure or "schedule overran its time bound"
                continue
            scheduled = begin + n / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await _one(connection, call, n, expected, result, scheduled)

    await asyncio.gather(*(worker(c) for c in connections))
    result.seconds = time.perf_counter() - begin
    result.client_cpu_s = time.process_time() - cpu
    return result


# --------------------------------------------------------------------------- one backend


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the bench server exited with {server.returncode} while starting")
        try:
            if httpx.get(base + BASELINE_PATH, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the bench server did not answer at {base} within {timeout:.0f} s")


def server_cpu(server_pid: int) -> float:
    """CPU seconds used so far by the server process and its workers: a per-request cost that
    other load on the machine does not inflate the way it inflates wall-clock rates."""
    root = psutil.Process(server_pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


async def measure(port: int, seeded: Seeded, server_pid: int) -> list[Result]:
    headers = {"Authorization": f"Bearer {seeded.token}", "Accept": "application/json"}
    document = request_document()
    ids = seeded.case_ids

    async def baseline(connection: Connection, n: int) -> tuple[int, bytes]:
        return await connection.request("GET", BASELINE_PATH)

    async def view(connection: Connection, n: int) -> tuple[int, bytes]:
        return await connection.request("GET", f"/api/v1/cases/{ids[n % len(ids)]}")

    async def create(connection: Connection, n: int) -> tuple[int, bytes]:
        body = json.dumps({"direction": "outgoing", "title": f"Bench new case {n}",
                           "request": document}).encode()
        return await connection.request("POST", "/api/v1/cases", body)

    connections = [Connection("127.0.0.1", port, headers) for _ in range(CLIENTS)]
    results: list[Result] = []
    status, data = await create(connections[0], -1)
    check = json.loads(data).get("check") if status == 201 else None
    if not check or "outcome" not in check:
        raise SystemExit(f"POST /api/v1/cases did not return a stored check: {status} "
                         f"{data[:300]!r}")
    print(f"  create answers with its safeguards check: outcome {check['outcome']}, rules "
          f"{check['rules_revision'][:12]}", flush=True)
    try:
        for name, call, expected in (("baseline", baseline, 200), ("view", view, 200),
                                     ("create", create, 201)):
            await saturate(connections, name, call, expected, WARMUP_SECONDS)  # discarded
            before = server_cpu(server_pid)
            results.append(await saturate(connections, name, call, expected, SECONDS))
            results[-1].server_cpu_s = server_cpu(server_pid) - before
            if name in TARGETS:
                before = server_cpu(server_pid)
                results.append(await paced(connections, name, call, expected,
                                           TARGETS[name], SECONDS))
                results[-1].server_cpu_s = server_cpu(server_pid) - before
    finally:
        for connection in connections:
            await connection.close()
    return results


def run_backend(backend: str, existing: int, workers: int) -> tuple[list[Result], bool]:
    home = Path(tempfile.mkdtemp(prefix=f"treatydesk-bench-{backend}-"))
    pg = None
    server: subprocess.Popen[bytes] | None = None
    try:
        if backend == "postgresql":
            sys.path.insert(0, str(ROOT / "tests"))
            import psycopg

            from harness.postgres import HarnessError, start_server

            try:
                pg = start_server()
            except HarnessError as error:
                raise SystemExit(f"cannot start PostgreSQL for the benchmark: {error}") from None
            with psycopg.connect(host="127.0.0.1", port=pg.port, user="postgres",
                                 dbname="postgres", autocommit=True) as connection:
                connection.execute("CREATE DATABASE treatydesk_bench")
            url = pg.url("treatydesk_bench")
        else:
            url = f"sqlite:///{home / 'treatydesk.sqlite3'}"
        started = time.perf_counter()
        seeded = seed(url, home, existing)
        print(f"[{backend}] seeded {existing} cases in {time.perf_counter() - started:.1f} s",
              flush=True)
        port = _free_port()
        env = {**os.environ, "TREATYDESK_HOME": str(home), "TREATYDESK_DATABASE_URL": url}
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(port),
                                   "--workers", str(workers)], env=env)
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base, server)
        # uvloop (installed with uvicorn[standard]) keeps the load generator's CPU share low
        results = uvloop.run(measure(port, seeded, server.pid))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=15)
        if pg is not None:
            pg.stop()
        shutil.rmtree(home, ignore_errors=True)
    return results, report(backend, results, workers)


def report(backend: str, results: list[Result], workers: int) -> bool:
    base_rps = next(r.throughput for r in results if r.name == "baseline")
    print(f"\n[{backend}] {CLIENTS} clients, {SECONDS:.0f} s per phase, server: {workers} "
          "uvicorn worker process(es) for every endpoint, baseline included")
    print(f"{'endpoint':<9} {'mode':<12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'ok':>7} {'failed':>6} {'x baseline':>10} {'server ms/req':>13} "
          f"{'client ms/req':>13}  verdict")
    all_ok = True
    for name in ("baseline", "view", "create"):
        mine = [r for r in results if r.name == name]
        verdict = ""
        if name in TARGETS:
            sat = next(r for r in mine if r.mode == "saturation")
            pace = next(r for r in mine if r.mode != "saturation")
            fast = sat.throughput >= TARGETS[name]
            tail = pace.percentile(99) < P99_TARGET_MS
            clean = sat.failed == 0 and pace.failed == 0
            ok = fast and tail and clean
            all_ok &= ok
            verdict = (f"{'PASS' if ok else 'FAIL'} (target >= {TARGETS[name]:.0f}/s: "
                       f"{'met' if fast else 'missed'}; paced p99 < {P99_TARGET_MS:.0f} ms: "
                       f"{'met' if tail else 'missed'}{'' if clean else '; requests failed'})")
        for r in mine:
            ratio = f"{r.throughput / base_rps:.2f}" if r.mode == "saturation" else ""
            done = r.completed + r.failed
            client = r.client_cpu_s * 1000 / done if done else float("nan")
            served = r.server_cpu_s * 1000 / done if done else float("nan")
            print(f"{r.name:<9} {r.mode:<12} {r.throughput:8.1f} {r.percentile(50):8.1f} "
                  f"{r.percentile(99):8.1f} {r.completed:7d} {r.failed:6d} {ratio:>10} "
                  f"{served:13.2f} {client:13.2f}  {verdict if r.mode != 'saturation' else ''}")
            if r.failed:
                all_ok = False
                print(f"   first failure: {r.first_failure}")
    return all_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--existing", type=int, default=EXISTING,
                        help="cases stored before the run (default %(default)s)")
    parser.add_argument("--workers", type=int, default=WORKERS,
                        help="uvicorn worker processes of the server (default %(default)s)")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.serve:
        serve(args.serve, args.workers)
        return 0
    if args.existing < 1:
        parser.error("--existing must be at least 1")
    print(f"bench_http on {os.cpu_count()} cores ({platform.processor() or platform.machine()}),"
          f" Python {platform.python_version()}, {date.today()}; server: uvicorn, "
          f"{args.workers} worker process(es), sharing the machine's cores with this load "
          f"generator; load average at start {os.getloadavg()[0]:.1f}")
    backends = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    verdicts = [run_backend(backend, args.existing, args.workers)[1] for backend in backends]
    print("\nall targets met" if all(verdicts) else "\ntargets missed (see FAIL above)")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
