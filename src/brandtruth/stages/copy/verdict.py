"""One verdict per ad line: the truth gate as `brandtruth check-copy` and the API report it.

The same `SupportIndex.check_text` the generators pass through, read as
`supported` (no issue), `blocked` (a policy class or a claim the profile marks blocked/high-risk
while high-risk claims are not allowed) or `unsupported` (anything else the evidence does not
carry), with each issue's span, reason and class, and the quotes the supported parts rest on.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from pydantic import BaseModel, Field

from brandtruth.stages.copy.assertions import clip_quote
from brandtruth.stages.copy.grounding import GroundingReport, SupportIndex
from brandtruth.stages.copy.truth import text_stems

MAX_LINE_CHARS = 2000

VerdictName = Literal["supported", "unsupported", "blocked", "error"]


class LineIssue(BaseModel):
    span: str
    reason: str
    cls: str = Field(alias="class", serialization_alias="class")

    model_config = {"populate_by_name": True}


class LineEvidence(BaseModel):
    span: str
    quote: str
    url: str


class LineVerdict(BaseModel):
    text: str
    verdict: VerdictName
    issues: list[LineIssue] = Field(default_factory=list)
    evidence: list[LineEvidence] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    error: str | None = None


_BLOCKING = {"blocked", "high_risk_disallowed"}


def line_problem(text: str) -> str | None:
    """Why a line cannot be checked at all (empty, too long, control characters), or None."""
    if not text.strip():
        return "empty line"
    if len(text) > MAX_LINE_CHARS:
        return f"line is {len(text)} characters long; the limit is {MAX_LINE_CHARS}"
    bad = next((ch for ch in text if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"} and ch != "\t"), None)
    if bad is not None:
        return f"line contains the control character U+{ord(bad):04X}"
    return None


def check_line(index: SupportIndex, text: str) -> LineVerdict:
    """The gate's verdict on one ad line."""
    problem = line_problem(text)
    if problem:
        return LineVerdict(text=text[:200], verdict="error", error=problem)
    report = GroundingReport()
    index.check_text("line", text, report)
    issues = [
        LineIssue(span=i.text, reason=i.message.removeprefix("line: "), cls=i.cls or i.kind) for i in report.issues
    ]
    if any(i.kind in _BLOCKING for i in report.issues):
        verdict: VerdictName = "blocked"
    elif report.issues:
        verdict = "unsupported"
    else:
        verdict = "supported"
    evidence = [LineEvidence(span=u.span, quote=u.quote, url=u.url) for u in report.claims_used]
    evidence += [LineEvidence(span=p.span, quote=p.quote, url=p.url) for p in report.proof_used]
    if verdict == "supported" and not evidence:
        best = closest_quote(index, text)
        if best is not None:
            evidence.append(best)
    return LineVerdict(text=text, verdict=verdict, issues=issues, evidence=evidence, warnings=list(report.flags))


def closest_quote(index: SupportIndex, text: str) -> LineEvidence | None:
    """The evidence quote sharing the most words with a line that states no figure ("Connect every
    source in minutes" → the site's own sentence), so every supported line shows where it comes from."""
    words = text_stems(text, index.truth.langs)
    best, best_score = None, 0
    for src in index.sources:
        if src.offer_only:
            continue
        score = len(words & src.wstems)
        if score > best_score:
            best, best_score = src, score
    if best is None:
        return None
    return LineEvidence(span=text, quote=clip_quote(best.quote), url=best.url)


def check_lines(index: SupportIndex, texts: list[str]) -> list[LineVerdict]:
    return [check_line(index, t) for t in texts]
