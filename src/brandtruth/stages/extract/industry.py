"""Industry: one label from a small fixed taxonomy, with the terms that matched.

Scoring: each taxonomy term found (whole word, case-insensitive) in the title, meta description,
headings and main text counts once; schema.org types the site declares count triple (they are the
site's own statement). The best score wins if it reaches 2; otherwise the industry stays unknown.
"e-commerce / retail" describes how a brand sells rather than what, so a product industry with a
score of 3 or more takes precedence over it.
"""

from __future__ import annotations

import re

from brandtruth.models.brand import Industry

TAXONOMY: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # name: (terms, schema.org types)
    "software / SaaS": (
        (
            "software",
            "saas",
            "platform",
            "dashboard",
            "dashboards",
            "integrations",
            "api",
            "cloud",
            "app",
            "workflow",
            "automation",
            "analytics",
            "reporting",
            "free trial",
            "per user",
            "sign up",
        ),
        ("softwareapplication", "webapplication", "mobileapplication"),
    ),
    "e-commerce / retail": (
        (
            "shop",
            "add to cart",
            "free shipping",
            "returns",
            "collection",
            "in stock",
            "checkout",
            "order",
            "bestseller",
            "best-seller",
            "sizes",
            "shipping",
        ),
        ("product", "offer", "onlinestore", "store", "clothingstore"),
    ),
    "food & beverage": (
        (
            "coffee",
            "tea",
            "roast",
            "menu",
            "restaurant",
            "bakery",
            "recipes",
            "organic",
            "snack",
            "beverage",
            "brewed",
            "kitchen",
            "chef",
        ),
        ("restaurant", "foodestablishment", "bakery", "cafeorcoffeeshop", "menu", "recipe"),
    ),
    "home services": (
        (
            "plumbing",
            "plumber",
            "hvac",
            "roofing",
            "electrician",
            "cleaning",
            "repair",
            "installation",
            "emergency",
            "licensed",
            "insured",
            "estimate",
            "contractor",
            "landscaping",
            "remodeling",
        ),
        (
            "homeandconstructionbusiness",
            "plumber",
            "electrician",
            "hvacbusiness",
            "roofingcontractor",
            "housepainter",
            "locksmith",
            "generalcontractor",
        ),
    ),
    "health & wellness": (
        (
            "health",
            "wellness",
            "clinic",
            "therapy",
            "fitness",
            "nutrition",
            "supplement",
            "vitamins",
            "patients",
            "doctor",
            "dental",
            "yoga",
            "skincare",
        ),
        (
            "medicalbusiness",
            "medicalclinic",
            "dentist",
            "physician",
            "healthandbeautybusiness",
            "exercisegym",
            "healthclub",
        ),
    ),
    "finance": (
        (
            "bank",
            "banking",
            "loan",
            "loans",
            "mortgage",
            "invest",
            "investing",
            "insurance",
            "credit",
            "savings",
            "accounting",
            "tax",
            "payments",
        ),
        ("financialservice", "bankorcreditunion", "insuranceagency", "accountingservice"),
    ),
    "education": (
        (
            "courses",
            "course",
            "learn",
            "students",
            "classes",
            "tutoring",
            "school",
            "curriculum",
            "certificate",
            "lessons",
            "training",
        ),
        ("educationalorganization", "course", "school"),
    ),
    "travel & hospitality": (
        ("hotel", "travel", "booking", "rooms", "resort", "tours", "flights", "stay", "vacation"),
        ("hotel", "lodgingbusiness", "touristattraction", "travelagency"),
    ),
    "beauty & personal care": (
        ("beauty", "skincare", "cosmetics", "makeup", "salon", "hair", "serum", "fragrance", "spa"),
        ("beautysalon", "hairsalon", "dayspa"),
    ),
    "professional services": (
        ("consulting", "agency", "law", "legal", "attorney", "marketing agency", "design studio", "advisory"),
        ("professionalservice", "legalservice", "attorney"),
    ),
    "energy & utilities": (
        (
            "solar",
            "panels",
            "battery",
            "batteries",
            "energy",
            "electric bill",
            "kwh",
            "inverter",
            "utility",
            "rooftop",
            "ev charger",
            "heat pump",
        ),
        ("electrician", "energyprovider"),
    ),
    "home & living": (
        (
            "furniture",
            "decor",
            "home goods",
            "ceramics",
            "stoneware",
            "pottery",
            "bowls",
            "mugs",
            "plates",
            "candles",
            "bedding",
            "linen",
            "kitchenware",
            "handmade",
        ),
        ("furniturestore", "homegoodsstore"),
    ),
    "nonprofit": (("donate", "nonprofit", "non-profit", "charity", "volunteer", "mission"), ("ngo",)),
}


_PATTERNS = {
    name: re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")(?![\w-])"
    )
    for name, (terms, _types) in TAXONOMY.items()
}
MAX_TEXT = 30_000


def classify_industry(text: str, schema_types: list[str]) -> Industry | None:
    lowered = text[:MAX_TEXT].lower()
    types = set(schema_types)
    scored: list[tuple[int, str, list[str]]] = []
    for name, (terms, type_names) in TAXONOMY.items():
        found = set(_PATTERNS[name].findall(lowered))
        matched = [t for t in terms if t in found]
        typed = [t for t in type_names if t in types]
        scored.append((len(matched) + 3 * len(typed), name, [*(f"schema:{t}" for t in typed), *matched]))
    scored.sort(key=lambda s: -s[0])
    if not scored or scored[0][0] < 2:
        return None
    best = scored[0]
    if best[1] == ECOMMERCE:
        # Selling online is a channel; what is sold (coffee, furniture…) is the industry when the
        # text says so clearly.
        domain = next((s for s in scored if s[1] != ECOMMERCE and s[0] >= 3), None)
        if domain is not None:
            best = domain
    return Industry(name=best[1], matched_terms=best[2][:10])


ECOMMERCE = "e-commerce / retail"
