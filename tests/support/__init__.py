"""Shared test helpers (loopback fixture-site server, ...); imported by tests, never by src."""
