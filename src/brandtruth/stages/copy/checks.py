"""The one validation every variant passes, whoever wrote it: platform limits + grounding + uniqueness.

Template and LLM output go through `validate_variant`; the stage never returns a variant for
which it reported an issue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from brandtruth.models.copy import Angle, ClaimUse, CopyVariant, ProofUse
from brandtruth.platforms import PlatformSpec
from brandtruth.stages.copy.assertions import clip_quote, normalize_text
from brandtruth.stages.copy.grounding import GroundingReport, SupportIndex, variant_fields
from brandtruth.stages.copy.phrasing import HOST_LITERAL
from brandtruth.stages.copy.platforms import check_limits


@dataclass
class Validation:
    issues: list[str]
    warnings: list[str]
    report: GroundingReport

    @property
    def ok(self) -> bool:
        return not self.issues


def validate_variant(variant: CopyVariant, spec: PlatformSpec, index: SupportIndex) -> Validation:
    """Hard issues (limits, unsupported/blocked/avoided wording, IP addresses or host:port
    literals) and soft warnings."""
    limit_issues, warnings = check_limits(variant, spec)
    report = index.check_variant(variant)
    issues = [i.message for i in limit_issues] + [i.message for i in report.issues]
    for name, text in variant_fields(variant):
        m = HOST_LITERAL.search(text)
        if m:
            issues.append(f"{name}: shows the network address {m.group(0)!r}, which no reader can visit")
    for claim_id in report.high_risk:
        claim = index.claims.get(claim_id)
        reason = f" ({claim.risk_reason})" if claim and claim.risk_reason else ""
        warnings.append(f"uses high-risk claim {claim_id}{reason}; review before publishing")
    return Validation(issues, warnings, report)


def merge_claims(
    variant: CopyVariant, declared: list[ClaimUse], report: GroundingReport, index: SupportIndex
) -> list[ClaimUse]:
    """Declared claim uses whose span really is in the copy, plus every use the check found.

    Only claims of the profile that the run may use are kept (an LLM cannot cite an unknown or
    forbidden id), and each use carries the evidence quote and page it rests on.
    """
    texts = [t for _, t in variant_fields(variant)]
    forbidden = {c.id for c in index.forbidden}
    out: list[ClaimUse] = []
    seen: set[tuple[str, str]] = set()
    declared_keys = {(u.claim_id, u.span) for u in declared}
    for use in [*declared, *report.claims_used]:
        claim = index.claims.get(use.claim_id)
        key = (use.claim_id, use.span)
        if claim is None or claim.id in forbidden or key in seen or not use.span.strip():
            continue
        if not any(use.span in t for t in texts):
            continue
        if not use.quote:
            ev = claim.evidence[0]
            use = use.model_copy(update={"quote": clip_quote(ev.quote), "url": ev.url})
        seen.add(key)
        out.append(use)
    # A span the generator declared is kept as written; a span the check found is dropped when
    # a longer span of the same claim already covers it.
    return [
        u
        for u in out
        if (u.claim_id, u.span) in declared_keys
        or not any(o is not u and o.claim_id == u.claim_id and u.span in o.span and o.span != u.span for o in out)
    ]


def merge_proof(variant: CopyVariant, report: GroundingReport) -> list[ProofUse]:
    """Social-proof items the check found the copy repeating, each once per span."""
    texts = [t for _, t in variant_fields(variant)]
    out: list[ProofUse] = []
    for p in report.proof_used:
        if any(t for t in texts if p.span in t) and not any(
            o.kind == p.kind and o.index == p.index and o.span == p.span for o in out
        ):
            out.append(p)
    return out


def content_key(variant: CopyVariant) -> str:
    """Same text on two placements is fine; twice on one placement is a duplicate."""
    return f"{variant.platform.value}|{normalize_text(variant.primary_text)}"


def headline_key(angle: Angle, headline: str) -> tuple[Angle, str]:
    return angle, normalize_text(headline).rstrip(".!?")


@dataclass
class RunRegistry:
    """What a run has already used, so no two variants share angle+headline or text."""

    headlines: set[tuple[Angle, str]] = field(default_factory=set)
    bodies: set[str] = field(default_factory=set)
    # How often each piece of site content led a variant, on any platform: the next variant of an
    # angle leads with content the run has said least, so a run spreads over the site's claims.
    leads: dict[str, int] = field(default_factory=dict)

    def led(self, item_key: str) -> None:
        self.leads[item_key] = self.leads.get(item_key, 0) + 1

    def duplicate_reason(self, variant: CopyVariant) -> str | None:
        if headline_key(variant.angle, variant.headline) in self.headlines:
            return f"another {variant.angle.value} variant already has the headline {variant.headline!r}"
        if content_key(variant) in self.bodies:
            return f"another {variant.platform.value} variant already has the same primary text"
        return None

    def add(self, variant: CopyVariant) -> None:
        self.headlines.add(headline_key(variant.angle, variant.headline))
        self.bodies.add(content_key(variant))
