"""`treatydesk serve --workers 2` on SQLite and PostgreSQL: two worker processes share the one
database; concurrent writes through both keep one audit chain, and a token's use is recorded
once per window even when both workers see its first use at the same time."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from treatydesk.services import status as status_service
from treatydesk.services.access import AccessService, bootstrap_first_admin
from treatydesk.services.audit import verify_chain
from treatydesk.store.db import Database
from web_desk.conftest import example_request

CLI = Path(sys.executable).with_name("treatydesk")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_serve_with_two_workers_shares_the_database(database: Database, tmp_path: Path) -> None:
    status_service.ensure_bundled(database)
    password = bootstrap_first_admin(database, organisation_name="Org A")
    assert password is not None
    access = AccessService(database)
    admin = access.login("admin", password, "setup")
    access.create_user(admin, username="officer", role="officer", password="p" * 14)
    officer = access.login("officer", "p" * 14, "setup")
    token = access.create_token(officer, name="t", scopes=["read", "write"]).token
    port = _free_port()
    env = {**os.environ, "TREATYDESK_HOME": str(database.settings.home),
           "TREATYDESK_DATABASE_URL": database.settings.database_url}
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [str(CLI), "serve", "--port", str(port), "--workers", "2"], env=env,
            stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if httpx.get(base + "/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        assert "2 worker processes" in log.read_text()
        # uvicorn's supervisor and its two workers (each with its own engine)
        deadline = time.monotonic() + 30
        while len(_children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = [pid for pid in _children(server.pid)
                   if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
        assert len(workers) >= 2, (workers, log.read_text())

        def create(n: int) -> int:
            with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
                done = client.post("/api/v1/cases", json={
                    "direction": "incoming", "title": f"Case {n}",
                    "request": example_request(reference=f"XAA-{n}")})
                assert done.status_code == 201, done.text
                assert done.json()["check"]["request_version"] == 1
                got = client.get(f"/api/v1/cases/{done.json()['id']}")
                assert got.status_code == 200, got.text
                return int(done.json()["id"])

        with ThreadPoolExecutor(max_workers=8) as pool:
            ids = list(pool.map(create, range(40)))
        assert len(set(ids)) == 40
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)
    assert verify_chain(database).ok
    entries = [e for e in _audit(database) if e.action == "token_use"]
    assert len(entries) == 1, [e.details for e in entries]
    assert sum(e.action == "create" for e in _audit(database)) == 40


def _audit(database: Database) -> list:  # type: ignore[type-arg]
    from treatydesk.store import desk_repo

    with database.reading() as session:
        return list(desk_repo.iter_audit(session))

