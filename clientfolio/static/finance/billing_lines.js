// The invoice form's "Add line" button: htmx fetches one empty line numbered after the
// lines already there; the formset's TOTAL_FORMS count follows.
(function () {
  "use strict";
  function total() {
    return document.querySelector("#invoice-form input[name='lines-TOTAL_FORMS']");
  }
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "add-line" || !total()) return;
    event.detail.parameters.index = total().value;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.requestConfig || event.detail.requestConfig.elt.id !== "add-line") return;
    const field = total();
    if (field) field.value = String(Number(field.value) + 1);
    const rows = document.querySelectorAll("#invoice-lines tr");
    const last = rows[rows.length - 1];
    const input = last && last.querySelector("input[type='text']");
    if (input) input.focus();
  });
})();
