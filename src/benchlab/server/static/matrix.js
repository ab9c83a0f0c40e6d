// The results matrix: a click (or Enter) on a cell opens its attempt in the run page's panel.
// attempt_panel.js owns the panel and opens whatever `#attempt-ID` the address names; this module only
// sets that hash and marks the open cell.
function openCell(cell) {
  location.hash = `attempt-${cell.dataset.attempt}`;
}

function markSelected() {
  const match = location.hash.match(/^#attempt-(\d+)$/);
  for (const cell of document.querySelectorAll("td.cell.selected")) cell.classList.remove("selected");
  if (match) document.querySelector(`td.cell[data-attempt="${CSS.escape(match[1])}"]`)?.classList.add("selected");
}

for (const cell of document.querySelectorAll("td.cell[data-attempt]")) {
  cell.addEventListener("click", (event) => {
    // links, the fold's toggle, and selecting text in an answer keep their own meaning
    if (event.target.closest("a, summary, details[open] .md")) return;
    if (String(window.getSelection() || "")) return;
    openCell(cell);
  });
  cell.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target === cell) openCell(cell);
  });
}
window.addEventListener("hashchange", markSelected);
markSelected();
