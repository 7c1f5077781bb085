/* Campaigns list, from GET /workflow/runs (Temporal visibility plus the fallback store). */
(function () {
  "use strict";
  var BT = window.BT;
  var el = BT.el;
  var status = BT.$("runs-status");
  var table = BT.$("runs-table");
  var body = BT.$("runs-body");

  async function load() {
    status.textContent = "Loading…";
    status.hidden = false;
    try {
      var rows = (await BT.api("/workflow/runs?limit=100")).data;
      BT.clear(body);
      if (!rows.length) {
        table.hidden = true;
        BT.clear(status);
        BT.append(status, ["No campaigns yet. ", el("a", { text: "Start your first one", attrs: { href: "/" } }), "."]);
        return;
      }
      rows.forEach(function (r) {
        var href = "/runs/" + encodeURIComponent(r.workflow_id);
        body.appendChild(
          el(
            "tr",
            {},
            el("td", { className: "runs-url", attrs: { "data-label": "Website" } },
              el("a", { text: BT.shortUrl(r.url) || r.url, attrs: { href: href, title: r.url } })),
            el("td", { attrs: { "data-label": "Status" } },
              el("span", { className: "stage-badge", text: BT.stageLabel(r.stage), attrs: { "data-stage": r.stage } })),
            el("td", { attrs: { "data-label": "Started" } },
              el("time", { text: BT.fmtAgo(r.started_at), attrs: { datetime: r.started_at || "", title: BT.fmtDateTime(r.started_at) } })),
            el("td", { attrs: { "data-label": "Run" } }, el("code", { text: r.workflow_id }))
          )
        );
      });
      table.hidden = false;
      status.textContent = rows.length + (rows.length === 1 ? " campaign" : " campaigns");
    } catch (e) {
      table.hidden = true;
      status.textContent = "Could not load campaigns: " + e.message;
    }
  }

  BT.$("refresh").addEventListener("click", load);
  BT.ready().then(load);
})();
