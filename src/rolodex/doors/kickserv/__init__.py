"""Kickserv dialect: /kickserv/{slug} (customers, notes, jobs, payments)."""
