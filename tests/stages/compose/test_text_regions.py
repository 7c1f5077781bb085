"""Baked-in text detection: finds drawn lines of type, ignores photos, grids and dot patterns."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from brandtruth.imaging.text_regions import TextRegion, detect_text, text_score
from brandtruth.stages.compose.fonts import BOLD, REGULAR, font

from .conftest import photo

pytestmark = pytest.mark.timeout(60)


def covers(region: TextRegion, box: tuple[int, int, int, int], slack: int = 4) -> bool:
    left, top, right, bottom = box
    return (
        region.left <= left + slack
        and region.top <= top + slack
        and region.right >= right - slack
        and region.bottom >= bottom - slack
    )


def overlaps(region: TextRegion, box: tuple[int, int, int, int]) -> bool:
    left, top, right, bottom = box
    return region.left < right and left < region.right and region.top < bottom and top < region.bottom


def int_box(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    left, top, right, bottom = box
    return int(left), int(top), int(right), int(bottom)


def card(
    size: tuple[int, int] = (1200, 630), light: bool = False
) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """A social card: gradient, two-line headline and a tagline; returns the drawn text boxes."""
    w, h = size
    xs = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
    a = np.array([235, 240, 245] if light else [20, 30, 70], np.float32)
    b = np.array([210, 225, 235] if light else [70, 40, 160], np.float32)
    arr = np.broadcast_to(a * (1 - xs) + b * xs, (h, w, 3))
    img = Image.fromarray(np.ascontiguousarray(arr).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    ink = (20, 20, 30) if light else (255, 255, 255)
    boxes: list[tuple[int, int, int, int]] = []
    for text, path, px, y in [
        ("Schedules that", BOLD, 64, 180),
        ("build themselves", BOLD, 64, 260),
        ("Free for teams of up to 10", REGULAR, 30, 380),
    ]:
        f = font(path, px)
        draw.text((80, y), text, font=f, fill=ink)
        boxes.append(int_box(draw.textbbox((80, y), text, font=f)))
    return img, boxes


@pytest.mark.parametrize("light", [False, True])
def test_finds_every_line_of_a_social_card(light: bool) -> None:
    img, boxes = card(light=light)
    regions = detect_text(np.asarray(img))
    assert regions
    for box in boxes:
        assert any(covers(r, box) for r in regions), (box, regions)
    assert text_score(regions, *img.size) == pytest.approx(1.0)
    headline = [r for r in regions if overlaps(r, boxes[0])]
    assert headline and headline[0].line_height >= 30


def test_small_label_on_a_product_scores_low() -> None:
    img = Image.fromarray(np.asarray(photo(1000, 1000, 5)))
    draw = ImageDraw.Draw(img)
    draw.rectangle((400, 420, 600, 520), fill=(245, 240, 230))
    f = font(BOLD, 24)
    draw.text((420, 455), "HOUSE BLEND", font=f, fill=(40, 25, 20))
    box = int_box(draw.textbbox((420, 455), "HOUSE BLEND", font=f))
    regions = detect_text(np.asarray(img))
    assert any(covers(r, box) for r in regions), regions
    assert text_score(regions, *img.size) < 0.15


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_photos_have_no_text(seed: int) -> None:
    assert detect_text(np.asarray(photo(1400, 1000, seed, busy=seed % 2 == 0))) == []


def test_grids_and_dots_are_not_text() -> None:
    """Lit office windows, wall tiles and a dotted map: rows of identical blobs, not words."""
    img = Image.new("RGB", (1400, 900), (40, 45, 70))
    draw = ImageDraw.Draw(img)
    for x in range(60, 1340, 34):  # window grid
        for y in range(80, 420, 40):
            draw.rectangle((x, y, x + 14, y + 20), fill=(250, 215, 120))
    for x in range(60, 1340, 9):  # dotted map
        for y in range(500, 860, 9):
            if (x // 9 + y // 9) % 3:
                draw.ellipse((x, y, x + 4, y + 4), fill=(120, 200, 170))
    assert detect_text(np.asarray(img)) == []
    tiles = Image.new("RGB", (1000, 1000), (235, 235, 238))
    td = ImageDraw.Draw(tiles)
    for x in range(0, 1000, 50):
        for y in range(0, 1000, 50):
            td.rectangle((x + 2, y + 2, x + 47, y + 47), outline=(205, 205, 210), width=2)
    assert detect_text(np.asarray(tiles)) == []


def test_regions_are_in_the_callers_pixels_and_capped() -> None:
    small, small_boxes = card()
    big = small.resize((2400, 1260), Image.Resampling.BICUBIC)
    regions = detect_text(np.asarray(big))
    # The card scaled x2: its lines are found where they are in the 2400 px image.
    for b in small_boxes:
        assert any(covers(r, (2 * b[0], 2 * b[1], 2 * b[2], 2 * b[3]), 12) for r in regions), (b, regions)
    many = Image.new("RGB", (1200, 1200), (250, 250, 250))
    d = ImageDraw.Draw(many)
    f = font(REGULAR, 22)
    for i in range(14):
        d.text((60 + (i % 2) * 600, 40 + i * 80), f"Line number {i} of text", font=f, fill=(10, 10, 10))
    assert 1 <= len(detect_text(np.asarray(many))) <= 8
