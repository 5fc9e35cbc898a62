// A long select marked `data-filter="<label>"` (the action item's owner, among every member
// school's staff) gets a search box before it: typing keeps only the options, or the school
// groups, whose text contains what was typed. Options are taken out of the list rather than
// hidden, which phones' pickers ignore. The chosen option and the empty one always stay, so
// narrowing never changes what the form sends. Without JavaScript the full list remains.
for (const select of document.querySelectorAll("select[data-filter]")) {
  const entries = Array.from(select.children, (node) => [node, Array.from(node.children)]);
  const box = document.createElement("input");
  box.type = "search";
  box.className = "select-filter";
  box.placeholder = select.dataset.filter;
  box.setAttribute("aria-label", select.dataset.filter);
  box.setAttribute("aria-controls", select.id);
  select.before(box);

  box.addEventListener("input", () => {
    const wanted = box.value.trim().toLowerCase();
    const chosen = select.value;
    const matches = (text) => text.toLowerCase().includes(wanted);
    const keeps = (option) => !option.value || option.value === chosen || matches(option.text);
    select.replaceChildren(
      ...entries.flatMap(([node, options]) => {
        if (node.tagName !== "OPTGROUP") return keeps(node) ? [node] : [];
        const kept = matches(node.label) ? options : options.filter(keeps);
        node.replaceChildren(...kept);
        return kept.length ? [node] : [];
      }),
    );
    select.value = chosen; // taking options out and back may have moved the selection
  });
}
