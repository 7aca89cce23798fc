"""The Connect page: each door's base URL, public credential parts and an example; rotating a
door's credentials shows the new ones once and the old stop working at once."""

from __future__ import annotations

import re

from tests.console.conftest import Browser
from tests.halo.conftest import token_for


def test_the_connect_page_shows_each_door_without_its_secrets(user: Browser) -> None:
    page = user.get("/connect")
    assert page.status_code == 200
    text = page.text
    creds = user.credentials
    for base in (
        "/v1",
        "/trackops",
        "/tevo",
        "/halo",
        f"/kickserv/{creds['trackops']['username']}",
    ):
        assert f"http://testserver{base}</code>" in text
    assert creds["tevo"]["token"] in text and creds["halo"]["client_id"] in text
    for secret in (
        creds["native"]["api_key"],
        creds["trackops"]["token"],
        creds["tevo"]["secret"],
        creds["halo"]["client_secret"],
        creds["kickserv"]["token"],
    ):
        assert secret not in text
    assert 'href="/v1/docs"' in text and 'href="/halo/docs"' in text


def test_rotating_a_door_shows_its_new_credentials_once_and_the_old_stop_working(
    user: Browser,
) -> None:
    old_key = user.credentials["native"]["api_key"]
    assert (
        user.http.get("/v1/clients", headers={"Authorization": f"Bearer {old_key}"}).status_code
        == 200
    )
    user.get("/connect")
    rotated = user.post("/connect/native/rotate")
    assert rotated.status_code == 200
    new_key = re.search(r'data-part="API key">(rdx_\w+)<', rotated.text).group(1)  # type: ignore[union-attr]
    assert new_key != old_key
    assert (
        user.http.get("/v1/clients", headers={"Authorization": f"Bearer {old_key}"}).status_code
        == 401
    )
    assert (
        user.http.get("/v1/clients", headers={"Authorization": f"Bearer {new_key}"}).status_code
        == 200
    )
    assert new_key not in user.get("/connect").text

    # Kickserv and Halo too (Halo's issued tokens die with its secret).
    old = user.credentials["kickserv"]["token"]
    slug = user.credentials["trackops"]["username"]
    assert user.http.get(f"/kickserv/{slug}/customers.json", auth=(old, old)).status_code == 200
    user.post("/connect/kickserv/rotate")
    assert user.http.get(f"/kickserv/{slug}/customers.json", auth=(old, old)).status_code == 401
    halo = user.credentials["halo"]
    token = token_for(user.http, user.credentials)
    bearer = {"Authorization": f"Bearer {token}"}
    assert user.http.get("/halo/api/Client", headers=bearer).status_code == 200
    again = user.post("/connect/halo/rotate")
    assert halo["client_id"] not in again.text.split('id="new-credentials"')[1].split("</div>")[0]
    assert user.http.get("/halo/api/Client", headers=bearer).status_code == 401


def test_rotation_needs_the_csrf_token_and_a_known_door(user: Browser) -> None:
    assert user.http.post("/connect/native/rotate", follow_redirects=False).status_code == 403
    user.get("/connect")
    assert user.post("/connect/gopher/rotate").status_code == 404
