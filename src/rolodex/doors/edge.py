"""What every door refuses at its edge, before a request reaches the core: text no database of
ours can store.

PostgreSQL's text and JSON types cannot hold U+0000 (NUL); SQLite can. Without this check the
same request succeeds on SQLite and fails deep inside PostgreSQL as a server error, after part of
the work was done. Each door calls these while it reads the request and raises the error its
own table renders (a 400 naming the query parameter, a 400/422 naming the body field), so the
answer is the same on both databases and nothing is written.

The other characters a database cannot store never get this far: orjson refuses a lone surrogate
in JSON, and Starlette decodes a query string's invalid UTF-8 as U+FFFD.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from rolodex.errors import InvalidQuery, ValidationFailed

NUL = "\x00"
REFUSED = "must not contain a NUL character (U+0000)"
# Deep enough for any record (a client body nests 4 levels; custom fields may nest further),
# shallow enough that whatever is stored can be written back inside a response's envelope.
MAX_DEPTH = 32
TOO_DEEP = f"must not nest deeper than {MAX_DEPTH} levels"


def check_query(raw: bytes, params: Callable[[], Iterable[tuple[str, str]]]) -> None:
    """Raise InvalidQuery naming the first parameter whose name or value holds a NUL. `raw` is
    the query string as sent: a NUL can only arrive percent-encoded, so most requests are
    cleared by one substring test, before `params` (the parsed pairs) is even asked for."""
    if b"%00" not in raw:
        return
    for name, value in params():
        if NUL in name or NUL in value:
            shown = name.replace(NUL, "\\u0000")
            raise InvalidQuery(f"{shown} {REFUSED}.", field=shown)


def check_json(raw: bytes, body: Any, *, wrapped: bool = False) -> None:
    """Raise ValidationFailed naming the first key or string of a parsed JSON body that holds a
    NUL, by its path (`addresses[0].city`, `[2].name`), or the field that nests deeper than
    MAX_DEPTH levels. `wrapped`: the door names fields inside the body's wrapper object
    (`{"customer": {...}}`) without the wrapper.

    JSON can carry a NUL only as the escape \\u0000, and cannot nest deeper than it has
    brackets, so most bodies are cleared by substring scans without a walk (a large one, a
    batch of a thousand clients, by a few passes over its brackets)."""
    if b"\\u0000" not in raw and _nests_at_most(raw, MAX_DEPTH):
        return
    found = first_problem(body)
    if found is None:
        return
    where, message = found
    head, dot, rest = where.partition(".")
    if wrapped and dot and isinstance(body, dict) and isinstance(body.get(head), dict):
        where = rest
    raise ValidationFailed.one(where, message)


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_INNERMOST = re.compile(rb"\[\]|\{\}")


def _nests_at_most(raw: bytes, depth: int) -> bool:
    """Whether the JSON text `raw` (already parsed, so well formed) nests at most `depth`
    levels: its brackets outside strings, innermost pairs removed one level per pass."""
    if raw.count(b"[") + raw.count(b"{") <= depth:
        return True
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    for _ in range(depth):
        if not brackets:
            return True
        brackets = _INNERMOST.sub(b"", brackets)
    return not brackets


def check_form(fields: Iterable[tuple[str, str]]) -> str | None:
    """The name of the first form field whose name or value holds a NUL, else None."""
    for name, value in fields:
        if NUL in name or NUL in value:
            return name.replace(NUL, "\\u0000")
    return None


def first_problem(value: Any) -> tuple[str, str] | None:
    """(path, message) of the first key or string within `value` that holds a NUL, or of the
    field whose value nests deeper than MAX_DEPTH; None when there is neither. A stack, not
    recursion: a body may nest as deep as the JSON parser allows (1,024 levels)."""
    # (path, value, depth, the field it is named by, how many objects enclose it)
    stack: list[tuple[str, Any, int, str, int]] = [("", value, 0, "", 0)]
    while stack:
        path, item, depth, field, objects = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return path or "body", REFUSED
            continue
        if not isinstance(item, dict | list):
            continue
        if depth == MAX_DEPTH:
            return field or "body", TOO_DEEP
        if isinstance(item, dict):
            children: list[tuple[str, Any, int, str, int]] = []
            for key, child in item.items():
                here = f"{path}.{key}" if path else str(key)
                if NUL in key:
                    return here.replace(NUL, "\\u0000"), REFUSED
                # A field is named by its path down to its second key (its first below any
                # wrapper object); array positions on the way are part of the name
                # (`clients[41].custom_fields`, `[0].customfields.k`).
                named = field if objects > 1 else here
                children.append((here, child, depth + 1, named, objects + 1))
            stack.extend(reversed(children))
        else:
            stack.extend(
                (f"{path}[{i}]", child, depth + 1, field, objects)
                for i, child in reversed(list(enumerate(item)))
            )
    return None
