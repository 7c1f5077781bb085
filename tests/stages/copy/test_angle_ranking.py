"""Which angle leads: offer > proof > benefit > feature, and each variant on its own claim.

A media buyer runs the strongest message first: what the site offers (a discount, a trial, a
guarantee), then why to believe it (a rating with its source, a customer count, an award), then
what the customer gets, then how the product does it. Profiles are an English clinic and a German
shop, so the order rests on what a claim is, not on English offer words.
"""

from __future__ import annotations

import re

from brandtruth.models.brand import (
    BrandProfile,
    Claim,
    ClaimKind,
    CustomerCount,
    Evidence,
    Rating,
    Risk,
    SocialProof,
    Tone,
)
from brandtruth.models.copy import Angle, CopyVariant, Platform
from brandtruth.stages.copy.stage import template_run
from tests.support.copy_builders import copy_input

CLINIC = "https://www.harbourdental.test/"
SHOP = "https://www.kaffeeroesterei-lind.test/"


def _ev(site: str, quote: str, section: str = "") -> list[Evidence]:
    return [Evidence(url=site, quote=quote, section=section)]


def clinic(with_offer: bool = True) -> BrandProfile:
    claims = [
        Claim(
            id="award",
            text="Winner of the 2023 Harbour City Dental Award",
            kind=ClaimKind.AWARD,
            risk=Risk.LOW,
            evidence=_ev(CLINIC, "Winner of the 2023 Harbour City Dental Award"),
        ),
        Claim(
            id="xray",
            text="Digital X-rays with less radiation",
            kind=ClaimKind.FEATURE,
            risk=Risk.LOW,
            evidence=_ev(CLINIC, "Digital X-rays with less radiation than film"),
        ),
        Claim(
            id="lab",
            text="In-house lab for crowns and bridges",
            kind=ClaimKind.FEATURE,
            risk=Risk.LOW,
            evidence=_ev(CLINIC, "Our in-house lab for crowns and bridges saves you a second visit"),
        ),
    ]
    if with_offer:
        claims.insert(
            0,
            Claim(
                id="offer",
                text="20% off your first check-up",
                kind=ClaimKind.PRICING,
                risk=Risk.LOW,
                evidence=_ev(CLINIC, "New patients: 20% off your first check-up"),
            ),
        )
    return BrandProfile(
        url=CLINIC,
        brand_name="Harbour Dental",
        language="en",
        tagline="Your family dentist by the harbour",
        value_propositions=[
            "Same-day emergency appointments",
            "Gentle care for nervous patients",
            "Evening and weekend opening hours",
        ],
        site_ctas=["Book an appointment"],
        claims=claims,
        social_proof=SocialProof(
            ratings=[
                Rating(
                    value=4.9,
                    scale=5,
                    count=310,
                    source="json-ld",
                    platform="Google",
                    evidence=_ev(CLINIC, "Rated 4.9/5 on Google from 310 reviews"),
                )
            ],
            customer_counts=[
                CustomerCount(
                    text="Over 8,000 patients", value=8000, evidence=_ev(CLINIC, "Over 8,000 patients treated")
                )
            ],
        ),
        tone=Tone(reading_ease=65.0, exclamation_rate=0.0),
    )


def german_shop() -> BrandProfile:
    """A German coffee roaster: the offer is a guarantee and free shipping, in German words."""
    return BrandProfile(
        url=SHOP,
        brand_name="Rösterei Lind",
        language="de",
        tagline="Kaffee, frisch geröstet in Leipzig",
        value_propositions=["Jede Bohne von Hand verlesen", "Röstung erst nach Ihrer Bestellung"],
        site_ctas=["Jetzt bestellen"],
        claims=[
            Claim(
                id="ship",
                text="Kostenloser Versand ab 30 €",
                kind=ClaimKind.PRICING,
                risk=Risk.LOW,
                evidence=_ev(SHOP, "Kostenloser Versand ab 30 € Bestellwert"),
            ),
            Claim(
                id="mill",
                text="Mahlgrad nach Wunsch für jede Zubereitung",
                kind=ClaimKind.FEATURE,
                risk=Risk.LOW,
                evidence=_ev(SHOP, "Mahlgrad nach Wunsch für jede Zubereitung"),
            ),
        ],
        social_proof=SocialProof(
            ratings=[
                Rating(
                    value=4.8,
                    scale=5,
                    count=1200,
                    source="json-ld",
                    platform="Trusted Shops",
                    evidence=_ev(SHOP, "4,8/5 bei Trusted Shops aus 1.200 Bewertungen"),
                )
            ]
        ),
        tone=Tone(reading_ease=60.0, exclamation_rate=0.0),
    )


def _says(v: CopyVariant) -> str:
    return f"{v.headline} {v.primary_text}"


def test_offer_then_proof_then_benefit_then_feature() -> None:
    result = template_run(copy_input(clinic(), n=4), False)
    angles = [v.angle for v in result.variants]
    assert angles == [Angle.OFFER, Angle.SOCIAL_PROOF, Angle.BENEFIT, Angle.FEATURE]
    v1, v2, v3, v4 = result.variants
    assert "20% off" in _says(v1)
    assert re.search(r"4\.9/5|8,000 patients|Award", v2.headline)
    assert any(vp in _says(v3) for vp in ("Same-day emergency", "Gentle care", "Evening and weekend"))
    assert re.search(r"X-rays|lab", _says(v4), re.IGNORECASE)


def test_without_an_offer_proof_leads() -> None:
    result = template_run(copy_input(clinic(with_offer=False), n=3), False)
    assert [v.angle for v in result.variants] == [Angle.SOCIAL_PROOF, Angle.BENEFIT, Angle.FEATURE]


def test_every_platform_leads_with_the_offer() -> None:
    result = template_run(copy_input(clinic(), n=2, platforms=[Platform.META, Platform.LINKEDIN]), False)
    for platform in (Platform.META, Platform.LINKEDIN):
        mine = [v for v in result.variants if v.platform is platform]
        assert [v.angle for v in mine] == [Angle.OFFER, Angle.SOCIAL_PROOF]


def _lead_claim(v: CopyVariant, claim_words: dict[str, set[str]]) -> str | None:
    """The claim (or proof item) the variant leads with: its headline, which the body goes on
    from rather than repeats, else the body's opening sentence."""
    first = re.split(r"(?<=[.!?])\s", v.primary_text, maxsplit=1)[0].lower()
    for text in (v.headline.lower(), first):
        words = set(re.findall(r"[\w%/.,-]+", text))
        best = max(claim_words, key=lambda k: len(claim_words[k] & words))
        if claim_words[best] & words:
            return best
    return None


def test_n_variants_rest_on_n_distinct_claims() -> None:
    profile = clinic()
    result = template_run(copy_input(profile, n=6), False)
    assert len(result.variants) == 6
    stop = {"the", "and", "for", "with", "your", "our", "of", "a", "in", "on", "from", "harbour", "dental:"}
    things = {c.id: c.text for c in profile.claims}
    things["tagline"] = profile.tagline
    things |= {f"vp{i}": v for i, v in enumerate(profile.value_propositions)}
    things |= {"rating": "rated 4.9/5 google 310 reviews", "count": "over 8,000 patients"}
    claim_words = {k: {w for w in re.findall(r"[\w%/.,-]+", t.lower()) if w not in stop} for k, t in things.items()}
    leads = [_lead_claim(v, claim_words) for v in result.variants]
    assert None not in leads, [v.primary_text for v in result.variants]
    assert len(set(leads)) == 6, list(zip(leads, [v.primary_text for v in result.variants], strict=True))


def test_german_offer_and_proof_lead_without_english_offer_words() -> None:
    result = template_run(copy_input(german_shop(), n=3), False)
    angles = [v.angle for v in result.variants]
    assert angles[:2] == [Angle.OFFER, Angle.SOCIAL_PROOF], [(_says(v), v.angle) for v in result.variants]
    assert "Kostenloser Versand" in _says(result.variants[0])
    assert "Trusted Shops" in _says(result.variants[1])


FORMATION = "https://www.formation-finance.test/"
SARTEN = "https://www.sartenes-etxe.test/"


def french_course() -> BrandProfile:
    """A French course page: no offer; its proof is a count of people trained, worded in French."""
    return BrandProfile(
        url=FORMATION,
        brand_name="Finance Pratique",
        language="fr",
        tagline="Excel et Power BI pour la finance",
        value_propositions=["Un formateur qui répond sous 24 heures", "Un certificat reconnu par les recruteurs"],
        site_ctas=["Je réserve ma place"],
        claims=[
            Claim(
                id="count",
                text="Plus de 3 400 professionnels formés depuis 2019.",
                kind=ClaimKind.FACT,
                risk=Risk.LOW,
                evidence=_ev(FORMATION, "Plus de 3 400 professionnels formés depuis 2019."),
            ),
            Claim(
                id="online",
                text="Formation en ligne en 6 semaines",
                kind=ClaimKind.FEATURE,
                risk=Risk.LOW,
                evidence=_ev(FORMATION, "Formation en ligne en 6 semaines"),
            ),
        ],
        tone=Tone(reading_ease=55.0, exclamation_rate=0.0),
    )


def spanish_shop() -> BrandProfile:
    return BrandProfile(
        url=SARTEN,
        brand_name="Etxe",
        language="es",
        tagline="Sartenes de hierro fundido",
        value_propositions=["Una sartén para toda la vida"],
        site_ctas=["Añadir al carrito"],
        claims=[
            Claim(
                id="envio",
                text="Envío gratis en pedidos superiores a 50 €",
                kind=ClaimKind.PRICING,
                risk=Risk.LOW,
                evidence=_ev(SARTEN, "Envío gratis en pedidos superiores a 50 €"),
            ),
            Claim(
                id="stars",
                text="4,8 de 5 estrellas · 327 opiniones",
                kind=ClaimKind.FEATURE,
                risk=Risk.LOW,
                evidence=_ev(SARTEN, "4,8 de 5 estrellas · 327 opiniones"),
            ),
        ],
        tone=Tone(reading_ease=60.0, exclamation_rate=0.0),
    )


def test_french_count_of_people_trained_is_proof_and_leads_without_an_offer() -> None:
    v1 = template_run(copy_input(french_course(), n=2), False).variants[0]
    assert v1.angle is Angle.SOCIAL_PROOF
    assert "3 400 professionnels" in _says(v1)


def test_spanish_free_shipping_heads_the_offer_and_the_body_keeps_its_terms() -> None:
    v1, v2 = template_run(copy_input(spanish_shop(), n=2), False).variants
    assert v1.angle is Angle.OFFER and v1.headline == "Envío gratis"
    assert "superiores a 50 €" in v1.primary_text  # the condition is in the ad
    assert v2.angle is Angle.SOCIAL_PROOF and "4,8 de 5 estrellas" in _says(v2)


def test_a_second_platform_leads_with_the_next_benefit_rather_than_the_same_one() -> None:
    profile = clinic()
    result = template_run(copy_input(profile, n=3, platforms=[Platform.META, Platform.LINKEDIN]), False)
    benefits = [v for v in result.variants if v.angle is Angle.BENEFIT]
    assert len(benefits) == 2
    leads = []
    for v in benefits:
        first = re.split(r"(?<=[.!?])\s", v.primary_text, maxsplit=1)[0].lower()
        leads.append(next(vp for vp in profile.value_propositions if vp.lower() in first))
    assert leads[0] != leads[1], [v.primary_text for v in benefits]
