"""Request bodies in Kickserv's XML, read as Rails reads XML into params, and read safely.

Every public Kickserv client speaks the XML form of the API (`POST /customers.xml` with
`<customer><name>ABC Corp.</name></customer>`). Rails turns such a body into the params its
JSON twin would give (ActiveSupport's `Hash.from_xml`): the root element is the wrapper key,
dashes in element names are underscores (`<service-zip-code>` is `service_zip_code`; an
underscored name is taken as it is), `nil="true"` is null, an empty element is null unless
typed `string`, `type="array"` is a list of its children, an element with children is an
object, and a repeated element a list. Types a JSON body carries natively are kept
(`type="integer"`, `"float"`, `"boolean"`); every other value stays text, which the door's
casts read as they read a JSON string, so an XML body passes the very checks a JSON body does.

Safety, since the body is the caller's: the door's body limit bounds the size before parsing;
no document type declaration is read at all (so no entity is ever declared, expanded or fetched:
no "billion laughs", no external entity); elements may nest at most edge.MAX_DEPTH deep, the
bound JSON bodies have; Rails' own refusal of `type="yaml"` and `type="symbol"` is kept. Every
refusal is a MalformedRequest, which the door answers 400 in its XML error shape.

XML 1.0 cannot carry U+0000 (expat refuses it, raw or as `&#0;`), so the NUL check JSON bodies
need (rolodex.doors.edge) has nothing to find here.
"""

from __future__ import annotations

import math
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from rolodex.doors import edge, spine
from rolodex.errors import MalformedRequest

MAX_DEPTH = edge.MAX_DEPTH
# Rails refuses these type attributes (ActiveSupport::XMLConverter::DISALLOWED_TYPES).
DISALLOWED_TYPES = frozenset({"symbol", "yaml"})
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


class _Node:
    __slots__ = ("attrs", "children", "name", "text")

    def __init__(self, name: str, attrs: dict[str, str]) -> None:
        self.name = name
        self.attrs = attrs
        self.children: list[_Node] = []
        self.text: list[str] = []


class _TooDeep(Exception):
    pass


class _Builder:
    """The parser's target: the elements as plain nodes, refusing one nested too deep while
    the parser is still reading (before the rest of the body is looked at)."""

    def __init__(self) -> None:
        self.stack: list[_Node] = []
        self.root: _Node | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if len(self.stack) == MAX_DEPTH:
            raise _TooDeep
        node = _Node(_param_name(tag), {_param_name(k): v for k, v in attrs.items()})
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, tag: str) -> None:
        self.stack.pop()

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1].text.append(text)

    def close(self) -> _Node | None:
        return self.root


def _param_name(tag: str) -> str:
    """`service-zip-code` -> `service_zip_code`; a namespace (`{uri}name`) is dropped."""
    return tag.rpartition("}")[2].replace("-", "_")


def read(raw: bytes, max_bytes: int = spine.MAX_BODY_BYTES) -> dict[str, Any]:
    """The params of an XML body: `{root element: its value}`; `{}` for an empty body (as the
    door reads an empty JSON body)."""
    spine.check_size(raw, max_bytes)
    if not raw.strip():
        return {}
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    try:
        parser.feed(raw)
        root = parser.close()
    except ParseError as exc:
        raise MalformedRequest(f"The body is not well-formed XML: {exc}.") from None
    except DefusedXmlException:
        raise MalformedRequest(
            "The body must not hold a document type declaration (DTD) or entities."
        ) from None
    except _TooDeep:
        too_deep = f"The body must not nest deeper than {MAX_DEPTH} elements."
        raise MalformedRequest(too_deep) from None
    if root is None:  # pragma: no cover - expat refuses a document without an element
        raise MalformedRequest("The body holds no XML element.")
    return {root.name: _value(root)}


def _value(node: _Node) -> Any:
    """An element's value as Rails reads it into params."""
    attrs = node.attrs
    kind = attrs.get("type")
    if kind in DISALLOWED_TYPES:
        raise MalformedRequest(f'Disallowed type attribute: "{kind}"')
    if attrs.get("nil") == "true":
        return None
    if kind == "array":
        return [_value(child) for child in node.children]
    if node.children:
        out: dict[str, Any] = {}
        repeated: set[str] = set()
        for child in node.children:
            value = _value(child)
            if child.name in repeated:
                out[child.name].append(value)
            elif child.name in out:  # a repeated element is a list, as Rails reads it
                out[child.name] = [out[child.name], value]
                repeated.add(child.name)
            else:
                out[child.name] = value
        return out
    text = "".join(node.text)
    if not text:
        return "" if kind == "string" else None
    return _typed(kind, text)


def _typed(kind: str | None, text: str) -> Any:
    """The types a JSON body would carry natively become those; a value that does not read as
    its type stays text, for the door's casts to refuse with their usual message."""
    word = text.strip()
    if kind == "integer":
        digits = word.removeprefix("-")
        if digits.isascii() and digits.isdigit():
            return int(word)
    elif kind == "float":
        try:
            number = float(word)
        except ValueError:
            return text
        if math.isfinite(number):
            return number
    elif kind == "boolean":
        if word.lower() in _TRUE:
            return True
        if word.lower() in _FALSE:
            return False
    return text
