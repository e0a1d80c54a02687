// The review form's "Add item" button: htmx fetches one empty checklist row numbered after
// the rows already there; the formset's TOTAL_FORMS count follows.
(function () {
  "use strict";
  function total() {
    return document.querySelector("#review-form input[name='items-TOTAL_FORMS']");
  }
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "add-item" || !total()) return;
    event.detail.parameters.index = total().value;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.requestConfig || event.detail.requestConfig.elt.id !== "add-item") return;
    const field = total();
    if (field) field.value = String(Number(field.value) + 1);
    const rows = document.querySelectorAll("#checklist-rows tr");
    const last = rows[rows.length - 1];
    const input = last && last.querySelector("input[type='text'], textarea");
    if (input) input.focus();
  });
})();
