"""Thin adapters between a platform and the runtime: no product logic here."""
