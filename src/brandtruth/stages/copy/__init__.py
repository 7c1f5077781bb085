"""The `generate` stage: grounded, platform-exact ad copy variants from a BrandProfile.

Its error type is exported with it (the LLM clients that raise it load only when a key selects one),
so whoever imports the stage also knows the class: the worker's retry policy is built from the
loaded error classes and must list it as non-retryable before any request is made.
"""

from brandtruth.stages.copy.errors import LLMRequestRejectedError
from brandtruth.stages.copy.stage import generate_copy

__all__ = ["LLMRequestRejectedError", "generate_copy"]
