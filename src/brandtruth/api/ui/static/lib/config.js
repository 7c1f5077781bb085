/* What the server put in the page: labels, stage order, whether an API key is needed. */
export const config = JSON.parse(document.getElementById("ui-config").textContent);
