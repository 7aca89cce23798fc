"""A vendor batch read back through every door (tests/tevo/test_batches.py,
tests/halo/test_batches.py): each client's GET through every door, and every door's list,
as the stored documents the batch wrote answer them, then again from documents rendered anew
from the tables. The two must be byte for byte the same, and each GET a 200."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from tests.documents_helpers import DOORS, Doors, differences


def read_back(d: Doors, ids: Iterable[int | str]) -> dict[str, dict[int, Any]]:
    """Every door's GET of these clients (the account's only ones), checked against the
    tables; by door, by client id."""
    subjects = [d.subject(i) for i in ids]
    written = d.read(subjects)
    assert d.rebuild() == len(subjects)
    assert not differences(written, d.read(subjects)), "a batch's documents differ from the tables"
    for door in DOORS:
        for s in subjects:
            assert written[f"{door} GET client {s.id}"].status == 200, (door, s)
    return {
        door: {s.id: orjson.loads(written[f"{door} GET client {s.id}"].body) for s in subjects}
        for door in DOORS
    }
