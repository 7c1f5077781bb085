"""BrandTruth: evidence-backed ad creatives from a brand's own website."""

__version__ = "0.1.0"
