"""Kickserv's objects -> XML, as Rails' `to_xml` renders them (the shape Kickserv's v1 XML API
answers and its public clients read).

The objects are the JSON door's, rendered by render.py or stored as documents, so the two
formats cannot drift: an XML answer is its JSON twin, element for element. Rails' rules:

- element names are the keys dasherized (`service_zip_code` -> `<service-zip-code>`), in the
  object's order, indented by two spaces, under `<?xml version="1.0" encoding="UTF-8"?>`;
- a value that is not text says its type: `type="integer"`, `"boolean"`, `"decimal"`,
  `"float"`, `"dateTime"` (Rails' spelling), `"date"`, `"array"`; a null is `nil="true"`,
  with the type its field has (`<parent-id type="integer" nil="true"/>`);
- a list is `<children type="array">` of elements named in the singular (`<child>`), an empty
  one `<children type="array"/>`; an object inside an object is an element of elements;
- a list answer is `<customers type="array">` of `<customer>`; a hash that is not a record
  (`{"message": ...}`) is rooted at `<hash>`.

Text that XML 1.0 cannot carry (control characters other than tab and newline, lone
surrogates, U+FFFE/U+FFFF) is written as U+FFFD; a carriage return is written `&#13;`, which a
parser gives back as it was (a raw one would be read as a newline).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from starlette.responses import Response

from rolodex.doors.kickserv import wire
from rolodex.doors.spine import Reply

XML = "application/xml; charset=utf-8"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
HASH = "hash"  # the root of an answer that is not a record, as Rails names it

_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_INTEGER = re.compile(r"-?\d+")
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _is_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# What a text value must look like to be rendered with its field's type.
_TEXT_AS: dict[str, Callable[[str], object]] = {
    "integer": _INTEGER.fullmatch,
    "decimal": _NUMBER.fullmatch,
    "float": _NUMBER.fullmatch,
    "dateTime": _is_datetime,
    "date": _is_date,
}


def document(value: Any, root: str, item: str) -> bytes:
    """An answer: a list as `<{item}s type="array">` of `<{item}>`, an object as `<{root}>`."""
    out = [DECLARATION]
    if isinstance(value, list):
        _array(out, plural(item), item, value, "")
    else:
        _element(out, root, value, "")
    return "".join(out).encode()


def errors(messages: list[str]) -> bytes:
    """Rails' `errors.to_xml`: `<errors><error>Name can't be blank</error></errors>`."""
    out = [DECLARATION, "<errors>\n"]
    out += [f"  <error>{_escape(m)}</error>\n" for m in messages]
    out.append("</errors>\n")
    return "".join(out).encode()


def singular(name: str) -> str:
    if name == "children":
        return "child"
    if name.endswith("ies"):
        return name[:-3] + "y"
    return name.removesuffix("s")


def plural(name: str) -> str:
    return f"{name}s"


def _element(out: list[str], key: str, value: Any, indent: str) -> None:
    tag = key.replace("_", "-")
    if value is None:
        kind = wire.XML_TYPES.get(key)
        typed = f' type="{kind}"' if kind else ""
        out.append(f'{indent}<{tag}{typed} nil="true"/>\n')
    elif isinstance(value, dict):
        if not value:
            out.append(f"{indent}<{tag}></{tag}>\n")
            return
        out.append(f"{indent}<{tag}>\n")
        inner = indent + "  "
        for name, child in value.items():
            _element(out, name, child, inner)
        out.append(f"{indent}</{tag}>\n")
    elif isinstance(value, list):
        _array(out, key, singular(key), value, indent)
    else:
        kind, text = _typed(key, value)
        typed = f' type="{kind}"' if kind else ""
        out.append(f"{indent}<{tag}{typed}>{_escape(text)}</{tag}>\n")


def _array(out: list[str], key: str, item: str, values: list[Any], indent: str) -> None:
    tag = key.replace("_", "-")
    if not values:
        out.append(f'{indent}<{tag} type="array"/>\n')
        return
    out.append(f'{indent}<{tag} type="array">\n')
    inner = indent + "  "
    for value in values:
        _element(out, item, value, inner)
    out.append(f"{indent}</{tag}>\n")


def _typed(key: str, value: Any) -> tuple[str | None, str]:
    """(type attribute, text) of a scalar: from the value itself, or from the field's type for
    text that reads as one (a decimal string, a time)."""
    declared = wire.XML_TYPES.get(key)
    if isinstance(value, bool):
        return "boolean", "true" if value else "false"
    if isinstance(value, int):
        return (declared if declared in ("decimal", "float") else "integer"), str(value)
    if isinstance(value, float):
        return (declared if declared == "decimal" else "float"), repr(value)
    text = str(value)
    check = _TEXT_AS.get(declared or "")
    if check is not None and check(text):
        return declared, text
    return None, text


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if _UNWRITABLE.search(text):
        text = _UNWRITABLE.sub("\ufffd", text)
    return text


@dataclass
class XmlReply(Reply):
    """A handler's Reply, answered in XML: `root` names the element an object answer is rooted
    at, `item` the element of one record in a list answer."""

    root: str = HASH
    item: str = "record"

    def response(self, media_type: str = XML) -> Response:
        if self.body is None:
            return Response(status_code=self.status, headers=self.headers)
        # A stored document is a JSON fragment: read back through JSON, it is what the JSON
        # twin answers, as plain values.
        value = orjson.loads(orjson.dumps(self.body))
        content = document(value, self.root, self.item)
        return Response(content, self.status, headers=self.headers, media_type=XML)
