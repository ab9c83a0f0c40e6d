// The attempt panel: a side panel showing one attempt, rendered by the server
// (GET /attempts/{id}/panel: answer as safe markdown, tests and arguments highlighted,
// diffs, tool-call timeline, logs). Any page can use it:
//   import { openAttempt, closePanel } from "/static/attempt_panel.js";
//   openAttempt("123");            // or set location.hash = "attempt-123"
// The panel's <aside> is made here, the one place that knows its DOM, when an attempt is
// first opened: templates carry none. The fragment is our server's escaped HTML; it is
// parsed as an inert document (scripts never run) and its nodes moved in.
import { h } from "./dom.js";

function ensurePanel() {
  let panel = document.getElementById("attempt-panel");
  if (!panel) {
    panel = h("aside", { id: "attempt-panel", class: "panel", hidden: "", "aria-label": "attempt details" },
      h("div", { class: "panel-head" }, h("h2", { id: "panel-title" }, "Attempt"),
        h("button", { type: "button", class: "ghost", id: "panel-close", "aria-label": "Close" }, "✕")),
      h("div", { id: "panel-body" }));
    document.body.append(panel);
  }
  if (!panel.dataset.wired) {
    panel.dataset.wired = "1";
    document.getElementById("panel-close").addEventListener("click", closePanel);
  }
  return panel;
}

// The log level filter and anything else a rendered attempt needs to be interactive.
export function wireAttempt(root) {
  const entries = root.querySelectorAll(".log-entry");
  const boxes = root.querySelectorAll(".log-filter input[type=checkbox]");
  const apply = () => {
    const shown = new Set([...boxes].filter((b) => b.checked).map((b) => b.value));
    for (const e of entries) e.hidden = !shown.has(e.dataset.level);
  };
  for (const box of boxes) box.addEventListener("change", apply);
  apply();
  // The diff shown is the chosen one of the server-rendered choices (kept in <template>s).
  const select = root.querySelector("#diff-against");
  const out = root.querySelector(".diff-out");
  if (select && out) {
    select.addEventListener("change", () => {
      const choice = [...root.querySelectorAll("template.diff-choice")].find((t) => t.dataset.key === select.value);
      if (choice) out.replaceChildren(choice.content.cloneNode(true));
    });
  }
}

let current = 0;

export async function openAttempt(id) {
  const panel = ensurePanel();
  const body = document.getElementById("panel-body");
  const title = document.getElementById("panel-title");
  const ticket = ++current;
  panel.hidden = false;
  document.body.classList.add("panel-open");
  title.textContent = "Attempt";
  body.replaceChildren(h("p", { class: "muted" }, "loading…"));
  for (const row of document.querySelectorAll("[data-attempt].selected")) row.classList.remove("selected");
  document.querySelector(`tr[data-attempt="${CSS.escape(String(id))}"]`)?.classList.add("selected");
  let html;
  try {
    const response = await fetch(`/attempts/${encodeURIComponent(id)}/panel`);
    html = await response.text();
  } catch (err) {
    if (ticket === current) body.replaceChildren(h("p", { class: "notice bad" }, `could not load the attempt: ${err}`));
    return;
  }
  if (ticket !== current) return; // another attempt was opened meanwhile
  const doc = new DOMParser().parseFromString(html, "text/html");
  const heading = doc.querySelector(".attempt-title");
  if (heading) { title.replaceChildren(...heading.childNodes); heading.remove(); }
  body.replaceChildren(...doc.body.childNodes);
  wireAttempt(body);
  body.scrollTop = 0;
}

export function closePanel() {
  const panel = document.getElementById("attempt-panel");
  if (!panel) return;
  panel.hidden = true;
  document.body.classList.remove("panel-open");
  if (location.hash.startsWith("#attempt-")) history.replaceState(null, "", location.pathname + location.search);
}

function fromHash() {
  const match = location.hash.match(/^#attempt-(\d+)$/);
  const panel = document.getElementById("attempt-panel");
  if (match) openAttempt(match[1]); else if (panel && !panel.hidden) closePanel();
}

document.addEventListener("keydown", (event) => {
  const panel = document.getElementById("attempt-panel");
  if (event.key === "Escape" && panel && !panel.hidden) closePanel();
});
window.addEventListener("hashchange", fromHash);
for (const el of document.querySelectorAll(".attempt")) wireAttempt(el); // an attempt's own page
fromHash();
