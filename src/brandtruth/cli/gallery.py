"""`brandtruth gallery DIR`: one HTML page showing every creative of a run beside its layout record.

Reads DIR/result.json (what `brandtruth generate` writes) and the PNGs next to it, and writes
DIR/gallery.html: variants as rows, formats side by side, each with what a reviewer checks —
headline/body/CTA text with font family, size and measured contrast, the CTA's colours, the
text treatment (direct, scrim and its extent, panel or split) and the detail under the text, the
logo treatment, the layout template and the picture's scale. All text that came from the website
or the copy writer is HTML-escaped (autoescaping templates); images are referenced by relative
path, so the page works from the directory without a server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from brandtruth.models.creative import AdFormat, Creative, CreativeLayout
from brandtruth.models.pipeline import PipelineResult

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'">
<title>Creatives — {{ brand }}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1f2937; background: #f8fafc; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.row { display: flex; gap: 18px; flex-wrap: wrap; align-items: flex-start; }
figure { margin: 0; background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 10px; width: 300px; }
figure img { width: 100%; height: auto; display: block; border-radius: 4px; }
figcaption { margin-top: 8px; } table { border-collapse: collapse; width: 100%; font-size: 12px; }
td, th { text-align: left; padding: 2px 4px; border-top: 1px solid #f1f5f9; vertical-align: top; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #94a3b8; vertical-align: middle; }
.warn { color: #92400e; font-size: 12px; }
</style>
</head>
<body>
<h1>{{ brand }} — {{ creatives_count }} creatives</h1>
<p>Run {{ run_id }} · {{ url }}</p>
{% for row in rows %}
<h2>{{ row.variant_id }} · {{ row.headline }}</h2>
<div class="row">
{% for item in row.shown %}
<figure>
  <img src="{{ item.image }}" alt="{{ row.variant_id }} {{ item.format }}" loading="lazy">
  <figcaption>
    <strong>{{ item.format }}</strong> {{ item.size }}
    <table>
      {% for label, value in item.facts %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>{% endfor %}
      <tr><th>CTA colour</th>
        <td><span class="swatch" style="background: {{ item.cta_fill }}"></span> {{ item.cta }}</td></tr>
      {% for box in item.layout.text_boxes %}
      <tr><th>{{ box.role }}</th>
        <td>“{{ box.text }}” — {{ box.font_family or "?" }} {{ box.font_size }}px, contrast {{ box.contrast }}</td></tr>
      {% endfor %}
    </table>
  </figcaption>
</figure>
{% endfor %}
</div>
{% for warning in row.warnings %}<p class="warn">{{ warning }}</p>{% endfor %}
{% endfor %}
</body>
</html>
"""

#: Only a plain colour goes into the swatch's style attribute (the value comes from site CSS).
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


@dataclass(frozen=True)
class _Item:
    format: str
    size: str
    image: str
    layout: CreativeLayout
    facts: list[tuple[str, str]]
    cta: str
    cta_fill: str


def _item(creative: Creative, image: str) -> _Item:
    layout = creative.layout
    scale = f" at {layout.picture_scale:.2f}×" if layout.picture_scale else ""
    facts = [
        ("layout", layout.layout_template or "—"),
        ("picture", f"{layout.image_source or '—'}{scale}"),
        ("legibility", _legibility(layout)),
        ("logo", f"{layout.logo_kind or '—'} ({layout.logo_treatment or '—'})"),
    ]
    cta = f"{layout.cta_color} on-button text {layout.cta_text_color}, radius {layout.cta_radius}px"
    size = f"{creative.width}×{creative.height}"
    fill = layout.cta_color if layout.cta_color and _HEX.fullmatch(layout.cta_color) else "#ffffff"
    return _Item(creative.format.value, size, image, layout, facts, cta, fill)


def _legibility(layout: CreativeLayout) -> str:
    """The text treatment as the web gallery states it: "scrim 0.62 over 640×310 px (detail 7.4)".

    Records written before `text_treatment` existed only have the scrim/panel flags.
    """
    treatment = layout.text_treatment or ("panel" if layout.panel else "scrim" if layout.scrim else "direct")
    text = f"scrim {layout.scrim_opacity}" if treatment == "scrim" else treatment
    if layout.scrim_box is not None:
        text += f" over {layout.scrim_box.width}×{layout.scrim_box.height} px"
    if layout.text_busyness is not None:
        text += f" (detail {layout.text_busyness})"
    return text


def _image_name(creative: Creative) -> str:
    return f"{creative.variant_id}-{creative.format.value}.png"


def render_gallery(result: PipelineResult, directory: Path) -> str:
    """The gallery page's HTML for `result`, whose PNGs lie in `directory`."""
    order = list(AdFormat)
    rows = []
    count = 0
    for vr in result.variants:
        items = []
        for creative in sorted(vr.creatives, key=lambda c: order.index(c.format)):
            name = _image_name(creative)
            if not (directory / name).is_file():
                continue
            items.append(_item(creative, name))
        count += len(items)
        rows.append(
            {
                "variant_id": vr.variant.id,
                "headline": vr.variant.headline,
                "shown": items,
                "warnings": vr.warnings,
            }
        )
    profile = result.brand_profile
    return _ENV.from_string(_TEMPLATE).render(
        brand=profile.brand_name if profile is not None else result.request.url,
        url=result.request.url,
        run_id=result.workflow_id,
        rows=rows,
        creatives_count=count,
    )


def write_gallery(directory: Path) -> Path:
    """Write DIR/gallery.html from DIR/result.json; returns its path."""
    result = PipelineResult.model_validate_json((directory / "result.json").read_text("utf-8"))
    out = directory / "gallery.html"
    out.write_text(render_gallery(result, directory), encoding="utf-8")
    return out
