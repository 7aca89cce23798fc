"""Which customers each filter of Kickserv's customer lists selects: by name, by the service
or billing address, by contact points and by Kickserv's own attributes. They are Kickserv's
alone, so they live in its door; the list pages them by customer number (a customer added
while a client pages through the list lands on the last page, and no page shifts under it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_

from rolodex.domain.pagination import Criterion, NumberedList, equals, equals_ignoring_case
from rolodex.domain.queries import CLIENT
from rolodex.doors.kickserv import wire
from rolodex.models import Address, Client, EmailAddress, Location, PhoneNumber, VendorAttributes

# Customer list filters that hold a vendor attribute's integer.
VENDOR_INTEGER_FILTERS = ("customer_source_id", "customer_type_id")


def _lower_eq(column: Any, param: Any) -> ColumnElement[bool]:
    return func.lower(column) == func.lower(param)


def _service_matches(column: str, param: Any) -> ColumnElement[bool]:
    """The service address: the primary location's, else the primary shipping address, else
    the primary address."""
    loc = getattr(Location, column)
    addr = getattr(Address, column)
    has_location = exists().where(Location.client_id == Client.id, Location.is_primary)
    has_shipping = exists().where(
        Address.client_id == Client.id, Address.is_primary_shipping.is_(True)
    )
    in_location = exists().where(
        Location.client_id == Client.id, Location.is_primary, _lower_eq(loc, param)
    )
    in_shipping = exists().where(
        Address.client_id == Client.id,
        Address.is_primary_shipping.is_(True),
        _lower_eq(addr, param),
    )
    in_primary = exists().where(
        Address.client_id == Client.id, Address.is_primary.is_(True), _lower_eq(addr, param)
    )
    return or_(
        in_location,
        and_(~has_location, or_(in_shipping, and_(~has_shipping, in_primary))),
    )


def _billing_matches(column: str, param: Any) -> ColumnElement[bool]:
    return exists().where(
        Address.client_id == Client.id,
        Address.is_primary_billing.is_(True),
        _lower_eq(getattr(Address, column), param),
    )


def _attribute_is(key: str, param: Any) -> ColumnElement[bool]:
    """The attribute, as text, is the parameter (12345 is "12345"): compared as text, so no
    stored value of another type can make the query fail."""
    return exists().where(
        VendorAttributes.entity == "client",
        VendorAttributes.entity_id == Client.id,
        VendorAttributes.vendor == wire.VENDOR,
        VendorAttributes.data[key].as_string() == param,
    )


def _phone_is(param: Any) -> ColumnElement[bool]:
    """One of the phone numbers, or the primary location's phone."""
    return or_(
        exists().where(PhoneNumber.client_id == Client.id, PhoneNumber.number == param),
        exists().where(
            Location.client_id == Client.id,
            Location.is_primary,
            Location.phone == param,
        ),
    )


def _name_like(name: str) -> Criterion:
    """The name matches a LIKE ... ESCAPE '\\' pattern, ignoring case."""
    return Criterion(name, lambda p: Client.name.ilike(p, escape="\\"))


def _on(prefix: str, key: str, matches: Callable[[str, Any], ColumnElement[bool]]) -> Criterion:
    """The filter `prefix_key`: `matches(key, value)`."""
    return Criterion(f"{prefix}_{key}", lambda p: matches(key, p))


CUSTOMERS = NumberedList(
    CLIENT,
    (
        equals("number", Client.number),
        equals_ignoring_case("name", Client.name),
        _name_like("name_contains"),
        _name_like("name_starts_with"),
        Criterion(
            "email",
            lambda p: exists().where(
                EmailAddress.client_id == Client.id, _lower_eq(EmailAddress.address, p)
            ),
        ),
        Criterion("phone", _phone_is),
        *(_on("service", c, _service_matches) for c in wire.SERVICE.values()),
        *(_on("billing", c, _billing_matches) for c in wire.BILLING.values()),
        *(_on("attribute", k, _attribute_is) for k in VENDOR_INTEGER_FILTERS),
    ),
    order_by=Client.number,
)
