"""Ticket Evolution dialect: /tevo/v9 (clients, addresses, phone numbers, email addresses,
companies)."""
