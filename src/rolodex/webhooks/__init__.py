"""Webhooks: the signing secrets (sealing), which addresses a URL may reach (addresses), the
HTTP delivery itself, signed per Standard Webhooks (sending), and the worker that claims due
deliveries, sends them and records the outcome (worker). Endpoints and the delivery queue's
SQL are rolodex.domain.webhooks and rolodex.domain.deliveries."""
