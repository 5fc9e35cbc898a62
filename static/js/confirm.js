// A form that cannot be taken back (a school's vote, counting the votes) asks before it is sent:
// the question is the `data-confirm` of the button pressed, or else of the form, and names what
// is about to happen. Cancelled, nothing is sent. Without JavaScript the form is sent at once.
document.addEventListener("submit", (event) => {
  const question = event.submitter?.dataset.confirm || event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
