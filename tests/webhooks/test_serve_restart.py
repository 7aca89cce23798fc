"""`rolodex serve` delivers webhooks from a process of its own, and a server killed outright
(SIGKILL, the whole process group) with deliveries pending delivers every one of them once it
is started again: nothing is lost."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx2

from rolodex.db.engine import create_db_engine, make_session_factory, transaction
from rolodex.domain import events
from tests.conftest import TEST_SECRET_KEY
from tests.test_serve import create_account, server
from tests.webhooks.conftest import client_event
from tests.webhooks.receiver import Receiver, wait_for

ENV = {
    "ROLODEX_SECRET_KEY": TEST_SECRET_KEY,
    "ROLODEX_WEBHOOK_ALLOW_PRIVATE": "true",
    "ROLODEX_WEBHOOK_RETRY_SCHEDULE": ",".join(["0.5"] * 40),
    "ROLODEX_WEBHOOK_TIMEOUT_SECONDS": "1",
}


def test_a_killed_server_delivers_what_was_pending_after_a_restart(
    fresh_url: str, tmp_path: Path
) -> None:
    account = create_account(fresh_url)
    auth = {"Authorization": f"Bearer {account['native']['api_key']}"}
    receiver = Receiver().start()
    receiver.stop()  # its port is closed until the second server runs
    engine = create_db_engine(fresh_url)
    try:
        with server(fresh_url, tmp_path / "first.log", workers=2, env=ENV) as first:
            with httpx2.Client(base_url=first.base, timeout=30.0, trust_env=False) as http:
                created = http.post(
                    "/v1/webhook_endpoints", json={"url": receiver.url}, headers=auth
                )
                assert created.status_code == 201, created.text
                endpoint = created.json()
                with transaction(make_session_factory(engine), write=True) as session:
                    ids = events.append(
                        session,
                        account["id"],
                        events.Actor("native"),
                        [client_event(1 + i % 5, name=f"n{i}") for i in range(30)],
                    )

                def attempted() -> bool:
                    log = http.get(
                        f"/v1/webhook_endpoints/{endpoint['id']}/deliveries?limit=100",
                        headers=auth,
                    ).json()["data"]
                    return sum(d["attempts"] for d in log) >= 5

                wait_for(attempted, what="the deliverer trying (the receiver is down)")
            os.killpg(os.getpgid(int(_pid(first.log_path))), signal.SIGKILL)
        receiver.start()
        with server(fresh_url, tmp_path / "second.log", workers=1, env=ENV):
            wait_for(lambda: len(set(receiver.ids())) >= 31, timeout=60, what="every event")
        expected = {f"evt_{i}" for i in ids} | {f"evt_{ids[0] - 1}"}  # and the endpoint's own
        assert set(receiver.ids()) == expected
        assert receiver.verified(endpoint["secret"])
    finally:
        receiver.stop()
        engine.dispose()


def _pid(log_path: Path) -> str:
    """The server's process id, from uvicorn's first lines."""
    for line in log_path.read_text().splitlines():
        if "Started parent process [" in line or "Started server process [" in line:
            return line.rsplit("[", 1)[1].split("]", 1)[0]
    raise AssertionError(f"no process id in {log_path.read_text()}")
