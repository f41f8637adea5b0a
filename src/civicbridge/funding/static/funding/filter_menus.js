// Progressive enhancement of the calls' filters: with a funder chosen, the programme menu offers
// only that funder's programmes (its <optgroup> bears the funder's name, ProgrammeChoiceField).
// A programme of another funder, chosen before, is let go before the form is sent: the list
// would otherwise be empty. Without JavaScript the menu offers every programme, grouped.
(function () {
  "use strict";

  function setUpFunderProgrammes(form) {
    const funder = form.querySelector("select[name='funder']");
    const programme = form.querySelector("select[name='programme']");
    if (!funder || !programme) return;
    function narrow() {
      const chosen = funder.value ? funder.selectedOptions[0].textContent.trim() : "";
      for (const group of programme.querySelectorAll("optgroup")) {
        const other = chosen !== "" && group.label !== chosen;
        group.hidden = other;
        group.disabled = other; // where a browser shows hidden options all the same
      }
      const selected = programme.selectedOptions[0];
      if (selected && selected.parentElement.disabled) programme.value = "";
    }
    // On the menu itself, before the form (and htmx, which sends it on "change") hears of it.
    funder.addEventListener("change", narrow);
    narrow();
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const form of document.querySelectorAll("form[data-funder-programmes]")) setUpFunderProgrammes(form);
  });
})();
