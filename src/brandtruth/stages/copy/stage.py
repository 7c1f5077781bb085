"""The `generate` stage: N grounded copy variants per requested platform.

This module only orchestrates: it picks the generator (template, or an LLM when configured and
keyed), runs every variant through the shared checks, numbers the survivors v1..vN across the
run, and reports what was dropped and why. Temporal activities and the fallback orchestrator
both call `generate_copy`.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from brandtruth.config import Settings
from brandtruth.models.brand import BrandProfile
from brandtruth.models.copy import CopyResult, CopyVariant, DroppedVariant, HeadlineRejection, Platform
from brandtruth.models.stage_io import CopyInput
from brandtruth.platforms import cta_label
from brandtruth.stages.context import StageContext
from brandtruth.stages.copy.checks import RunRegistry
from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.llm import Reply, generate_platform
from brandtruth.stages.copy.pools import Pools, build_pools
from brandtruth.stages.copy.template import PlatformWriter


class LLMClient(Protocol):
    """What the stage needs from a provider adapter."""

    @property
    def generator(self) -> str: ...

    async def ask(self, system: str, user: str, previous: Reply | None, feedback: str) -> Reply: ...

    async def aclose(self) -> None: ...


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
    writers = [
        PlatformWriter(profile, p, inp.num_variants, inp.seed, inp.objective, index, registry, pools)
        for p in requested_platforms(inp.platforms)
    ]
    # Slot by slot across platforms, so a small profile's distinct headlines are shared fairly
    # instead of the first platform taking them all.
    for slot in range(inp.num_variants):
        for pw in writers:
            pw.fill(slot)
    for pw in writers:
        out = pw.output()
        variants.extend(out.variants)
        dropped.extend(out.dropped)
        warnings.extend(out.warnings)
    return CopyResult(
        variants=number_variants(variants),
        dropped=dropped,
        warnings=warnings,
        headline_rejections=headline_rejections(pools),
    )


MAX_REJECTIONS = 40


def headline_rejections(pools: Pools) -> list[HeadlineRejection]:
    """The headline candidates the run turned down, with why (first ones first, capped: the
    result travels through workflow history)."""
    found = list(pools.judge.rejections.items())[:MAX_REJECTIONS]
    return [HeadlineRejection(headline=h, reason=r) for h, r in found]


def _prepare(inp: CopyInput, allow_high_risk: bool) -> tuple[SupportIndex, Pools]:
    index = SupportIndex(inp.profile, allow_high_risk)
    return index, build_pools(inp.profile, index)


async def llm_run(inp: CopyInput, ctx: StageContext, client: LLMClient, provider: str) -> CopyResult:
    """The run with an LLM writer; every variant still passes the template's checks."""
    index, pools = await asyncio.to_thread(_prepare, inp, ctx.settings.allow_high_risk_claims)
    registry = RunRegistry()
    variants: list[CopyVariant] = []
    dropped: list[DroppedVariant] = []
    warnings = profile_warnings(pools)
    try:
        for platform in requested_platforms(inp.platforms):
            out = await generate_platform(
                provider=provider,
                generator=client.generator,
                ask=client.ask,
                profile=inp.profile,
                platform=platform,
                count=inp.num_variants,
                seed=inp.seed,
                objective=inp.objective,
                index=index,
                registry=registry,
                pools=pools,
            )
            variants.extend(localised_ctas(out.variants, inp.profile.language))
            dropped.extend(out.dropped)
            warnings.extend(out.warnings)
            ctx.heartbeat(f"copy written for {platform.value}")
    finally:
        await client.aclose()
    return CopyResult(variants=number_variants(variants), dropped=dropped, warnings=warnings)


def localised_ctas(variants: list[CopyVariant], language: str) -> list[CopyVariant]:
    """Buttons in the page's language: an LLM picks the platform's (English) button name."""
    return [v.model_copy(update={"cta": cta_label(v.cta, language)}) for v in variants]


def make_llm_client(settings: Settings) -> tuple[LLMClient, str] | None:
    """The configured LLM client, or None when the template generator should run.

    The SDKs are imported here, when a key makes them needed: together they cost a worker ~75 MB
    and ~1 s of start-up that a template-only deployment never uses.
    """
    if settings.copy_generator == "anthropic" and settings.anthropic_api_key:
        from brandtruth.stages.copy.anthropic_gen import AnthropicCopyClient

        return AnthropicCopyClient(settings), "Anthropic"
    if settings.copy_generator == "openai" and settings.openai_api_key:
        from brandtruth.stages.copy.openai_gen import OpenAICopyClient

        return OpenAICopyClient(settings), "OpenAI"
    return None


async def generate_copy(inp: CopyInput, ctx: StageContext) -> CopyResult:
    """Write grounded copy variants for every requested platform.

    The generator is `settings.copy_generator`: "template" (default, offline), or "anthropic" /
    "openai" when that provider's API key is set. Rate limits, overload and timeouts of a
    provider raise retryable errors; a provider rejecting the request raises a non-retryable one.
    """
    settings = ctx.settings
    chosen = make_llm_client(settings)
    if chosen is None:
        result = await asyncio.to_thread(template_run, inp, settings.allow_high_risk_claims)
        if settings.copy_generator != "template":
            result.warnings.insert(
                0,
                f"copy generator {settings.copy_generator!r} is configured without an API key; "
                "used the offline template generator",
            )
        ctx.heartbeat("copy generated")
        return result
    client, provider = chosen
    return await llm_run(inp, ctx, client, provider)
