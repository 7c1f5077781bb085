/* New campaign form: validates lightly, starts a pipeline, goes to its run page. */
(function () {
  "use strict";
  var BT = window.BT;
  var form = BT.$("new-campaign");
  var error = BT.$("form-error");
  var button = BT.$("start");

  function showError(message, field) {
    error.textContent = message;
    error.hidden = !message;
    if (field) field.focus();
  }

  function checked(name) {
    return Array.prototype.slice
      .call(form.querySelectorAll('input[name="' + name + '"]:checked'))
      .map(function (i) { return i.value; });
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    showError("");
    var urlField = BT.$("url");
    var url = urlField.value.trim();
    if (!url) return showError("Enter the address of the brand's website.", urlField);
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
      url = "https://" + url; // people paste "example.com"
      urlField.value = url;
    }
    var count = parseInt(BT.$("num_variants").value, 10);
    if (!(count >= 1 && count <= 10)) return showError("Choose between 1 and 10 variants.", BT.$("num_variants"));
    var platforms = checked("platforms");
    if (!platforms.length) return showError("Choose at least one platform.", form.querySelector('input[name="platforms"]'));
    var formats = checked("formats");
    if (!formats.length) return showError("Choose at least one format.", form.querySelector('input[name="formats"]'));

    button.disabled = true;
    button.textContent = "Starting…";
    try {
      var res = await BT.api("/workflow/start", {
        method: "POST",
        body: {
          url: url,
          num_variants: count,
          platforms: platforms,
          formats: formats,
          objective: BT.$("objective").value,
        },
      });
      location.assign("/runs/" + encodeURIComponent(res.data.workflow_id));
    } catch (e) {
      showError(e.status === 422 ? "Please check the form: " + e.message : e.message, urlField);
      button.disabled = false;
      button.textContent = "Create creatives";
    }
  });

  BT.ready().then(function () { BT.$("url").focus(); });
})();
