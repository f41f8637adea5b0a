// Progressive enhancement of the call form. Without JavaScript the form offers a few empty
// deadline rows and a "Remove this deadline" tick box on each; with it, empty spare rows stay
// hidden until "Add a deadline" asks for one, and "Remove deadline N" takes a row away (its tick
// box is ticked, so a saved deadline is removed on the server too).
(function () {
  "use strict";

  function setUpDeadlineRows(container) {
    const list = container.querySelector("[data-deadline-list]");
    const template = container.querySelector("template[data-deadline-template]");
    const addButton = container.querySelector("[data-add-deadline]");
    const total = container.querySelector("input[name$='-TOTAL_FORMS']");
    const maximum = Number(container.querySelector("input[name$='-MAX_NUM_FORMS']").value);
    const prefix = total.name.replace(/-TOTAL_FORMS$/, "");
    const modelSelect = container.closest("form").querySelector("select[name='deadline_model']");

    const removed = (row) => row.querySelector("input[name$='-DELETE']").checked;
    const shown = () => Array.from(list.querySelectorAll("[data-deadline-row]")).filter((row) => !row.hidden);
    const needed = () => {
      const model = modelSelect ? modelSelect.value : "";
      if (model === "permanent") return 0;
      return model === "two_stage" ? 2 : 1;
    };

    function renumber() {
      shown().forEach((row, index) => {
        const number = String(index + 1);
        row.querySelector("legend").textContent = container.dataset.legend.replace("{n}", number);
        row.querySelector("[data-remove-deadline]").textContent = container.dataset.removeLabel.replace("{n}", number);
      });
      const spare = list.querySelector("[data-deadline-row][hidden][data-empty]:not([data-removed])");
      addButton.hidden = !spare && Number(total.value) >= maximum;
    }

    function enhance(row) {
      row.querySelector("[data-remove-choice]").hidden = true;
      const remove = row.querySelector("[data-remove-deadline]");
      remove.hidden = false;
      remove.addEventListener("click", () => {
        row.querySelector("input[name$='-DELETE']").checked = true;
        row.hidden = true;
        row.dataset.removed = "";
        renumber();
        addButton.focus();
      });
    }

    function addRow() {
      let row = list.querySelector("[data-deadline-row][hidden][data-empty]:not([data-removed])");
      if (!row) {
        const index = Number(total.value);
        if (index >= maximum) return null;
        const html = template.innerHTML.replace(/__prefix__/g, String(index));
        const holder = document.createElement("div");
        holder.innerHTML = html.trim();
        row = holder.firstElementChild;
        list.appendChild(row);
        total.value = String(index + 1);
        enhance(row);
      }
      row.hidden = false;
      renumber();
      return row;
    }

    for (const row of list.querySelectorAll("[data-deadline-row]")) {
      enhance(row);
      if (removed(row)) {
        row.hidden = true;
        row.dataset.removed = "";
      }
    }
    // Spare rows stay hidden beyond what the deadline model needs (one row for a new call).
    const hasErrors = container.querySelector(".error-text") !== null;
    let visible = shown().filter((row) => !row.hasAttribute("data-empty")).length;
    for (const row of shown()) {
      if (!row.hasAttribute("data-empty")) continue;
      if (visible < Math.max(needed(), 1) || hasErrors && row.querySelector(".error-text")) {
        visible += 1;
      } else {
        row.hidden = true;
      }
    }
    addButton.hidden = false;
    addButton.addEventListener("click", () => {
      const row = addRow();
      if (row) row.querySelector("input[type='date']").focus();
    });
    if (modelSelect) {
      modelSelect.addEventListener("change", () => {
        while (shown().length < needed() && addRow()) { /* one more row */ }
      });
    }
    renumber();
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const container of document.querySelectorAll("[data-deadline-rows]")) setUpDeadlineRows(container);
  });
})();
