// Progressive enhancement only: every form works without JavaScript.
// Marked at once, not on DOMContentLoaded, so that a phone shows the menu closed from the
// first paint (without the mark the menu stays open: reachable without JavaScript).
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  const summary = document.querySelector(".error-summary, [data-focus-on-load]");
  if (summary) summary.focus();
  setUpMenuButton(document.querySelector(".menu-button[aria-controls]"));
});

// The header's menu on narrow screens; on wide ones the button is not shown and the
// navigation always is (the stylesheet decides which, by the width).
function setUpMenuButton(button) {
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("is-open", open);
  };
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    const focus = document.activeElement;
    setOpen(false);
    // Focus left in the closed menu would be lost; focus elsewhere on the page stays.
    if (menu.contains(focus) || focus === button || focus === document.body) button.focus();
  });
}

// After htmx changed the address, the language links must point at the new one, and logging
// in or signing up must lead back to it (filters included).
document.addEventListener("htmx:pushedIntoHistory", () => {
  const path = window.location.pathname.replace(/^\/[a-z]{2}(?=\/)/, "") + window.location.search;
  for (const link of document.querySelectorAll(".language-switcher a[hreflang]")) {
    link.href = "/" + link.hreflang + path;
  }
  for (const link of document.querySelectorAll("a[data-next-here]")) {
    const url = new URL(link.href);
    url.searchParams.set("next", window.location.pathname + window.location.search);
    link.href = url.href;
  }
});
document.addEventListener("htmx:afterSwap", (event) => {
  const heading = event.detail.target.querySelector("[data-focus-after-swap]");
  if (heading) heading.focus();
});
