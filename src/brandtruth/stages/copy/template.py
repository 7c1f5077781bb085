"""The default copy generator: offline, deterministic, and built only from what the site says.

It never needs a network or a model. Copy is assembled from the profile's value propositions,
allowed (low/medium-risk, or high-risk when enabled) claims, social proof, tagline and site
CTAs, with several phrasings per angle chosen by a seeded RNG: the same profile and seed always
give the same variants, another seed gives other phrasings.

How it reads like an ad rather than a pile of site fragments:
- Site wording is tidied (`phrasing.tidy`) and section headings are left out ("Why teams switch
  to Clearbeam" is a heading, not a sentence to run).
- Content is sorted by what it is: social proof (testimonials with their authors, ratings,
  customer counts, awards, named customer results) is what the social-proof angle quotes;
  offers keep their small print; problem statements from the site open problem/solution ads.
- Headlines are whole phrases. A short phrase of the same angle is preferred to shortening a
  long one, and a shortened headline ends at a clause boundary or before a trailing modifier,
  never inside a noun phrase (`phrasing.shorter_phrases`). Bodies are whole sentences, and a
  body goes on from its headline instead of opening with the same words
  (`packing.pack_under_headline`).
- The CTA button is the platform button that best fits the site's own main action (a SaaS
  trial before a demo), labelled in the page's language ("Jetzt buchen" on a German page), and
  the closing line names a domain only when a reader could type it.
- Every headline candidate passes `headlines.HeadlineJudge`: never a section title, a UI label,
  a comment prompt, a person's name or the brand name alone; what it turns down is recorded in
  `CopyResult.headline_rejections` with the reason.
- The template adds only the glue words of `words.GLUE_WORDS` (English pages), none elsewhere.
- Slots are planned strongest first (conversions and leads): an offer the site states, then
  proof, then a benefit, then a feature; each angle's next variant rests on the content the run
  has led with least, so more of the site's distinct claims are used across variants and
  platforms.

Modules: `pools.py` collects grounded fragments by kind, `writer.py` drafts each angle,
`packing.py` fits drafts to a platform, this module places variants and plans angles.

Every fragment is grounding-checked *before* use (a value proposition that states an
unsupported number is simply not used), and every assembled variant is validated again by
`checks.validate_variant`; a candidate that fails is replaced by the next phrasing, and a slot
with no passing candidate is recorded as dropped.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass

from brandtruth.claims.headline_rules import opens_with
from brandtruth.models.brand import BrandProfile
from brandtruth.models.copy import Angle, ClaimUse, CopyVariant, DroppedVariant, Platform
from brandtruth.platforms import PlatformSpec, display_width, spec_for
from brandtruth.stages.copy.assertions import normalize_text
from brandtruth.stages.copy.checks import RunRegistry, merge_claims, merge_proof, validate_variant
from brandtruth.stages.copy.fragments import (
    Draft,
    Fragment,
    _numbers,
    _slug,
)
from brandtruth.stages.copy.grounding import SupportIndex
from brandtruth.stages.copy.packing import (
    _same_start,
    headline_options,
    leaves_stub,
    pack_under_headline,
    repeats_headline,
)
from brandtruth.stages.copy.pools import (
    Pools,
    build_pools,
)
from brandtruth.stages.copy.writer import (
    _Writer,
)

__all__ = [
    "GENERATOR_NAME",
    "PlatformWriter",
    "Pools",
    "TemplateOutput",
    "angle_capacity",
    "angle_plan",
    "build_pools",
    "generate_template",
]

GENERATOR_NAME = "template"

# Which angles lead, by campaign objective. A campaign that asks for action runs its strongest
# message first: what the site offers (a discount, a trial, a guarantee), then why to believe it
# (ratings with their source, customer counts, awards), then what the customer gets, then how
# the product does it. Awareness and traffic campaigns introduce the brand before selling it.
_OBJECTIVE_ORDER: dict[str, tuple[Angle, ...]] = {
    "conversions": (
        Angle.OFFER,
        Angle.SOCIAL_PROOF,
        Angle.BENEFIT,
        Angle.FEATURE,
        Angle.PROBLEM_SOLUTION,
        Angle.CURIOSITY,
    ),
    "leads": (
        Angle.OFFER,
        Angle.SOCIAL_PROOF,
        Angle.PROBLEM_SOLUTION,
        Angle.BENEFIT,
        Angle.FEATURE,
        Angle.CURIOSITY,
    ),
    "awareness": (
        Angle.BENEFIT,
        Angle.SOCIAL_PROOF,
        Angle.CURIOSITY,
        Angle.FEATURE,
        Angle.PROBLEM_SOLUTION,
        Angle.OFFER,
    ),
    "traffic": (
        Angle.CURIOSITY,
        Angle.BENEFIT,
        Angle.SOCIAL_PROOF,
        Angle.FEATURE,
        Angle.PROBLEM_SOLUTION,
        Angle.OFFER,
    ),
}


def _variants_from_draft(
    draft: Draft, writer: _Writer, spec: PlatformSpec, slot: int, pinned_only: bool = False
) -> Iterator[tuple[CopyVariant, list[ClaimUse]]]:
    """Variants of one draft, one per usable headline, best first (only the draft's pinned
    headlines when `pinned_only`)."""
    button, cta_line = draft.cta
    verbatim = writer.p.verbatim
    if spec.is_rsa:
        pool = writer.rsa_headlines(spec)
        descs = writer.rsa_descriptions(draft, spec)
        if not descs or not _same_start(descs[0], draft.required):
            return  # the ad's own message did not fit a description; another draft will
        terms = [t for t in writer.p.key_terms if " " in t] or writer.p.key_terms
        path1 = _slug(terms[0], spec.path_max) if terms else ""
        path2 = _slug(button, spec.path_max)
        groups = headline_options(
            draft.headlines, spec.rsa_headline_max, None, writer.p.brand, verbatim, draft.pinned, writer.p.judge
        )
        if pinned_only and draft.pinned:
            groups = groups[:1]
        own = [writer.cap(h) for h in writer.fresh_first(groups)[:4]]
        for lead in own:
            key = normalize_text(lead)
            rest = [h for h in pool if not normalize_text(h).startswith(key) and not key.startswith(normalize_text(h))]
            ordered = [lead, *rest]
            ordered = ordered[: spec.rsa_headlines_max]
            if len(ordered) < spec.rsa_headlines_min:
                continue
            # Shown under its lead headline, the first description goes on from it, not repeats it.
            under = sorted(descs, key=lambda d: repeats_headline(d, lead, writer.p.brand))
            if repeats_headline(under[0], lead, writer.p.brand):
                continue
            yield (
                CopyVariant(
                    id="v0",
                    platform=spec.platform,
                    angle=draft.angle,
                    headline=ordered[0],
                    primary_text=under[0],
                    description=under[1] if len(under) > 1 else "",
                    cta=button,
                    headlines=ordered,
                    descriptions=under,
                    path1=path1,
                    path2=path2,
                    generator=GENERATOR_NAME,
                ),
                draft.uses,
            )
        return
    groups = headline_options(
        draft.headlines,
        spec.headline_max,
        spec.headline_soft_max,
        writer.p.brand,
        verbatim,
        draft.pinned,
        writer.p.judge,
    )
    if pinned_only and draft.pinned:
        groups = groups[: 1 if spec.headline_soft_max is None else 2]
    # A headline under which only the call to action is left waits behind those with a body.
    thin: list[tuple[CopyVariant, list[ClaimUse]]] = []
    stubs: list[tuple[CopyVariant, list[ClaimUse]]] = []
    for headline in writer.fresh_first(groups):
        if spec.forbid_emoji_and_hash and "#" in headline:
            continue
        # The headline is not said again as an optional sentence of the body.
        hk = normalize_text(headline).rstrip(".!?")
        optional = [
            o for o in draft.optional if hk not in normalize_text(o) and normalize_text(o).rstrip(".!?") not in hk
        ]
        body = pack_under_headline(
            headline, draft.required, optional, cta_line, spec.primary_max, verbatim, writer.p.brand
        )
        if spec.forbid_emoji_and_hash:
            body = body.replace("#", "")
        if not body or display_width(body) < spec.primary_min:
            continue  # another headline may leave the body more to say
        description = ""
        if spec.platform in (Platform.META, Platform.LINKEDIN):
            shown = normalize_text(f"{headline} {body}")
            shown_numbers = _numbers(shown)
            description = next(
                (
                    d
                    for d in draft.descriptions
                    if display_width(d) <= spec.description_max
                    and normalize_text(d) not in shown
                    and not repeats_headline(d, headline, writer.p.brand)
                    and not opens_with(headline, d)
                    and not _numbers(d) & shown_numbers
                ),
                "",
            )
        made = (
            CopyVariant(
                id="v0",
                platform=spec.platform,
                angle=draft.angle,
                headline=headline,
                primary_text=body,
                description=description,
                cta=button,
                generator=GENERATOR_NAME,
            ),
            draft.uses,
        )
        # One that takes all but a stub of the body's lead sentence ("Power your home" of "Power
        # your home with sunshine.") comes last: the whole sentence or another line heads it first.
        if draft.required and leaves_stub(headline, draft.required[0], writer.p.brand):
            stubs.append(made)
        elif cta_line and body == cta_line:
            thin.append(made)
        else:
            yield made
    yield from thin
    yield from stubs


@dataclass
class TemplateOutput:
    variants: list[CopyVariant]
    dropped: list[DroppedVariant]
    warnings: list[str]


def _rng(profile: BrandProfile, seed: int, platform: Platform) -> random.Random:
    digest = hashlib.sha256(f"{seed}|{profile.url}|{profile.brand_name}|{platform.value}".encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def angle_capacity(pools: Pools, platform: Platform) -> dict[Angle, int]:
    """How many distinct pieces of content each angle can rest on, for this profile."""
    writer = _Writer(pools, platform, random.Random(0))
    return {a: len(writer.items(a)) for a in Angle}


def angle_plan(pools_items: dict[Angle, int], objective: str, count: int) -> list[Angle]:
    """Spread `count` slots over the angles that have content, round-robin in objective order."""
    order = _OBJECTIVE_ORDER.get(objective.lower(), _OBJECTIVE_ORDER["conversions"])
    remaining = {a: pools_items.get(a, 0) for a in order}
    plan: list[Angle] = []
    while len(plan) < count and any(remaining.values()):
        for angle in order:
            if len(plan) >= count:
                break
            if remaining[angle] > 0:
                plan.append(angle)
                remaining[angle] -= 1
    return plan


def _place(
    writer: _Writer,
    spec: PlatformSpec,
    index: SupportIndex,
    registry: RunRegistry,
    angle: Angle,
    slot: int,
    used_items: dict[Angle, int],
) -> tuple[CopyVariant | None, str]:
    """The first candidate for `angle` that is new to the run and passes every check."""
    reason = f"no content for the {angle.value} angle"
    # This angle's next unused content item first, then the others. An item whose own words
    # can still head it (an offer's terms) is preferred to one that would borrow a headline.
    for pinned_only in (True, False):
        variant_and_reason = _place_pass(writer, spec, index, registry, angle, slot, used_items, pinned_only)
        if variant_and_reason[0] is not None:
            return variant_and_reason
        reason = variant_and_reason[1] or reason
    return None, reason


def _item_key(item: Fragment | None) -> str:
    return normalize_text(item.text) if item is not None else ""


def _place_pass(
    writer: _Writer,
    spec: PlatformSpec,
    index: SupportIndex,
    registry: RunRegistry,
    angle: Angle,
    slot: int,
    used_items: dict[Angle, int],
    pinned_only: bool,
) -> tuple[CopyVariant | None, str]:
    items = writer.items(angle)
    start = used_items.get(angle, 0)
    reason = ""
    # This platform's next unused item first, but content another platform already led with
    # waits behind content the run has not said yet (a stable sort keeps the site's rank).
    order = [(start + offset) % len(items) for offset in range(len(items))]
    order.sort(key=lambda i: registry.leads.get(_item_key(items[i]), 0))
    for idx in order:
        for draft in writer.drafts(angle, items[idx], slot):
            if not pinned_only and not draft.pinned:
                continue  # tried in full in the first pass
            for variant, declared in _variants_from_draft(draft, writer, spec, slot, pinned_only):
                dup = registry.duplicate_reason(variant)
                if dup:
                    reason = dup
                    continue
                check = validate_variant(variant, spec, index)
                if not check.ok:
                    reason = "; ".join(check.issues[:3])
                    continue
                variant.claims_used = merge_claims(variant, declared, check.report, index)
                variant.proof_used = merge_proof(variant, check.report)
                variant.warnings = check.warnings
                registry.add(variant)
                registry.led(_item_key(items[idx]))
                writer.used_heads.add(normalize_text(variant.headline))
                used_items[angle] = idx + 1
                return variant, reason
    return None, reason


class PlatformWriter:
    """Fills one platform's slots one at a time, so a run can interleave platforms fairly."""

    def __init__(
        self,
        profile: BrandProfile,
        platform: Platform,
        count: int,
        seed: int,
        objective: str,
        index: SupportIndex,
        registry: RunRegistry,
        pools: Pools,
        angles: list[Angle] | None = None,
    ) -> None:
        self.platform = platform
        self.count = count
        self.index = index
        self.registry = registry
        self.spec = spec_for(platform)
        self.writer = _Writer(pools, platform, _rng(profile, seed, platform))
        self.capacity = {a: len(self.writer.items(a)) for a in Angle}
        self.fixed_angles = angles is not None
        self.plan = angles if angles is not None else angle_plan(self.capacity, objective, count)
        self.order = _OBJECTIVE_ORDER.get(objective.lower(), _OBJECTIVE_ORDER["conversions"])
        self.used_items: dict[Angle, int] = {}
        self.variants: list[CopyVariant] = []
        self.dropped: list[DroppedVariant] = []

    def fill(self, slot: int) -> None:
        """Write slot `slot` of the plan (no-op past its end)."""
        if slot >= len(self.plan):
            return
        angle = self.plan[slot]
        # The planned angle first; if none of its content yields a new, valid variant (say,
        # every headline is taken on another platform), any other angle with content may fill
        # the slot. Only when all fail is the slot dropped.
        tries = [angle]
        if not self.fixed_angles:
            tries += [a for a in self.order if a is not angle and self.capacity.get(a, 0) > 0]
        last_reason = f"no content for the {angle.value} angle"
        for try_angle in tries:
            placed, reason = _place(self.writer, self.spec, self.index, self.registry, try_angle, slot, self.used_items)
            if placed is not None:
                self.variants.append(placed)
                return
            if try_angle is angle:
                last_reason = reason
        self.dropped.append(DroppedVariant(platform=self.platform, angle=angle, reason=last_reason))

    def output(self) -> TemplateOutput:
        warnings: list[str] = []
        if len(self.variants) < self.count:
            warnings.append(
                f"{self.platform.value}: {len(self.variants)} distinct variant(s) instead of {self.count} — "
                "the page has too little to say for more without repeating an angle and headline, or heading "
                "an ad with a label, a name or site chrome"
            )
        return TemplateOutput(self.variants, self.dropped, warnings)


def generate_template(
    profile: BrandProfile,
    platform: Platform,
    count: int,
    seed: int,
    objective: str,
    index: SupportIndex,
    registry: RunRegistry,
    pools: Pools | None = None,
    angles: list[Angle] | None = None,
) -> TemplateOutput:
    """Up to `count` validated variants for one platform (ids are assigned by the caller)."""
    pw = PlatformWriter(
        profile, platform, count, seed, objective, index, registry, pools or build_pools(profile, index), angles
    )
    for slot in range(len(pw.plan)):
        pw.fill(slot)
    return pw.output()
