"""Temporal workflows."""

from brandtruth.temporal.workflows.ad_pipeline import AdPipelineWorkflow

__all__ = ["AdPipelineWorkflow"]
