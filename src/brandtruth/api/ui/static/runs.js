/* Campaigns list, from GET /workflow/runs (Temporal visibility plus the fallback store).
 *
 * The list answers with ids, URLs and stages; the brand name and a thumbnail come from each run's
 * result, fetched only for the rows on the page shown (a few at a time) and remembered. Search
 * filters by brand (once known), website, status or run id; pages hold PAGE_SIZE rows.
 */
import { api, artifactUrl, ready } from "./lib/api.js";
import { $, append, clear, el, shortUrl } from "./lib/dom.js";
import { fmtAgo, fmtDateTime, stageLabel } from "./lib/format.js";

const PAGE_SIZE = 20;
const MAX_RUNS = 200; // what GET /workflow/runs returns at most
const PARALLEL_DETAILS = 4;

const status = $("runs-status");
const table = $("runs-table");
const body = $("runs-body");
const search = $("runs-search");
const view = { rows: [], page: 0, details: new Map(), learning: null };

/** Brand name and first creative of a run (null fields when the run has none yet), read once. */
function details(wid) {
  let entry = view.details.get(wid);
  if (!entry) {
    entry = { resolved: null, promise: null };
    entry.promise = api(`/workflow/result/${encodeURIComponent(wid)}`)
      .then((res) => {
        const r = res.data;
        const creative = (r.variants || []).flatMap((v) => v.creatives || [])[0];
        return { brand: r.brand_profile?.brand_name || null, thumb: creative ? artifactUrl(creative.artifact) : null };
      })
      .catch(() => ({ brand: null, thumb: null }))
      .then((found) => {
        entry.resolved = found;
        return found;
      });
    view.details.set(wid, entry);
  }
  return entry.promise;
}

function matches(r, query) {
  if (!query) return true;
  const known = view.details.get(r.workflow_id);
  const brand = known?.resolved?.brand || "";
  return [brand, r.url, r.workflow_id, stageLabel(r.stage), r.stage].some((t) =>
    String(t || "")
      .toLowerCase()
      .includes(query),
  );
}

function row(r) {
  const href = `/runs/${encodeURIComponent(r.workflow_id)}`;
  const thumbCell = el(
    "td",
    { className: "runs-thumb", attrs: { "data-label": "Preview" } },
    el("span", { className: "thumb-none" }),
  );
  const brandName = el("strong", { text: shortUrl(r.url) || r.url });
  const tr = el(
    "tr",
    { attrs: { "data-run": r.workflow_id } },
    thumbCell,
    el(
      "td",
      { className: "runs-brand", attrs: { "data-label": "Brand" } },
      el("a", { attrs: { href: href, title: r.url } }, brandName),
      el("span", { className: "muted", text: shortUrl(r.url) || r.url }),
    ),
    el(
      "td",
      { attrs: { "data-label": "Status" } },
      el("span", { className: "stage-badge", text: stageLabel(r.stage), attrs: { "data-stage": r.stage } }),
    ),
    el(
      "td",
      { attrs: { "data-label": "Started" } },
      el("time", {
        text: fmtAgo(r.started_at),
        attrs: { datetime: r.started_at || "", title: fmtDateTime(r.started_at) },
      }),
    ),
    el("td", { attrs: { "data-label": "Run" } }, el("code", { text: r.workflow_id })),
  );
  return { tr, thumbCell, brandName, run: r };
}

async function fillDetails(items) {
  const queue = items.slice();
  async function worker() {
    while (queue.length) {
      const item = queue.shift();
      const found = await details(item.run.workflow_id);
      if (found.brand) item.brandName.textContent = found.brand;
      if (found.thumb) {
        clear(item.thumbCell).appendChild(
          el("img", { attrs: { src: found.thumb, alt: `${found.brand || "Campaign"} creative`, loading: "lazy" } }),
        );
      }
    }
  }
  await Promise.all(Array.from({ length: PARALLEL_DETAILS }, worker));
}

function render() {
  const query = search.value.trim().toLowerCase();
  const filtered = view.rows.filter((r) => matches(r, query));
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
  view.page = Math.min(view.page, pages - 1);
  const start = view.page * PAGE_SIZE;
  const pageRows = filtered.slice(start, start + PAGE_SIZE);
  clear(body);
  const items = pageRows.map(row);
  items.forEach((item) => {
    body.appendChild(item.tr);
  });
  table.hidden = !pageRows.length;
  const total = view.rows.length;
  const noun = total === 1 ? " campaign" : " campaigns";
  status.textContent = query
    ? `${filtered.length} of ${total}${noun} match “${search.value.trim()}”`
    : total + noun + (total >= MAX_RUNS ? " (the most recent)" : "");
  $("runs-pager").hidden = pages < 2;
  $("runs-page").textContent = filtered.length ? `${start + 1}–${start + pageRows.length} of ${filtered.length}` : "";
  $("runs-prev").disabled = view.page === 0;
  $("runs-next").disabled = view.page >= pages - 1;
  fillDetails(items);
}

async function load() {
  status.textContent = "Loading…";
  try {
    view.rows = (await api(`/workflow/runs?limit=${MAX_RUNS}`)).data;
    if (!view.rows.length) {
      table.hidden = true;
      $("runs-pager").hidden = true;
      clear(status);
      append(status, ["No campaigns yet. ", el("a", { text: "Start your first one", attrs: { href: "/" } }), "."]);
      return;
    }
    // A run's stage may have moved on since its details were read: read them again.
    view.details.clear();
    render();
  } catch (e) {
    table.hidden = true;
    status.textContent = `Could not load campaigns: ${e.message}`;
  }
}

$("refresh").addEventListener("click", load);
/** Brand names of every run, so a search by brand finds runs on other pages too (read once). */
async function learnAllBrands() {
  if (view.learning) return view.learning;
  const queue = view.rows.filter((r) => !view.details.get(r.workflow_id)?.resolved);
  view.learning = Promise.all(
    Array.from({ length: PARALLEL_DETAILS }, async () => {
      while (queue.length) {
        const r = queue.shift();
        await details(r.workflow_id);
      }
    }),
  ).finally(() => {
    view.learning = null;
  });
  return view.learning;
}

search.addEventListener("input", async () => {
  view.page = 0;
  render();
  if (!search.value.trim()) return;
  const asked = search.value;
  await learnAllBrands();
  if (search.value === asked) render();
});
$("runs-prev").addEventListener("click", () => {
  view.page -= 1;
  render();
});
$("runs-next").addEventListener("click", () => {
  view.page += 1;
  render();
});
ready().then(load);
