"""Match stage: rank candidate images per variant and format, spread across the run's variants."""

from brandtruth.stages.match.stage import match_images

__all__ = ["match_images"]
