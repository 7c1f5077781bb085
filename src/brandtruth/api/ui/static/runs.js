/* Campaigns list, from GET /workflow/runs (Temporal visibility plus the fallback store). */

import { api, ready } from "./lib/api.js";
import { $, append, clear, el, shortUrl } from "./lib/dom.js";
import { fmtAgo, fmtDateTime, stageLabel } from "./lib/format.js";

const status = $("runs-status");
const table = $("runs-table");
const body = $("runs-body");

async function load() {
  status.textContent = "Loading…";
  status.hidden = false;
  try {
    const rows = (await api("/workflow/runs?limit=100")).data;
    clear(body);
    if (!rows.length) {
      table.hidden = true;
      clear(status);
      append(status, ["No campaigns yet. ", el("a", { text: "Start your first one", attrs: { href: "/" } }), "."]);
      return;
    }
    rows.forEach((r) => {
      const href = `/runs/${encodeURIComponent(r.workflow_id)}`;
      body.appendChild(
        el(
          "tr",
          {},
          el(
            "td",
            { className: "runs-url", attrs: { "data-label": "Website" } },
            el("a", { text: shortUrl(r.url) || r.url, attrs: { href: href, title: r.url } }),
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
        ),
      );
    });
    table.hidden = false;
    status.textContent = rows.length + (rows.length === 1 ? " campaign" : " campaigns");
  } catch (e) {
    table.hidden = true;
    status.textContent = `Could not load campaigns: ${e.message}`;
  }
}

$("refresh").addEventListener("click", load);
ready().then(load);
