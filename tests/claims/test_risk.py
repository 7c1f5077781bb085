"""Risk classes are recognised in every language the claim model knows."""

from __future__ import annotations

import pytest

from brandtruth.claims.risk import RiskClass, Severity, find_risks


def classes(text: str) -> set[str]:
    return {h.cls.value for h in find_risks(text)}


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("Lowers blood pressure", RiskClass.HEALTH),
        ("Clinically proven", RiskClass.HEALTH),
        ("Klinisch getestet", RiskClass.HEALTH),
        ("Cliniquement prouvé", RiskClass.HEALTH),
        ("Earn passive income from your roof", RiskClass.FINANCIAL),
        ("Cut your electric bill by up to 90%", RiskClass.FINANCIAL),
        ("Satisfaction assured or your money returned", RiskClass.GUARANTEE),
        ("Geld-zurück-Garantie", RiskClass.GUARANTEE),
        ("Satisfait ou remboursé", RiskClass.GUARANTEE),
        ("Garantía de seis meses", RiskClass.GUARANTEE),
        ("Trusted by NASA", RiskClass.ENDORSEMENT),
        ("As featured in Forbes", RiskClass.ENDORSEMENT),
        ("Bekannt aus der Zeitung", RiskClass.ENDORSEMENT),
        ("Vu dans Le Monde", RiskClass.ENDORSEMENT),
        ("Five-star rated", RiskClass.RATING),
        ("Mit 5 Sternen bewertet", RiskClass.RATING),
        ("Award-winning support", RiskClass.AWARD),
        ("Premio al mejor taller", RiskClass.AWARD),
        ("ISO 27001 certified", RiskClass.CERTIFICATION),
        ("Demeter-zertifiziert", RiskClass.CERTIFICATION),
        ("Zero downtime", RiskClass.ABSOLUTE),
        ("Jamais d'attente", RiskClass.ABSOLUTE),
        ("Cheaper than Roto-Rooter", RiskClass.COMPARATIVE),
        ("Günstiger als jeder Discounter", RiskClass.COMPARATIVE),
        ("Más barato que Decathlon", RiskClass.COMPARATIVE),
        ("The #1 reporting tool", RiskClass.SUPERLATIVE),
        ("Die Nummer 1 in Baden-Württemberg", RiskClass.SUPERLATIVE),
        ("Le meilleur dentiste", RiskClass.SUPERLATIVE),
        # General forms, not one site's sentence: a refund worded as a condition, official-X endorsements,
        # body and value outcomes.
        ("Livré en 30 minutes ou la pizza est offerte", RiskClass.GUARANTEE),
        ("En 30 minutos o la pizza es gratis", RiskClass.GUARANTEE),
        ("Pünktlich oder die Lieferung ist kostenlos", RiskClass.GUARANTEE),
        ("Concesionario oficial de Yamaha", RiskClass.ENDORSEMENT),
        ("Official dealer for Trek bikes", RiskClass.ENDORSEMENT),
        ("Gentle on sensitive skin", RiskClass.HEALTH),
        ("Double the energy, all day", RiskClass.HEALTH),
        ("A sharper memory in weeks", RiskClass.HEALTH),
        ("Boosts your property value", RiskClass.FINANCIAL),
    ],
)
def test_risk_classes_in_several_languages(text: str, cls: RiskClass) -> None:
    assert cls.value in classes(text)


def test_curing_a_disease_is_forbidden_and_pain_free_is_a_policy_class() -> None:
    cure = [h for h in find_risks("Moonlight Decaf cures insomnia naturally") if h.cls is RiskClass.HEALTH]
    assert cure and cure[0].severity is Severity.FORBIDDEN
    pain = [h for h in find_risks("Pain-free dentistry guaranteed or your visit is free")]
    assert {h.cls for h in pain} >= {RiskClass.HEALTH, RiskClass.GUARANTEE}
    assert all(h.severity is not Severity.FORBIDDEN for h in pain)


@pytest.mark.parametrize(
    "text", ["Book meetings in seconds", "More than 10,000 users", "Latest reports, honest pricing"]
)
def test_plain_lines_carry_no_risk_class(text: str) -> None:
    assert classes(text) == set()


def test_a_free_offer_is_not_a_guarantee_unless_it_is_the_condition() -> None:
    assert RiskClass.GUARANTEE.value not in classes("Your first visit is free")
    assert RiskClass.GUARANTEE.value not in classes("Votre première consultation est offerte")
    assert RiskClass.GUARANTEE.value in classes("Pain-free or your visit is free")
