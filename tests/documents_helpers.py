"""Reading one account's clients through every door, for the client-document tests
(tests/test_documents.py): what each door answers for a client (its GET of it, and its default
client list), taken as the exact bytes sent, so that two reads can be compared byte for byte."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import delete
from starlette.testclient import TestClient

from rolodex.domain import documents
from rolodex.models import ClientDocument
from rolodex.runtime import Runtime
from tests.conftest import Api, new_account
from tests.halo.conftest import Halo
from tests.kickserv.conftest import Kickserv
from tests.tevo.conftest import Tevo
from tests.trackops.conftest import Trackops

DOORS = ("native", "trackops", "tevo", "halo", "kickserv")
# Where a door shows a kind of data of a client (its GET of the client).
ALL = DOORS
CONTACT_POINTS = ("native", "tevo", "kickserv")  # a primary address, phone number, email
LISTED_POINTS = ("native", "tevo")  # every address, phone number, email address
COMPANY_NAME = ("tevo", "halo", "kickserv")
PRIMARY_LOCATION = ("trackops", "halo")  # its name (Halo's main site)
TAGS = ("native", "tevo")
# What Halo's client list leaves out of the Area its GET shows.
HALO_ROW_OMITS = ("notes", "customfields")


def mark(what: str) -> str:
    """A string no other test writes, to find in what a door answers."""
    return f"{what}-{uuid.uuid4().hex[:10]}"


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@dataclass(frozen=True)
class Subject:
    """A client whose documents a test checks: its id, and its number (Kickserv's key)."""

    id: int
    number: int


@dataclass(frozen=True)
class Shows:
    """`text` is in the GET body of `subject` through each of `doors` (or, with present=False,
    in none of them)."""

    subject: Subject
    text: str
    doors: tuple[str, ...] = ALL
    present: bool = True


def hidden(subject: Subject, text: str, doors: tuple[str, ...] = ALL) -> Shows:
    return Shows(subject, text, doors, present=False)


@dataclass
class Outcome:
    """What a change left: the clients to read through every door (`live`, and `gone`: deleted
    ones, which every door must answer 404 for and no list may show), and what must show."""

    live: list[Subject]
    shows: list[Shows] = field(default_factory=list)
    gone: list[Subject] = field(default_factory=list)
    # Any further check of what the doors answer, run on the first read.
    check: Callable[[Doors], None] | None = None


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    etag: str | None


Reads = dict[str, Answer]


@dataclass
class Doors:
    """One new account, seen through each door."""

    runtime: Runtime
    http: TestClient
    credentials: dict[str, Any]
    native: Api = field(init=False)
    trackops: Trackops = field(init=False)
    tevo: Tevo = field(init=False)
    halo: Halo = field(init=False)
    kickserv: Kickserv = field(init=False)

    def __post_init__(self) -> None:
        self.native = Api(self.http, self.credentials)
        self.trackops = Trackops(self.http, self.credentials)
        self.tevo = Tevo(self.http, self.credentials)
        self.halo = Halo(self.http, self.credentials)
        self.kickserv = Kickserv(self.http, self.credentials)

    @classmethod
    def new(cls, runtime: Runtime, http: TestClient, name: str = "Documents") -> Doors:
        return cls(runtime, http, new_account(runtime, name))

    @property
    def account_id(self) -> int:
        return self.native.account_id

    def subject(self, client_id: int | str) -> Subject:
        client = ok(self.native.get(f"/v1/clients/{client_id}"))
        return Subject(int(client["id"]), int(client["number"]))

    # --- reading -------------------------------------------------------------------------

    def get_one(self, door: str, subject: Subject) -> Any:
        if door == "native":
            return self.native.get(f"/v1/clients/{subject.id}")
        if door == "trackops":
            return self.trackops.get(f"/clients/{subject.id}")
        if door == "tevo":
            return self.tevo.get(f"/clients/{subject.id}")
        if door == "halo":
            return self.halo.get(f"/Client/{subject.id}")
        return self.kickserv.get(f"/customers/{subject.number}.json")

    def get_list(self, door: str) -> Any:
        """The door's client list as a caller gets it without parameters (its first page: an
        account of these tests has fewer clients than any door's default page holds)."""
        if door == "native":
            return self.native.get("/v1/clients")
        if door == "trackops":
            return self.trackops.get("/clients")
        if door == "tevo":
            return self.tevo.get("/clients")
        if door == "halo":
            return self.halo.get("/Client")
        return self.kickserv.get("/customers.json")

    def read(self, subjects: Iterable[Subject]) -> Reads:
        """Every door's GET of each subject and every door's client list, as sent."""
        out: Reads = {}
        for door in DOORS:
            for subject in subjects:
                out[f"{door} GET client {subject.id}"] = _answer(self.get_one(door, subject))
            out[f"{door} client list"] = _answer(self.get_list(door))
        # Kickserv's filter answers customers from their documents too (all, with no name).
        out["kickserv filter list"] = _answer(self.kickserv.get("/customers/filter.json"))
        return out

    # --- the documents -------------------------------------------------------------------

    def rebuild(self) -> int:
        """Render this account's documents again from the tables."""
        return documents.rebuild(self.runtime.engine, account_id=self.account_id)

    def drop_documents(self) -> None:
        """Delete this account's documents: reads then render from the tables."""
        with self.runtime.engine.begin() as conn:
            conn.execute(delete(ClientDocument).where(ClientDocument.account_id == self.account_id))


def _answer(response: Any) -> Answer:
    etag = response.headers.get("etag")
    return Answer(response.status_code, response.content, etag)


def list_entries(door: str, body: Any) -> dict[int, Any]:
    """A door's client list body -> its clients by id."""
    if door == "native":
        items = body["data"]
    elif door in ("tevo", "halo"):
        items = body["clients"]
    else:
        items = body
    return {int(item["id"]): item for item in items}


def check_reads(doors: Doors, outcome: Outcome, reads: Reads) -> None:
    """What every door answered holds together: each live client is there (its GET answers it,
    and the list shows the same client as the GET), each deleted one is nowhere, and what
    the change wrote shows where a door shows that field."""
    lists = [(door, f"{door} client list") for door in DOORS]
    for door, key in [*lists, ("kickserv", "kickserv filter list")]:
        body = orjson.loads(_ok_body(reads[key]))
        if key == "kickserv filter list":
            body = [c for c in body["customers"] if c["id"] is not None]
        listed = list_entries(door, body)
        for subject in outcome.live:
            shown = orjson.loads(_ok_body(reads[f"{door} GET client {subject.id}"]))
            if door == "halo" and shown["inactive"]:
                # Halo's list holds active clients unless asked for inactive ones.
                assert subject.id not in listed, f"{key} shows inactive client {subject.id}"
                continue
            assert subject.id in listed, f"{key} lacks client {subject.id}"
            row = listed[subject.id]
            if door == "halo":
                shown = {k: v for k, v in shown.items() if k not in HALO_ROW_OMITS}
            assert row == shown, f"{key} shows client {subject.id} otherwise"
        for subject in outcome.gone:
            answer = reads[f"{door} GET client {subject.id}"]
            assert answer.status == 404, f"{door} still answers deleted client {subject.id}"
            assert subject.id not in listed, f"{key} still shows client {subject.id}"
    for expect in outcome.shows:
        for door in expect.doors:
            body = reads[f"{door} GET client {expect.subject.id}"].body.decode()
            assert (expect.text in body) is expect.present, (
                f"{door}: {expect.text!r} {'missing from' if expect.present else 'still in'} "
                f"client {expect.subject.id}: {body}"
            )
    if outcome.check is not None:
        outcome.check(doors)


def _ok_body(answer: Answer) -> bytes:
    assert answer.status == 200, answer
    return answer.body


def differences(first: Reads, second: Reads) -> dict[str, tuple[Any, Any]]:
    """The reads that differ, as (first, second), decoded where they are JSON."""

    def shown(answer: Answer) -> Any:
        try:
            body = orjson.loads(answer.body)
        except orjson.JSONDecodeError:
            body = answer.body
        return (answer.status, answer.etag, body)

    assert first.keys() == second.keys()
    return {k: (shown(first[k]), shown(second[k])) for k in first if first[k] != second[k]}
