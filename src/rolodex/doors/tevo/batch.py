"""Creates take an array of records (`{"companies": [...]}`) and are all-or-nothing: every
record is tried, each in a savepoint of the request's one transaction, so each refused one
gets its own `errors`; if any is refused the whole request is answered 422, in the same
wrapper, and the transaction rolls back, so nothing is written. (Clients, the batches that
grow large, are checked first and written in one batch instead: doors.tevo.clients.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rolodex.doors.tevo.errors import Unprocessable, rails_errors
from rolodex.doors.tevo.mapping import Problems
from rolodex.errors import ValidationFailed


@dataclass
class Attempt:
    """One record of a create batch."""

    echo: dict[str, Any]  # how the record is shown in a refusal (nothing was saved)
    problems: Problems  # what the wire checks already refused, under wire names
    create: Callable[[Session], int]  # writes it, returns its id


def create_all(
    session: Session, key: str, attempts: list[Attempt], wire_name: Callable[[str], str]
) -> list[int]:
    """Create every record or none. `wire_name` names a domain error's field on the wire.
    Records of a refused batch carry `"errors": {}` when they were valid themselves."""
    created: list[int] = []
    refused = False
    shown: list[dict[str, Any]] = []
    for attempt in attempts:
        problems = list(attempt.problems)
        if not problems:
            try:
                with session.begin_nested():
                    created.append(attempt.create(session))
            except ValidationFailed as exc:
                problems = [(wire_name(field or "base"), message) for field, message in exc.errors]
        refused = refused or bool(problems)
        shown.append({**attempt.echo, "errors": rails_errors(problems)})
    if refused:
        raise Unprocessable({key: shown})
    return created
