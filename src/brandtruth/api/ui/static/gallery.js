/* Gallery: every creative of a run beside its layout record (from GET /workflow/result/{id}).
   Site and copy text is only ever set as textContent. */
import * as BT from "./lib/bt.js";

(() => {
  var el = BT.el;
  var root = BT.$("gallery");
  var status = BT.$("gallery-status");
  var rows = BT.$("gallery-rows");
  var id = root.getAttribute("data-workflow-id");
  var order = BT.config.formatOrder;

  function record(layout) {
    var scale = layout.picture_scale ? ` at ${layout.picture_scale.toFixed(2)}×` : "";
    var treatment = layout.text_treatment || (layout.panel ? "panel" : layout.scrim ? "scrim" : "direct");
    var legibility = treatment === "scrim" ? `scrim ${layout.scrim_opacity}` : treatment;
    var box = layout.scrim_box;
    if (box) legibility += ` over ${box.right - box.left}×${box.bottom - box.top} px`;
    if (layout.text_busyness != null) legibility += ` (detail ${layout.text_busyness})`;
    var facts = [
      ["layout", layout.layout_template || "—"],
      ["picture", (layout.image_source || "—") + scale],
      ["legibility", legibility],
      ["logo", `${layout.logo_kind || "—"} (${layout.logo_treatment || "—"})`],
    ];
    var table = el("table", {});
    facts.forEach((f) => {
      table.appendChild(el("tr", {}, el("th", { text: f[0] }), el("td", { text: f[1] })));
    });
    var swatch = el("span", { className: "gallery-swatch" });
    if (/^#[0-9a-f]{6}$/i.test(layout.cta_color || "")) swatch.style.background = layout.cta_color;
    table.appendChild(
      el(
        "tr",
        {},
        el("th", { text: "CTA" }),
        el(
          "td",
          {},
          swatch,
          (layout.cta_color || "—") +
            " / " +
            (layout.cta_text_color || "—") +
            ", radius " +
            (layout.cta_radius == null ? "—" : `${layout.cta_radius}px`),
        ),
      ),
    );
    (layout.text_boxes || []).forEach((t) => {
      var font = `${t.font_family || "?"} ${t.font_size}px, contrast ${t.contrast}`;
      table.appendChild(el("tr", {}, el("th", { text: t.role }), el("td", { text: `“${t.text}” — ${font}` })));
    });
    return table;
  }

  function item(creative) {
    var src = BT.artifactUrl(creative.artifact);
    return el(
      "figure",
      { className: "gallery-item", attrs: { "data-format": creative.format } },
      el("img", {
        attrs: { src: src || "", alt: `${creative.variant_id} ${BT.formatLabel(creative.format)}`, loading: "lazy" },
      }),
      el(
        "figcaption",
        {},
        el("strong", { text: BT.formatLabel(creative.format) }),
        ` ${creative.width}×${creative.height}`,
        record(creative.layout || {}),
      ),
    );
  }

  async function load() {
    try {
      const result = (await BT.api(`/workflow/result/${encodeURIComponent(id)}`)).data;
      let count = 0;
      BT.clear(rows);
      (result.variants || []).forEach((v) => {
        var creatives = (v.creatives || []).slice().sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format));
        count += creatives.length;
        var items = el("div", { className: "gallery-items" });
        creatives.forEach((c) => {
          items.appendChild(item(c));
        });
        rows.appendChild(
          el(
            "section",
            { className: "gallery-row", attrs: { "data-variant": v.variant.id } },
            el("h2", { text: `${v.variant.id} · ${v.variant.headline}` }),
            items,
          ),
        );
      });
      const brand = result.brand_profile ? result.brand_profile.brand_name : result.request.url;
      BT.$("gallery-title").textContent = `${brand} — creatives`;
      status.textContent = count ? count + (count === 1 ? " creative" : " creatives") : "No creatives yet.";
    } catch (e) {
      status.textContent = e?.message ? e.message : String(e);
    }
  }

  BT.ready().then(load);
})();
