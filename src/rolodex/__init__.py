"""Rolodex: a self-hosted client registry with one core and five front doors."""

__version__ = "0.1.0"
