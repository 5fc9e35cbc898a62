// A form box that matters for one choice of another field (data-shown-when="<name>=<value>",
// the other field's name in the same form) is shown only while that choice is made, and is
// not sent otherwise. Without JavaScript every box stays, its label or placeholder saying
// when it is filled in.
for (const box of document.querySelectorAll("[data-shown-when]")) {
  const [name, value] = box.dataset.shownWhen.split("=");
  const choice = box.form?.elements.namedItem(name);
  if (!choice) continue;
  const shown = box.closest(".field") ?? box;
  const show = () => {
    shown.hidden = choice.value !== value;
    box.disabled = shown.hidden;
  };
  show();
  choice.addEventListener("change", show);
}
