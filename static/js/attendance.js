// A refused attendance table (templates/governance/meeting_detail.html) comes back at
// #attendance, the form's address, the rows with errors maybe screens below: the page moves
// on to the first of them.
const refused = document.querySelector(".attendance-sheet[data-first-error]");
if (refused && document.getElementById(refused.dataset.firstError)) {
  location.replace(`#${refused.dataset.firstError}`);
}
