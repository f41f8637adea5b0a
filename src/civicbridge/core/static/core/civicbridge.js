// Progressive enhancement only: every form works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  const summary = document.querySelector(".error-summary, [data-focus-on-load]");
  if (summary) summary.focus();
});
// After htmx changed the address, the language links must point at the new one.
document.addEventListener("htmx:pushedIntoHistory", () => {
  const path = window.location.pathname.replace(/^\/[a-z]{2}(?=\/)/, "") + window.location.search;
  for (const link of document.querySelectorAll(".language-switcher a[hreflang]")) {
    link.href = "/" + link.hreflang + path;
  }
});
document.addEventListener("htmx:afterSwap", (event) => {
  const heading = event.detail.target.querySelector("[data-focus-after-swap]");
  if (heading) heading.focus();
});
