"""LLM headlines under the template's headline rules.

A model writes fluent headlines, but not always ones that work on a picture: eleven words, a
tagline with its middle cut out, a section title it found in the site data, or the description
saying the headline again. Every LLM headline goes through the run's `HeadlineJudge` (the same
rules the template's own candidates pass); one that fails is replaced by the template writer's
best judged headline for the same angle, the one closest to what the model's body says, and the
variant records why.
"""

from __future__ import annotations

import random
import re

from brandtruth.claims.headline_rules import repeats
from brandtruth.models.copy import Angle, CopyVariant
from brandtruth.platforms import PlatformSpec, display_width
from brandtruth.stages.copy.assertions import normalize_text
from brandtruth.stages.copy.checks import RunRegistry, headline_key
from brandtruth.stages.copy.fragments import _cap
from brandtruth.stages.copy.packing import headline_options
from brandtruth.stages.copy.pools import Pools
from brandtruth.stages.copy.writer import _Writer

REPEATED = "said again by the description"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def headline_problem(variant: CopyVariant, pools: Pools) -> str | None:
    """Why the variant's headline may not head it (the judge's reason), or None when it may."""
    reason = pools.judge.reason(variant.headline)
    if reason is not None:
        return reason
    if variant.description and repeats(variant.headline, variant.description):
        return REPEATED
    return None


def template_headlines(pools: Pools, spec: PlatformSpec, angle: Angle, seed: int) -> list[str]:
    """The template writer's judged headline candidates for `angle`, best first."""
    writer = _Writer(pools, spec.platform, random.Random(seed))
    limit = spec.rsa_headline_max if spec.is_rsa else spec.headline_max
    soft = None if spec.is_rsa else spec.headline_soft_max
    out: list[str] = []
    for item in writer.items(angle):
        for draft in writer.drafts(angle, item, 0):
            groups = headline_options(
                draft.headlines, limit, soft, pools.brand, pools.verbatim, draft.pinned, pools.judge
            )
            for head in (writer.cap(h) for g in groups for h in g):
                if head not in out:
                    out.append(head)
            break  # one draft per item: its headline candidates do not depend on the body phrasing
    return out


def replacement_headline(
    variant: CopyVariant, pools: Pools, spec: PlatformSpec, registry: RunRegistry, seed: int
) -> str | None:
    """The template's judged headline that best fits the model's body, new to the run."""
    body = _words(f"{variant.primary_text} {variant.description}")
    limit = spec.rsa_headline_max if spec.is_rsa else spec.headline_max
    fitting = [
        h
        for h in template_headlines(pools, spec, variant.angle, seed)
        if display_width(h) <= limit
        and headline_key(variant.angle, h) not in registry.headlines
        and not (variant.description and repeats(h, variant.description))
    ]
    if not fitting:
        return None
    # The closest to what the body says: a headline about another claim would not match the ad.
    return max(fitting, key=lambda h: len(_words(h) & body) / max(1, len(_words(h))))


def with_headline(variant: CopyVariant, headline: str) -> CopyVariant:
    """The variant headed by `headline` (an RSA's first asset too)."""
    update: dict[str, object] = {"headline": headline}
    if variant.headlines:
        key = normalize_text(headline)
        rest = [h for h in variant.headlines[1:] if normalize_text(h) != key]
        update["headlines"] = [headline, *rest]
    return variant.model_copy(update=update)


def judged_headline(
    variant: CopyVariant, pools: Pools, spec: PlatformSpec, registry: RunRegistry, seed: int, provider: str
) -> tuple[CopyVariant, str | None]:
    """The variant with a headline the rules allow, and a warning when it had to be replaced.

    (variant, None) when the model's headline passes; (variant with the template's headline,
    warning) when it does not; (variant, warning) unchanged when the template has nothing better,
    so the caller can treat it as a failed slot.
    """
    reason = headline_problem(variant, pools)
    if reason is None:
        return variant, None
    new = replacement_headline(variant, pools, spec, registry, seed)
    if new is None:
        return variant, f"{provider} headline {variant.headline!r} is {reason}, and no template headline fits"
    warning = f"{provider} headline {variant.headline!r} replaced by the template's {_cap(new)!r}: {reason}"
    return with_headline(variant, new), warning
