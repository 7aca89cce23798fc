"""Vendor hosts: a request whose Host header names a vendor's API host (api.ticketevolution.com,
a tenant's {name}.halopsa.com, ...) is served by that vendor's door at the vendor's own paths,
so a program that hard-codes the vendor's host and paths works once the name points at Rolodex
(an /etc/hosts line, a proxy that passes Host on). Which hosts go to which door is a setting
(`Settings.vendor_hosts`, ROLODEX_VENDOR_HOSTS).

The app (rolodex.doors.lane.LaneApp) does it first, before the hot lane and Starlette's routing,
by putting the door's prefix into the request's path: `GET /v9/clients` to
api.ticketevolution.com becomes `GET /tevo/v9/clients`, and from there on it is that request,
through the same lane, routes and handlers, so a door answers the same under both addressings.
`path` and `raw_path` are rewritten alike, the prefix after `root_path` (which stays the app's
mount point). What must see the path as the client sent it reads it from the scope:

- SENT_RAW_PATH: the `raw_path` before the rewrite (TEvo signs the path it was sent);
- ADDED_PREFIX: the prefix the rewrite added, so that a path the door hands back (a Location,
  where its token endpoint is) can be given as the client addresses it (`as_addressed`).

Both are absent from a request the rewrite left alone, which is every request to any other host
(127.0.0.1, localhost, the server's own name).

What it costs every request: one pass over the headers to find Host (it comes first, or nearly)
and one dict lookup. A Host value's answer (a door's prefix, or None) is remembered, so a port,
letter case and the wildcard suffixes are worked out once per distinct value, not per request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

SENT_RAW_PATH = "rolodex.sent_raw_path"
ADDED_PREFIX = "rolodex.door_prefix"
# Distinct Host values remembered (a client sending a new Host each time only refills it).
_REMEMBERED = 1024
_UNSEEN = ""  # a Host value not looked up yet (no door is mounted at "")


class VendorHosts:
    """Host names (and `*.suffix` wildcards) -> the mount point of the door that serves them."""

    def __init__(self, hosts: Iterable[tuple[str, str]], mounts: Mapping[str, str]) -> None:
        self.exact: dict[str, str] = {}
        self.wildcards: list[tuple[str, str]] = []  # (".halopsa.com", "/halo")
        for host, door in hosts:
            prefix = mounts[door]
            if host.startswith("*."):
                self.wildcards.append((host[1:], prefix))
            else:
                self.exact[host] = prefix
        # The most specific wildcard first: *.eu.example.com before *.example.com.
        self.wildcards.sort(key=lambda entry: len(entry[0]), reverse=True)
        self._seen: dict[bytes, str | None] = {}

    def __bool__(self) -> bool:
        return bool(self.exact or self.wildcards)

    def prefix_for(self, host: str) -> str | None:
        """The mount point serving `host` (a name, lower case, no port), or None."""
        found = self.exact.get(host)
        if found is not None:
            return found
        for suffix, prefix in self.wildcards:
            if host.endswith(suffix) and len(host) > len(suffix):
                return prefix
        return None

    def lookup(self, value: bytes) -> str | None:
        """The mount point serving a Host header's value (which may carry a port), or None."""
        seen = self._seen
        found = seen.get(value, _UNSEEN)
        if found == _UNSEEN:
            found = self.prefix_for(host_name(value))
            if len(seen) >= _REMEMBERED:
                seen.clear()
            seen[value] = found
        return found

    def route(self, scope: MutableMapping[str, Any]) -> None:
        """Rewrite an HTTP scope, in place, when its Host names a vendor host."""
        for name, value in scope["headers"]:
            if name == b"host":
                # `lookup`, its usual case inlined, as every request comes by here.
                prefix = self._seen.get(value, _UNSEEN)
                if prefix == _UNSEEN:
                    prefix = self.lookup(value)
                if prefix:
                    rewrite(scope, prefix)
                return


def host_name(value: bytes) -> str:
    """A Host header's name: lower case, without its port or a final dot. An IPv6 literal
    (`[::1]:8000`) is kept whole; no vendor host is one."""
    host = value.decode("latin-1").strip().lower()
    if host.startswith("["):
        return host
    return host.partition(":")[0].rstrip(".")


def rewrite(scope: MutableMapping[str, Any], prefix: str) -> None:
    """Serve the request as if `prefix` came first in its path (after root_path), keeping what
    was sent under SENT_RAW_PATH and the prefix under ADDED_PREFIX."""
    root: str = scope.get("root_path", "")
    path: str = scope["path"]
    if root and path.startswith(root):
        rest = path[len(root) :]
    else:
        root, rest = "", path
    if not rest.startswith("/"):
        return  # `OPTIONS *`: no door's path
    raw: bytes | None = scope.get("raw_path")
    scope[SENT_RAW_PATH] = raw if raw is not None else path.encode()
    scope[ADDED_PREFIX] = prefix
    scope["path"] = root + prefix + rest
    if raw is not None:
        head = root.encode()
        tail = raw[len(head) :] if head and raw.startswith(head) else raw
        scope["raw_path"] = head + prefix.encode() + tail


def sent_raw_path(scope: Mapping[str, Any]) -> bytes:
    """The request's path as the client sent it, percent-encoding and all."""
    sent: bytes | None = scope.get(SENT_RAW_PATH) or scope.get("raw_path")
    return sent if sent is not None else str(scope["path"]).encode()


def as_addressed(scope: Mapping[str, Any], path: str) -> str:
    """A path of this app (a door's prefix included) as the request's client addresses it:
    without the prefix when it came by a vendor host, which added it."""
    prefix: str | None = scope.get(ADDED_PREFIX)
    if prefix and path.startswith(prefix):
        return path[len(prefix) :]
    return path
