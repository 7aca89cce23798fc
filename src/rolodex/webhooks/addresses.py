"""Which addresses a webhook may reach. By default only public ones: a URL whose host is, or
resolves to, a private, loopback, link-local, multicast, reserved or unspecified address is
refused when an endpoint is created or changed, and again at every new connection, after the
name is resolved (the connection then goes to the address checked, so a name that resolves
elsewhere the second time, DNS rebinding, gains nothing). `ROLODEX_WEBHOOK_ALLOW_PRIVATE=true`
lifts this, for local development and tests."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from rolodex.errors import ValidationFailed

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
# How long a create or update waits on DNS before it lets a URL through unresolved (the
# delivery checks again, and a name that does not resolve cannot be delivered to anyway).
RESOLVE_SECONDS = 2.0
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(Exception):
    """A URL this server will not send to; the message says why (no secret in it)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as the URL names it (IPv6 without brackets)
    port: int
    path: str  # with the query


def parse(url: str) -> Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused(f"is not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused("must be an http or https URL")
    if not parts.hostname:
        raise Refused("must name a host")
    if parts.username is not None or parts.password is not None:
        raise Refused("must not carry credentials; authenticate the signature instead")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme, parts.hostname, port or (443 if scheme == "https" else 80), path)


def public(address: IP) -> bool:
    """Whether `address` is one the internet routes to anyone: not private, loopback,
    link-local, multicast, reserved or unspecified (IPv4 inside IPv6 judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in _NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            return public(inner)
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_unspecified
    )


def literal(host: str) -> IP | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def resolve(host: str, port: int) -> list[IP]:
    """Every address `host` resolves to (itself, for an address); socket.gaierror if none."""
    found = literal(host)
    if found is not None:
        return [found]
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[IP] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in out:
            out.append(address)
    return out


def allowed(addresses: list[IP], allow_private: bool) -> list[IP]:
    """The addresses a delivery may connect to; Refused when one is not public (a name that
    resolves to any private address is refused whole, not tried on its public ones)."""
    if not allow_private:
        for address in addresses:
            if not public(address):
                raise Refused(f"resolves to a non-public address ({address})")
    return addresses


def check_url(url: str, *, allow_private: bool, field: str = "url") -> str:
    """Refuse (ValidationFailed on `field`) a URL a webhook may not be sent to: not http(s),
    with credentials, or whose host is or resolves to a non-public address. A name that does
    not resolve within RESOLVE_SECONDS is let through: the delivery checks it again."""
    try:
        target = parse(url)
        if allow_private:
            return url
        address = literal(target.host)
        if address is not None:
            allowed([address], False)
            return url
        if target.host.lower() == "localhost" or target.host.lower().endswith(".localhost"):
            raise Refused("names this machine (localhost)")
        found: list[IP] = []

        def lookup() -> None:
            with contextlib.suppress(OSError, UnicodeError):
                found.extend(resolve(target.host, target.port))

        worker = threading.Thread(target=lookup, daemon=True)
        worker.start()
        worker.join(RESOLVE_SECONDS)
        allowed(list(found), False)
    except Refused as exc:
        raise ValidationFailed.one(field, str(exc)) from None
    return url
