// The language picker in the top bar (templates/base.html) switches as soon as a language is
// chosen. A file, not an onchange attribute: the Content-Security-Policy runs no inline script.
// Without JavaScript the form's <noscript> button submits it.
for (const select of document.querySelectorAll("select[data-submit-on-change]")) {
  select.addEventListener("change", () => select.form.submit());
}
