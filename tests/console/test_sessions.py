"""Signing in and out of the web console: the cookie's flags, CSRF on every form, and one
account's session never reaching another account's clients."""

from __future__ import annotations

import time

from rolodex.console.session import COOKIE, ConsoleSession, Signer
from rolodex.domain import accounts
from rolodex.runtime import Runtime
from tests.console.conftest import Browser


def _cookie_header(response: object) -> str:
    headers = response.headers  # type: ignore[attr-defined]
    found = [v for v in headers.get_list("set-cookie") if v.startswith(COOKIE + "=")]
    assert len(found) == 1, headers
    return str(found[0])


def test_a_page_asks_a_visitor_to_sign_in_and_comes_back_after(visitor: Browser) -> None:
    response = visitor.get("/clients?q=acme")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fclients%3Fq%3Dacme"
    visitor.get(response.headers["location"])
    signed = visitor.post(
        "/sign-in",
        {"api_key": visitor.credentials["native"]["api_key"], "next": "/clients?q=acme"},
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/clients?q=acme"
    assert visitor.get("/clients?q=acme").status_code == 200


def test_the_session_cookie_is_httponly_samesite_strict_for_the_whole_site_and_expires(
    visitor: Browser,
) -> None:
    visitor.get("/sign-in")
    response = visitor.post("/sign-in", {"api_key": visitor.credentials["native"]["api_key"]})
    cookie = _cookie_header(response).lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/" in cookie
    max_age = int(cookie.split("max-age=")[1].split(";")[0])
    assert 7 * 3600 < max_age <= 8 * 3600
    assert "secure" not in cookie  # plain http here; over https the cookie is Secure


def test_a_wrong_api_key_is_refused_and_signs_nobody_in(visitor: Browser) -> None:
    visitor.get("/sign-in")
    response = visitor.post("/sign-in", {"api_key": "rdx_not-a-key"})
    assert response.status_code == 401
    assert "not valid" in response.text
    assert visitor.get("/clients").status_code == 303


def test_a_form_without_the_sessions_csrf_token_is_refused(user: Browser, runtime: Runtime) -> None:
    another = Signer.of(runtime.settings).csrf(ConsoleSession(1, None, "another", 0))
    for token in ("", "forged", another):
        response = user.http.post(
            "/clients/new", data={"csrf": token, "name": "Sneaky"}, follow_redirects=False
        )
        assert response.status_code == 403, token
        assert "CSRF" in response.text
    assert "Sneaky" not in user.get("/clients").text
    # The sign-in form and sign-out are forms too.
    assert user.http.post("/sign-out", data={}, follow_redirects=False).status_code == 403
    assert user.get("/clients").status_code == 200  # still signed in


def test_the_csrf_token_may_come_as_htmxs_header(user: Browser) -> None:
    response = user.http.post(
        "/clients/new",
        data={"name": "Through htmx"},
        headers={"X-CSRF-Token": user.csrf, "HX-Request": "true"},
        follow_redirects=False,
    )
    assert response.status_code == 204
    assert response.headers["HX-Location"].startswith("/clients/")


def test_a_token_from_before_sign_in_does_not_work_after_it(visitor: Browser) -> None:
    visitor.get("/sign-in")
    before = visitor.csrf
    visitor.post("/sign-in", {"api_key": visitor.credentials["native"]["api_key"]})
    response = visitor.http.post(
        "/clients/new", data={"csrf": before, "name": "Old token"}, follow_redirects=False
    )
    assert response.status_code == 403


def test_sign_out_clears_the_cookie_and_the_pages_ask_to_sign_in_again(user: Browser) -> None:
    response = user.post("/sign-out")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in"
    cookie = _cookie_header(response).lower()
    assert "max-age=0" in cookie
    assert user.get("/clients").status_code == 303


def test_a_tampered_or_expired_cookie_is_no_session(user: Browser, runtime: Runtime) -> None:
    signer = Signer.of(runtime.settings)
    cookie = user.http.cookies[COOKIE]
    body, mac = cookie.split(".")
    session = signer.load(cookie)
    assert session is not None and session.account_id == user.api.account_id
    forged = signer.dump(ConsoleSession(session.account_id + 1, None, "n", 2**40))
    for value in (f"{body}.{mac[:-2]}AA", forged.split(".")[0] + "." + mac):
        user.http.cookies.clear()
        user.http.cookies.set(COOKIE, value)
        assert user.get("/clients").status_code == 303
    expired = signer.dump(ConsoleSession(session.account_id, None, "n", int(time.time()) - 1))
    user.http.cookies.clear()
    user.http.cookies.set(COOKIE, expired)
    assert user.get("/clients").status_code == 303
    user.http.cookies.clear()
    user.http.cookies.set(COOKIE, cookie)  # the genuine one still works
    assert user.get("/clients").status_code == 200


def test_a_console_password_set_from_the_cli_signs_in(visitor: Browser, runtime: Runtime) -> None:
    slug = visitor.credentials["slug"]
    runtime.run_sync(
        lambda s: accounts.set_console_password(s, slug, "correct horse battery"), write=True
    )
    visitor.get("/sign-in")
    wrong = visitor.post("/sign-in", {"slug": slug, "password": "incorrect horse"})
    assert wrong.status_code == 401
    right = visitor.post("/sign-in", {"slug": slug, "password": "correct horse battery"})
    assert right.status_code == 303
    page = visitor.get("/clients")
    assert page.status_code == 200
    assert visitor.credentials["name"] in page.text


def test_a_short_console_password_is_refused(runtime: Runtime, visitor: Browser) -> None:
    slug = visitor.credentials["slug"]
    try:
        runtime.run_sync(lambda s: accounts.set_console_password(s, slug, "short"), write=True)
    except Exception as exc:
        assert "12 to 1024 characters" in str(exc)
    else:
        raise AssertionError("a short password was accepted")


def test_one_accounts_session_never_sees_another_accounts_client(
    user: Browser, other_user: Browser
) -> None:
    theirs = other_user.api.create_client(name="Their Secret Client")
    mine = user.api.create_client(name="My Own Client")
    cid = theirs["id"]
    assert user.get(f"/clients/{cid}").status_code == 404
    assert user.get(f"/clients/{cid}/edit").status_code == 404
    refused = user.post(f"/clients/{cid}/edit", {"name": "Taken over", "version": "1"})
    assert refused.status_code == 404
    assert user.post(f"/clients/{cid}/delete", {"version": "1"}).status_code == 404
    listed = user.get("/clients").text
    assert "My Own Client" in listed and "Their Secret Client" not in listed
    assert "Their Secret Client" not in user.get("/clients?q=secret").text
    assert other_user.api.get(f"/v1/clients/{cid}").json()["name"] == "Their Secret Client"
    assert other_user.get(f"/clients/{mine['id']}").status_code == 404
