"""Trackops dialect: /trackops/api/v1 (clients, client locations, client contacts)."""
