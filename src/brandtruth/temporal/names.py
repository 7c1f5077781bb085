"""Names shared by the workflow, the worker and clients (kept import-light for the sandbox)."""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

WORKFLOW_NAME = "AdPipelineWorkflow"

EXTRACT = "extract_brand"
GENERATE = "generate_copy"
MATCH = "match_images"
COMPOSE = "compose_creatives"
CONTACT_SHEET = "compose_contact_sheet"
SCORE = "score_variant"

QUERY_PROGRESS = "progress"
QUERY_EVENTS_SINCE = "events_since"
QUERY_SNAPSHOT = "snapshot"
UPDATE_APPROVE = "approve"
SIGNAL_APPROVE = "approve_variants"

PIPELINE_FAILED = "PipelineFailed"

PIPELINE_STAGE = SearchAttributeKey.for_keyword("PipelineStage")
