"""Pillow drawing primitives shared by the layout steps: antialiased rounded fills, text blocks
placed by their first line's ascender, their measured ink boxes and layout records."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageDraw

from brandtruth.imaging.color import (
    RGB,
    measured_contrast,
    to_hex,
)
from brandtruth.models.common import Box
from brandtruth.models.creative import TextBox
from brandtruth.stages.compose.faces import family_of
from brandtruth.stages.compose.fonts import font
from brandtruth.stages.compose.geometry import pixels_in
from brandtruth.stages.compose.typeset import TextBlock

_SUPERSAMPLE = 3


def rounded_mask(size: tuple[int, int], radius: int) -> Image.Image:
    """An antialiased rounded-rectangle mask ('L'), drawn supersampled then reduced."""
    w, h = size
    big = Image.new("L", (w * _SUPERSAMPLE, h * _SUPERSAMPLE), 0)
    ImageDraw.Draw(big).rounded_rectangle(
        (0, 0, w * _SUPERSAMPLE - 1, h * _SUPERSAMPLE - 1), radius=radius * _SUPERSAMPLE, fill=255
    )
    return big.reduce(_SUPERSAMPLE)


def fill_rounded(canvas: Image.Image, box: Box, color: RGB, radius: int) -> None:
    mask = rounded_mask((box.width, box.height), radius)
    canvas.paste(Image.new("RGB", (box.width, box.height), color), (box.left, box.top), mask)


@dataclass
class Placed:
    block: TextBlock
    x: int
    y: int  # top of the block (ascender line of the first line)

    def baselines(self) -> list[int]:
        return [self.y + self.block.ascent + i * self.block.line_height for i in range(len(self.block.lines))]


def ink_box(draw: ImageDraw.ImageDraw, placed: Placed) -> Box:
    f = font(placed.block.path, placed.block.size)
    boxes = [
        draw.textbbox((placed.x, base), line, font=f, anchor="ls")
        for line, base in zip(placed.block.lines, placed.baselines(), strict=True)
    ]
    return Box(
        left=int(min(b[0] for b in boxes)),
        top=int(min(b[1] for b in boxes)),
        right=int(max(b[2] for b in boxes)),
        bottom=int(max(b[3] for b in boxes)),
    )


def draw_block(draw: ImageDraw.ImageDraw, placed: Placed, color: RGB) -> None:
    f = font(placed.block.path, placed.block.size)
    for line, base in zip(placed.block.lines, placed.baselines(), strict=True):
        draw.text((placed.x, base), line, font=f, fill=color, anchor="ls")


def text_record(
    role: str, placed: Placed, box: Box, color: RGB, canvas: Image.Image, contrast: float | None = None
) -> TextBox:
    """The layout record of a text block, with contrast measured on the pixels about to be behind it."""
    if contrast is None:
        contrast = measured_contrast(color, pixels_in(canvas, box))
    return TextBox(
        role=role,
        text=placed.block.text,
        box=box,
        font_size=placed.block.size,
        contrast=math.floor(contrast * 100) / 100,  # rounded down: the record never overstates
        color=to_hex(color),
        font_family=family_of(placed.block.path),
        font_file=placed.block.path.name,
    )
