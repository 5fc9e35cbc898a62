// The messages after an action (templates/base.html) stay at the top of the screen while the
// page is read (static/css/site.css: .messages is sticky); each gets a button to put it away.
// The button's "×" is drawn by the stylesheet, so a message's text stays what it says.
const messages = document.querySelector(".messages[data-dismiss]");
for (const message of messages ? messages.querySelectorAll(".flash") : []) {
  const dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.className = "dismiss";
  dismiss.setAttribute("aria-label", messages.dataset.dismiss);
  dismiss.addEventListener("click", () => message.remove());
  message.append(dismiss);
}
