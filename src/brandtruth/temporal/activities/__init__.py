"""Stage activities: thin wrappers that call the stage functions in `brandtruth.stages`."""

from brandtruth.temporal.activities.stages import PipelineActivities

__all__ = ["PipelineActivities"]
