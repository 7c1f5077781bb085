"""FastAPI server: `/workflow` routes, SSE progress, artifacts, web UI."""
