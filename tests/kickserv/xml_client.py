"""What a Kickserv XML client does: send `<customer>...</customer>` bodies as application/xml
and read Rails-style XML answers. `values` reads an answer back into the values its JSON twin
holds (keys underscored, types from the `type` attributes), so a test can compare the two
formats exactly."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from tests.kickserv.conftest import Kickserv

XML = "application/xml; charset=utf-8"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
SEND = {"Content-Type": "application/xml"}


def element(response: Any, status: int = 200) -> ET.Element:
    """The answer's root element, after checking its status and content type. (Our own
    answer: the tests parse it with the standard library, no defusing needed.)"""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == XML, response.headers
    assert response.text.startswith(DECLARATION), response.text[:80]
    return ET.fromstring(response.content)


def values(node: ET.Element) -> Any:
    """An element as Rails would read it back: the value its JSON twin holds."""
    kind = node.get("type")
    if node.get("nil") == "true":
        return None
    if kind == "array":
        return [values(child) for child in node]
    if len(node):
        return {child.tag.replace("-", "_"): values(child) for child in node}
    text = node.text or ""
    if kind == "integer":
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "boolean":
        assert text in ("true", "false"), text
        return text == "true"
    return text


def answer(response: Any, root: str, status: int = 200) -> Any:
    node = element(response, status)
    assert node.tag == root, ET.tostring(node)[:200]
    return values(node)


def xml_errors(response: Any, status: int) -> list[str]:
    """Rails' `<errors><error>...</error></errors>`, after checking its status and shape."""
    node = element(response, status)
    assert node.tag == "errors", response.text
    assert all(child.tag == "error" and not len(child) for child in node), response.text
    messages = [child.text or "" for child in node]
    assert messages, response.text
    return messages


def post_xml(ks: Kickserv, path: str, body: str | bytes, **headers: str) -> Any:
    content = body.encode() if isinstance(body, str) else body
    return ks.post(path, content=content, headers={**SEND, **headers})


def put_xml(ks: Kickserv, path: str, body: str | bytes, **headers: str) -> Any:
    content = body.encode() if isinstance(body, str) else body
    return ks.put(path, content=content, headers={**SEND, **headers})


def customer_xml(**fields: Any) -> str:
    """`<customer>` with each field as a dasherized element (a value of None is nil)."""
    parts = []
    for key, value in fields.items():
        tag = key.replace("_", "-")
        if value is None:
            parts.append(f'<{tag} nil="true"/>')
        else:
            parts.append(f"<{tag}>{value}</{tag}>")
    return f"<customer>{''.join(parts)}</customer>"
