/* New campaign form: validates lightly, starts a pipeline, goes to its run page. */

import { api, ready } from "./lib/api.js";
import { $ } from "./lib/dom.js";

const form = $("new-campaign");
const error = $("form-error");
const button = $("start");

function showError(message, field) {
  error.textContent = message;
  error.hidden = !message;
  if (field) field.focus();
}

function checked(name) {
  return Array.prototype.slice.call(form.querySelectorAll(`input[name="${name}"]:checked`)).map((i) => i.value);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  showError("");
  const urlField = $("url");
  let url = urlField.value.trim();
  if (!url) return showError("Enter the address of the brand's website.", urlField);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    url = `https://${url}`; // people paste "example.com"
    urlField.value = url;
  }
  const count = parseInt($("num_variants").value, 10);
  if (!(count >= 1 && count <= 10)) return showError("Choose between 1 and 10 variants.", $("num_variants"));
  const platforms = checked("platforms");
  if (!platforms.length)
    return showError("Choose at least one platform.", form.querySelector('input[name="platforms"]'));
  const formats = checked("formats");
  if (!formats.length) return showError("Choose at least one format.", form.querySelector('input[name="formats"]'));

  button.disabled = true;
  button.textContent = "Starting…";
  try {
    const res = await api("/workflow/start", {
      method: "POST",
      body: {
        url: url,
        num_variants: count,
        platforms: platforms,
        formats: formats,
        objective: $("objective").value,
      },
    });
    location.assign(`/runs/${encodeURIComponent(res.data.workflow_id)}`);
  } catch (e) {
    showError(e.status === 422 ? `Please check the form: ${e.message}` : e.message, urlField);
    button.disabled = false;
    button.textContent = "Create creatives";
  }
});

ready().then(() => {
  $("url").focus();
});
