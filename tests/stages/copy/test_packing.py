"""The body under a headline goes on from it instead of saying it again."""

from __future__ import annotations

from brandtruth.stages.copy.packing import leaves_stub, pack_under_headline, repeats_headline


def pack(headline: str, required: list[str], optional: list[str] | None = None, cta: str = "Book now.") -> str:
    return pack_under_headline(headline, required, optional or [], cta, 250, False, "Harbor City Plumbing")


def test_the_body_goes_on_from_a_headline_that_ends_a_phrase() -> None:
    assert pack("Envío gratis", ["Envío gratis en pedidos superiores a 50 €."], cta="") == (
        "En pedidos superiores a 50 €."
    )
    assert pack("Tacoma’s trusted plumbers", ["Tacoma’s trusted plumbers, day or night."]) == "Day or night. Book now."
    # A whole-sentence headline: the body starts at the next sentence.
    assert pack("Drain cleaning from $149", ["Drain cleaning from $149.", "Free estimate."]) == (
        "Free estimate. Book now."
    )


def test_a_brand_label_does_not_hide_the_repeat() -> None:
    body = pack("Sewer line repair", ["Harbor City Plumbing: sewer line repair."], ["Leak detection & repair."])
    assert body == "Leak detection & repair. Book now."
    assert repeats_headline("Harbor City Plumbing: sewer line repair.", "Sewer line repair", "Harbor City Plumbing")
    branded = "Harbor City Plumbing: sewer line repair"
    assert pack(branded, [f"{branded}.", "Water heater installation."]) == "Water heater installation. Book now."


def test_a_headline_cut_mid_phrase_drops_the_lead_sentence_rather_than_continue_it() -> None:
    body = pack("Handmade stoneware", ["Handmade stoneware mugs and bowls."], ["Glazed by hand in Leeds."])
    assert body == "Glazed by hand in Leeds. Book now."  # not "Mugs and bowls."
    # Nothing else to say: only the call to action is left under the headline.
    assert pack("Handmade stoneware", ["Handmade stoneware mugs and bowls."]) == "Book now."
    # Before a function word the phrase is complete: the body goes on from it.
    assert pack("Power your home", ["Power your home with solar panels."]) == "With solar panels. Book now."


def test_a_body_that_does_not_repeat_is_left_alone() -> None:
    assert pack("Free estimate", ["Drain cleaning from $149."]) == "Drain cleaning from $149. Book now."
    quote = "“Fair price, explained everything.” — Jennifer S."
    assert pack("Fair price, explained everything", [quote]) == f"{quote} Book now."


def test_a_stub_of_the_lead_sentence_is_not_the_body() -> None:
    # "Power your home" over "With sunshine." reads as one sentence broken in two.
    assert leaves_stub("Power your home", "Power your home with sunshine. Free survey.")
    assert leaves_stub(
        "Harbor City Plumbing: Envío gratis", "Harbor City Plumbing: Envío gratis hoy.", "Harbor City Plumbing"
    )
    assert not leaves_stub("Power your home", "Power your home with solar panels.")
    assert not leaves_stub("Power your home with sunshine", "Power your home with sunshine. Free survey.")
    assert not leaves_stub("Free survey", "Power your home with sunshine.")
    body = pack("Power your home", ["Power your home with sunshine."], ["Panels installed in a single day."])
    assert body == "Panels installed in a single day. Book now."
