/* Cancelling a run that has not ended, with a confirmation step. */

import { api } from "../lib/api.js";
import { $ } from "../lib/dom.js";
import { refresh } from "./data.js";
import { setConnection, workflowId } from "./state.js";

$("cancel").addEventListener("click", () => {
  $("cancel").hidden = true;
  $("cancel-confirm").hidden = false;
  $("cancel-no").focus();
});
$("cancel-no").addEventListener("click", () => {
  $("cancel-confirm").hidden = true;
  $("cancel").hidden = false;
  $("cancel").focus();
});
$("cancel-yes").addEventListener("click", async () => {
  $("cancel-yes").disabled = true;
  try {
    await api(`/workflow/cancel/${encodeURIComponent(workflowId)}`, { method: "POST" });
    setConnection("Cancelling…");
  } catch (e) {
    setConnection(`Could not cancel: ${e.message}`);
  } finally {
    $("cancel-yes").disabled = false;
    $("cancel-confirm").hidden = true;
    $("cancel").hidden = false;
  }
  refresh();
});
