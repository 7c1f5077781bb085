"""Extract stage: a brand's website → a `BrandProfile` whose every claim quotes the site."""

from brandtruth.stages.extract.stage import extract_brand, warm_up

__all__ = ["extract_brand", "warm_up"]
