"""`rolodex serve`, run for real: a uvicorn server with two worker processes, as a subprocess, on
a database of its own (a new SQLite file, or a new PostgreSQL schema)."""

from __future__ import annotations

import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import orjson
import pytest
from sqlalchemy import func, inspect, select

from rolodex.db.engine import create_db_engine
from rolodex.db.migrate import current_revision, head_revision
from rolodex.domain import documents
from rolodex.models import ClientDocument, DocumentBacklog

ROLODEX = Path(sys.executable).parent / "rolodex"
STARTUP_SECONDS = 20.0
# After a graceful shutdown on SIGTERM, uvicorn's supervisor (--workers > 1) exits with 0, while a
# single uvicorn process re-raises the signal it caught, so it ends as killed by SIGTERM.
GRACEFUL_EXIT = (0, -signal.SIGTERM)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "ROLODEX_DATABASE_URL"}


def create_account(url: str) -> dict[str, Any]:
    completed = subprocess.run(
        [str(ROLODEX), "accounts", "create", "Serve Co", "--json", "--database-url", url],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(),
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return dict(orjson.loads(completed.stdout))


def table_names(url: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@dataclass
class Server:
    base: str
    log_path: Path
    stopped_by_sigterm: bool = False
    returncode: int | None = None


@contextmanager
def server(
    url: str,
    log_path: Path,
    *,
    workers: int,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
    tls: ssl.SSLContext | None = None,
) -> Iterator[Server]:
    """Start `rolodex serve` (with `args`), wait until /healthz answers (over HTTPS, verified
    with `tls`, when given), yield it; always stop it (SIGTERM, then SIGKILL to its whole
    process group)."""
    port = free_port()
    base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    handle = Server(base, log_path)
    command = [str(ROLODEX), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--database-url", url, *args]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**clean_env(), **(env or {})},
            start_new_session=True,
        )
        try:
            _wait_until_healthy(process, base, log_path, tls)
            yield handle
        finally:
            handle.stopped_by_sigterm = _stop(process)
            handle.returncode = process.returncode


def _wait_until_healthy(
    process: subprocess.Popen[bytes],
    base: str,
    log_path: Path,
    tls: ssl.SSLContext | None = None,
) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    with httpx2.Client(base_url=base, timeout=2.0, trust_env=False, verify=tls or True) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(
                    f"rolodex serve exited with {process.returncode}:\n{log_path.read_text()}"
                )
            try:
                if http.get("/healthz").status_code == 200:
                    return
            except httpx2.TransportError:
                pass
            time.sleep(0.1)
    log = log_path.read_text()
    pytest.fail(f"rolodex serve did not answer /healthz in {STARTUP_SECONDS:.0f}s:\n{log}")


def _stop(process: subprocess.Popen[bytes]) -> bool:
    """Whether SIGTERM alone stopped the server."""
    stopped = False
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
            stopped = True
        except subprocess.TimeoutExpired:
            pass
    # The workers are in the server's process group (its own session): make sure none survive.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    return stopped


def test_serve_answers_concurrent_creates_with_distinct_numbers(
    fresh_url: str, tmp_path: Path
) -> None:
    account = create_account(fresh_url)
    auth = {"Authorization": f"Bearer {account['native']['api_key']}"}
    log_path = tmp_path / "serve.log"
    with (
        server(fresh_url, log_path, workers=2) as running,
        httpx2.Client(base_url=running.base, timeout=30.0, trust_env=False) as http,
    ):
        health = http.get("/healthz")
        assert health.status_code == 200
        assert health.json() == {"status": "ok"}
        assert http.get("/v1/clients").status_code == 401

        def create(i: int) -> httpx2.Response:
            return http.post("/v1/clients", json={"name": f"Client {i:02d}"}, headers=auth)

        with ThreadPoolExecutor(max_workers=20) as pool:
            responses = list(pool.map(create, range(20)))

        assert [r.status_code for r in responses] == [201] * 20, [r.text for r in responses]
        bodies = [r.json() for r in responses]
        assert len({b["id"] for b in bodies}) == 20
        assert sorted(b["number"] for b in bodies) == list(range(1, 21))
        assert sorted(b["name"] for b in bodies) == [f"Client {i:02d}" for i in range(20)]

        listed = http.get("/v1/clients?limit=100", headers=auth)
        assert listed.status_code == 200, listed.text
        assert listed.json()["has_more"] is False
        data = listed.json()["data"]
        assert len(data) == 20
        assert {c["id"] for c in data} == {b["id"] for b in bodies}
    log = log_path.read_text()
    assert "Traceback" not in log, log
    assert "database is locked" not in log, log
    assert running.stopped_by_sigterm, log
    assert running.returncode in GRACEFUL_EXIT, log


def test_serve_migrates_the_database_first(db_kind: str, fresh_url: str, tmp_path: Path) -> None:
    if db_kind == "sqlite":
        path = Path(fresh_url.removeprefix("sqlite:///"))
        assert not path.exists()
    else:
        assert table_names(fresh_url) == set()
    with server(fresh_url, tmp_path / "serve.log", workers=1) as running:
        pass
    log = running.log_path.read_text()
    assert running.stopped_by_sigterm, log
    assert running.returncode in GRACEFUL_EXIT, log
    assert "Application shutdown complete." in log, log
    assert {"accounts", "credentials", "clients", "offices", "alembic_version"} <= table_names(
        fresh_url
    )
    engine = create_db_engine(fresh_url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


RACERS = 10


def version(response: httpx2.Response) -> int:
    return int(response.headers["ETag"].strip('"'))


def _race(send: Callable[[int], httpx2.Response]) -> list[httpx2.Response]:
    """Send RACERS requests at once, from as many threads, released together."""
    start = threading.Barrier(RACERS)

    def one(i: int) -> httpx2.Response:
        start.wait(timeout=30)
        return send(i)

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        return list(pool.map(one, range(RACERS)))


def test_racing_writes_on_one_client_lose_with_4xx_never_500(
    fresh_url: str, tmp_path: Path
) -> None:
    """Two worker processes, ten requests at once on one client, four rounds: with the same
    If-Match one PATCH wins and nine get 412; without If-Match every PATCH lands, one after the
    other; the same Idempotency-Key creates one client and replays it to the rest; one of ten
    creates with the same external_id is made and nine get 409 naming it; and of ten DELETEs
    one deletes and nine find nothing."""
    account = create_account(fresh_url)
    auth = {"Authorization": f"Bearer {account['native']['api_key']}"}
    log_path = tmp_path / "serve.log"
    with (
        server(fresh_url, log_path, workers=2) as running,
        httpx2.Client(base_url=running.base, timeout=60.0, trust_env=False) as http,
    ):
        created = http.post("/v1/clients", json={"name": "Raced Co"}, headers=auth)
        assert created.status_code == 201, created.text
        path = f"/v1/clients/{created.json()['id']}"
        tag = created.headers["ETag"]

        guarded = _race(
            lambda i: http.patch(
                path, json={"name": f"Guarded {i}"}, headers={**auth, "If-Match": tag}
            )
        )
        statuses = sorted(r.status_code for r in guarded)
        assert statuses == [200] + [412] * (RACERS - 1), [r.text for r in guarded]
        winner = next(r for r in guarded if r.status_code == 200)
        assert version(winner) == version(created) + 1  # one change, one version
        for lost in (r for r in guarded if r.status_code == 412):
            assert lost.json()["error"]["code"] == "precondition_failed", lost.text
        now = http.get(path, headers=auth)
        assert now.json()["name"] == winner.json()["name"]
        assert version(now) == version(winner)

        unguarded = _race(lambda i: http.patch(path, json={"account_code": f"AC{i}"}, headers=auth))
        assert [r.status_code for r in unguarded] == [200] * RACERS, [r.text for r in unguarded]
        # Each landed on top of the one before: the ten versions after the winner's.
        versions = sorted(version(r) for r in unguarded)
        assert versions == list(range(version(winner) + 1, version(winner) + 1 + RACERS))
        final = http.get(path, headers=auth)
        assert version(final) == versions[-1]
        last = next(r for r in unguarded if version(r) == versions[-1])
        assert final.json()["account_code"] == last.json()["account_code"]

        key = {**auth, "Idempotency-Key": "race-once"}
        once = _race(lambda _i: http.post("/v1/clients", json={"name": "Once Co"}, headers=key))
        assert [r.status_code for r in once] == [201] * RACERS, [r.text for r in once]
        assert len({r.json()["id"] for r in once}) == 1
        assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in once) == RACERS - 1
        names = [c["name"] for c in http.get("/v1/clients", headers=auth).json()["data"]]
        assert sorted(names) == sorted(["Once Co", final.json()["name"]])

        taken = _race(
            lambda i: http.post(
                "/v1/clients", json={"name": f"Ext {i}", "external_id": "ext-1"}, headers=auth
            )
        )
        statuses = sorted(r.status_code for r in taken)
        assert statuses == [201] + [409] * (RACERS - 1), [r.text for r in taken]
        for lost in (r for r in taken if r.status_code == 409):
            assert lost.json()["error"]["field"] == "external_id", lost.text
        listed = http.get("/v1/clients?external_id=ext-1", headers=auth).json()["data"]
        assert len(listed) == 1

        deletes = _race(lambda _i: http.delete(path, headers=auth))
        statuses = sorted(r.status_code for r in deletes)
        assert statuses == [204] + [404] * (RACERS - 1), [r.text for r in deletes]
        assert http.get(path, headers=auth).status_code == 404
    log = log_path.read_text()
    assert "Traceback" not in log, log
    assert " 500 " not in log, log


def test_concurrent_batches_across_two_workers_all_land_whole(
    fresh_url: str, tmp_path: Path
) -> None:
    """Ten batches of 30 clients at once, from two worker processes, with single creates
    racing them: every request lands (on SQLite the writers wait for each other), each batch
    whole, with numbers no two clients share; and the clients of a batch the rules refuse are
    nowhere."""
    account = create_account(fresh_url)
    auth = {"Authorization": f"Bearer {account['native']['api_key']}"}
    log_path = tmp_path / "serve.log"
    with (
        server(fresh_url, log_path, workers=2) as running,
        httpx2.Client(base_url=running.base, timeout=60.0, trust_env=False) as http,
    ):

        def send(i: int) -> httpx2.Response:
            if i % 2:
                return http.post("/v1/clients", json={"name": f"Single {i}"}, headers=auth)
            clients = [
                {"name": f"Batch {i} #{n}", "email_addresses": [{"address": f"b{i}.{n}@x.org"}]}
                for n in range(30)
            ]
            if i == 4:  # one batch the rules refuse, racing the rest
                clients[29]["email_addresses"] = [{"address": "nope"}]
            return http.post("/v1/clients/batch", json={"clients": clients}, headers=auth)

        answers = _race(send)
        statuses = [a.status_code for a in answers]
        assert statuses == [422 if i == 4 else 201 for i in range(RACERS)], statuses
        made = []
        for i, answer in enumerate(answers):
            if i == 4:
                continue
            body = answer.json()
            made += body.get("data", [body])
        assert len(made) == 4 * 30 + 5
        numbers = sorted(c["number"] for c in made)
        assert numbers == list(range(1, len(made) + 1))
        for i in (0, 2, 6, 8):
            batch = answers[i].json()["data"]
            assert [c["name"] for c in batch] == [f"Batch {i} #{n}" for n in range(30)]
        listed, cursor = [], None
        while True:
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            page = http.get("/v1/clients", params=params, headers=auth).json()
            listed += page["data"]
            if not page["has_more"]:
                break
            cursor = page["next_cursor"]
        assert sorted(c["id"] for c in listed) == sorted(c["id"] for c in made)
        assert not [c for c in listed if c["name"].startswith("Batch 4 ")]
    log = log_path.read_text()
    assert "Traceback" not in log, log
    assert "database is locked" not in log, log


def test_vendor_creates_racing_across_two_workers_all_land_never_500(
    fresh_url: str, tmp_path: Path
) -> None:
    """Ten creates at once through Kickserv and Trackops (five each, one of each refused by
    the rules) with native creates racing them, from two worker processes: every valid one
    lands with a number no other client has, each Trackops client with its one primary
    location; the refused ones answer 422 in their door's shape and write nothing; none is a
    500."""
    account = create_account(fresh_url)
    auth = {"Authorization": f"Bearer {account['native']['api_key']}"}
    token = account["kickserv"]["token"]
    kickserv = httpx2.BasicAuth(token, token)
    trackops = httpx2.BasicAuth(
        f"{account['trackops']['username']}/token", account["trackops"]["token"]
    )
    slug = account["slug"]
    log_path = tmp_path / "serve.log"
    with (
        server(fresh_url, log_path, workers=2) as running,
        httpx2.Client(base_url=running.base, timeout=60.0, trust_env=False) as http,
    ):

        def send(i: int) -> httpx2.Response:
            if i % 2:
                customer: dict[str, Any] = {
                    "name": f"Customer {i}",
                    "service_address": f"{i} Main St",
                    "billing_address": f"PO Box {i}",
                    "phone_number": f"555-01{i:02d}",
                    "email_address": f"c{i}@example.com" if i != 5 else "nope",
                }
                return http.post(
                    f"/kickserv/{slug}/customers.json", json={"customer": customer}, auth=kickserv
                )
            location = {"name": f"Site {i}", "state": "CO", "country": "US", "gate": i}
            body = {"client": {"name": f"Client {i}", "industry": i, "primary_location": location}}
            if i == 4:
                del body["client"]["primary_location"]
            return http.post("/trackops/api/v1/clients", json=body, auth=trackops)

        answers = _race(send)
        expected = [422 if i in (4, 5) else (200 if i % 2 else 201) for i in range(RACERS)]
        assert [a.status_code for a in answers] == expected, [a.text for a in answers]
        assert answers[5].json() == {"errors": {"email_address": ["must be an email address"]}}
        assert answers[4].json()["errors"] == {"primary_location": ["is required"]}
        natives = _race(lambda i: http.post("/v1/clients", json={"name": f"N{i}"}, headers=auth))
        assert [a.status_code for a in natives] == [201] * RACERS
        made = [a.json() for a in answers if a.status_code < 300]
        numbers = [c["customer_number"] for c in made if "customer_number" in c]
        listed = http.get("/v1/clients?limit=100", headers=auth).json()["data"]
        assert len(listed) == len(made) + RACERS
        assert sorted(c["number"] for c in listed) == list(range(1, len(listed) + 1))
        assert set(numbers) <= {c["number"] for c in listed}
        for client in (c for c in made if "primary_location" in c):
            locations = http.get(f"/v1/clients/{client['id']}/locations", headers=auth).json()
            assert [(loc["id"], loc["is_primary"]) for loc in locations["data"]] == [
                (client["primary_location"]["id"], True)
            ]
        ids = {c["primary_location"]["id"] for c in made if "primary_location" in c}
        assert len(ids) == 4
    log = log_path.read_text()
    assert "Traceback" not in log, log
    assert " 500 " not in log, log


def _documents_by_kind(url: str, ids: list[int]) -> tuple[dict[int, set[str]], int]:
    """Each client's stored kinds of document, and the ranges in the backlog."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(ClientDocument.client_id, ClientDocument.kind).where(
                    ClientDocument.client_id.in_(ids)
                )
            ).all()
            ranges = conn.execute(select(func.count()).select_from(DocumentBacklog)).scalar_one()
    finally:
        engine.dispose()
    kinds: dict[int, set[str]] = {i: set() for i in ids}
    for client_id, kind in rows:
        kinds[client_id].add(kind)
    return kinds, ranges


def test_the_server_renders_what_a_batch_left_to_the_backlog(
    fresh_url: str, tmp_path: Path
) -> None:
    """A batch answers with its native documents and leaves the other kinds to the renderer
    process beside the server, which renders them shortly after; with no renderer
    (`ROLODEX_RENDERERS=0`) they wait in the backlog, reads meanwhile answered from the tables,
    and the next server's renderer renders them."""
    account = create_account(fresh_url)
    auth = {"Authorization": f"Bearer {account['native']['api_key']}"}
    batch = {"clients": [{"name": f"Rendered {n}", "tags": ["t"]} for n in range(40)]}
    every = set(documents.renderers())
    with (
        server(fresh_url, tmp_path / "serve.log", workers=1) as running,
        httpx2.Client(base_url=running.base, timeout=30.0, trust_env=False) as http,
    ):
        made = http.post("/v1/clients/batch", json=batch, headers=auth)
        assert made.status_code == 201, made.text
        ids = [c["id"] for c in made.json()["data"]]
        deadline = time.monotonic() + 30
        while True:
            kinds, ranges = _documents_by_kind(fresh_url, ids)
            if ranges == 0 and all(k == every for k in kinds.values()):
                break
            assert time.monotonic() < deadline, (kinds, ranges)
            time.sleep(0.1)

    with (
        server(fresh_url, tmp_path / "idle.log", workers=1, env={"ROLODEX_RENDERERS": "0"}) as idle,
        httpx2.Client(base_url=idle.base, timeout=30.0, trust_env=False) as http,
    ):
        made = http.post("/v1/clients/batch", json=batch, headers=auth)
        assert made.status_code == 201, made.text
        later = [c["id"] for c in made.json()["data"]]
        time.sleep(1.0)  # as long as a renderer would have taken, at the least
        kinds, ranges = _documents_by_kind(fresh_url, later)
        assert ranges == 1 and all(k == {"native"} for k in kinds.values())
        token = account["kickserv"]["token"]
        shown = http.get(
            f"/kickserv/{account['slug']}/customers/{made.json()['data'][0]['number']}.json",
            auth=(token, token),
        )
        assert shown.status_code == 200 and shown.json()["name"] == "Rendered 0", shown.text

    with server(fresh_url, tmp_path / "again.log", workers=1):
        deadline = time.monotonic() + 30  # rendered by the renderer, not before the start
        while True:
            kinds, ranges = _documents_by_kind(fresh_url, later)
            if ranges == 0 and all(k == every for k in kinds.values()):
                break
            assert time.monotonic() < deadline, (kinds, ranges)
            time.sleep(0.1)
    for log in ("serve.log", "idle.log", "again.log"):
        text = (tmp_path / log).read_text()
        assert "Traceback" not in text, text


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError):
            status = (entry / "status").read_text()
            parent = next(line for line in status.splitlines() if line.startswith("PPid:"))
            if int(parent.split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _gone(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() for pid in pids):
            return True
        time.sleep(0.1)
    return False


def test_the_renderer_ends_with_its_server_however_the_server_ends(
    fresh_url: str, tmp_path: Path
) -> None:
    """The renderer processes beside a server end with it: on SIGTERM, with nothing left
    behind to warn about; and when the server is killed outright (SIGKILL, no chance to
    tell them), within seconds, instead of rendering on for a server that is gone."""
    for how in (signal.SIGTERM, signal.SIGKILL):
        log_path = tmp_path / f"serve-{how.name}.log"
        port = free_port()
        command = [str(ROLODEX), "serve", "--port", str(port), "--database-url", fresh_url]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=clean_env(),
                start_new_session=True,
            )
            try:
                _wait_until_healthy(process, f"http://127.0.0.1:{port}", log_path)
                renderers = [
                    pid
                    for pid in _children(process.pid)
                    if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
                ]
                assert len(renderers) >= 1, _children(process.pid)
                process.send_signal(how)  # the server alone, not its process group
                process.wait(timeout=20)
                assert _gone(renderers, 10), f"renderers {renderers} outlived the server"
            finally:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        text = log_path.read_text()
        assert "Traceback" not in text and "leaked" not in text, text


def test_serve_demo_prints_credentials_that_work_and_the_console(
    fresh_url: str, tmp_path: Path
) -> None:
    """What a newcomer sees after `make serve`: the demo account's credentials, a create that
    works with them, and where the web console is; a second start says the account exists."""
    log_path = tmp_path / "serve.log"
    # (PostgreSQL's console needs a secret key; SQLite makes one beside its database.)
    env = {"ROLODEX_SECRET_KEY": "demo-test-key"}
    with server(fresh_url, log_path, workers=1, args=("--demo",), env=env) as running:
        printed = log_path.read_text()
        key = re.search(r"Bearer (rdx_[A-Za-z0-9_-]+)", printed)
        assert key is not None, printed
        assert f"Web console: {running.base}/ (sign in with the native API key)" in printed
        with httpx2.Client(base_url=running.base, timeout=30.0, trust_env=False) as http:
            made = http.post(
                "/v1/clients",
                json={"name": "ACME Corp"},
                headers={"Authorization": f"Bearer {key[1]}"},
            )
            assert made.status_code == 201, made.text
            assert "/sign-in" in http.get("/").headers["location"]
            assert http.get("/sign-in").status_code == 200
    again = tmp_path / "again.log"
    with server(fresh_url, again, workers=1, args=("--demo",)):
        assert "The demo account exists already" in again.read_text()
        assert "rdx_" not in again.read_text()
