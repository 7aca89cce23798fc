"""ORM tables. Importing this package registers every table on `Base.metadata`."""

from rolodex.models.access_token import AccessToken
from rolodex.models.account import Account, AccountCounter, Credential, Office
from rolodex.models.client import Client, ClientTag
from rolodex.models.company import Company
from rolodex.models.contact import Contact
from rolodex.models.contact_point import Address, EmailAddress, PhoneNumber
from rolodex.models.document import ClientDocument, DocumentBacklog
from rolodex.models.event import Event
from rolodex.models.idempotency import IdempotencyKey
from rolodex.models.job import Job
from rolodex.models.location import Location
from rolodex.models.note import Note
from rolodex.models.payment import Payment, PaymentApplication
from rolodex.models.state import StoredState
from rolodex.models.usage import RequestCount
from rolodex.models.vendor_attribute import VendorAttributes
from rolodex.models.webhook import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "AccessToken",
    "Account",
    "AccountCounter",
    "Address",
    "Client",
    "ClientDocument",
    "ClientTag",
    "Company",
    "Contact",
    "Credential",
    "DocumentBacklog",
    "EmailAddress",
    "Event",
    "IdempotencyKey",
    "Job",
    "Location",
    "Note",
    "Office",
    "Payment",
    "PaymentApplication",
    "PhoneNumber",
    "RequestCount",
    "StoredState",
    "VendorAttributes",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
