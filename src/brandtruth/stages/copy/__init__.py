"""The `generate` stage: grounded, platform-exact ad copy variants from a BrandProfile."""

from brandtruth.stages.copy.stage import generate_copy

__all__ = ["generate_copy"]
