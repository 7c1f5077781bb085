// The review page's "check your own lines" box: POST /workflow/check-copy against this run's
// brand profile and show one verdict per line. Site and user text only ever goes in textContent.
import * as BT from "./lib/bt.js";

const MAX_LINES = 1000;
const LABELS = { supported: "Supported", unsupported: "Not supported", blocked: "Blocked", error: "Cannot check" };

function node(tag, className, text) {
  const n = document.createElement(tag);
  if (className) n.className = className;
  if (text !== undefined) n.textContent = text;
  return n;
}

function renderVerdict(v) {
  const item = node("li", `verdict verdict-${v.verdict}`);
  const head = node("p", "verdict-head");
  head.append(node("span", "verdict-badge", LABELS[v.verdict] || v.verdict), node("span", "verdict-text", v.text));
  item.append(head);
  if (v.error) item.append(node("p", "verdict-error", v.error));
  if (v.issues?.length) {
    const issues = node("ul", "verdict-issues");
    for (const issue of v.issues) {
      const li = node("li");
      li.append(node("mark", "", issue.span), document.createTextNode(` — ${issue.reason} `));
      li.append(node("span", "muted", `(${issue.class})`));
      issues.append(li);
    }
    item.append(issues);
  }
  if (v.evidence?.length) {
    const ev = node("ul", "verdict-evidence");
    for (const e of v.evidence.slice(0, 3)) {
      const li = node("li");
      li.append(node("q", "", e.quote), document.createTextNode(" "), node("span", "muted", BT.shortUrl(e.url)));
      ev.append(li);
    }
    item.append(ev);
  }
  for (const w of v.warnings || []) item.append(node("p", "verdict-warning", w));
  return item;
}

function mount(section, workflowId) {
  const title = node("h2", "", "Check your own lines");
  title.id = "check-copy-title";
  const hint = node("p", "hint", "Paste ad lines, one per line. Each is checked against what this brand's site says.");
  const label = node("label", "", "Your ad lines");
  label.htmlFor = "check-copy-input";
  const input = node("textarea");
  input.id = "check-copy-input";
  input.rows = 4;
  input.maxLength = 200000;
  const button = node("button", "primary", "Check lines");
  button.type = "button";
  button.id = "check-copy-run";
  const status = node("p", "muted", "");
  status.id = "check-copy-status";
  status.setAttribute("role", "status");
  const list = node("ul", "verdicts");
  list.id = "check-copy-results";
  section.append(title, hint, label, input, node("div", "actions"), status, list);
  section.querySelector(".actions").append(button);

  button.addEventListener("click", async () => {
    const texts = input.value
      .split("\n")
      .map((t) => t.trim())
      .filter((t) => t.length > 0);
    list.replaceChildren();
    if (!texts.length) {
      status.textContent = "Paste at least one line.";
      return;
    }
    if (texts.length > MAX_LINES) {
      status.textContent = `At most ${MAX_LINES} lines at a time.`;
      return;
    }
    button.disabled = true;
    status.textContent = `Checking ${texts.length} line(s)…`;
    try {
      const res = await BT.api("/workflow/check-copy", {
        method: "POST",
        body: { workflow_id: workflowId, texts: texts },
      });
      const results = res.data.results;
      const ok = results.filter((r) => r.verdict === "supported").length;
      status.textContent = `${ok} of ${results.length} line(s) supported by the site.`;
      for (const v of results) list.append(renderVerdict(v));
    } catch (err) {
      status.textContent = err?.message ? err.message : "The check failed.";
    } finally {
      button.disabled = false;
    }
  });
}

const section = document.getElementById("check-copy");
const run = document.getElementById("run");
if (section && run && BT) mount(section, run.dataset.workflowId);
