"""Stage order, progress bookkeeping and the in-process fallback orchestrator."""
