"""The `generate` stage: N grounded copy variants per requested platform.

This module only orchestrates: it picks the generator (template, or an LLM when configured and
keyed), runs every variant through the shared checks, numbers the survivors v1..vN across the
run, and reports what was dropped and why. Temporal activities and the fallback orchestrator
both call `generate_copy`.
"""

from __future__ import annotations

import asyncio

from brandtruth.models.brand import BrandProfile
from brandtruth.models.copy import CopyResult, CopyVariant, DroppedVariant, Platform
from brandtruth.models.stage_io import CopyInput
from brandtruth.stages.context import StageContext
from brandtruth.stages.copy.checks import RunRegistry
from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.template import Pools, build_pools, generate_template

EMPTY_PROFILE_WARNING = (
    "the profile has no usable claims or value propositions; variants only use the brand name, "
    "the site's own wording and its call to action"
)


def requested_platforms(platforms: list[Platform]) -> list[Platform]:
    """Requested platforms in order, without repeats; `meta` when none were named."""
    out: list[Platform] = []
    for p in platforms:
        if p not in out:
            out.append(p)
    return out or [Platform.META]


def number_variants(variants: list[CopyVariant]) -> list[CopyVariant]:
    """Ids v1..vN in run order (platform by platform)."""
    return [v.model_copy(update={"id": f"v{i}"}) for i, v in enumerate(variants, 1)]


def profile_warnings(pools: Pools) -> list[str]:
    warnings: list[str] = []
    if not pools.has_substance:
        warnings.append(EMPTY_PROFILE_WARNING)
    if pools.skipped:
        warnings.append(
            f"{pools.skipped} piece(s) of site wording were not used because they state facts the "
            "site's evidence does not support, or use blocked/avoided wording"
        )
    return warnings


def template_run(inp: CopyInput, allow_high_risk: bool) -> CopyResult:
    """The whole run with the offline generator (CPU only; call it in a worker thread)."""
    profile: BrandProfile = inp.profile
    index = SupportIndex(profile, allow_high_risk)
    pools = build_pools(profile, index)
    registry = RunRegistry()
    variants: list[CopyVariant] = []
    dropped: list[DroppedVariant] = []
    warnings = profile_warnings(pools)
    for platform in requested_platforms(inp.platforms):
        out = generate_template(
            profile, platform, inp.num_variants, inp.seed, inp.objective, index, registry, pools=pools
        )
        variants.extend(out.variants)
        dropped.extend(out.dropped)
        warnings.extend(out.warnings)
    return CopyResult(variants=number_variants(variants), dropped=dropped, warnings=warnings)


async def generate_copy(inp: CopyInput, ctx: StageContext) -> CopyResult:
    """Write grounded copy variants for every requested platform."""
    settings = ctx.settings
    result = await asyncio.to_thread(template_run, inp, settings.allow_high_risk_claims)
    ctx.heartbeat("copy generated")
    return result
