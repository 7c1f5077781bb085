"""Temporal integration: client, worker, embedded dev server, activities and the workflow."""
