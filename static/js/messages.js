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

// What the page opens at (#attendance, a school's row) stops below the messages, not under
// them: the stylesheet's scroll-margin-top reads their height from --messages-height, kept
// up to date as they wrap or are put away.
if (messages) {
  const main = messages.parentElement;
  const measure = () => main.style.setProperty("--messages-height", `${messages.offsetHeight}px`);
  measure();
  new ResizeObserver(measure).observe(messages);
  // The browser may have scrolled to the address's element before the height was known and
  // left it under the messages; a page scrolled elsewhere (back to it) is left where it is.
  const id = decodeURIComponent(location.hash.slice(1));
  const top = id && document.getElementById(id)?.getBoundingClientRect().top;
  if (top >= 0 && top < messages.getBoundingClientRect().bottom) {
    document.getElementById(id).scrollIntoView();
  }
}
