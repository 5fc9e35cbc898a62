// The meeting page's attendance table, one form for every school
// (templates/governance/meeting_detail.html). A row's reason box is for an absence and its
// proxy box for a proxy (data-when): each is shown only with its status. Without JavaScript
// both stay, their placeholders saying when they are filled in.
for (const row of document.querySelectorAll(".attendance-sheet .attendance-form")) {
  const status = row.querySelector("select");
  const boxes = row.querySelectorAll("input[data-when]");
  const show = () => {
    for (const box of boxes) box.hidden = box.dataset.when !== status.value;
  };
  show();
  status.addEventListener("change", show);
}

// A refused table comes back at #attendance (the form's address), the rows with errors maybe
// screens below: the page moves on to the first of them.
const refused = document.querySelector(".attendance-sheet[data-first-error]");
if (refused && document.getElementById(refused.dataset.firstError)) {
  location.replace(`#${refused.dataset.firstError}`);
}
