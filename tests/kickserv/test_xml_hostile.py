"""Hostile XML bodies are refused safely: no entity is expanded or fetched, no DTD is read,
size and depth are bounded, and each refusal is a 400 in Rails' XML error shape that writes
nothing, whichever path or Content-Type carries the body."""

from __future__ import annotations

import time

import pytest

from rolodex.doors import spine
from rolodex.doors.kickserv import xml_bodies
from tests.kickserv.conftest import Kickserv, errors_of
from tests.kickserv.xml_client import post_xml, put_xml, xml_errors

DTD_REFUSED = "The body must not hold a document type declaration (DTD) or entities."

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<customer><name>&lol9;</name></customer>
"""
# The quadratic blow-up: one large entity referenced many times (no nesting to detect).
QUADRATIC = (
    f'<!DOCTYPE q [<!ENTITY a "{"x" * 50_000}">]><customer><name>{"&a;" * 10_000}</name></customer>'
)
EXTERNAL_FILE = """<?xml version="1.0"?>
<!DOCTYPE customer [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<customer><name>&xxe;</name></customer>
"""
EXTERNAL_URL = """<?xml version="1.0"?>
<!DOCTYPE customer [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>
<customer><name>&xxe;</name></customer>
"""
PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE customer [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<customer><name>x</name></customer>
"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE customer SYSTEM "http://127.0.0.1:9/customer.dtd">
<customer><name>x</name></customer>
"""
INTERNAL_DTD = """<!DOCTYPE customer [<!ELEMENT customer ANY>]>
<customer><name>x</name></customer>
"""

REFUSED_DTDS = {
    "billion laughs": BILLION_LAUGHS,
    "quadratic blow-up": QUADRATIC,
    "external entity (file)": EXTERNAL_FILE,
    "external entity (URL)": EXTERNAL_URL,
    "parameter entity": PARAMETER_ENTITY,
    "external DTD": EXTERNAL_DTD,
    "internal DTD": INTERNAL_DTD,
}


def nothing_written(ks: Kickserv) -> bool:
    return ks.ok(ks.get("/customers.json")) == [] and ks.native.all_clients() == []


@pytest.mark.parametrize("body", REFUSED_DTDS.values(), ids=REFUSED_DTDS.keys())
def test_a_dtd_is_refused_before_any_entity_is_read(ks: Kickserv, body: str) -> None:
    started = time.monotonic()
    response = post_xml(ks, "/customers.xml", body)
    assert xml_errors(response, 400) == [DTD_REFUSED]
    assert time.monotonic() - started < 5
    assert "root:" not in response.text and "lol" not in response.text
    assert nothing_written(ks)


@pytest.mark.parametrize("body", REFUSED_DTDS.values(), ids=REFUSED_DTDS.keys())
def test_a_dtd_is_refused_on_every_route_and_content_type(ks: Kickserv, body: str) -> None:
    ks.create_customer(name="Kept")
    assert xml_errors(put_xml(ks, "/customers/1.xml", body), 400) == [DTD_REFUSED]
    # Sent to the JSON path as XML, it is refused in the JSON door's shape.
    response = ks.post(
        "/customers.json", content=body.encode(), headers={"Content-Type": "text/xml"}
    )
    assert errors_of(response, 400) == {"base": [DTD_REFUSED]}
    note = post_xml(ks, "/customers/1/notes.xml", body.replace("customer", "note"))
    assert xml_errors(note, 400) == [DTD_REFUSED]
    assert [c["name"] for c in ks.ok(ks.get("/customers.json"))] == ["Kept"]
    assert ks.ok(ks.get("/customers/1/notes.json")) == []


def test_an_undeclared_entity_is_malformed(ks: Kickserv) -> None:
    [message] = xml_errors(post_xml(ks, "/customers.xml", "<customer>&xxe;</customer>"), 400)
    assert message.startswith("The body is not well-formed XML: undefined entity")
    assert nothing_written(ks)


def test_the_five_predefined_entities_and_character_references_are_read(ks: Kickserv) -> None:
    body = "<customer><name>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;</name></customer>"
    response = post_xml(ks, "/customers.xml", body)
    assert response.status_code == 200, response.text
    assert ks.ok(ks.get("/customers/1.json"))["name"] == "<>&\"'AB"


def test_nesting_is_bounded_as_json_nesting_is(ks: Kickserv) -> None:
    limit = xml_bodies.MAX_DEPTH
    # The root and `custom_text1` are two levels; 30 more make the limit exactly.
    inner = "<a>" * (limit - 2) + "x" + "</a>" * (limit - 2)
    at_limit = f"<customer><name>Deep</name><custom-text1>{inner}</custom-text1></customer>"
    messages = xml_errors(post_xml(ks, "/customers.xml", at_limit), 422)
    assert messages == ["Custom text1 must be a single value, not a list or an object"]
    deeper = "<a>" * 10_000 + "</a>" * 10_000
    too_deep = f"<customer><name>{deeper}</name></customer>"
    assert xml_errors(post_xml(ks, "/customers.xml", too_deep), 400) == [
        f"The body must not nest deeper than {limit} elements."
    ]
    assert nothing_written(ks)


def test_a_body_over_the_doors_limit_is_refused(ks: Kickserv) -> None:
    padding = "x" * (spine.MAX_BODY_BYTES - 100)
    fits = f"<customer><name>Big</name><custom-text1>{padding}</custom-text1></customer>"
    assert len(fits.encode()) <= spine.MAX_BODY_BYTES
    assert post_xml(ks, "/customers.xml", fits).status_code == 200
    too_big = (
        f"<customer><name>Big</name><custom-text1>{padding}{'x' * 200}</custom-text1></customer>"
    )
    assert xml_errors(post_xml(ks, "/customers.xml", too_big), 400) == [
        f"The body is larger than {spine.MAX_BODY_BYTES} bytes."
    ]
    assert len(ks.ok(ks.get("/customers.json"))) == 1


def test_many_elements_within_the_limit_are_read_once(ks: Kickserv) -> None:
    """A body of a hundred thousand elements (under 1 MB) costs one pass, and the repeated
    field is refused as a list, as a JSON list would be."""
    many = "<fax>1</fax>" * 80_000
    started = time.monotonic()
    response = post_xml(ks, "/customers.xml", f"<customer><name>M</name>{many}</customer>")
    assert xml_errors(response, 422) == ["Fax must be a string"]
    assert time.monotonic() - started < 10
    assert nothing_written(ks)


@pytest.mark.parametrize(
    ("body", "start"),
    [
        ("<customer><name>X</name>", "The body is not well-formed XML: no element found"),
        ("<customer><name>X</customer>", "The body is not well-formed XML: mismatched tag"),
        ("<customer>&#0;</customer>", "The body is not well-formed XML: reference to invalid"),
        ("<customer>\x00</customer>", "The body is not well-formed XML: not well-formed"),
        ("<customer/><customer/>", "The body is not well-formed XML: junk after document"),
        ("not xml at all", "The body is not well-formed XML: syntax error"),
        ('{"customer": {"name": "JSON"}}', "The body is not well-formed XML: not well-formed"),
    ],
)
def test_malformed_xml_is_400(ks: Kickserv, body: str, start: str) -> None:
    [message] = xml_errors(post_xml(ks, "/customers.xml", body), 400)
    assert message.startswith(start), message
    assert nothing_written(ks)


def test_invalid_utf8_is_malformed(ks: Kickserv) -> None:
    response = post_xml(ks, "/customers.xml", b"<customer><name>\xff\xfe</name></customer>")
    [message] = xml_errors(response, 400)
    assert message.startswith("The body is not well-formed XML")


def test_another_declared_encoding_is_read(ks: Kickserv) -> None:
    body = '<?xml version="1.0" encoding="ISO-8859-1"?><customer><name>Caf\xe9</name></customer>'
    response = post_xml(ks, "/customers.xml", body.encode("latin-1"))
    assert response.status_code == 200, response.text
    assert ks.ok(ks.get("/customers/1.json"))["name"] == "Caf\u00e9"


@pytest.mark.parametrize("kind", ["yaml", "symbol"])
def test_rails_disallowed_types_are_refused(ks: Kickserv, kind: str) -> None:
    body = f'<customer><name type="{kind}">--- !ruby/object:Kernel {{}}</name></customer>'
    assert xml_errors(post_xml(ks, "/customers.xml", body), 400) == [
        f'Disallowed type attribute: "{kind}"'
    ]
    assert nothing_written(ks)


def test_namespaces_and_processing_instructions_are_harmless(ks: Kickserv) -> None:
    body = (
        '<?xml-stylesheet href="http://127.0.0.1:9/x.xsl"?>'
        '<k:customer xmlns:k="urn:kickserv"><k:name>Spaced</k:name>'
        "<!-- a comment --><service-city>Lansing</service-city></k:customer>"
    )
    response = post_xml(ks, "/customers.xml", body)
    assert response.status_code == 200, response.text
    created = ks.ok(ks.get("/customers/1.json"))
    assert (created["name"], created["service_city"]) == ("Spaced", "Lansing")
