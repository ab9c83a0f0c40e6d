// The Run page: a row opens the attempt panel (static/attempt_panel.js, which follows
// #attempt-ID in the address), and live progress while the run is still going.
import "./attempt_panel.js";
import { followRun, progressText, setBar } from "./live.js";

// Delegated, so rows added to the table later (live updates) open the panel too.
function rowOpens(event) {
  const row = event.target.closest("tr[data-attempt]");
  if (!row) return;
  if (event.type === "click" && event.target.closest("a")) return; // the link sets the hash itself
  if (event.type === "keydown" && event.key !== "Enter") return;
  location.hash = `attempt-${row.dataset.attempt}`;
}
document.addEventListener("click", rowOpens);
document.addEventListener("keydown", rowOpens);

const live = document.getElementById("live");
if (live && live.dataset.status === "running") {
  const bar = document.getElementById("live-bar");
  const line = document.getElementById("live-text");
  followRun(live.dataset.run, (m) => {
    if (m.type === "attempt") return;
    if (m.type === "error") { line.textContent = m.error; return; }
    line.textContent = progressText(m);
    setBar(bar, m);
    if (m.type === "finished") {
      line.textContent = `${progressText(m)} · ${m.status} — reloading`;
      setTimeout(() => location.reload(), 600);
    }
  });
}
