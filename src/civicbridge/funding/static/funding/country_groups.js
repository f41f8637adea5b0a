// Progressive enhancement of a choice of countries (core.countries.CountryCheckboxes): a
// group's tick box ticks or unticks every country of its group at once, and shows whether all,
// some or none of them are ticked. Without JavaScript the server adds a ticked group's countries.
(function () {
  "use strict";

  function setUpCountryGroups(field) {
    const boxes = (codes) => codes.map((code) => field.querySelector(`input[data-country][value='${code}']`)).filter(Boolean);
    const groups = Array.from(field.querySelectorAll("input[data-country-group]"));
    function reflect() {
      for (const group of groups) {
        const members = boxes(group.dataset.countryGroup.split(","));
        const ticked = members.filter((box) => box.checked).length;
        group.checked = members.length > 0 && ticked === members.length;
        group.indeterminate = ticked > 0 && ticked < members.length;
      }
    }
    for (const group of groups) {
      group.addEventListener("change", () => {
        for (const box of boxes(group.dataset.countryGroup.split(","))) box.checked = group.checked;
        reflect();
      });
    }
    field.addEventListener("change", (event) => {
      if (event.target.matches("input[data-country]")) reflect();
    });
    reflect();
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const field of document.querySelectorAll("[data-country-groups]")) setUpCountryGroups(field);
  });
})();
