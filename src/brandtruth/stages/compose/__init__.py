"""Compose stage: finished ad creatives (PNG + layout record) per variant and format."""

from brandtruth.stages.compose.stage import compose_contact_sheet, compose_creatives

__all__ = ["compose_contact_sheet", "compose_creatives"]
