/* "Score an ad": posts the upload to POST /workflow/score and draws the score, factors, fixes
 * and attention map. Every string from the server goes in via textContent (BT.el). */
import * as BT from "./lib/bt.js";

const form = BT.$("score-form");
const error = BT.$("score-error");
const button = BT.$("score-submit");
let imageUrl = null;

function showError(message) {
  error.textContent = message;
  error.hidden = !message;
}

async function postScore(data) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const headers = { Accept: "application/json" };
    const key = BT.getKey();
    if (key) headers.Authorization = `Bearer ${key}`;
    let res;
    try {
      res = await fetch("/workflow/score", { method: "POST", body: data, headers, cache: "no-store" });
    } catch (_e) {
      throw new Error("The BrandTruth server did not answer. Check that it is running, then try again.");
    }
    if (res.status === 401 && attempt === 0) {
      await BT.askKey(key ? "That key was not accepted. Please check it and try again." : "");
      continue;
    }
    let body = null;
    try {
      body = await res.json();
    } catch (_e) {
      body = null;
    }
    if (!res.ok) {
      if (res.status === 413) throw new Error("That file is too large (25 MB at most).");
      throw new Error(body?.detail ? String(body.detail) : `${res.status} ${res.statusText}`);
    }
    return body;
  }
  throw new Error("The API key was not accepted.");
}

function pts(value) {
  const v = Number(value);
  return (v >= 0 ? "+" : "") + v.toFixed(1);
}

function render(result, file) {
  BT.$("score-value").textContent = Number(result.score).toFixed(1);
  BT.$("score-tier").textContent = result.tier;
  BT.$("score-band").textContent = `likely ${Math.round(result.band[0])}–${Math.round(result.band[1])}`;
  BT.$("score-model").textContent =
    `Model: ${result.model.name}${result.found_by === "pixels" ? " · text found on the pixels" : ""}`;
  if (imageUrl) URL.revokeObjectURL(imageUrl);
  imageUrl = URL.createObjectURL(file);
  BT.$("score-image").src = imageUrl;
  const heat = BT.$("score-heatmap");
  heat.src = result.heatmap || "";
  heat.hidden = !result.heatmap || !BT.$("show-heatmap").checked;

  const fixes = BT.clear(BT.$("score-fixes"));
  (result.fixes.length ? result.fixes : ["Nothing to fix: every factor is at its target."]).forEach((f) => {
    fixes.appendChild(BT.el("li", { text: f }));
  });
  const rows = BT.clear(BT.$("score-factors"));
  result.factors
    .filter((f) => f.group === "visual" || f.group === "copy" || f.group === "policy")
    .sort((a, b) => Number(a.contribution) - Number(b.contribution))
    .forEach((f) => {
      const defect = f.quality !== null && f.quality < 0.7;
      rows.appendChild(
        BT.el(
          "tr",
          { className: defect ? "defect" : "", attrs: { "data-factor": f.name } },
          BT.el("td", { text: BT.humanize(f.name) }),
          BT.el("td", { className: "pts", text: pts(f.contribution) }),
          BT.el("td", {}, f.reason, f.fix ? BT.el("span", { className: "fix", text: `Fix: ${f.fix}` }) : null),
        ),
      );
    });
  BT.$("score-result").hidden = false;
}

BT.$("show-heatmap").addEventListener("change", (event) => {
  const heat = BT.$("score-heatmap");
  heat.hidden = !event.target.checked || !heat.getAttribute("src");
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  showError("");
  const file = BT.$("image").files[0];
  if (!file) return showError("Choose the creative to score.");
  const data = new FormData();
  data.append("image", file, file.name);
  for (const name of ["headline", "primary_text", "cta", "platform"]) {
    data.append(name, BT.$(name).value);
  }
  const brand = BT.$("brand_url").value.trim();
  if (brand) data.append("brand_url", /^[a-z][a-z0-9+.-]*:\/\//i.test(brand) ? brand : `https://${brand}`);
  data.append("include_heatmap", "true");
  button.disabled = true;
  button.textContent = "Scoring…";
  try {
    render(await postScore(data), file);
  } catch (e) {
    showError(e.message);
  } finally {
    button.disabled = false;
    button.textContent = "Score it";
  }
});
