"""HTTP Basic credentials, read once for the three doors that take them (rolodex.doors.http_basic):
what cannot be read is refused as a bad credential, never a server error."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from rolodex.doors import http_basic

# A header's bytes reach the app as latin-1 text: these are four non-ASCII characters.
NOT_ASCII = b"Basic \xe9\xe9\xe9\xe9"


@pytest.mark.parametrize(
    ("header", "text"),
    [
        (None, None),
        ("", None),
        ("Bearer dXNlcjpwdw==", None),
        ("Basic dXNlcjpwdw==", "user:pw"),
        ("basic  dXNlcjpwdw== ", "user:pw"),
    ],
)
def test_a_basic_header_reads_as_its_user_password_text(header: str | None, text: str) -> None:
    assert http_basic.decoded(header) == text


@pytest.mark.parametrize("header", ["Basic not-base64!", "Basic /w==", NOT_ASCII.decode("latin-1")])
def test_what_is_not_base64_of_utf8_is_undecodable(header: str) -> None:
    with pytest.raises(http_basic.Undecodable):
        http_basic.decoded(header)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/kickserv/demo/customers.json"),
        ("GET", "/trackops/api/v1/clients"),
        ("POST", "/halo/auth/token"),
    ],
    ids=["kickserv", "trackops", "halo-token"],
)
def test_a_credential_that_is_not_ascii_is_refused_not_a_server_error(
    http: TestClient, method: str, path: str
) -> None:
    response = http.request(
        method,
        path,
        headers=[
            (b"authorization", NOT_ASCII),
            (b"content-type", b"application/x-www-form-urlencoded"),
        ],
        content=b"grant_type=client_credentials",
    )
    assert response.status_code == 401
