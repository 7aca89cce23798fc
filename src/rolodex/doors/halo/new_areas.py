"""The new clients of a POST /Client body, checked all first and then written in one batch
(rolodex.domain.batches: Core statements, not an ORM create per element).

Each element is checked by the same rules, in the same order, with the same error names as
`areas.write_area` creates one (parse, company, the client's fields, its company's existence,
its first sites, its main site), so the first refused element is answered exactly as before.
What `write_area` would have written becomes one row of the batch: the client, the company
found or made by `toplevel_name`, its sites (with their invoice addresses and attributes)
and its attributes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rolodex.domain import batches
from rolodex.domain.batches import ImportRow, NewLocation
from rolodex.domain.clients import NewClient
from rolodex.domain.fields import ADDRESS_FIELDS, COMPANY_FIELDS, LOCATION_FIELDS, clean
from rolodex.doors.documents import HALO_KIND
from rolodex.doors.halo.errors import halo_names
from rolodex.doors.halo.mapping import MISSING, custom_fields_of, parse_area, parse_site, reference
from rolodex.doors.halo.wire import (
    ADDRESS_STORE,
    AREA_ERROR_NAMES,
    INVOICE_ERROR_NAMES,
    INVOICE_LABEL,
    SITE_ERROR_NAMES,
    VENDOR,
)
from rolodex.errors import ValidationFailed
from rolodex.models import Company


def companies_named_by_id(
    session: Session, account_id: int, elements: Iterable[Mapping[str, Any]]
) -> set[int]:
    """Which of the companies the elements name by `toplevel_id` are the account's: one
    query for the batch (an element whose id is unreadable is refused when checked)."""
    wanted = set()
    for element in elements:
        try:
            ident = reference("toplevel_id", element.get("toplevel_id"))
        except ValidationFailed:
            continue
        if ident is not None:
            wanted.add(ident)
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(Company.id).where(Company.account_id == account_id, Company.id.in_(wanted))
        )
    )


def check(element: Mapping[str, Any], index: int, companies: set[int], prefix: str) -> ImportRow:
    """One new client, checked as `write_area` would create it, as a row of the batch;
    raises what `write_area` would. `companies`: the account's companies among those the
    batch names by id; `prefix`: how errors name the element's fields (`[3].`)."""
    with halo_names(AREA_ERROR_NAMES, prefix):
        area = parse_area(element)
        fields = dict(area.fields)
        company_name = None
        if area.toplevel_id not in (MISSING, None):
            fields["company_id"] = area.toplevel_id
        elif area.toplevel_name not in (MISSING, None):
            # Found by name, or made (the batch finds or makes each name once).
            with halo_names({"name": "toplevel_name"}):
                company_name = clean(COMPANY_FIELDS, {"name": area.toplevel_name}, partial=False)[
                    "name"
                ]
        elif area.toplevel_id is None:
            fields["company_id"] = None
        if area.customfields is not MISSING:
            fields["custom_fields"] = custom_fields_of(area.customfields)
        row = batches.prepare_new(NewClient(fields=fields), index)
        row.company = company_name
        company_id = row.client.get("company_id")
        if company_id is not None and company_id not in companies:
            raise ValidationFailed.one("company_id", f"no company with id {company_id}")
    row.locations = _first_sites(area.attributes, prefix)
    if not any(new.fields.get("is_primary") for new in row.locations):
        with halo_names(AREA_ERROR_NAMES, prefix):
            if area.main_site_name not in (MISSING, None):
                with halo_names({"name": "main_site_name"}):
                    main = clean(
                        LOCATION_FIELDS,
                        {"name": area.main_site_name, "is_primary": True},
                        partial=False,
                    )
                row.locations.append(NewLocation(main))
    row.attributes[VENDOR] = dict(area.attributes)
    # Each address written after the client bumped its version (what the ORM's create did).
    row.client["version"] = 1 + sum(1 for new in row.locations if new.address is not None)
    return row


def _first_sites(element: Mapping[str, Any], prefix: str) -> list[NewLocation]:
    """`newclient_sitename` (with `newclient_phonenumber` and `newclient_delivery_address`)
    as the main site, then each of `site_update`."""
    out: list[NewLocation] = []
    site_name = element.get("newclient_sitename")
    if isinstance(site_name, str) and site_name.strip():
        fields: dict[str, Any] = {"name": site_name, "is_primary": True}
        if element.get("newclient_phonenumber") is not None:
            fields["phone"] = element["newclient_phonenumber"]
        address = element.get("newclient_delivery_address")
        names = {"name": "newclient_sitename", "phone": "newclient_phonenumber"}
        if isinstance(address, dict):
            for key, column in ADDRESS_STORE.items():
                if key in address:
                    fields[column] = address[key]
                    names[column] = f"newclient_delivery_address.{key}"
        with halo_names(names, prefix):
            out.append(NewLocation(clean(LOCATION_FIELDS, fields, partial=False)))
    updates = element.get("site_update")
    if updates is None:
        return out
    if not isinstance(updates, list) or not all(isinstance(s, dict) for s in updates):
        raise ValidationFailed.one(f"{prefix}site_update", "must be a list of Site objects")
    for index, site in enumerate(updates):
        out.append(_site(site, f"{prefix}site_update[{index}]."))
    return out


def _site(element: Mapping[str, Any], prefix: str) -> NewLocation:
    """A site of `site_update`, as `sites.write_site` makes one for a new client."""
    with halo_names(SITE_ERROR_NAMES, prefix):
        site = parse_site(element)
        fields = clean(LOCATION_FIELDS, site.fields, partial=False)
    address = None
    if site.invoice and any(value not in (None, "") for value in site.invoice.values()):
        with halo_names(INVOICE_ERROR_NAMES, prefix):
            address = clean(ADDRESS_FIELDS, {**site.invoice, "label": INVOICE_LABEL}, partial=False)
    return NewLocation(fields, address, (VENDOR, dict(site.attributes)))


def write(session: Session, account_id: int, rows: list[ImportRow]) -> list[int]:
    """The checked rows, written in one batch; the new clients' ids, in order."""
    return batches.create_rows(session, account_id, rows, answer_kinds=(HALO_KIND,))
