"""Pydantic v2 models shared by every layer (stages, Temporal, API, UI)."""
